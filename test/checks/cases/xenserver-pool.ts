import type { CheckCase } from '../caseTable.js';
import { absent, failed, hostFacts, xenserver } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    // /etc/xensource/pool.conf: "slave:10.0.0.11"
    name: 'pass: pool member, master at 10.0.0.11',
    facts: hostFacts({ xenserver: xenserver({ poolRole: 'member', masterAddress: '10.0.0.11', poolName: 'everRun pool' }) }),
    status: 'pass',
    observed: /^pool member "everRun pool", master at 10\.0\.0\.11$/,
  },
  {
    name: 'pass: master of a pool of two hosts',
    facts: hostFacts({ xenserver: xenserver({ poolRole: 'master', poolHostCount: 2, poolName: 'everRun pool' }) }),
    status: 'pass',
    observed: /^master of pool "everRun pool" with 2 hosts$/,
  },
  {
    // Every XenServer host is the master of its own pool of one until it is joined to another.
    name: 'fail: a standalone host (master of a pool of one)',
    facts: hostFacts({ xenserver: xenserver({ poolRole: 'master', poolHostCount: 1 }) }),
    status: 'fail',
    observed: /^master of pool with 1 host$/,
    message: /stands alone \(a pool of one\).*Adding a server to the pool/,
  },
  {
    name: 'skip: not a XenServer host',
    facts: hostFacts({ probes: { 'xen.inventory': absent('/etc/xensource-inventory: no such file') } }),
    status: 'skip',
    message: /does not run XenServer \(\/etc\/xensource-inventory: no such file\)/,
  },
  {
    name: 'error: master, but xe host-list failed so the pool size is unknown',
    facts: hostFacts({ probes: { 'xe.host-list': failed('Error: Connection refused') }, xenserver: xenserver({ poolRole: 'master' }) }),
    status: 'error',
    message: /Cannot tell whether the pool has other hosts: xe host-list failed/,
  },
  {
    name: 'error: pool role unknown (pool.conf unreadable)',
    facts: hostFacts({ probes: { 'xen.pool-conf': failed('Permission denied') }, xenserver: xenserver() }),
    status: 'error',
    message: /Cannot tell the host's pool role: \/etc\/xensource\/pool\.conf failed: Permission denied \(run as root\)/,
  },
];
