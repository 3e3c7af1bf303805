import type { CheckCase } from '../caseTable.js';
import { DOM0_FLAGS_E5540, FLAGS, XEN_CAPS_HVM, failed, hostFacts, ok, xenserver } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    name: 'pass: lm among the CPU flags (Dell R710, Xeon E5540)',
    facts: hostFacts({ os: { machine: 'x86_64' }, cpu: { vendor: 'GenuineIntel', flags: FLAGS.xeonE5540 } }),
    status: 'pass',
    observed: /lm \(long mode/,
  },
  {
    // XenServer 5.5: 32-bit PAE Dom0 kernel on x64 hardware, Xen masks some flags; xen_caps says x86_64.
    name: "pass: XenServer 5.5 Dom0 with a 32-bit kernel, Xen's capabilities name x86_64",
    facts: hostFacts({
      os: { machine: 'i686' },
      cpu: { flags: DOM0_FLAGS_E5540.filter((f) => f !== 'lm') },
      virtualization: { xenDom0: true, xenCaps: XEN_CAPS_HVM },
      xenserver: xenserver(),
    }),
    status: 'pass',
    observed: /Xen capabilities: xen-3\.0-x86_64.*32-bit Dom0 kernel, uname -m i686, on 64-bit hardware is normal/,
  },
  {
    name: 'pass: only xe host-cpu-info flags readable in Dom0, and they include lm',
    facts: hostFacts({ os: { machine: 'i686' }, virtualization: { xenDom0: true }, xenserver: xenserver({ cpuInfo: { flags: FLAGS.xeonE5540.join(' ') } }) }),
    status: 'pass',
    observed: /xe host cpu_info flags include lm/,
  },
  {
    name: 'pass: flags unreadable, but the running kernel is x86_64',
    facts: hostFacts({ os: { machine: 'x86_64' } }),
    status: 'pass',
    observed: /uname -m x86_64/,
  },
  {
    // lahf_lm is not lm: the flag list must be matched word by word.
    name: 'fail: 32-bit Atom N270 netbook (flags have lahf_lm but no lm)',
    facts: hostFacts({ os: { machine: 'i686' }, cpu: { vendor: 'GenuineIntel', modelName: 'Intel(R) Atom(TM) CPU N270   @ 1.60GHz', flags: FLAGS.atomN270 } }),
    status: 'fail',
    observed: /without lm; uname -m i686; Intel\(R\) Atom/,
    message: /not 64-bit.*x64 servers/,
  },
  {
    // 64-bit, but not x64: an ARM server has no lm flag and must not be called "not 64-bit".
    name: 'fail: an aarch64 server is not x64',
    facts: hostFacts({ os: { machine: 'aarch64' }, cpu: { vendor: 'ARM', flags: ['fp', 'asimd', 'evtstrm', 'aes', 'pmull', 'sha1', 'sha2', 'crc32', 'cpuid'] } }),
    status: 'fail',
    observed: /not an x86 machine: uname -m aarch64/,
    message: /aarch64 machine, not x64/,
  },
  {
    name: "error: Dom0 without lm in its masked flags, and Xen's capabilities unreadable",
    facts: hostFacts({
      probes: { 'sys.hypervisor': ok(), 'xen.info': failed('xl: command timed out') },
      os: { machine: 'i686' },
      cpu: { flags: ['fpu', 'de', 'tsc', 'msr', 'pae', 'cx8', 'apic'] },
      virtualization: { xenDom0: true },
    }),
    status: 'error',
    message: /Cannot tell whether the CPU is 64-bit: in a Xen Dom0.*xl info/,
  },
  {
    name: 'error: nothing readable (/proc/cpuinfo failed)',
    facts: hostFacts({ probes: { 'proc.cpuinfo': failed('cat: /proc/cpuinfo: Input/output error') } }),
    status: 'error',
    message: /CPU flags were not readable \(\/proc\/cpuinfo failed: cat: \/proc\/cpuinfo: Input\/output error\)/,
  },
];
