import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WatchStatus } from '../../src/cables/cableHost.js';
import { cableHostsFor } from '../../src/cables/cableHosts.js';
import { LocalCableHost } from '../../src/cables/localCableHost.js';
import { SshCableHost, type SshCableHostOptions } from '../../src/cables/sshCableHost.js';
import type { CarrierEvent } from '../../src/cables/watch.js';
import { HostUnreachableError, type SshTarget } from '../../src/collect/sshTransport.js';
import { run, tryRun } from '../lab/netnsLab.js';
import { POOL, PoolLab, poolLabUnavailableReason, type HostIndex } from '../lab/poolLab.js';
import { NsProxy } from './nsProxy.js';

/**
 * SshCableHost against the two-host pool lab: real sshd in each host namespace, real veth A-link
 * cables. The test process reaches each host's sshd through an NsProxy (127.0.0.1 here, a relay
 * started in the lab's management-computer namespace there), so the real SSH code runs in-process
 * and the machine's own network is never touched. Cables are pulled by setting an interface down
 * inside the lab's namespaces only.
 */

describe('cableHostsFor', () => {
  it('this machine without --host/--inventory; one SSH host per --host otherwise, named as the scan names it', () => {
    const local = cableHostsFor({ interval: 20 });
    expect(local).toHaveLength(1);
    expect(local[0]).toBeInstanceOf(LocalCableHost);
    expect(local[0]!.address).toBe('local');
    const remote = cableHostsFor({ host: ['root@192.0.2.10', 'admin@[2001:db8::2]:2222'], sshConfig: '/dev/null', timeout: 7 });
    expect(remote.map((h) => [h.constructor.name, h.name, h.address])).toEqual([
      ['SshCableHost', '192.0.2.10', 'root@192.0.2.10:22'],
      ['SshCableHost', '[2001:db8::2]:2222', 'admin@[2001:db8::2]:2222'],
    ]);
    expect((remote[0] as SshCableHost).target).toMatchObject({ host: '192.0.2.10', user: 'root', port: 22, connectTimeoutMs: 7000 });
    expect(() => cableHostsFor({ host: ['root@h1'], inventory: 'x.ini' })).toThrow(/either --host or --inventory/);
  });
});

const why = poolLabUnavailableReason();
if (why && process.env.CI) throw new Error(`the pool lab must run in CI: ${why}`);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Live (not zombie) processes of a namespace: `ip netns pids NS`, with their names. */
function nsProcesses(ns: string): { pid: number; comm: string }[] {
  const r = tryRun('ip', ['netns', 'pids', ns]);
  return r.stdout
    .split('\n')
    .filter((l) => /^\d+$/.test(l.trim()))
    .flatMap((l) => {
      const pid = Number(l);
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return [];
        return [{ pid, comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) }];
      } catch {
        return [];
      }
    });
}

/** Waits until the namespace runs only `baseline` (its sshd); returns what is left otherwise. */
async function backToBaseline(ns: string, baseline: ReadonlySet<number>, withinMs: number): Promise<string[]> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const extra = nsProcesses(ns).filter((p) => !baseline.has(p.pid));
    if (extra.length === 0 || performance.now() > deadline) return extra.map((p) => `${p.pid} ${p.comm}`);
    await sleep(50);
  }
}

interface Watching {
  initial: Promise<ReadonlyMap<string, boolean>>;
  events: { at: number; e: CarrierEvent }[];
  statuses: { at: number; s: WatchStatus }[];
  stop: AbortController;
  done: Promise<void>;
}

function startWatch(host: SshCableHost, nics: string[]): Watching {
  const stop = new AbortController();
  const events: Watching['events'] = [];
  const statuses: Watching['statuses'] = [];
  let started!: (m: ReadonlyMap<string, boolean>) => void;
  const initial = new Promise<ReadonlyMap<string, boolean>>((r) => (started = r));
  const done = host.watch(nics, {
    signal: stop.signal,
    onStart: (m) => started(m),
    onChange: (e) => events.push({ at: performance.now(), e }),
    onStatus: (s) => statuses.push({ at: performance.now(), s }),
  });
  done.catch(() => undefined);
  return { initial, events, statuses, stop, done };
}

async function until<T>(what: string, get: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(2);
  }
}

function ipAsync(args: string[]): Promise<void> {
  return new Promise((res, rej) => {
    const c = spawn('ip', args, { stdio: 'ignore' });
    c.once('exit', (code) => (code === 0 ? res() : rej(new Error(`ip ${args.join(' ')}: exit ${code}`))));
  });
}

describe.skipIf(why !== undefined)('SshCableHost in the two-host pool lab', () => {
  let lab: PoolLab;
  const proxies: NsProxy[] = [];
  const watches: Watching[] = [];
  let knownHosts: string;
  let baseline: [Set<number>, Set<number>];
  const figures: string[] = [];

  const target = (i: HostIndex, overrides: Partial<SshTarget> = {}): SshTarget => ({
    name: POOL.hosts[i].name,
    host: '127.0.0.1',
    port: proxies[i]!.port,
    user: 'root',
    identityFiles: [lab.ssh.clientKey.file],
    knownHostsFile: knownHosts,
    acceptNew: false,
    connectTimeoutMs: 3000,
    ...overrides,
  });
  const host = (i: HostIndex, opts: SshCableHostOptions = {}, overrides: Partial<SshTarget> = {}) => new SshCableHost(target(i, overrides), opts);
  const watch = (h: SshCableHost, nics: string[]) => {
    const w = startWatch(h, nics);
    watches.push(w);
    return w;
  };

  beforeAll(async () => {
    lab = await PoolLab.create();
    for (const h of POOL.hosts) proxies.push(await NsProxy.start(lab.ns.mgmt, h.management, 22));
    // The hosts' keys, listed under the relays' addresses.
    const lines = readFileSync(lab.knownHosts, 'utf8').trim().split('\n');
    knownHosts = join(lab.ssh.dir, 'cables_known_hosts');
    writeFileSync(
      knownHosts,
      `${POOL.hosts
        .map((h, i) => {
          const [, type, key] = lines.find((l) => l.startsWith(`${h.management} `))!.split(' ');
          return `[127.0.0.1]:${proxies[i]!.port} ${type} ${key}`;
        })
        .join('\n')}\n`,
      { mode: 0o600 },
    );
    baseline = [new Set(nsProcesses(lab.ns.h1).map((p) => p.pid)), new Set(nsProcesses(lab.ns.h2).map((p) => p.pid))];
  }, 60_000);
  beforeEach(() => {
    tryRun('ip', ['-n', lab.ns.sw, 'link', 'set', 'h1e0', 'up']);
    lab.reset();
  });
  afterAll(async () => {
    for (const w of watches) w.stop.abort();
    await Promise.allSettled(watches.map((w) => w.done));
    for (const p of proxies) await p.close();
    await lab?.destroy();
    expect(lab?.leftovers() ?? []).toEqual([]);
    if (figures.length) console.log(`sshCableHost figures:\n  ${figures.join('\n  ')}`);
  });

  it('readTable over SSH: the host\'s veth NICs with MAC, driver, addresses and roles', async () => {
    const t = await host(0).readTable('everrun-6.0');
    expect(t.host).toBe('h1');
    expect(t.nics.map((n) => [n.device, n.driver, n.carrier, n.role])).toEqual([
      ['eth0', 'veth', true, 'management'],
      ['eth1', 'veth', true, 'A-link 1'],
      ['eth2', 'veth', true, 'A-link 2'],
      ['eth3', 'veth', true, 'production'],
      ['eth4', 'veth', true, 'bond with eth0'],
    ]);
    expect(t.nics.find((n) => n.device === 'eth1')!.ipv4).toEqual([`${POOL.hosts[0].alink1}/24`]);
    expect(t.nics.find((n) => n.device === 'eth1')!.mac).toBe(lab.mac(0, 'eth1'));
    expect(t.missing).toEqual([]);
  }, 30_000);

  it('watch: h2 eth1 set down is seen on both hosts as eth1 carrier false, and back; 20 pulls measured', async () => {
    const h1 = watch(host(0), ['eth1', 'eth2']);
    const h2 = watch(host(1), ['eth1', 'eth2']);
    expect(Object.fromEntries(await h1.initial)).toEqual({ eth1: true, eth2: true });
    expect(Object.fromEntries(await h2.initial)).toEqual({ eth1: true, eth2: true });
    const pulls: number[] = [];
    const plugs: number[] = [];
    const seen = (w: Watching, from: number, nic: string, carrier: boolean) =>
      until(`${nic} carrier ${carrier}`, () => w.events.slice(from).find((x) => x.e.nic === nic && x.e.carrier === carrier));
    for (let i = 0; i < 20; i++) {
      const [f1, f2] = [h1.events.length, h2.events.length];
      let t0 = performance.now();
      await ipAsync(['-n', lab.ns.h2, 'link', 'set', 'eth1', 'down']);
      pulls.push((await seen(h1, f1, 'eth1', false)).at - t0);
      await seen(h2, f2, 'eth1', false);
      await sleep(50 + Math.random() * 150);
      t0 = performance.now();
      await ipAsync(['-n', lab.ns.h2, 'link', 'set', 'eth1', 'up']);
      plugs.push((await seen(h1, f1, 'eth1', true)).at - t0);
      await seen(h2, f2, 'eth1', true);
      await sleep(50 + Math.random() * 150);
    }
    // Each pull and plug once per host, nothing for eth2, host names on the events.
    expect(h1.events.map((x) => `${x.e.host} ${x.e.nic} ${x.e.carrier}`)).toEqual(Array.from({ length: 40 }, (_, i) => `h1 eth1 ${i % 2 === 1}`));
    expect(h2.events).toHaveLength(40);
    expect(h1.statuses).toEqual([]);
    const stats = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return { p50: Math.round(percentile(s, 50)), p95: Math.round(percentile(s, 95)), max: Math.round(s.at(-1)!) };
    };
    const pull = stats(pulls);
    const plug = stats(plugs);
    figures.push(`watch over SSH (monitor mode), from just before \`ip -n h2 link set eth1 down|up\` to h1's onChange: pulls p50 ${pull.p50} ms, p95 ${pull.p95} ms, max ${pull.max} ms; plugs p50 ${plug.p50} ms, p95 ${plug.p95} ms, max ${plug.max} ms (20 each)`);
    expect(pull.p95).toBeLessThan(300);
    expect(plug.p95).toBeLessThan(300);
    // Abort: watch() resolves once the script has exited on both hosts; the hosts then run their sshd only.
    h1.stop.abort();
    h2.stop.abort();
    await Promise.all([h1.done, h2.done]);
    const right = nsProcesses(lab.ns.h1).filter((p) => !baseline[0].has(p.pid) && p.comm !== 'sshd');
    expect(right, 'watcher processes still on h1 when watch() resolved').toEqual([]);
    expect(await backToBaseline(lab.ns.h1, baseline[0], 3000)).toEqual([]);
    expect(await backToBaseline(lab.ns.h2, baseline[1], 3000)).toEqual([]);
  }, 120_000);

  it('watch in poll mode (hosts without ip monitor) sees a pull too', async () => {
    const w = watch(host(0, { pollCarrier: true }), ['eth1']);
    await w.initial;
    const t0 = performance.now();
    await ipAsync(['-n', lab.ns.h2, 'link', 'set', 'eth1', 'down']);
    const hit = await until('eth1 false', () => w.events.find((x) => !x.e.carrier));
    figures.push(`watch over SSH, poll mode: one pull seen after ${Math.round(hit.at - t0)} ms`);
    expect(hit.at - t0).toBeLessThan(300);
    w.stop.abort();
    await w.done;
    expect(await backToBaseline(lab.ns.h1, baseline[0], 3000)).toEqual([]);
  }, 30_000);

  it('a connection that breaks is reported lost, re-established within seconds, and the old watcher ends on the host', async () => {
    const w = watch(host(0), ['eth1']);
    await w.initial;
    proxies[0]!.dropAll();
    await until('lost', () => w.statuses.find((s) => s.s.kind === 'lost'), 5000);
    await until('reconnected', () => w.statuses.find((s) => s.s.kind === 'reconnected'), 10_000);
    expect(w.statuses.map((s) => s.s.kind)).toEqual(['lost', 'reconnected']);
    expect(w.events).toEqual([]);
    // Still watching on the new connection.
    await ipAsync(['-n', lab.ns.h2, 'link', 'set', 'eth1', 'down']);
    await until('eth1 false after reconnect', () => w.events.find((x) => !x.e.carrier));
    w.stop.abort();
    await w.done;
    expect(await backToBaseline(lab.ns.h1, baseline[0], 3000)).toEqual([]);
  }, 30_000);

  it('a host key that changed while reconnecting stops that host with "failed"', async () => {
    const file = join(lab.ssh.dir, 'rotating_known_hosts');
    writeFileSync(file, readFileSync(knownHosts));
    const w = watch(host(0, {}, { knownHostsFile: file }), ['eth1']);
    await w.initial;
    // Another host's key now listed for h1: the reconnection must refuse it.
    const h2Line = readFileSync(knownHosts, 'utf8').split('\n')[1]!.split(' ');
    writeFileSync(file, `[127.0.0.1]:${proxies[0]!.port} ${h2Line[1]} ${h2Line[2]}\n`);
    proxies[0]!.dropAll();
    await w.done;
    expect(w.statuses.map((s) => s.s.kind)).toEqual(['lost', 'failed']);
    expect(w.statuses[1]!.s).toMatchObject({ host: 'h1', message: expect.stringMatching(/HOST KEY CHANGED/) });
  }, 30_000);

  it('the first connection failing rejects with the reason (nothing was watched)', async () => {
    const file = join(lab.ssh.dir, 'empty_known_hosts');
    writeFileSync(file, '');
    const err = await host(0, {}, { knownHostsFile: file })
      .watch(['eth1'], { signal: new AbortController().signal, onStart: () => undefined, onChange: () => undefined })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(HostUnreachableError);
    expect((err as HostUnreachableError).kind).toBe('host-key');
  }, 30_000);

  it('management cable pulled inside the lab: lost, reconnected after it is plugged, changes meanwhile reported; nothing stays on the host', async () => {
    const w = watch(host(0, { idleTimeoutMs: 2500 }), ['eth1', 'eth2']);
    await w.initial;
    const pulledAt = performance.now();
    // h1's management cable, pulled at the switch: h1 eth0 loses carrier, the SSH session goes silent.
    run('ip', ['-n', lab.ns.sw, 'link', 'set', 'h1e0', 'down']);
    try {
      const lost = await until('lost', () => w.statuses.find((s) => s.s.kind === 'lost'), 8000);
      figures.push(`management cable pulled: 'lost' after ${Math.round(lost.at - pulledAt)} ms (heartbeat timeout 2.5 s)`);
      expect(lost.s).toMatchObject({ host: 'h1', message: expect.stringMatching(/stopped answering|lost/) });
      // Meanwhile the A-link 1 cable is pulled too (at h2's end).
      run('ip', ['-n', lab.ns.h2, 'link', 'set', 'eth1', 'down']);
      await sleep(2000);
      expect(w.statuses.map((s) => s.s.kind)).toEqual(['lost']);
    } finally {
      run('ip', ['-n', lab.ns.sw, 'link', 'set', 'h1e0', 'up']);
    }
    const pluggedAt = performance.now();
    const back = await until('reconnected', () => w.statuses.find((s) => s.s.kind === 'reconnected'), 15_000);
    figures.push(`management cable plugged back: 'reconnected' after ${Math.round(back.at - pluggedAt)} ms (retry every 1 s, connect timeout 3 s)`);
    expect(w.events.map((x) => [x.e.host, x.e.nic, x.e.carrier])).toEqual([['h1', 'eth1', false]]);
    expect(w.events[0]!.at).toBeLessThanOrEqual(back.at);
    expect(Date.parse(w.events[0]!.e.time)).toBeGreaterThanOrEqual(Date.now() - (performance.now() - pluggedAt) - 5);
    w.stop.abort();
    await w.done;
    // The session of before the pull ends once its sshd hears from this side again (TCP reset); its watcher with it.
    expect(await backToBaseline(lab.ns.h1, baseline[0], 30_000)).toEqual([]);
  }, 90_000);

  it('identify over SSH: a veth cannot blink, said plainly; a missing device says so', async () => {
    expect(await host(0).identify('eth1', 1)).toEqual({
      ok: false,
      message: 'h1 eth1: its driver cannot blink the port LED (ethtool --identify: Operation not supported); find the port by pulling its cable',
    });
    expect(await host(0).identify('eth9', 1)).toEqual({ ok: false, message: 'h1 has no interface named eth9' });
    await expect(host(0).identify('eth1;reboot', 1)).rejects.toThrow(/not an interface name/);
  }, 30_000);

  it("reach over SSH: the peer's A-link 2 address answers out of eth2; an address with no host does not", async () => {
    const [peer, nobody, viaLink1] = await host(0).reach([
      { address: POOL.hosts[1].alink2, device: 'eth2' },
      { address: '10.91.2.77', device: 'eth2' },
      { address: POOL.hosts[1].alink1 },
    ]);
    expect(peer).toMatchObject({ address: POOL.hosts[1].alink2, device: 'eth2', ok: true });
    expect(peer!.rttMs).toBeGreaterThan(0);
    expect(nobody).toMatchObject({ address: '10.91.2.77', device: 'eth2', ok: false, rttMs: null });
    expect(nobody!.message).toMatch(/^no reply from 10\.91\.2\.77 out of eth2/);
    expect(viaLink1).toMatchObject({ ok: true });
    expect(await backToBaseline(lab.ns.h1, baseline[0], 3000)).toEqual([]);
  }, 30_000);
});
