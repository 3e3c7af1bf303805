import type { PoolCheckCase } from '../caseTable.js';
import { hostFacts, inet, linkedNic, nic, defaultRoute } from '../hostFacts.js';
import type { PoolCaseHost } from '../caseTable.js';

/** Two hosts: management on eth0 (h1 via the bridge xenbr0 over eth0), A-link 1 on eth1, default route via 10.0.0.1. */
function host(name: 'h1' | 'h2', over: { mgmt?: string; prefix?: number; alink1?: string; gateway?: string; bridged?: boolean } = {}): PoolCaseHost {
  const mgmt = over.mgmt ?? (name === 'h1' ? '10.0.0.11' : '10.0.0.12');
  const a1 = over.alink1 ?? (name === 'h1' ? '10.10.1.1' : '10.10.1.2');
  const mgmtAddr = [inet(mgmt, over.prefix ?? 24)];
  return {
    host: name,
    role: name === 'h1' ? 'master' : 'member',
    facts: hostFacts({
      nics: over.bridged
        ? [linkedNic('eth0', { mac: `02:00:00:0${name.slice(1)}:00:00`, master: 'xenbr0' }), nic('xenbr0', { kind: 'bridge', addresses: mgmtAddr }), linkedNic('eth1', { mac: `02:00:00:0${name.slice(1)}:00:01`, addresses: [inet(a1)] })]
        : [linkedNic('eth0', { mac: `02:00:00:0${name.slice(1)}:00:00`, addresses: mgmtAddr }), linkedNic('eth1', { mac: `02:00:00:0${name.slice(1)}:00:01`, addresses: [inet(a1)] })],
      routes: [defaultRoute(over.gateway ?? '10.0.0.1', over.bridged ? 'xenbr0' : 'eth0')],
    }),
  };
}

type Nic = NonNullable<NonNullable<PoolCheckCase['plan']>['hosts']>[number]['nics'][number];
const mgmt = (address: string): Nic => ({ nic: 'eth0', match: 'name', role: 'management', address, subnet: '10.0.0.0/24', gateway: '10.0.0.1' });
const alink1 = (address: string): Nic => ({ nic: 'eth1', match: 'name', role: 'alink1', address, subnet: '10.10.1.0/24' });
const plan = (h1: Nic[], h2: Nic[]): NonNullable<PoolCheckCase['plan']> => ({ file: 'plan.yaml', hosts: [{ name: 'h1', nics: h1 }, { name: 'h2', nics: h2 }] });
const asPlanned = () => plan([mgmt('10.0.0.11'), alink1('10.10.1.1')], [mgmt('10.0.0.12'), alink1('10.10.1.2')]);

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: every planned address, prefix and gateway is on its NIC (h1 through the bridge above eth0)',
    hosts: [host('h1', { bridged: true }), host('h2')],
    plan: asPlanned(),
    status: 'pass',
    observed: /^h1 eth0 \(management\): planned 10\.0\.0\.11\/24, found 10\.0\.0\.11\/24 on xenbr0; h1 eth0 \(management\): planned gateway 10\.0\.0\.1, found 10\.0\.0\.1; h1 eth1 \(alink1\): planned 10\.10\.1\.1\/24, found 10\.10\.1\.1\/24;/,
  },
  {
    name: 'pass: a NIC planned by MAC with a subnet only has an address inside it',
    hosts: [host('h1'), host('h2')],
    plan: plan([{ nic: '02:00:00:01:00:01', match: 'mac', role: 'alink1', subnet: '10.10.1.0/24' }], [alink1('10.10.1.2')]),
    status: 'pass',
    observed: /^h1 02:00:00:01:00:01 \(alink1\) = eth1: planned an address in 10\.10\.1\.0\/24, found 10\.10\.1\.1\/24/,
  },
  {
    name: 'fail: h2 has another management address than planned, naming planned and found',
    hosts: [host('h1'), host('h2', { mgmt: '10.0.0.13' })],
    plan: asPlanned(),
    status: 'fail',
    message: /^Not as planned: h2 eth0 \(management\): planned 10\.0\.0\.12\/24, found 10\.0\.0\.13\/24\./,
  },
  {
    name: 'fail: the right address with the wrong prefix length',
    hosts: [host('h1', { prefix: 16 }), host('h2')],
    plan: asPlanned(),
    status: 'fail',
    message: /h1 eth0 \(management\): planned 10\.0\.0\.11\/24, found 10\.0\.0\.11\/16/,
  },
  {
    name: 'fail: another gateway than planned',
    hosts: [host('h1'), host('h2', { gateway: '10.0.0.254' })],
    plan: asPlanned(),
    status: 'fail',
    message: /h2 eth0 \(management\): planned gateway 10\.0\.0\.1, found 10\.0\.0\.254/,
  },
  {
    name: 'fail: a NIC planned by a MAC address no NIC of the host has',
    hosts: [host('h1'), host('h2')],
    plan: plan([{ nic: '02:aa:00:00:00:01', match: 'mac', role: 'alink1', address: '10.10.1.1', subnet: '10.10.1.0/24' }], [alink1('10.10.1.2')]),
    status: 'fail',
    message: /h1 02:aa:00:00:00:01 \(alink1\): planned, but the host has no NIC with that MAC address/,
  },
  {
    name: 'error: a planned host could not be scanned',
    hosts: [host('h1')],
    unreachable: [{ host: 'h2', role: 'member', error: 'connect ETIMEDOUT 10.0.0.12:22' }],
    plan: asPlanned(),
    status: 'error',
    message: /h2: could not be scanned \(connect ETIMEDOUT/,
  },
  {
    name: 'skip: no site plan',
    hosts: [host('h1'), host('h2')],
    status: 'skip',
    observed: /^no site plan$/,
  },
  {
    name: 'skip: a plan with NIC roles only, no addresses',
    hosts: [host('h1'), host('h2')],
    plan: plan([{ nic: 'eth0', match: 'name', role: 'management' }], [{ nic: 'eth0', match: 'name', role: 'management' }]),
    status: 'skip',
    observed: /gives no address/,
  },
];
