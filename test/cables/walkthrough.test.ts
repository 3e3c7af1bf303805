import { afterEach, describe, expect, it } from 'vitest';
import { portKey } from '../../src/cables/correlate.js';
import { Inbox } from '../../src/cables/inbox.js';
import { buildPortTable } from '../../src/cables/portTableBuild.js';
import { PortTable } from '../../src/cables/portTable.js';
import { startWalkSession } from '../../src/cables/walkSession.js';
import { runWalkthrough, type Tone, type WalkOptions, type WalkResult } from '../../src/cables/walkthrough.js';
import { FakeRack, LAYOUT } from './fakeRack.js';

/**
 * The walkthrough's conclusions, driven like a person would: the test waits for each prompt, pulls
 * or plugs a cable of an in-memory rack (each host's watcher sees it after its own delay), and types
 * answers. The same cases run on real veth cables over SSH in test/cables/walkthroughLab.test.ts.
 */

interface Said {
  text: string;
  tone: Tone;
}

class Session {
  readonly said: Said[] = [];
  private seen = 0;
  readonly stop = new AbortController();
  readonly inbox = new Inbox(this.stop.signal);
  result!: Promise<WalkResult>;
  stopped!: Promise<void>;

  constructor(readonly rack: FakeRack) {}

  async start(mode: WalkOptions['mode'], extra: Partial<WalkOptions> = {}): Promise<void> {
    const hosts = await Promise.all(this.rack.hosts.map(async (host) => ({ host, table: await host.readTable('everrun-6.0') })));
    const s = startWalkSession({ hosts, inbox: this.inbox, signal: this.stop.signal, windowMs: 150 });
    this.stopped = s.stopped;
    await s.ready;
    this.result = runWalkthrough({
      mode,
      hosts,
      layout: LAYOUT,
      state: s.state,
      inbox: this.inbox,
      say: (text, tone = 'info') => this.said.push({ text, tone }),
      settleMs: 300,
      plugBackMs: 600,
      ...extra,
    }).finally(() => this.stop.abort());
  }

  /** Waits for the next thing said (after what was already awaited) that matches. */
  async until(re: RegExp, timeoutMs = 3000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.said.findIndex((s, k) => k >= this.seen && re.test(s.text));
      if (i >= 0) {
        this.seen = i + 1;
        return this.said[i]!.text;
      }
      if (Date.now() > deadline) throw new Error(`nothing said matched ${re} within ${timeoutMs} ms; said:\n${this.said.map((s) => `  [${s.tone}] ${s.text}`).join('\n')}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  type(text: string): void {
    this.inbox.push({ kind: 'line', text });
  }

  /** The usual step: unplug the cable at host/nic, give labels, plug back. */
  async pullAndReplug(host: string, nic: string, labels: string[] = []): Promise<void> {
    await this.until(/^Unplug it now/);
    this.rack.unplug(host, nic);
    for (const label of labels.length ? labels : ['']) {
      await this.until(/^Label for /);
      this.type(label);
    }
    await this.until(/^Plug it back in/);
    this.rack.plug(host, nic);
    await this.until(/^Carrier is back on/);
  }

  async finish(): Promise<{ result: WalkResult; table: PortTable }> {
    const result = await this.result;
    await this.stopped;
    const hosts = await Promise.all(this.rack.hosts.map(async (h) => ({ name: h.name, address: h.address, table: await h.readTable('everrun-6.0') })));
    const table = PortTable.parse(buildPortTable({ profile: 'everrun-6.0', layout: LAYOUT, hosts, ports: result.ports }));
    return { result, table };
  }
}

const row = (t: PortTable, host: string, device: string) => t.rows.find((r) => r.host === host && r.device === device)!;
let live: Session | undefined;
afterEach(() => live?.stop.abort());

describe('guided walkthrough on two hosts', () => {
  it('a correctly cabled pair: every port ok, A-link peers proven, labels kept, watchers stopped', async () => {
    const s = (live = new Session(FakeRack.direct(['h1', 'h2'], { delays: { h2: 60 } })));
    await s.start('guided');
    expect(await s.until(/^Step 1\/8: A-link 1/)).toMatch(/h1 eth1 \[MAC 52:54:00:aa:31:11, PCI 0000:01:00.0\] <-> h2 eth1/);
    await s.pullAndReplug('h1', 'eth1', ['slot 2 port 1', 'slot 2 port 1']);
    await s.until(/^Step 2\/8: A-link 2/);
    await s.pullAndReplug('h2', 'eth2', ['', '']);
    for (const host of ['h1', 'h2']) {
      await s.pullAndReplug(host, 'eth3');
      await s.pullAndReplug(host, 'eth4');
      await s.pullAndReplug(host, 'eth0');
    }
    const { result, table } = await s.finish();
    expect(result.ending).toBe('done');
    expect(s.rack.hosts.every((h) => h.watching === 0)).toBe(true);
    expect(table.rows.filter((r) => r.verdict !== 'ok')).toEqual([]);
    expect(row(table, 'h1', 'eth1')).toMatchObject({ label: 'slot 2 port 1', role: 'alink1', peer: { host: 'h2', device: 'eth1', mac: '52:54:00:aa:32:11' } });
    expect(row(table, 'h2', 'eth3')).toMatchObject({ role: 'production', peer: null });
    expect(s.said.some((x) => /h1 eth1 \(A-link 1\) and h2 eth1 \(A-link 1\) lost carrier together: a direct cable between them, as A-link 1 should be/.test(x.text))).toBe(true);
  });

  it('crossed A-links: both A-link steps conclude "crossed", naming the far NIC', async () => {
    const rack = new FakeRack(['h1', 'h2'], [
      { ends: [{ host: 'h1', nic: 'eth1' }, { host: 'h2', nic: 'eth2' }] },
      { ends: [{ host: 'h1', nic: 'eth2' }, { host: 'h2', nic: 'eth1' }] },
      ...['h1', 'h2'].flatMap((host) => ['eth0', 'eth3', 'eth4'].map((nic) => ({ ends: [{ host, nic }] }))),
    ]);
    const s = (live = new Session(rack));
    await s.start('guided');
    await s.pullAndReplug('h1', 'eth1', ['', '']);
    expect(await s.until(/^Step 2\/8/)).toMatch(/A-link 2/);
    await s.pullAndReplug('h1', 'eth2', ['', '']);
    await s.until(/^Step 3\/8/);
    s.type('q');
    const { result, table } = await s.finish();
    expect(result.ending).toBe('quit');
    expect(row(table, 'h1', 'eth1')).toMatchObject({ verdict: 'crossed', peer: { host: 'h2', device: 'eth2' } });
    expect(row(table, 'h2', 'eth1')).toMatchObject({ verdict: 'crossed', peer: { host: 'h1', device: 'eth2' } });
    expect(row(table, 'h1', 'eth3')).toMatchObject({ verdict: 'not-tested', detail: 'the walkthrough did not reach this port' });
  });

  it('a cable that changes nothing: Enter, the dead-cable diagnosis, then skip records no-change', async () => {
    const rack = FakeRack.direct();
    rack.cableAt('h1', 'eth1').phantom = true;
    const s = (live = new Session(rack));
    await s.start('guided');
    await s.until(/^Unplug it now/);
    rack.unplug('h1', 'eth1');
    s.type('');
    expect(await s.until(/^Nothing changed/)).toMatch(/the cable may be on another host, the port dead, or not the cable you think|another host, the port dead/);
    await s.until(/^r = I will try again, s = skip/);
    s.type('s');
    await s.until(/^Step 2\/8/);
    s.type('q');
    const { table } = await s.finish();
    expect(row(table, 'h1', 'eth1')).toMatchObject({ verdict: 'no-change' });
    expect(row(table, 'h1', 'eth1').detail).toMatch(/changed nothing on any watched host/);
  });

  it('carrier that does not come back after plugging in: carrier-not-back on both ends', async () => {
    const rack = FakeRack.direct();
    rack.cableAt('h1', 'eth2').dead = true;
    const s = (live = new Session(rack));
    await s.start('guided');
    await s.pullAndReplug('h1', 'eth1', ['', '']);
    await s.until(/^Unplug it now/);
    rack.unplug('h1', 'eth2');
    await s.until(/^Label for/);
    s.type('');
    await s.until(/^Label for/);
    s.type('');
    await s.until(/^Plug it back in/);
    rack.plug('h1', 'eth2');
    expect(await s.until(/^Carrier did not come back on h1 eth2 and h2 eth2/)).toMatch(/bad cable or port/);
    s.type('s');
    await s.until(/^Noted: carrier did not come back/);
    await s.until(/^Step 3\/8/);
    s.type('q');
    const { table } = await s.finish();
    expect(row(table, 'h1', 'eth2').verdict).toBe('carrier-not-back');
    expect(row(table, 'h2', 'eth2').verdict).toBe('carrier-not-back');
    expect(row(table, 'h1', 'eth2').detail).toMatch(/as A-link 2 should be; then carrier did not come back/);
  });

  it('the wrong cable pulled: it is identified and noted, and the step is asked again', async () => {
    const s = (live = new Session(FakeRack.direct()));
    await s.start('guided');
    await s.until(/^Unplug it now/);
    s.rack.unplug('h1', 'eth3');
    await s.until(/^Label for h1 eth3/);
    s.type('rear port 4');
    await s.until(/^Plug it back in/);
    s.rack.plug('h1', 'eth3');
    expect(await s.until(/^That was not the cable of this step/)).toMatch(/h1 eth1 \/ h2 eth1/);
    await s.pullAndReplug('h1', 'eth1', ['', '']);
    await s.until(/^Step 2\/8/);
    s.type('q');
    const { table } = await s.finish();
    expect(row(table, 'h1', 'eth3')).toMatchObject({ verdict: 'ok', label: 'rear port 4' });
    expect(row(table, 'h1', 'eth1').verdict).toBe('ok');
  });

  it('a NIC that never had carrier: warned up front, then no-carrier when skipped', async () => {
    const rack = new FakeRack(['h1', 'h2'], [
      { ends: [{ host: 'h1', nic: 'eth2' }, { host: 'h2', nic: 'eth2' }] },
      ...['h1', 'h2'].flatMap((host) => ['eth0', 'eth3', 'eth4'].map((nic) => ({ ends: [{ host, nic }] }))),
    ]);
    const s = (live = new Session(rack));
    await s.start('guided');
    expect(await s.until(/h1 eth1 \(A-link 1\) has no carrier now/)).toMatch(/plug its cable before its step/);
    await s.until(/^h1 eth1 and h2 eth1 have no carrier now: there is nothing to unplug/);
    s.type('s');
    await s.until(/^Step 2\/8/);
    s.type('q');
    const { table } = await s.finish();
    expect(row(table, 'h1', 'eth1')).toMatchObject({ verdict: 'no-carrier' });
    expect(row(table, 'h2', 'eth1').detail).toMatch(/had no carrier during the walkthrough/);
  });

  it('the management cable of a remote host: warned first; the session drop and reconnect prove it', async () => {
    const rack = FakeRack.direct(['h1', 'h2'], { remote: true });
    const s = (live = new Session(rack));
    await s.start('guided');
    for (let i = 0; i < 4; i++) {
      await s.until(/^Step \d\/8/);
      s.type('s');
    }
    expect(await s.until(/^Step 5\/8: management of h1/)).toBeTruthy();
    expect(await s.until(/^Careful: h1 eth0 carries preflight's SSH session/)).toMatch(/preflight reconnects/);
    await s.until(/^Unplug it now/);
    rack.host('h1').lose();
    await s.until(/^Lost the connection to h1/);
    await s.until(/^Plug the cable back in; preflight reconnects to h1/);
    rack.host('h1').reconnect();
    await s.until(/^Connected to h1 again/);
    await s.until(/^Label for h1 eth0/);
    s.type('mgmt LOM');
    await s.until(/^Step 6\/8/);
    s.type('q');
    const { table } = await s.finish();
    expect(row(table, 'h1', 'eth0')).toMatchObject({ verdict: 'ok', label: 'mgmt LOM' });
    expect(row(table, 'h1', 'eth0').detail).toMatch(/dropped preflight's SSH session to h1 and plugging in restored it/);
  });

  it('a management cable whose session never comes back: said after --wait, carrier-not-back when given up', async () => {
    const rack = FakeRack.direct(['h1', 'h2'], { remote: true });
    const s = (live = new Session(rack));
    await s.start('guided');
    for (let i = 0; i < 4; i++) {
      await s.until(/^Step \d\/8/);
      s.type('s');
    }
    await s.until(/^Step 5\/8: management of h1/);
    await s.until(/^Unplug it now/);
    rack.host('h1').lose();
    await s.until(/^Plug the cable back in; preflight reconnects to h1/);
    expect(await s.until(/^The connection to h1 is not back after 1 s/)).toMatch(/Enter = keep waiting, s = give up/);
    s.type('s');
    await s.until(/^Step 6\/8/);
    s.type('q');
    const { table } = await s.finish();
    expect(row(table, 'h1', 'eth0')).toMatchObject({ verdict: 'carrier-not-back' });
    expect(row(table, 'h1', 'eth0').detail).toMatch(/dropped when the cable was unplugged and did not come back/);
  });

  it('b blinks the port when allowed, and says plainly when the driver cannot', async () => {
    const s = (live = new Session(FakeRack.direct()));
    await s.start('guided', { blink: { seconds: 3 } });
    await s.until(/^Unplug it now/);
    s.type('b');
    expect(await s.until(/cannot blink/)).toMatch(/^h1 eth1 cannot blink: the veth driver cannot blink a LED.*Carry on by unplugging/);
    expect(s.rack.host('h1').identified).toEqual(['eth1']);
    s.type('q');
    expect((await s.finish()).result.ending).toBe('quit');
  });

  it('Ctrl-C (abort) mid-step ends with what was mapped so far and no watcher left', async () => {
    const s = (live = new Session(FakeRack.direct()));
    await s.start('guided');
    await s.pullAndReplug('h1', 'eth1', ['A', 'B']);
    await s.until(/^Unplug it now/);
    s.stop.abort();
    const { result, table } = await s.finish();
    expect(result.ending).toBe('interrupted');
    expect(s.rack.hosts.every((h) => h.watching === 0)).toBe(true);
    expect(row(table, 'h2', 'eth1')).toMatchObject({ verdict: 'ok', label: 'B' });
    expect(result.ports.has(portKey('h1', 'eth2'))).toBe(false);
  });

  it('end of input (a script ran out of answers) ends the walkthrough instead of hanging', async () => {
    const s = (live = new Session(FakeRack.direct()));
    await s.start('guided');
    await s.until(/^Unplug it now/);
    s.inbox.push({ kind: 'closed' });
    expect((await s.finish()).result.ending).toBe('input-ended');
  });
});

describe('free mode and one host', () => {
  it('identifies whatever is unplugged, in any order', async () => {
    const s = (live = new Session(FakeRack.direct()));
    await s.start('free');
    await s.until(/^Unplug a cable/);
    s.rack.unplug('h2', 'eth2');
    expect(await s.until(/lost carrier together/)).toMatch(/^h1 eth2 \(A-link 2\) and h2 eth2|^h2 eth2 \(A-link 2\) and h1 eth2/);
    await s.until(/^Label for/);
    s.type('x');
    await s.until(/^Label for/);
    s.type('y');
    await s.until(/^Plug it back in/);
    s.rack.plug('h2', 'eth2');
    await s.until(/^Unplug a cable/);
    s.type('q');
    const { result, table } = await s.finish();
    expect(result.ending).toBe('done');
    expect(table.rows.filter((r) => r.verdict === 'ok').map((r) => `${r.host} ${r.device}`).sort()).toEqual(['h1 eth2', 'h2 eth2']);
  });

  it('one host: the A-link port is identified, its far end said to be unwatched', async () => {
    const s = (live = new Session(FakeRack.direct(['vm'])));
    await s.start('guided');
    expect(await s.until(/^Step 1\/5: A-link 1/)).toMatch(/unplug the cable at vm eth1/);
    await s.pullAndReplug('vm', 'eth1');
    s.type('q');
    const { table } = await s.finish();
    expect(row(table, 'vm', 'eth1').detail).toMatch(/the far end is not watched/);
  });
});

describe('failover rehearsal', () => {
  it('pulls each A-link and the bond members, proves the other path, records it per port', async () => {
    const rack = FakeRack.direct();
    rack.host('h2').reachResults = (t) => ({ ...t, ok: t.address !== '10.91.2.1', rttMs: t.address !== '10.91.2.1' ? 0.3 : null, ...(t.address === '10.91.2.1' ? { message: '100% packet loss' } : {}) });
    const s = (live = new Session(rack));
    await s.start('rehearse');
    expect(await s.until(/^Failover rehearsal: 4 cables/)).toBeTruthy();
    expect(await s.until(/^Rehearsal 1\/4: unplug the A-link 1 cable \(h1 eth1 <-> h2 eth1\)/)).toBeTruthy();
    rack.unplug('h1', 'eth1');
    expect(await s.until(/^With the A-link 1 cable/)).toMatch(/h1 -> 10\.91\.2\.2 \(via eth2\): answered in 0\.4 ms; h1 -> 192\.0\.2\.12: answered in 0\.4 ms; h2 -> 10\.91\.2\.1 \(via eth2\): no answer \(100% packet loss\); h2 -> 192\.0\.2\.11: answered in 0\.3 ms$/);
    await s.until(/^Plug it back in/);
    rack.plug('h1', 'eth1');
    await s.until(/^Rehearsal 2\/4/);
    s.type('s');
    await s.until(/^Rehearsal 3\/4: unplug the bond member h1 eth4/);
    rack.unplug('h1', 'eth4');
    await s.until(/^With the bond member h1 eth4/);
    await s.until(/^Plug it back in/);
    rack.plug('h1', 'eth4');
    await s.until(/^Rehearsal 4\/4/);
    s.type('q');
    const { table } = await s.finish();
    expect(row(table, 'h1', 'eth1').rehearsal).toMatchObject({ verdict: 'failed' });
    // The pull itself proved the cable: a direct A-link 1, recorded like in the guided walkthrough.
    expect(row(table, 'h1', 'eth1')).toMatchObject({ verdict: 'ok', peer: { host: 'h2', device: 'eth1' } });
    expect(row(table, 'h2', 'eth1').rehearsal?.detail).toMatch(/no answer/);
    expect(row(table, 'h1', 'eth4').rehearsal).toMatchObject({ verdict: 'ok' });
    expect(row(table, 'h1', 'eth2').rehearsal).toBeNull();
  });
});
