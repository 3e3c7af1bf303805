import type { CheckCase } from '../caseTable.js';
import { GiB, MiB, failed, hostFacts, xenserver } from '../hostFacts.js';

const dimms = (...gib: number[]) => ({
  dimms: gib.map((g, i) => ({ locator: `DIMM_A${i + 1}`, sizeBytes: g * GiB })),
  dimmBytes: gib.reduce((a, g) => a + g * GiB, 0),
});

export const cases: CheckCase[] = [
  {
    // MemTotal (3.5 GiB after a crashkernel reservation) would miss the 4 GiB recommendation;
    // the modules installed are what the guide means.
    name: 'pass: 2 x 2 GiB modules installed, although MemTotal shows only 3.5 GiB',
    facts: hostFacts({ memory: { ...dimms(2, 2), systemRamBytes: 4 * GiB - 300 * MiB, memTotalBytes: 3.5 * GiB } }),
    status: 'pass',
    observed: /^4 GiB from the installed memory modules \(SMBIOS\)$/,
  },
  {
    // The classic trap: MemTotal 1.9 GiB on a 2 GiB machine is not "below the 2 GB minimum".
    name: 'warn (not fail): 2 x 1 GiB modules, MemTotal 1.9 GiB',
    facts: hostFacts({ memory: { ...dimms(1, 1), memTotalBytes: 1.9 * GiB } }),
    status: 'warn',
    observed: /^2 GiB from the installed memory modules/,
    message: /2 GiB of memory, below the recommended 4 GiB; it meets the minimum/,
  },
  {
    name: 'fail: a single 1 GiB module',
    facts: hostFacts({ memory: { ...dimms(1), memTotalBytes: 0.95 * GiB } }),
    status: 'fail',
    message: /1 GiB of memory, below the 2 GiB minimum: add memory modules/,
  },
  {
    // xe host-param-list memory-total of a real host (33849733120 bytes); Dom0's MemTotal is ~750 MiB.
    name: "pass: XenServer Dom0 judged on xe's memory-total, not Dom0's MemTotal",
    facts: hostFacts({ memory: { hypervisorTotalBytes: 33849733120, memTotalBytes: 752 * MiB }, xenserver: xenserver() }),
    status: 'pass',
    observed: /^31\.53 GiB from the hypervisor's total memory/,
  },
  {
    // Xen's total on a 4 GiB host is a little short of 4 GiB: within the 3% tolerance.
    name: "pass: Xen's total 3.96 GiB on a 4 GiB host, within the firmware tolerance",
    facts: hostFacts({ memory: { hypervisorTotalBytes: 3.96 * GiB }, virtualization: { xenDom0: true } }),
    status: 'pass',
    observed: /within 3% of it/,
  },
  {
    name: "error: XenServer Dom0 where only Dom0's MemTotal is known",
    facts: hostFacts({
      probes: { 'xe.host-list': failed('Error: Connection refused (calling connect )'), 'xen.info': failed('Error: Unable to connect to xend'), 'dmidecode.memory': failed('/dev/mem: Permission denied') },
      memory: { memTotalBytes: 752 * MiB },
      xenserver: xenserver(),
    }),
    status: 'error',
    observed: /only Dom0's MemTotal is known \(0\.73 GiB\), which is not the host's memory/,
    message: /Dom0's MemTotal is only Dom0's share.*xe host-list failed/,
  },
  {
    // Not root: no dmidecode; the firmware memory map is readable and a bit below 4 GiB.
    name: "pass: /proc/iomem's System RAM 3.9 GiB on a 4 GiB machine (tolerance stated)",
    facts: hostFacts({ memory: { systemRamBytes: 3.9 * GiB, memTotalBytes: 3.8 * GiB } }),
    status: 'pass',
    observed: /from the firmware memory map \(System RAM in \/proc\/iomem\).*within 3% of it/,
  },
  {
    name: 'pass: only MemTotal 3.7 GiB known, an estimate within its 10% tolerance of 4 GiB',
    facts: hostFacts({ probes: { 'dmidecode.memory': failed('/dev/mem: Permission denied') }, memory: { memTotalBytes: 3.7 * GiB } }),
    status: 'pass',
    observed: /MemTotal in \/proc\/meminfo \(below installed RAM\) \(an estimate.*within 10% of it\)/,
  },
  {
    name: 'fail: only MemTotal 1.5 GiB known, too far below 2 GiB for any tolerance',
    facts: hostFacts({ memory: { memTotalBytes: 1.5 * GiB } }),
    status: 'fail',
    message: /below the 2 GiB minimum/,
  },
  {
    name: 'fail: a site rules file raising the minimum to 8 GiB',
    facts: hostFacts({ memory: dimms(2, 2) }),
    params: { minimumGiB: 8, recommendedGiB: 16 },
    status: 'fail',
    message: /4 GiB of memory, below the 8 GiB minimum/,
  },
  {
    name: 'error: nothing readable, and says which probes failed',
    facts: hostFacts({
      probes: { 'dmidecode.memory': failed('/dev/mem: Permission denied'), 'proc.iomem': { status: 'ok' }, 'proc.meminfo': failed('Input/output error') },
    }),
    status: 'error',
    observed: /installed memory not known/,
    message: /dmidecode failed: \/dev\/mem: Permission denied \(run as root\).*\/proc\/meminfo failed: Input\/output error/,
  },
];
