import type { XenServerFacts } from '../../../src/facts/schema.js';
import type { PoolCheckCase } from '../caseTable.js';
import { absent, failed, hostFacts, ok, xenserver } from '../hostFacts.js';

const H1 = '5efc236c-f137-4df7-9902-ba8fbf9a2ac2';
const H2 = 'a1b2c3d4-0000-4000-8000-000000000002';

type Patch = NonNullable<XenServerFacts['patches']>[number];
/** An update as "xe patch-list params=all" shows it from either host; `applied` is where it is applied. */
const patch = (label: string, appliedHere: boolean | undefined): Patch => ({
  uuid: `patch-${label.toLowerCase()}`,
  nameLabel: label,
  nameDescription: `Public Availability: ${label}`,
  ...(appliedHere !== undefined ? { appliedHere } : {}),
});

function xs(host: 'h1' | 'h2', over: Partial<XenServerFacts> = {}) {
  return {
    host,
    role: host === 'h1' ? ('master' as const) : ('member' as const),
    facts: hostFacts({
      probes: { 'xen.inventory': ok(), 'xe.patch-list': ok() },
      xenserver: xenserver({ installationUuid: host === 'h1' ? H1 : H2, hostName: host === 'h1' ? 'xs1' : 'xs2', ...over }),
    }),
  };
}
const linux = (host: 'h1' | 'h2') => ({
  host,
  role: host === 'h1' ? ('master' as const) : ('member' as const),
  facts: hostFacts({ probes: { 'xen.inventory': absent('/etc/xensource-inventory: no such file') }, os: { distribution: 'CentOS release 5.5 (Final)' } }),
});

const updated = [patch('XS55EU002', true), patch('XS55EU003', true)];

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: XenServer 5.5.0 build 15119p with Updates 2 and 3 on both hosts',
    hosts: [xs('h1', { patches: updated }), xs('h2', { patches: updated })],
    status: 'pass',
    observed: /^h1: XenServer 5\.5\.0 build 15119p, updates XS55EU002, XS55EU003; h2: XenServer 5\.5\.0 build 15119p, updates XS55EU002, XS55EU003$/,
  },
  {
    name: 'fail: XenServer 5.5.0 on the master, 5.6.0 on the member',
    hosts: [xs('h1', { patches: [] }), xs('h2', { productVersion: '5.6.0', buildNumber: '31188p', patches: [] })],
    status: 'fail',
    message: /different XenServer software: XenServer 5\.5\.0 on h1, XenServer 5\.6\.0 on h2; build 15119p on h1, 31188p on h2\./,
  },
  {
    // The patch list is the pool's: the member sees Update 3 uploaded but not applied on itself.
    name: 'fail: Update 3 applied on the master only',
    hosts: [xs('h1', { patches: updated }), xs('h2', { patches: [patch('XS55EU002', true), patch('XS55EU003', false)] })],
    status: 'fail',
    message: /update XS55EU003 is applied on h1 but not on h2.*xe patch-apply/,
  },
  {
    name: 'fail: one host runs XenServer, the other CentOS',
    hosts: [xs('h1', { patches: updated }), linux('h2')],
    status: 'fail',
    observed: /h2: not XenServer/,
    message: /h1 runs XenServer, but h2 does not \(\/etc\/xensource-inventory is absent\)/,
  },
  {
    name: 'skip: neither host runs XenServer',
    hosts: [linux('h1'), linux('h2')],
    status: 'skip',
    message: /None of the scanned hosts runs XenServer \(h1: \/etc\/xensource-inventory: no such file; h2: /,
  },
  {
    name: "error: the member's patch list could not be read",
    hosts: [xs('h1', { patches: updated }), { ...xs('h2'), facts: { ...xs('h2').facts, probes: { 'xen.inventory': ok(), 'xe.patch-list': failed('Error: Connection refused (calling connect )') } } }],
    status: 'error',
    observed: /h2: XenServer 5\.5\.0 build 15119p, updates \?/,
    message: /h2: xe patch-list failed: Error: Connection refused/,
  },
  {
    // An unreadable inventory is not "not XenServer": it must not be judged as a mismatch.
    name: 'error: the member\'s inventory is unreadable, so whether it runs XenServer is not known',
    hosts: [xs('h1', { patches: updated }), { host: 'h2', role: 'member', facts: hostFacts({ probes: { 'xen.inventory': failed('Permission denied') } }) }],
    status: 'error',
    message: /h2: \/etc\/xensource-inventory failed: Permission denied \(run as root\)/,
  },
  {
    name: 'error: the member could not be scanned',
    hosts: [xs('h1', { patches: updated })],
    unreachable: [{ host: 'h2', role: 'member', error: 'Host key verification failed (the key changed)' }],
    status: 'error',
    message: /Cannot compare the XenServer software: h2 \(member\) could not be scanned/,
  },
  {
    name: 'skip: only one host in the scan',
    hosts: [{ ...xs('h1', { patches: updated }), address: 'local' }],
    status: 'skip',
  },
];
