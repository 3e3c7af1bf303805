import type { CheckCase } from '../caseTable.js';
import { defaultRoute, hostFacts, linkedNic, nic, pif, xenserver } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    name: 'pass: the management PIF is eth0',
    facts: hostFacts({ xenserver: xenserver({ pifs: [pif('eth0', { management: true }), pif('eth1')] }) }),
    status: 'pass',
    observed: /^eth0 \(found from the XenServer PIF with management=true\)$/,
  },
  {
    // xe not usable (e.g. xapi down): the inventory names the bridge, which bridges eth0.
    name: 'pass: MANAGEMENT_INTERFACE=xenbr0 in the inventory, the bridge of eth0',
    facts: hostFacts({ xenserver: xenserver({ managementInterface: 'xenbr0' }) }),
    status: 'pass',
    observed: /^xenbr0 \(found from MANAGEMENT_INTERFACE in \/etc\/xensource-inventory\), made of eth0$/,
  },
  {
    // XenCenter's "0+4 bonded": the bond PIF carries management, eth0 and eth4 are its slaves.
    name: 'pass: management on the XenServer bond of eth0 and eth4',
    facts: hostFacts({
      xenserver: xenserver({
        pifs: [
          pif('bond0', { management: true, physical: false, bondMasterOf: 'bond-uuid-1' }),
          pif('eth0', { bondSlaveOf: 'bond-uuid-1' }),
          pif('eth4', { bondSlaveOf: 'bond-uuid-1' }),
        ],
      }),
    }),
    status: 'pass',
    observed: /bond0 .*made of eth0, eth4/,
  },
  {
    name: 'warn: the management PIF is eth1 (installed with the wrong NIC selected)',
    facts: hostFacts({ xenserver: xenserver({ pifs: [pif('eth0'), pif('eth1', { management: true })] }) }),
    status: 'warn',
    message: /runs on eth1, not eth0.*Management Interfaces/,
  },
  {
    // Not XenServer yet: the default route's interface stands for the management network.
    name: 'warn: a Debian host with predictable names, default route on enp3s0',
    facts: hostFacts({ nics: [linkedNic('enp3s0'), linkedNic('enp4s0')], routes: [defaultRoute('192.168.1.1', 'enp3s0')] }),
    status: 'warn',
    observed: /^enp3s0 \(found from the interface of the default route\)$/,
  },
  {
    name: 'pass: a Linux bond0 of eth0 and eth4 holds the default route',
    facts: hostFacts({
      nics: [linkedNic('eth0', { master: 'bond0' }), linkedNic('eth4', { master: 'bond0' }), nic('bond0', { kind: 'bond', bondSlaves: ['eth0', 'eth4'] })],
      routes: [defaultRoute('10.0.0.1', 'bond0')],
    }),
    status: 'pass',
  },
  {
    name: 'error: nothing names the management interface',
    facts: hostFacts({ nics: [linkedNic('eth0')], routes: [] }),
    status: 'error',
    message: /Cannot tell which interface carries the management network/,
  },
];
