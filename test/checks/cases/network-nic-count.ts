import type { CheckCase } from '../caseTable.js';
import { absent, hostFacts, linkedNic, nic, pif, xenserver } from '../hostFacts.js';

const eth = (n: number) => Array.from({ length: n }, (_, i) => linkedNic(`eth${i}`));

export const cases: CheckCase[] = [
  {
    name: 'pass: five physical NICs (the recommended layout)',
    facts: hostFacts({ nics: eth(5) }),
    status: 'pass',
    observed: /^5 physical NICs: eth0 \(e1000e\), eth1 \(e1000e\), eth2 \(e1000e\), eth3 \(e1000e\), eth4 \(e1000e\)$/,
  },
  {
    name: 'warn: exactly four NICs: the four networks, but no bond partner',
    facts: hostFacts({ nics: eth(4) }),
    status: 'warn',
    message: /4 physical NICs: enough for the four networks, but 5 are recommended/,
  },
  {
    name: 'fail: three NICs',
    facts: hostFacts({ nics: eth(3) }),
    status: 'fail',
    message: /3 physical NICs; the four networks need 4: add network cards/,
  },
  {
    // A XenServer Dom0 lists bridges, VIFs of running VMs, and lo: none are NICs.
    name: 'fail: lo, xenbr0-2, bond0 and vif1.0 are not counted, leaving 3 physical NICs',
    facts: hostFacts({
      nics: [
        nic('lo', { kind: 'loopback' }),
        ...eth(3),
        nic('xenbr0', { kind: 'bridge' }),
        nic('xenbr1', { kind: 'bridge' }),
        nic('xenbr2', { kind: 'bridge' }),
        nic('bond0', { kind: 'bond' }),
        nic('vif1.0', { kind: 'virtual' }),
      ],
    }),
    status: 'fail',
    observed: /^3 physical NICs: eth0 \(e1000e\), eth1 \(e1000e\), eth2 \(e1000e\)$/,
  },
  {
    name: 'pass: sysfs unreadable, counted from the physical XenServer PIFs of this host',
    facts: hostFacts({ probes: { 'sys.net': absent() }, xenserver: xenserver({ pifs: ['eth0', 'eth1', 'eth2', 'eth3', 'eth4'].map((d) => pif(d)) }) }),
    status: 'pass',
    observed: /^5 physical NICs: eth0, eth1, eth2, eth3, eth4$/,
  },
  {
    // xe pif-list shows the PIFs of every pool host: the other host's must not be counted.
    name: "fail: PIFs of the other pool host are not this host's NICs",
    facts: hostFacts({
      xenserver: xenserver({ pifs: [...['eth0', 'eth1', 'eth2'].map((d) => pif(d)), ...['eth0', 'eth1', 'eth2', 'eth3', 'eth4'].map((d) => pif(d, { uuid: `pif-xs2-${d}`, hostUuid: 'other-host-uuid' }))] }),
    }),
    status: 'fail',
    observed: /^3 physical NICs/,
  },
  {
    name: 'error: no interface information',
    facts: hostFacts({ probes: { 'sys.net': absent('/sys/class/net: no such file'), 'xe.pif-list': absent('xe: not installed') } }),
    status: 'error',
    message: /Cannot count the NICs: \/sys\/class\/net: no such file; xe: not installed/,
  },
];
