import type { CheckCase } from '../caseTable.js';
import { absent, fiveLinkedNics, hostFacts, linkedNic, nic } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    name: 'pass: five Intel 82574L (e1000e, 8086:10d3)',
    facts: hostFacts({ nics: fiveLinkedNics() }),
    status: 'pass',
    observed: /^eth0, eth1, eth2, eth3, eth4: e1000e 8086:10d3$/,
  },
  {
    // Dell R710: four onboard Broadcom BCM5709 ports (bnx2) plus an Intel add-in card for eth4.
    name: 'warn: onboard Broadcom bnx2 ports plus an Intel e1000e card',
    facts: hostFacts({
      nics: [
        ...['eth0', 'eth1', 'eth2', 'eth3'].map((n) => linkedNic(n, { driver: 'bnx2', pciId: '14e4:1639' })),
        linkedNic('eth4'),
      ],
    }),
    status: 'warn',
    observed: /^eth0, eth1, eth2, eth3: bnx2 14e4:1639; eth4: e1000e 8086:10d3$/,
    message: /not identical: their drivers \(bnx2, e1000e\) and PCI ids \(14e4:1639, 8086:10d3\) differ/,
  },
  {
    // Same driver, different chips: 82574L and 82571EB both use e1000e.
    name: 'warn: same driver, different PCI ids (82574L and 82571EB)',
    facts: hostFacts({ nics: [linkedNic('eth0'), linkedNic('eth1'), linkedNic('eth2', { pciId: '8086:105e' }), linkedNic('eth3', { pciId: '8086:105e' })] }),
    status: 'warn',
    message: /their PCI ids \(8086:10d3, 8086:105e\) differ/,
  },
  {
    name: 'skip: a single physical NIC, nothing to compare',
    facts: hostFacts({ nics: [nic('lo', { kind: 'loopback' }), linkedNic('eth0')] }),
    status: 'skip',
    message: /Fewer than two physical NICs/,
  },
  {
    name: 'error: NICs present but drivers and PCI ids unreadable',
    facts: hostFacts({ probes: { ethtool: absent('ethtool: not installed') }, nics: ['eth0', 'eth1', 'eth2'].map((n) => nic(n)) }),
    status: 'error',
    observed: /3 physical NICs, but the driver and PCI id of none could be read/,
    message: /ethtool: not installed/,
  },
  {
    name: 'error: interfaces not known',
    facts: hostFacts({}),
    status: 'error',
    observed: /network interfaces not known/,
  },
];
