import type { XenServerFacts } from '../../../src/facts/schema.js';
import type { PoolCheckCase, PoolCaseHost } from '../caseTable.js';
import { absent, defaultRoute, failed, hostFacts, inet, linkedNic, nic, ok, pif, xenserver } from '../hostFacts.js';

const H1 = '5efc236c-f137-4df7-9902-ba8fbf9a2ac2';
const H2 = 'a1b2c3d4-0000-4000-8000-000000000002';
const POOL = 'f3b9c1de-7a53-4e6b-9d4c-2b8e0c1d9a77';

/** A XenServer 5.5 host: eth0 bridged by xenbr0, which holds the management address. */
function xs(host: string, role: 'master' | 'member', ip: string | undefined, over: Partial<XenServerFacts>, address?: string): PoolCaseHost {
  const uuid = host === 'h1' ? H1 : H2;
  return {
    host,
    role,
    ...(address !== undefined ? { address } : {}),
    facts: hostFacts({
      probes: { 'xen.inventory': ok(), 'xen.pool-conf': ok(), 'xe.pool-list': ok() },
      ...(ip
        ? {
            nics: [linkedNic('eth0', { master: 'xenbr0' }), nic('xenbr0', { kind: 'bridge', addresses: [inet(ip, 24)] })],
            routes: [defaultRoute('10.0.0.1', 'xenbr0')],
          }
        : {}),
      xenserver: xenserver({
        installationUuid: uuid,
        hostName: host === 'h1' ? 'xs1' : 'xs2',
        ...(ip ? { pifs: [pif('eth0', { hostUuid: uuid, management: true, ip, netmask: '255.255.255.0' })] } : {}),
        ...over,
      }),
    }),
  };
}

const pool = { poolUuid: POOL, poolName: 'everRun pool' };
const master = (over: Partial<XenServerFacts> = {}) => xs('h1', 'master', '10.0.0.11', { poolRole: 'master', poolHostCount: 2, ...pool, ...over });
const member = (over: Partial<XenServerFacts> = {}) => xs('h2', 'member', '10.0.0.12', { poolRole: 'member', masterAddress: '10.0.0.11', ...pool, ...over });
const linux = (host: string, role: 'master' | 'member'): PoolCaseHost => ({ host, role, facts: hostFacts({ probes: { 'xen.inventory': absent('/etc/xensource-inventory: no such file') } }) });

export const cases: PoolCheckCase[] = [
  {
    name: "pass: h1 is the master, h2's pool.conf names h1's address (slave:10.0.0.11)",
    hosts: [master(), member()],
    status: 'pass',
    observed: /^h1: master of pool "everRun pool" \(f3b9c1de-[0-9a-f-]+\); h2: member, master at 10\.0\.0\.11 of pool "everRun pool"/,
    message: /^h1 is the only master and h2 is its member \(pool "everRun pool"/,
  },
  {
    // No network facts on the master: the address it was scanned at ties it to the member's pool.conf.
    name: 'pass: the master is known by the address it was scanned at (root@10.0.0.11:22)',
    hosts: [xs('h1', 'master', undefined, { poolRole: 'master' }, 'root@10.0.0.11:22'), xs('h2', 'member', undefined, { poolRole: 'member', masterAddress: '10.0.0.11' })],
    status: 'pass',
  },
  {
    name: 'pass: the pool has a third host that was not scanned (said in the message)',
    hosts: [master({ poolHostCount: 3 }), member()],
    status: 'pass',
    message: /The pool has 3 hosts; 2 were scanned\./,
  },
  {
    // Every XenServer host is the master of its own pool until it joins another.
    name: 'fail: both hosts are masters of pools of their own (never joined)',
    hosts: [master({ poolHostCount: 1 }), xs('h2', 'member', '10.0.0.12', { poolRole: 'master', poolUuid: '0d1e2f3a-1111-4222-8333-444455556666', poolName: 'xs2 pool', poolHostCount: 1 })],
    status: 'fail',
    message: /the hosts are in 2 different pools .*; h1 and h2 are both pool masters .*xe pool-join master-address=MASTER_IP/,
  },
  {
    name: "fail: h2's pool.conf names 10.0.0.99 as its master, which is not h1",
    hosts: [master(), member({ masterAddress: '10.0.0.99', poolUuid: undefined })],
    status: 'fail',
    message: /h2 is a member of the pool whose master is 10\.0\.0\.99, which is not h1 \(10\.0\.0\.11\)/,
  },
  {
    name: 'fail: the member does not run XenServer',
    hosts: [master(), linux('h2', 'member')],
    status: 'fail',
    observed: /h2: not XenServer/,
    message: /h2 does not run XenServer, so it cannot be in the pool of h1/,
  },
  {
    name: 'skip: neither host runs XenServer',
    hosts: [linux('h1', 'master'), linux('h2', 'member')],
    status: 'skip',
    message: /no XenServer pool to check/,
  },
  {
    name: "error: the member's pool role is not known (pool.conf and xe pool-list failed)",
    hosts: [
      master(),
      { ...member({ poolRole: undefined, masterAddress: undefined, poolUuid: undefined }), facts: { ...member().facts, probes: { 'xen.inventory': ok(), 'xen.pool-conf': failed('Permission denied'), 'xe.pool-list': failed('Error: Connection refused') }, xenserver: xenserver({ installationUuid: H2, hostName: 'xs2' }) } },
    ],
    status: 'error',
    observed: /h2: pool role \? of pool \?/,
    message: /h2: \/etc\/xensource\/pool\.conf failed: Permission denied \(run as root\); xe pool-list failed/,
  },
  {
    name: 'error: both scanned hosts are members; their master 10.0.0.10 was not scanned',
    hosts: [xs('h1', 'master', '10.0.0.11', { poolRole: 'member', masterAddress: '10.0.0.10', ...pool }), member({ masterAddress: '10.0.0.10' })],
    status: 'error',
    message: /None of the scanned hosts is the pool master \(the members name 10\.0\.0\.10\): add the master to the scan/,
  },
  {
    name: "error: neither the master's addresses nor the pool uuids are known",
    hosts: [xs('h1', 'master', undefined, { poolRole: 'master' }), xs('h2', 'member', undefined, { poolRole: 'member', masterAddress: '10.0.0.11' })],
    status: 'error',
    message: /Cannot tell whether h2 is a member of h1's pool/,
  },
  {
    name: 'error: the member could not be scanned',
    hosts: [master()],
    unreachable: [{ host: 'h2', role: 'member', error: 'connect EHOSTUNREACH 10.0.0.12:22' }],
    status: 'error',
    message: /h2 \(member\) could not be scanned: connect EHOSTUNREACH/,
  },
  {
    name: 'skip: only one host in the scan',
    hosts: [{ ...master(), address: 'local' }],
    status: 'skip',
  },
];
