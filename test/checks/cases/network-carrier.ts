import type { CheckCase } from '../caseTable.js';
import { absent, failed, fiveLinkedNics, hostFacts, linkedNic, nic, pif, xenserver } from '../hostFacts.js';

function withNics(changes: Record<string, Parameters<typeof linkedNic>[1] | null>) {
  return fiveLinkedNics()
    .filter((n) => changes[n.name] !== null)
    .map((n) => (changes[n.name] ? { ...n, ...changes[n.name] } : n));
}
const unplugged = { carrier: false, speedMbps: null, operstate: 'down' } as const;

export const cases: CheckCase[] = [
  {
    name: 'pass: eth0-eth3 have carrier; eth4 is not checked when no bond is planned',
    facts: hostFacts({ nics: withNics({ eth4: unplugged }) }),
    status: 'pass',
    observed: /^eth0: carrier; eth1: carrier; eth2: carrier; eth3: carrier$/,
    message: /Every NIC the layout uses has a link/,
  },
  {
    name: 'fail: the A-link eth2 has no carrier, and only eth2 is blamed',
    facts: hostFacts({ nics: withNics({ eth2: unplugged }) }),
    status: 'fail',
    observed: /eth1: carrier; eth2: no carrier/,
    message: /^eth2: no carrier \(cable unplugged or peer down\)\. Plug in and check each cable/,
  },
  {
    name: 'fail: eth1 and eth3 without carrier are both named',
    facts: hostFacts({ nics: withNics({ eth1: unplugged, eth3: unplugged }) }),
    status: 'fail',
    message: /^eth1: no carrier \(cable unplugged or peer down\); eth3: no carrier/,
  },
  {
    name: 'fail: eth3 does not exist (a four-port server numbered differently, or a dead card)',
    facts: hostFacts({ nics: withNics({ eth3: null, eth4: null }) }),
    status: 'fail',
    message: /^eth3: not present\./,
  },
  {
    // Interface down: the kernel cannot read carrier (null), but the NIC is clearly not usable.
    name: 'fail: eth1 administratively down, carrier unreadable',
    facts: hostFacts({ nics: withNics({ eth1: { carrier: null, adminUp: false, operstate: 'down', speedMbps: null } }) }),
    status: 'fail',
    message: /eth1: administratively down, carrier unknown/,
  },
  {
    name: 'fail: bonding planned (bondManagement: true) and eth4 unplugged',
    facts: hostFacts({ nics: withNics({ eth4: unplugged }) }),
    params: { layout: { bondManagement: true } },
    status: 'fail',
    message: /^eth4: no carrier/,
  },
  {
    // eth4 already a bond slave: it carries management traffic, so it is checked without the param.
    name: 'fail: eth4 already enslaved to bond0 with eth0, and unplugged',
    facts: hostFacts({
      nics: [
        ...withNics({ eth0: { master: 'bond0' }, eth4: { ...unplugged, master: 'bond0' } }),
        nic('bond0', { kind: 'bond', bondSlaves: ['eth0', 'eth4'], bondMode: 'active-backup', carrier: true }),
      ],
    }),
    status: 'fail',
    observed: /eth4: no carrier/,
    message: /^eth4: no carrier/,
  },
  {
    name: 'pass: sysfs unreadable, carrier from the XenServer PIFs (carrier ( RO): true)',
    facts: hostFacts({ probes: { 'sys.net': absent() }, xenserver: xenserver({ pifs: ['eth0', 'eth1', 'eth2', 'eth3'].map((d) => pif(d, { carrier: true })) }) }),
    status: 'pass',
  },
  {
    name: 'fail: the XenServer PIF of eth1 says carrier false',
    facts: hostFacts({ xenserver: xenserver({ pifs: ['eth0', 'eth1', 'eth2', 'eth3'].map((d) => pif(d, { carrier: d !== 'eth1' })) }) }),
    status: 'fail',
    message: /^eth1: no carrier/,
  },
  {
    name: 'error: eth2 is up but its carrier is unreadable',
    facts: hostFacts({ nics: withNics({ eth2: { carrier: null } }) }),
    status: 'error',
    message: /Cannot tell whether eth2 has a link.*ethtool eth2/,
  },
  {
    name: 'error: no interface information',
    facts: hostFacts({ probes: { 'sys.net': failed('ls: cannot open directory /sys/class/net: Permission denied') } }),
    status: 'error',
    message: /Cannot read the link state of the NICs/,
  },
];
