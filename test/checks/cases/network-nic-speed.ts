import type { CheckCase } from '../caseTable.js';
import { absent, fiveLinkedNics, hostFacts, linkedNic, nic, pif, xenserver } from '../hostFacts.js';

/** eth0..eth4 at 1 Gb/s, with the named NICs changed. */
function withNics(changes: Record<string, Parameters<typeof linkedNic>[1]>) {
  return fiveLinkedNics().map((n) => (changes[n.name] ? { ...n, ...changes[n.name] } : n));
}

export const cases: CheckCase[] = [
  {
    name: 'pass: five NICs at 1 Gb/s',
    facts: hostFacts({ nics: fiveLinkedNics() }),
    status: 'pass',
    observed: /^eth0 1000 Mb\/s, eth1 1000 Mb\/s, eth2 1000 Mb\/s, eth3 1000 Mb\/s, eth4 1000 Mb\/s$/,
  },
  {
    name: 'pass: 10 Gb/s NICs are above the recommendation',
    facts: hostFacts({ nics: withNics({ eth1: { speedMbps: 10000 }, eth2: { speedMbps: 10000 } }) }),
    status: 'pass',
  },
  {
    // An unused port without a cable has no negotiated speed; it is listed, not judged.
    name: 'pass: eth4 has no cable (no speed negotiated) and is listed as such',
    facts: hostFacts({ nics: withNics({ eth4: { carrier: false, speedMbps: null, operstate: 'down' } }) }),
    status: 'pass',
    observed: /; no link \(speed not negotiated\): eth4$/,
  },
  {
    // Linux bridge ports in a XenServer 5.5 Dom0 sometimes report no speed; xapi's PIF does.
    name: 'pass: sysfs speed missing with the link up, taken from the PIF',
    facts: hostFacts({ nics: withNics({ eth0: { speedMbps: null } }), xenserver: xenserver({ pifs: [pif('eth0', { speedMbps: 1000, carrier: true })] }) }),
    status: 'pass',
    observed: /^eth0 1000 Mb\/s/,
  },
  {
    name: 'pass: a link that is up but reports no speed is named for checking',
    facts: hostFacts({ nics: withNics({ eth3: { speedMbps: null } }) }),
    status: 'pass',
    observed: /speed not reported although the link is up: eth3/,
    message: /the speed of eth3 is unknown: check it with "ethtool"/,
  },
  {
    // A 1 Gb A-link that negotiated 100 Mb/s: a bad cable or a 100 Mb switch port.
    name: 'fail: eth1 negotiated 100 Mb/s, under the 155 Mbit/s minimum',
    facts: hostFacts({ nics: withNics({ eth1: { speedMbps: 100, duplex: 'full' } }) }),
    status: 'fail',
    observed: /eth1 100 Mb\/s/,
    message: /^eth1 \(100 Mb\/s\) runs at or below the 155 Mbit\/s minimum: use 1 Gb NICs/,
  },
  {
    name: 'fail: two NICs at 10 Mb/s and 100 Mb/s are both named',
    facts: hostFacts({ nics: withNics({ eth2: { speedMbps: 10, duplex: 'half' }, eth3: { speedMbps: 100 } }) }),
    status: 'fail',
    message: /^eth2 \(10 Mb\/s\) and eth3 \(100 Mb\/s\) run at or below/,
  },
  {
    // The guide says ">155": a link at exactly 155 is not above it.
    name: 'fail: exactly 155 Mb/s is not more than 155',
    facts: hostFacts({ nics: withNics({ eth1: { speedMbps: 155 } }) }),
    status: 'fail',
  },
  {
    // A lab site lowers the minimum in its rules file: 100 Mb/s is then only below the recommendation.
    name: 'warn: a lab site with minimumMbps 10: eth3 at 100 Mb/s is only below 1 Gb/s',
    facts: hostFacts({ nics: withNics({ eth3: { speedMbps: 100 } }) }),
    params: { minimumMbps: 10 },
    status: 'warn',
    message: /^eth3 \(100 Mb\/s\) is slower than the recommended 1 Gb\/s/,
  },
  {
    // No common Ethernet speed lies between the two thresholds: this row pins the default boundaries.
    name: 'warn: a 622 Mb/s link is above the minimum but below 1 Gb/s',
    facts: hostFacts({ nics: withNics({ eth2: { speedMbps: 622 } }) }),
    status: 'warn',
  },
  {
    name: 'error: no cable in any NIC, so no speed is known',
    facts: hostFacts({ probes: { ethtool: absent('ethtool: not installed') }, nics: fiveLinkedNics().map((n) => ({ ...n, carrier: false, speedMbps: null })) }),
    status: 'error',
    message: /No NIC reported a negotiated speed \(ethtool: not installed/,
  },
  {
    name: 'error: no physical NIC at all (only lo and a bridge)',
    facts: hostFacts({ nics: [nic('lo', { kind: 'loopback' }), nic('virbr0', { kind: 'bridge' })] }),
    status: 'error',
    observed: /^no physical NICs$/,
  },
  {
    name: 'error: interfaces not known',
    facts: hostFacts({ probes: { 'sys.net': absent('/sys/class/net: no such file') } }),
    status: 'error',
    observed: /network interfaces not known/,
  },
];
