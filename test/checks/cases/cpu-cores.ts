import type { CheckCase } from '../caseTable.js';
import { absent, hostFacts, xenserver } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    name: 'pass: Dell R710, 2 sockets x 4 cores, 16 logical CPUs',
    facts: hostFacts({ cpu: { sockets: 2, coresPerSocket: 4, physicalCores: 8, logicalCpus: 16 } }),
    status: 'pass',
    observed: /8 physical cores in 2 sockets, 16 logical CPUs \(the OS\)/,
  },
  {
    name: 'pass: exactly 32 logical CPUs is within the limit',
    facts: hostFacts({ cpu: { sockets: 2, coresPerSocket: 8, physicalCores: 16, logicalCpus: 32 } }),
    status: 'pass',
  },
  {
    name: 'pass: physical cores computed from sockets x cores per socket',
    facts: hostFacts({ cpu: { sockets: 1, coresPerSocket: 2, logicalCpus: 4 } }),
    status: 'pass',
    observed: /2 physical cores in 1 socket/,
  },
  {
    // A VM's lscpu may not report sockets/cores: more than one logical CPU does not prove multicore.
    name: 'pass: 4 logical CPUs, physical count not reported (says multicore is unconfirmed)',
    facts: hostFacts({ cpu: { logicalCpus: 4 } }),
    status: 'pass',
    message: /physical core count was not reported, so multicore could not be confirmed/,
  },
  {
    // XenServer: Dom0 sees its own vCPUs; xe's cpu_count is the machine.
    name: "pass: Dom0 with 4 vCPUs on a 16-CPU host, judged on xe's cpu_count",
    facts: hostFacts({ cpu: { logicalCpus: 4, physicalCores: 8, sockets: 2 }, xenserver: xenserver({ cpuInfo: { cpu_count: '16' } }) }),
    status: 'pass',
    observed: /16 logical CPUs \(xe host cpu_info\)/,
  },
  {
    // Dom0 may have a single vCPU on a multicore machine: that is not a single-core host.
    name: 'pass: Dom0 with one vCPU and no xe data does not claim a single core',
    facts: hostFacts({ cpu: { logicalCpus: 1 }, virtualization: { xenDom0: true } }),
    status: 'pass',
    observed: /1 logical CPU \(as seen from Dom0\)/,
    message: /could not be confirmed/,
  },
  {
    name: 'warn: single-core NetBurst Xeon with Hyper-Threading (1 core, 2 logical CPUs)',
    facts: hostFacts({ cpu: { sockets: 1, coresPerSocket: 1, physicalCores: 1, logicalCpus: 2 } }),
    status: 'warn',
    message: /1 physical core; the guide recommends multicore CPUs/,
  },
  {
    name: 'warn: a 1-vCPU VMware guest (1 logical CPU is 1 core)',
    facts: hostFacts({ cpu: { logicalCpus: 1 } }),
    status: 'warn',
    observed: /physical core count not reported, 1 logical CPU \(the OS\)/,
  },
  {
    name: 'fail: 4 x Xeon X7550, 64 logical CPUs (more than 32)',
    facts: hostFacts({ cpu: { sockets: 4, coresPerSocket: 8, physicalCores: 32, logicalCpus: 64 } }),
    status: 'fail',
    message: /64 logical CPUs, more than the 32 the guide supports: disable CPUs or hyper-threading/,
  },
  {
    name: 'fail: xe cpu_count 48 on a XenServer host',
    facts: hostFacts({ cpu: { logicalCpus: 8 }, xenserver: xenserver({ cpuInfo: { cpu_count: '48' } }) }),
    status: 'fail',
    observed: /48 logical CPUs \(xe host cpu_info\)/,
  },
  {
    name: 'error: no CPU count readable',
    facts: hostFacts({ probes: { 'proc.cpuinfo': absent('/proc/cpuinfo: no such file'), lscpu: absent('lscpu: not installed') } }),
    status: 'error',
    message: /Cannot tell how many CPUs.*lscpu: not installed/,
  },
];
