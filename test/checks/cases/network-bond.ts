import type { CheckCase } from '../caseTable.js';
import { absent, fiveLinkedNics, hostFacts, linkedNic, nic, pif, xenserver } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    name: 'pass: Linux bonding, bond0 (active-backup) of eth0 and eth4',
    facts: hostFacts({
      nics: [
        ...fiveLinkedNics().map((n) => (n.name === 'eth0' || n.name === 'eth4' ? { ...n, master: 'bond0' } : n)),
        nic('bond0', { kind: 'bond', bondSlaves: ['eth0', 'eth4'], bondMode: 'active-backup' }),
      ],
    }),
    status: 'pass',
    observed: /eth0 and eth4 are both members of bond0 \(mode active-backup\)/,
  },
  {
    // Bond created in XenCenter ("0+4 bonded"): the PIFs of eth0 and eth4 are slaves of one bond.
    name: 'pass: XenServer bond of eth0 and eth4 (xe pif-list)',
    facts: hostFacts({
      xenserver: xenserver({
        pifs: [pif('bond0', { physical: false, bondMasterOf: 'bond-uuid-1', management: true }), pif('eth0', { bondSlaveOf: 'bond-uuid-1' }), pif('eth4', { bondSlaveOf: 'bond-uuid-1' })],
      }),
    }),
    status: 'pass',
    observed: /members of the XenServer bond bond0/,
  },
  {
    // Most installs start unbonded; the rule is a warning (severity warn), the check says fail.
    name: 'fail: five NICs, no bond',
    facts: hostFacts({ nics: fiveLinkedNics() }),
    status: 'fail',
    observed: /^eth0: not in a bond; eth4: not in a bond$/,
    message: /eth0 and eth4 are not bonded together: in XenCenter .*Create Bond.*Only needed if you plan XenServer HA/,
  },
  {
    name: 'fail: eth0 bonded with eth1 instead of eth4',
    facts: hostFacts({
      nics: [
        linkedNic('eth0', { master: 'bond0' }),
        linkedNic('eth1', { master: 'bond0' }),
        linkedNic('eth4'),
        nic('bond0', { kind: 'bond', bondSlaves: ['eth0', 'eth1'] }),
      ],
    }),
    status: 'fail',
    observed: /^eth0: member of bond0; eth4: not in a bond$/,
  },
  {
    name: 'fail: a four-NIC host has no eth4 to bond',
    facts: hostFacts({ nics: fiveLinkedNics().filter((n) => n.name !== 'eth4') }),
    status: 'fail',
    observed: /eth4: not present/,
  },
  {
    name: 'error: no interface information',
    facts: hostFacts({ probes: { 'sys.net': absent('/sys/class/net: no such file'), 'xe.pif-list': absent('xe: not installed') } }),
    status: 'error',
    message: /Cannot tell whether eth0 and eth4 are bonded/,
  },
];
