import { readFileSync } from 'node:fs';
import type { CpuFacts } from '../../../src/facts/schema.js';
import { parseCpuinfo } from '../../../src/facts/cpuinfo.js';
import type { PoolCheckCase } from '../caseTable.js';
import { DOM0_FLAGS_E5540, failed, hostFacts, xenserver } from '../hostFacts.js';

/** The CPU facts of a real /proc/cpuinfo capture (test/fixtures/cpuinfo), as the parser reads them. */
function cpuinfo(file: string): CpuFacts {
  const { value, problems } = parseCpuinfo(readFileSync(new URL(`../../fixtures/cpuinfo/${file}`, import.meta.url), 'utf8'));
  if (problems.length) throw new Error(`${file}: ${problems.join(', ')}`);
  const cpu: CpuFacts = { flags: value.flags ?? [], logicalCpus: value.logicalCpus };
  for (const key of ['vendor', 'modelName', 'family', 'model', 'stepping', 'sockets', 'coresPerSocket', 'physicalCores', 'nominalMhz', 'currentMhz'] as const) {
    if (value[key] !== undefined) (cpu as Record<string, unknown>)[key] = value[key];
  }
  return cpu;
}

/** Dell R710, 2 x Xeon E5540 (family 6, model 26, stepping 5), RHEL 5.5. */
const E5540 = cpuinfo('ul-dell-r710-2socket-e5540-vmx.txt');
/** 2 x Xeon E5620 (family 6, model 44, stepping 2), RHEL 5.6: the next generation (Westmere). */
const E5620 = cpuinfo('glpi-rhel56-2socket-xeon-e5620-vmx.txt');
/** Core i5-7360U (6/142/9) and i5-8279U (6/142/10): same family and model, another stepping. */
const I5_7360U = cpuinfo('jc-vm-guest-i5-7360u-1cpu-hypervisor.txt');
const I5_8279U = cpuinfo('jc-vm-guest-i5-8279u-2cpu-hypervisor.txt');
/** Two VMware guests reporting 6/42/7 with the same flags but different model names. */
const ESX_I5_2500S = cpuinfo('glpi-esx-guest-1vcpu-novmx.txt');
const VMWARE_E7520 = cpuinfo('glpi-vmware-guest-2vcpu-hypervisor-novmx.txt');
/** 2 x AMD Opteron 6328 (family 21, model 2, stepping 0). */
const OPTERON_6328 = cpuinfo('ul-2socket-amd-opteron-6328-svm.txt');

const master = (cpu: Partial<CpuFacts>, over: Parameters<typeof hostFacts>[0] = {}) => ({ host: 'h1', role: 'master' as const, facts: hostFacts({ cpu, ...over }) });
const member = (cpu: Partial<CpuFacts>, host = 'h2', over: Parameters<typeof hostFacts>[0] = {}) => ({ host, role: 'member' as const, facts: hostFacts({ cpu, ...over }) });

/** What xe host-list records as cpu_info on a XenServer 5.5 host with an E5540. */
const XE_E5540 = { cpu_count: '16', vendor: 'GenuineIntel', speed: '2533.423', modelname: 'Intel(R) Xeon(R) CPU           E5540  @ 2.53GHz', family: '6', model: '26', stepping: '5' };

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: two Dell R710s with Xeon E5540 (the same capture on both)',
    hosts: [master(E5540), member(E5540)],
    status: 'pass',
    observed: /^h1: GenuineIntel family 6 model 26 stepping 5 \(Intel\(R\) Xeon\(R\) CPU E5540 @ 2\.53GHz\); h2: GenuineIntel family 6 model 26 stepping 5/,
    message: /^Every host has the same processor: GenuineIntel family 6 model 26 stepping 5 .*, with the same feature flags\.$/,
  },
  {
    name: 'fail: Xeon E5540 (Nehalem) against Xeon E5620 (Westmere): model and stepping differ',
    hosts: [master(E5540), member(E5620)],
    status: 'fail',
    message: /not identical: model 26 on h1, 44 on h2; stepping 5 on h1, 2 on h2\. .*identical processors/,
  },
  {
    name: 'fail: Core i5-7360U against i5-8279U: family 6 model 142 on both, stepping 9 against 10',
    hosts: [master(I5_7360U), member(I5_8279U)],
    status: 'fail',
    message: /not identical: stepping 9 on h1, 10 on h2\./,
  },
  {
    name: 'fail: an Intel host and an AMD host name vendor, family, model and stepping',
    hosts: [master(E5540), member(OPTERON_6328)],
    status: 'fail',
    message: /vendor GenuineIntel on h1, AuthenticAMD on h2; family 6 on h1, 21 on h2; model 26 on h1, 2 on h2; stepping 5 on h1, 0 on h2/,
  },
  {
    // Two hosts: neither is "the wrong one". From three up, the odd one out is named.
    name: 'fail: three hosts, the third has the E5620: it is named as the odd one out',
    hosts: [master(E5540), member(E5540), member(E5620, 'h3')],
    status: 'fail',
    message: /model 26 on h1 and h2, 44 on h3; .*h3 differs from the other hosts/,
  },
  {
    name: 'fail: a difference is proven even though a third host could not be scanned',
    hosts: [master(E5540), member(E5620)],
    unreachable: [{ host: 'h3', role: 'member', error: 'connect ECONNREFUSED 10.0.0.13:22' }],
    status: 'fail',
    observed: /not scanned: h3$/,
  },
  {
    // Execute Disable (XD) switched off in one host's BIOS removes nx from its flags.
    name: 'warn: the same E5540, but h2 lacks nx (Execute Disable off in its BIOS)',
    hosts: [master(E5540), member({ ...E5540, flags: E5540.flags.filter((f) => f !== 'nx') })],
    status: 'warn',
    message: /feature flags differ: h2 lacks nx\. .*BIOS/,
  },
  {
    name: 'warn: 6/42/7 on both VMware guests, same flags, but model names i5-2500S and E7520',
    hosts: [master(ESX_I5_2500S), member(VMWARE_E7520)],
    status: 'warn',
    message: /model names differ \(model name "Intel\(R\) Core\(TM\) i5-2500S CPU @ 2\.70GHz" on h1, "Intel\(R\) Xeon\(R\) CPU E7520 @ 1\.87GHz" on h2\)/,
  },
  {
    // hypervisor and constant_tsc come from the kernel and hypervisor, not the part (ignoredFlags).
    name: 'pass: flags that only the kernel or hypervisor set (hypervisor, constant_tsc) are ignored',
    hosts: [master(E5540), member({ ...E5540, flags: [...E5540.flags.filter((f) => f !== 'constant_tsc'), 'hypervisor'] })],
    status: 'pass',
  },
  {
    name: 'warn: a site rules file that compares every flag (ignoredFlags: []) sees hypervisor',
    hosts: [master(E5540), member({ ...E5540, flags: [...E5540.flags, 'hypervisor'] })],
    params: { ignoredFlags: [] },
    status: 'warn',
    message: /h1 lacks hypervisor/,
  },
  {
    // A XenServer Dom0 whose cpuinfo was only partly read: the identity comes from xe host cpu_info.
    name: "pass: two XenServer Dom0s, identity from xe host cpu_info, Dom0's masked flags compared",
    hosts: [
      master({ flags: DOM0_FLAGS_E5540 }, { virtualization: { xenDom0: true }, xenserver: xenserver({ cpuInfo: XE_E5540 }) }),
      member({ flags: DOM0_FLAGS_E5540 }, 'h2', { virtualization: { xenDom0: true }, xenserver: xenserver({ hostName: 'xs2', cpuInfo: XE_E5540 }) }),
    ],
    status: 'pass',
    observed: /h2: GenuineIntel family 6 model 26 stepping 5 \(Intel\(R\) Xeon\(R\) CPU E5540 @ 2\.53GHz\)/,
  },
  {
    // A Dom0's flags are what Xen leaves it; a bare host's are the CPU's: comparing them would warn on Xen's masking.
    name: 'pass: a XenServer Dom0 and a host without Xen: identical parts, flags not compared (different views)',
    hosts: [master({ ...E5540, flags: DOM0_FLAGS_E5540 }, { virtualization: { xenDom0: true } }), member(E5540)],
    status: 'pass',
    message: /Feature flags were not compared: they come from different views \(h1: \/proc\/cpuinfo in a Xen Dom0, h2: \/proc\/cpuinfo\)/,
  },
  {
    name: "error: h2's /proc/cpuinfo unreadable, so its processor is not known",
    hosts: [
      master(E5540, { probes: { 'proc.cpuinfo': { status: 'ok' } } }),
      member({}, 'h2', { probes: { 'proc.cpuinfo': failed('Permission denied'), lscpu: failed('lscpu: cannot open /proc/cpuinfo'), 'xe.host-list': { status: 'absent', detail: 'xe: not installed' } } }),
    ],
    status: 'error',
    observed: /h2: vendor \? family \? model \? stepping \?/,
    message: /Cannot tell whether the processors are identical on every host: h2: \/proc\/cpuinfo failed: Permission denied \(run as root\)/,
  },
  {
    name: 'error: the member could not be scanned, so there is nothing to compare the master with',
    hosts: [master(E5540)],
    unreachable: [{ host: 'h2', role: 'member', error: 'Timed out while waiting for handshake' }],
    status: 'error',
    message: /Cannot compare the processors: h2 \(member\) could not be scanned: Timed out while waiting for handshake/,
  },
  {
    name: 'skip: only one host in the scan',
    hosts: [{ ...master(E5540), address: 'local' }],
    status: 'skip',
    message: /two or more hosts/,
  },
  {
    // Quorum computers are not pool hosts: the rule's roles are master and member.
    name: 'pass: a quorum computer with another CPU in the inventory is not compared',
    hosts: [master(E5540), member(E5540), { host: 'q1', role: 'quorum', facts: hostFacts({ cpu: OPTERON_6328 }) }],
    status: 'pass',
  },
];
