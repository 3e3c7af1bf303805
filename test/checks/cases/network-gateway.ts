import type { CheckCase } from '../caseTable.js';
import { absent, defaultRoute, hostFacts, linkedNic, nic, pif, xenserver } from '../hostFacts.js';

/** A XenServer host whose management PIF is eth0 (bridged by xenbr0), with the given routes. */
const xenHost = (routes: ReturnType<typeof defaultRoute>[]) =>
  hostFacts({
    nics: [0, 1, 2, 3].flatMap((i) => [linkedNic(`eth${i}`, { master: `xenbr${i}` }), nic(`xenbr${i}`, { kind: 'bridge' })]),
    routes: [{ destination: '10.0.0.0/24', device: 'xenbr0', protocol: 'kernel' }, ...routes],
    xenserver: xenserver({ pifs: [pif('eth0', { management: true })] }),
  });

export const cases: CheckCase[] = [
  {
    name: 'pass: default via 10.0.0.1 dev xenbr0, the bridge of the management NIC eth0',
    facts: xenHost([defaultRoute('10.0.0.1', 'xenbr0')]),
    status: 'pass',
    observed: /^default via 10\.0\.0\.1 dev xenbr0$/,
    message: /default gateway 10\.0\.0\.1 is reached through the management interface/,
  },
  {
    name: 'pass: two default routes, the lower metric on the management network',
    facts: xenHost([defaultRoute('10.0.3.1', 'xenbr3', { metric: 200 }), defaultRoute('10.0.0.1', 'xenbr0', { metric: 100 })]),
    status: 'pass',
  },
  {
    name: 'fail: no default route',
    facts: xenHost([]),
    status: 'fail',
    observed: /^no IPv4 default route$/,
    message: /no default gateway.*gateway=GATEWAY/,
  },
  {
    // The gateway set on the production LAN (eth3) instead of the management LAN.
    name: 'fail: the default route leaves through the production bridge xenbr3',
    facts: xenHost([defaultRoute('10.0.3.1', 'xenbr3')]),
    status: 'fail',
    message: /leaves through xenbr3, but the management interface is eth0/,
  },
  {
    name: 'error: routing table not readable',
    facts: hostFacts({ probes: { 'ip.route': absent('ip: not installed') } }),
    status: 'error',
    message: /Cannot read the routing table: ip: not installed/,
  },
];
