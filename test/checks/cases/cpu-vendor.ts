import type { CheckCase } from '../caseTable.js';
import { DOM0_FLAGS_E5540, FLAGS, failed, hostFacts, xenserver } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    name: 'pass: GenuineIntel (Xeon E5540)',
    facts: hostFacts({ cpu: { vendor: 'GenuineIntel', modelName: 'Intel(R) Xeon(R) CPU           E5540  @ 2.53GHz', flags: FLAGS.xeonE5540 } }),
    status: 'pass',
    observed: /^GenuineIntel \(Intel\): Intel\(R\) Xeon\(R\) CPU +E5540/,
  },
  {
    name: 'pass: vendor only from xe host-cpu-info (Dom0 cpuinfo not parsed)',
    facts: hostFacts({ cpu: { flags: DOM0_FLAGS_E5540 }, xenserver: xenserver({ cpuInfo: { vendor: 'GenuineIntel', modelname: 'Intel(R) Xeon(R) CPU E5540 @ 2.53GHz' } }) }),
    status: 'pass',
  },
  {
    name: 'fail: AMD Opteron 6328 (Windows guests need Intel)',
    facts: hostFacts({ cpu: { vendor: 'AuthenticAMD', modelName: 'AMD Opteron(tm) Processor 6328', flags: FLAGS.opteron6328 } }),
    status: 'fail',
    observed: /AuthenticAMD \(AMD\): AMD Opteron/,
    message: /made by AMD, not Intel.*Intel processors/,
  },
  {
    name: 'fail: an ARM server (lscpu "Vendor ID: ARM")',
    facts: hostFacts({ cpu: { vendor: 'ARM', modelName: 'Neoverse-N1' } }),
    status: 'fail',
    message: /made by ARM, not Intel/,
  },
  {
    // A site whose qualification list allows AMD overrides the rule in its site file.
    name: 'pass: a site rules file that requires AMD accepts the Opteron',
    facts: hostFacts({ cpu: { vendor: 'AuthenticAMD', flags: FLAGS.opteron6328 } }),
    params: { vendorId: 'AuthenticAMD', vendorName: 'AMD' },
    status: 'pass',
    message: /made by AMD/,
  },
  {
    name: 'error: vendor not known',
    facts: hostFacts({ probes: { 'proc.cpuinfo': failed('Permission denied'), lscpu: failed('lscpu: cannot open /proc/cpuinfo') } }),
    status: 'error',
    message: /Cannot tell the CPU vendor: \/proc\/cpuinfo failed: Permission denied \(run as root\)/,
  },
];
