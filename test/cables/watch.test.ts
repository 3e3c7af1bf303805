import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCableTable, layoutRoles } from '../../src/cables/table.js';
import { eventLine, listWatchedNics, naturalCompare, readCarrier, watchCarriers, type CarrierEvent } from '../../src/cables/watch.js';
import type { HostFacts, NicFacts } from '../../src/facts/schema.js';

/** The watcher and the table on a fake sysfs tree and hand-made facts: runs anywhere, no root. */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function fakeSys(nics: Record<string, string | null>): string {
  const root = mkdtempSync(join(tmpdir(), 'pft-cables-'));
  dirs.push(root);
  for (const [nic, carrier] of Object.entries(nics)) {
    mkdirSync(join(root, nic));
    if (carrier !== null) writeFileSync(join(root, nic, 'carrier'), `${carrier}\n`);
  }
  return root;
}

describe('readCarrier', () => {
  it('reads 1 and 0, and an unreadable file (interface admin-down) as false', async () => {
    const root = fakeSys({ eth0: '1', eth1: '0', eth2: null });
    expect(await readCarrier(root, 'eth0')).toBe(true);
    expect(await readCarrier(root, 'eth1')).toBe(false);
    expect(await readCarrier(root, 'eth2')).toBe(false);
    expect(await readCarrier(root, 'nope')).toBe(false);
  });
});

describe('watchCarriers', () => {
  it('reports each change once, in order, and not the initial state', async () => {
    const root = fakeSys({ eth0: '1', eth1: '1' });
    const events: CarrierEvent[] = [];
    const stop = new AbortController();
    let initial: ReadonlyMap<string, boolean> | undefined;
    const seen = (n: number) =>
      new Promise<void>((res) => {
        const t = setInterval(() => {
          if (events.length >= n) {
            clearInterval(t);
            res();
          }
        }, 5);
      });
    const done = watchCarriers({
      host: 'h1',
      nics: ['eth0', 'eth1'],
      sysRoot: root,
      intervalMs: 10,
      signal: stop.signal,
      onStart: (m) => (initial = m),
      onChange: (e) => events.push(e),
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(initial).toEqual(new Map([['eth0', true], ['eth1', true]]));
    expect(events).toEqual([]);
    writeFileSync(join(root, 'eth1', 'carrier'), '0\n');
    await seen(1);
    rmSync(join(root, 'eth1', 'carrier')); // unreadable: still false, no new event
    await new Promise((r) => setTimeout(r, 40));
    writeFileSync(join(root, 'eth1', 'carrier'), '1\n');
    await seen(2);
    stop.abort();
    await done;
    expect(events.map(({ host, nic, carrier }) => ({ host, nic, carrier }))).toEqual([
      { host: 'h1', nic: 'eth1', carrier: false },
      { host: 'h1', nic: 'eth1', carrier: true },
    ]);
    for (const e of events) expect(new Date(e.time).toISOString()).toBe(e.time);
    expect(JSON.parse(eventLine(events[0]!))).toEqual(events[0]);
    expect(Object.keys(JSON.parse(eventLine(events[0]!)))).toEqual(['time', 'host', 'nic', 'carrier']);
  });

  it('resolves at once when already aborted', async () => {
    const stop = new AbortController();
    stop.abort();
    await watchCarriers({ host: 'h', nics: ['eth0'], sysRoot: fakeSys({ eth0: '1' }), signal: stop.signal, onChange: () => undefined });
  });
});

describe('listWatchedNics', () => {
  it('keeps NICs backed by a real device and drops bridges, bonds, loopback and virtual drivers', () => {
    const root = fakeSys({ eth10: '1', eth2: '1', br0: '1', lo: '1', bond0: '1', vif1: '1' });
    const dev = (nic: string, driver: string) => {
      mkdirSync(join(root, nic, 'device'));
      writeFileSync(join(root, nic, 'device', 'uevent'), `DRIVER=${driver}\nPCI_SLOT_NAME=0000:02:00.0\n`);
      writeFileSync(join(root, nic, 'type'), '1\n');
    };
    dev('eth10', 'e1000e');
    dev('eth2', 'tg3');
    dev('vif1', 'vif');
    writeFileSync(join(root, 'br0', 'uevent'), 'DEVTYPE=bridge\n');
    writeFileSync(join(root, 'lo', 'type'), '772\n');
    mkdirSync(join(root, 'bond0', 'bonding'));
    expect(listWatchedNics(root)).toEqual(['eth2', 'eth10']);
  });

  it('sorts names naturally', () => {
    expect(['eth10', 'eth2', 'eth1'].sort(naturalCompare)).toEqual(['eth1', 'eth2', 'eth10']);
  });
});

describe('buildCableTable', () => {
  const layout = { management: 'eth0', alink1: 'eth1', alink2: 'eth2', production: 'eth3', bondPartner: 'eth4', bondManagement: false };
  const nic = (n: Partial<NicFacts> & { name: string }): NicFacts => ({ kind: 'physical', addresses: [], ...n });

  it('gives each NIC its layout role, keyed by MAC and PCI slot, and lists the layout NICs that are missing', () => {
    const facts = {
      probes: {},
      problems: [],
      nics: [
        nic({ name: 'eth1', mac: '00:11:22:33:44:01', pciSlot: '0000:02:00.1', driver: 'e1000e', speedMbps: 1000, carrier: true, adminUp: true }),
        nic({
          name: 'eth0',
          mac: '00:11:22:33:44:00',
          pciSlot: '0000:02:00.0',
          driver: 'e1000e',
          speedMbps: 1000,
          carrier: true,
          adminUp: true,
          addresses: [
            { family: 'inet', address: '198.51.100.11', prefixLength: 24, dynamic: false },
            { family: 'inet6', address: 'fe80::1', prefixLength: 64, dynamic: false },
          ],
        }),
        nic({ name: 'eth2', mac: '00:11:22:33:44:02', carrier: null, adminUp: false }),
        nic({ name: 'xenbr0', kind: 'bridge' }),
        nic({ name: 'lo', kind: 'loopback' }),
      ],
    } as unknown as HostFacts;
    const t = buildCableTable(facts, layout, { host: 'h1', collectedAt: '2026-01-01T00:00:00.000Z', profile: 'everrun-6.0' });
    expect(t.nics.map((r) => [r.device, r.role, r.carrier, r.adminUp])).toEqual([
      ['eth0', 'management', true, true],
      ['eth1', 'A-link 1', true, true],
      ['eth2', 'A-link 2', false, false],
    ]);
    expect(t.nics[0]).toMatchObject({ mac: '00:11:22:33:44:00', pciSlot: '0000:02:00.0', ipv4: ['198.51.100.11/24'], speedMbps: 1000, driver: 'e1000e' });
    expect(t.missing).toEqual([
      { device: 'eth3', role: 'production' },
      { device: 'eth4', role: 'bond with eth0' },
    ]);
    expect(layoutRoles(layout).get('eth4')).toBe('bond with eth0');
  });
});
