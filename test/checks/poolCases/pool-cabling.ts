import { portTableEvidence } from '../../../src/cables/loadPortTable.js';
import { PORT_TABLE_FORMAT, type PortRow, type PortTable } from '../../../src/cables/portTable.js';
import type { Evidence } from '../../../src/collect/evidence.js';
import type { NicFacts } from '../../../src/facts/schema.js';
import type { PoolCaseHost, PoolCheckCase } from '../caseTable.js';
import { hostFacts, linkedNic, nic, pif, xenserver } from '../hostFacts.js';
import { ev, evidenceOf } from '../netEvidence.js';

/**
 * pool.cabling rows: hosts h1 and h2 with the guide's five NICs, and the port table `preflight
 * cables` wrote for them, carried into each host's evidence exactly as `scan --cables` does.
 */

const DEVICES = ['eth0', 'eth1', 'eth2', 'eth3', 'eth4'] as const;
type Dev = (typeof DEVICES)[number];
const ROLE: Record<Dev, PortRow['role']> = { eth0: 'management', eth1: 'alink1', eth2: 'alink2', eth3: 'production', eth4: 'bond' };
const mac = (host: 'h1' | 'h2', dev: string) => `02:00:00:0${host === 'h1' ? 1 : 2}:00:0${dev.slice(3)}`;
const pci = (dev: string) => `0000:0${Number(dev.slice(3)) + 2}:00.0`;

/** The row the walkthrough writes for a port that checked out. */
function row(host: 'h1' | 'h2', dev: Dev, over: Partial<PortRow> = {}): PortRow {
  const peerHost = host === 'h1' ? 'h2' : 'h1';
  const alink = dev === 'eth1' || dev === 'eth2';
  return {
    host,
    device: dev,
    mac: mac(host, dev),
    pciSlot: pci(dev),
    driver: 'e1000e',
    speedMbps: 1000,
    label: `slot ${dev.slice(3)}`,
    role: ROLE[dev],
    peer: alink ? { host: peerHost, device: dev, mac: mac(peerHost, dev) } : null,
    verdict: 'ok',
    detail: alink ? `${host} ${dev} and ${peerHost} ${dev} lost carrier together: a direct cable between them` : `${host} ${dev} lost carrier alone: cabled to a switch`,
    observedAt: '2026-11-25T12:00:00.000Z',
    rehearsal: null,
    ...over,
  };
}

function table(rows: PortRow[], hosts: string[] = ['h1', 'h2']): PortTable {
  return {
    format: PORT_TABLE_FORMAT,
    createdAt: '2026-11-25T12:00:00.000Z',
    profile: 'everrun-6.0',
    hosts: hosts.map((name) => ({ name, address: `root@${name}` })),
    rows,
  };
}

const goodRows = (host: 'h1' | 'h2', dev: readonly Dev[] = DEVICES) => dev.map((d) => row(host, d));
const allGood = () => table([...goodRows('h1'), ...goodRows('h2')]);

/** The NICs the scan finds now: by default the same MACs and PCI slots as in the table. */
function nicsNow(host: 'h1' | 'h2', over: Partial<Record<Dev, Partial<NicFacts>>> = {}): NicFacts[] {
  return DEVICES.map((d) => linkedNic(d, { mac: mac(host, d), pciSlot: pci(d), ...over[d] }));
}

/** A scanned host whose evidence carries its rows of `t` (what withPortTableEvidence adds). */
function cabledHost(host: 'h1' | 'h2', t: PortTable | undefined, nics: NicFacts[] = nicsNow(host), extra: Evidence[] = []): PoolCaseHost {
  const items: Evidence[] = [...extra];
  if (t) items.push(portTableEvidence(t, host, 'ports.json'));
  return { host, role: host === 'h1' ? 'master' : 'member', facts: hostFacts({ nics }), evidence: evidenceOf(items) };
}

const withRow = (t: PortTable, host: 'h1' | 'h2', dev: Dev, over: Partial<PortRow>): PortTable => ({
  ...t,
  rows: t.rows.map((r) => (r.host === host && r.device === dev ? { ...r, ...over } : r)),
});

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: every layout port of h1 and h2 was proven ok and still has its name',
    hosts: [cabledHost('h1', allGood()), cabledHost('h2', allGood())],
    status: 'pass',
    observed: /^h1 eth0 \("slot 0"\) \(management\): ok; h1 eth1 \("slot 1"\) \(A-link 1\): ok, cabled to h2:eth1; /,
    message: /^Every layout NIC of h1 and h2 was proven/,
  },
  {
    name: 'pass: host names are matched without regard to case',
    hosts: [cabledHost('h1', table([...goodRows('h1').map((r) => ({ ...r, host: 'H1' })), ...goodRows('h2')], ['H1', 'h2'])), cabledHost('h2', allGood())],
    status: 'pass',
  },
  {
    name: 'pass: a bonded eth4 shows the bond MAC in sysfs, and is still found by its name',
    hosts: [
      cabledHost('h1', allGood(), [
        ...nicsNow('h1', { eth0: { master: 'bond0' }, eth4: { master: 'bond0', mac: mac('h1', 'eth0') } }),
        nic('bond0', { kind: 'bond', mac: mac('h1', 'eth0'), bondSlaves: ['eth0', 'eth4'] }),
      ]),
      cabledHost('h2', allGood()),
    ],
    status: 'pass',
    observed: /h1 eth4 \("slot 4"\) \(management bond partner\): ok/,
  },
  {
    name: 'pass: a XenServer host known by its PIFs only',
    hosts: [
      {
        ...cabledHost('h1', allGood()),
        facts: hostFacts({ xenserver: xenserver({ pifs: DEVICES.map((d) => pif(d, { mac: mac('h1', d), carrier: true })) }) }),
      },
      cabledHost('h2', allGood()),
    ],
    status: 'pass',
  },
  {
    name: 'pass: a failover rehearsal that held is mentioned',
    hosts: [
      cabledHost('h1', withRow(allGood(), 'h1', 'eth1', { rehearsal: { verdict: 'ok', detail: 'pulled eth1; h2 still answered over eth2', checkedAt: '2026-11-25T12:05:00.000Z' } })),
      cabledHost('h2', allGood()),
    ],
    status: 'pass',
    observed: /h1 eth1 \("slot 1"\) \(A-link 1\): ok, cabled to h2:eth1, failover rehearsed/,
  },
  {
    name: 'skip: no --cables (no port table evidence on any host)',
    hosts: [cabledHost('h1', undefined), cabledHost('h2', undefined)],
    status: 'skip',
    observed: /^no port table given$/,
    message: /--cables ports\.json/,
  },
  {
    name: 'fail: crossed A-links, named with host, device, label and what was seen',
    hosts: [
      cabledHost(
        'h1',
        withRow(allGood(), 'h1', 'eth1', { verdict: 'crossed', peer: { host: 'h2', device: 'eth2', mac: mac('h2', 'eth2') }, detail: 'h1 eth1 and h2 eth2 lost carrier together: the A-links are crossed' }),
      ),
      cabledHost('h2', allGood()),
    ],
    status: 'fail',
    message: /^h1 eth1 \("slot 1"\) \(A-link 1\): crossed: h1 eth1 and h2 eth2 lost carrier together: the A-links are crossed\. Fix the cabling/,
  },
  {
    name: 'fail: wrong peer, no change, carrier not back and no carrier are all failures',
    hosts: [
      cabledHost(
        'h1',
        [
          ['eth0', { verdict: 'no-change', detail: 'nothing changed on any host when the cable was pulled' }],
          ['eth2', { verdict: 'wrong-peer', detail: 'h1 eth2 lost carrier alone: it goes to a switch, not to h2' }],
          ['eth3', { verdict: 'carrier-not-back', detail: 'carrier did not come back within 20 s of plugging in' }],
        ].reduce((t, [dev, over]) => withRow(t, 'h1', dev as Dev, over as Partial<PortRow>), allGood()),
      ),
      cabledHost('h2', withRow(allGood(), 'h2', 'eth3', { verdict: 'no-carrier', detail: 'h2 eth3 never had carrier' })),
    ],
    status: 'fail',
    message: /h1 eth0 \("slot 0"\) \(management\): no-change: .*h1 eth2 \("slot 2"\) \(A-link 2\): wrong-peer: .*h1 eth3 \("slot 3"\) \(production\): carrier-not-back: .*h2 eth3 \("slot 3"\) \(production\): no-carrier: h2 eth3 never had carrier/,
  },
  {
    name: 'fail: renamed NICs: the MAC of the table row eth1 is on eth2 now (both names said)',
    hosts: [
      cabledHost(
        'h1',
        allGood(),
        nicsNow('h1', { eth1: { mac: mac('h1', 'eth2'), pciSlot: pci('eth2') }, eth2: { mac: mac('h1', 'eth1'), pciSlot: pci('eth1') } }),
      ),
      cabledHost('h2', allGood()),
    ],
    status: 'fail',
    message: /h1: the port \("slot 1"\) with MAC 02:00:00:01:00:01 was eth1 in the port table and is eth2 now .*h1: the port \("slot 2"\) with MAC 02:00:00:01:00:02 was eth2 in the port table and is eth1 now/,
  },
  {
    name: 'fail: renamed NIC whose MAC an Open vSwitch bridge shares: the physical NIC is named',
    hosts: [
      cabledHost('h1', allGood(), [
        ...nicsNow('h1').filter((n) => n.name !== 'eth1'),
        linkedNic('eth6', { mac: mac('h1', 'eth1'), pciSlot: pci('eth1') }),
        nic('xenbr1', { kind: 'virtual', mac: mac('h1', 'eth1') }),
      ]),
      cabledHost('h2', allGood()),
    ],
    status: 'fail',
    message: /^h1: the port \("slot 1"\) with MAC 02:00:00:01:00:01 was eth1 in the port table and is eth6 now/,
  },
  {
    name: 'fail: renamed NIC found by its PCI slot when the table has no MAC for it',
    hosts: [
      cabledHost('h1', withRow(allGood(), 'h1', 'eth3', { mac: null }), [...nicsNow('h1').filter((n) => n.name !== 'eth3'), linkedNic('eth5', { mac: '02:00:00:01:00:33', pciSlot: pci('eth3') })]),
      cabledHost('h2', allGood()),
    ],
    status: 'fail',
    message: /with PCI slot 0000:05:00\.0 was eth3 in the port table and is eth5 now/,
  },
  {
    name: 'fail: the failover rehearsal failed',
    hosts: [
      cabledHost('h1', withRow(allGood(), 'h1', 'eth2', { rehearsal: { verdict: 'failed', detail: 'pulled eth1; h2 did not answer over eth2', checkedAt: '2026-11-25T12:05:00.000Z' } })),
      cabledHost('h2', allGood()),
    ],
    status: 'fail',
    message: /h1 eth2 \("slot 2"\) \(A-link 2\): ok, but the failover rehearsal failed: pulled eth1; h2 did not answer over eth2/,
  },
  {
    name: 'warn: skipped and not-tested ports',
    hosts: [
      cabledHost('h1', withRow(withRow(allGood(), 'h1', 'eth3', { verdict: 'skipped', detail: 'the operator skipped it' }), 'h1', 'eth2', { verdict: 'not-tested', detail: 'not reached' })),
      cabledHost('h2', allGood()),
    ],
    status: 'warn',
    message: /h1 eth2 \("slot 2"\) \(A-link 2\): not tested \(the walkthrough ended before it\); h1 eth3 \("slot 3"\) \(production\): skipped in the walkthrough/,
  },
  {
    name: 'warn: a scanned host is not in the table',
    hosts: [cabledHost('h1', table(goodRows('h1'), ['h1', 'h3'])), cabledHost('h2', table(goodRows('h1'), ['h1', 'h3']))],
    status: 'warn',
    message: /h2: not in the port table \(it lists h1 and h3; hosts are matched by name\)/,
  },
  {
    name: 'warn: a layout port has no row in the table',
    hosts: [cabledHost('h1', table([...goodRows('h1', ['eth0', 'eth1', 'eth2']), ...goodRows('h2')])), cabledHost('h2', allGood())],
    status: 'warn',
    message: /h1 eth3 \(production\): not in the port table/,
  },
  {
    name: 'warn: the MAC of a layout port is on no NIC any more (a replaced NIC)',
    hosts: [cabledHost('h1', allGood(), nicsNow('h1', { eth3: { mac: '02:00:00:01:00:99', pciSlot: '0000:09:00.0' } })), cabledHost('h2', allGood())],
    status: 'warn',
    message: /h1 eth3 \(production\): the port table's eth3 \("slot 3"\) had MAC 02:00:00:01:00:03 \(PCI 0000:05:00\.0\), which no NIC of h1 has now \(eth3 is 02:00:00:01:00:99\)/,
  },
  {
    name: 'error: the NICs of a host in the table were not collected',
    hosts: [{ ...cabledHost('h1', allGood()), facts: hostFacts() }, cabledHost('h2', allGood())],
    status: 'error',
    message: /h1: cannot compare the port table with the NICs now/,
  },
  {
    name: 'error: a member could not be scanned, so its ports cannot be compared',
    hosts: [cabledHost('h1', allGood())],
    unreachable: [{ host: 'h2', role: 'member', error: 'connect ECONNREFUSED 10.0.0.12:22' }],
    status: 'error',
    message: /h2: its NICs cannot be compared with the port table: h2 \(member\) could not be scanned: connect ECONNREFUSED/,
  },
  {
    name: 'error: a damaged port table item (a hand-edited bundle)',
    hosts: [cabledHost('h1', undefined, nicsNow('h1'), [ev('cables.port-table', '{"format": "something else"}')]), cabledHost('h2', allGood())],
    status: 'error',
    message: /h1: the stored port table does not match preflight-port-table\/1/,
  },
];
