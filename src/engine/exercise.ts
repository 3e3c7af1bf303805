import { createRequire } from 'node:module';
import { connect } from 'node:net';
import type { Evidence, HostEvidence } from '../collect/evidence.js';
import { ipLiteral } from '../collect/ipLiteral.js';
import { HOST_UDP_PORT, newUdpToken, type ArpTests, type HostNetworkTests } from '../collect/networkTests.js';
import ipaddr from 'ipaddr.js';
import { ipv4, isDefaultRoute, nicNamed, samePath } from '../checks/hostNetwork.js';
import { findManagementInterface } from '../checks/managementInterface.js';
import { NicLayout } from '../checks/nicLayout.js';
import type { PoolPlan } from '../checks/types.js';
import type { HostFacts } from '../facts/schema.js';
import { effectiveLayout } from './planLayout.js';
import type { ResolvedRule, Role } from './types.js';

/**
 * The exercise phase: after every host's facts are in, the active network tests the pool rules
 * need. What each host runs (over one more SSH exec) is planned here from the facts and the site
 * plan; the management computer's own tests (pool.management-access: ping, TCP 22/443/8080/8081 to
 * each host) run here in Node. Everything is recorded as Evidence, so a bundle replays it.
 */

/** The guide's default layout, when no rule of the profile carries one. */
const DEFAULT_LAYOUT: NicLayout = { management: 'eth0', alink1: 'eth1', alink2: 'eth2', production: 'eth3', bondPartner: 'eth4', bondManagement: false };

/** The layout the pool rules use (their `layout` parameter), else the guide's default. */
export function poolLayout(rules: readonly ResolvedRule[]): NicLayout {
  for (const check of ['pool-alink-health', 'pool-alink-pairing', 'pool-alink-subnets']) {
    const r = rules.find((x) => x.check === check);
    const parsed = NicLayout.safeParse((r?.params as { layout?: unknown } | undefined)?.layout);
    if (parsed.success) return parsed.data;
  }
  return DEFAULT_LAYOUT;
}

export interface ExerciseHost {
  name: string;
  role: Role;
  facts: HostFacts;
  layout?: Partial<NicLayout>;
}

/** The default isolation IP of a host: the gateway of its default route through the management interface (else any default route's). */
export function defaultIsolationIp(facts: HostFacts, layout: NicLayout): string | undefined {
  const mgmt = findManagementInterface(facts, layout).name;
  const defaults = (facts.routes ?? []).filter((r) => isDefaultRoute(r) && r.gateway !== undefined);
  const viaMgmt = defaults.find((r) => r.device !== undefined && samePath(facts, r.device, mgmt));
  const gw = (viaMgmt ?? defaults[0])?.gateway ?? findManagementInterface(facts, layout).pif?.gateway;
  return gw !== undefined ? ipLiteral(gw) : undefined;
}

/** The IPv4 address of a host's NIC (or of the bond/bridge holding its address). */
function addressOn(facts: HostFacts, dev: string): string | undefined {
  const a = ipv4(nicNamed(facts, dev))[0]?.address;
  return a !== undefined ? ipLiteral(a) : undefined;
}

/** The IPv4 addresses a host holds on its NICs that could be on a shared wire (not loopback or link-local), with the NIC holding each. */
export function wireAddresses(facts: HostFacts): { address: string; dev: string; prefixLength: number }[] {
  const out: { address: string; dev: string; prefixLength: number }[] = [];
  for (const n of facts.nics ?? []) {
    if (n.kind === 'loopback') continue;
    for (const a of n.addresses) {
      if (a.family !== 'inet' || !ipaddr.IPv4.isValidFourPartDecimal(a.address)) continue;
      // Unique by construction or never on a shared wire (XenServer's 169.254 host-internal network).
      if (['unspecified', 'loopback', 'linkLocal', 'broadcast', 'multicast'].includes(ipaddr.IPv4.parse(a.address).range())) continue;
      out.push({ address: a.address, dev: n.name, prefixLength: a.prefixLength });
    }
  }
  return out;
}

/** At most this many arpings per host (each runs at once and waits up to 1 s). */
const MAX_ARP_PER_HOST = 32;

/**
 * The ARP probes of one host for pool.unique-ips on the wire: duplicate address detection for each
 * of its own addresses on the NIC holding it, and a broadcast request for each address of the other
 * hosts that is on one of its own subnets, out of that NIC (the longest matching prefix).
 */
export function planArp(h: ExerciseHost, xs: readonly ExerciseHost[]): ArpTests | undefined {
  const own = wireAddresses(h.facts);
  const dad = own.map((a) => ({ address: a.address, dev: a.dev }));
  const ask: { address: string; dev: string }[] = [];
  const seen = new Set(own.map((a) => a.address));
  for (const o of xs) {
    if (o === h) continue;
    for (const a of wireAddresses(o.facts)) {
      if (seen.has(a.address)) continue;
      seen.add(a.address);
      const target = ipaddr.IPv4.parse(a.address);
      const via = own
        .filter((x) => target.match(ipaddr.IPv4.parse(x.address), x.prefixLength))
        .sort((x, y) => y.prefixLength - x.prefixLength)[0];
      if (via) ask.push({ address: a.address, dev: via.dev });
    }
  }
  const valid = (x: { dev: string }) => /^[0-9A-Za-z_.-]{1,15}$/.test(x.dev);
  const tests = { dad: dad.filter(valid).slice(0, MAX_ARP_PER_HOST), ask: ask.filter(valid).slice(0, MAX_ARP_PER_HOST) };
  return tests.dad.length + tests.ask.length > 0 ? tests : undefined;
}

/** The scanned quorum computer (role quorum) holding a planned quorum server's address, if any. */
export function quorumComputerFor(hosts: readonly ExerciseHost[], address: string): ExerciseHost | undefined {
  return hosts.find((h) => h.role === 'quorum' && wireAddresses(h.facts).some((a) => a.address === address));
}

export interface PlanOptions {
  /** random hex tokens for the UDP probes; replaceable in tests */
  token?: () => string;
}

/**
 * What each machine tests. Each XenServer host (master, member): the isolation IP; with exactly
 * two of them, each A-link NIC pings the other host's address on its own A-link NIC; the plan's
 * quorum servers (ping, and a UDP datagram to their quorum port); ARP for the pool's addresses.
 * A scanned quorum computer holding a planned quorum address listens on its quorum port for the
 * hosts' datagrams and sends one to each host's UDP 2188, where the host listens in turn.
 */
export function planNetworkTests(hosts: readonly ExerciseHost[], rules: readonly ResolvedRule[], plan: PoolPlan | undefined, opts: PlanOptions = {}): Map<string, HostNetworkTests> {
  const token = opts.token ?? newUdpToken;
  const base = poolLayout(rules);
  const xs = hosts.filter((h) => h.role === 'master' || h.role === 'member');
  const out = new Map<string, HostNetworkTests>();
  const servers = [plan?.quorum?.preferred, plan?.quorum?.alternate].flatMap((q) => (q !== undefined && ipLiteral(q.address) ? [{ address: ipLiteral(q.address)!, port: q.port }] : []));
  const quorum = servers.map((s) => s.address);
  const udpNonce = token();
  const quorumComputers = servers.flatMap((s) => {
    const q = quorumComputerFor(hosts, s.address);
    return q ? [{ server: s, computer: q }] : [];
  });
  for (const h of xs) {
    const layout = effectiveLayout(base, h.layout);
    const iso = plan?.isolationIp ?? defaultIsolationIp(h.facts, layout);
    const tests: HostNetworkTests = { alinks: [], quorum, ...(iso !== undefined ? { isolationIp: iso } : {}) };
    if (servers.length > 0) {
      tests.udp = {
        nonce: udpNonce,
        ...(quorumComputers.length > 0 ? { listenPort: HOST_UDP_PORT } : {}),
        expect: quorumComputers.length,
        send: servers.map((s) => ({ token: token(), address: s.address, port: s.port })),
      };
    }
    const arp = planArp(h, xs);
    if (arp) tests.arp = arp;
    if (xs.length === 2) {
      const peer = xs.find((o) => o !== h)!;
      const peerLayout = effectiveLayout(base, peer.layout);
      for (const link of [1, 2] as const) {
        const dev = link === 1 ? layout.alink1 : layout.alink2;
        const peerAddress = addressOn(peer.facts, link === 1 ? peerLayout.alink1 : peerLayout.alink2);
        if (peerAddress !== undefined && /^[0-9A-Za-z_.-]{1,15}$/.test(dev)) tests.alinks.push({ link, dev, peer: peerAddress });
      }
    }
    out.set(h.name, tests);
  }
  for (const { server, computer } of quorumComputers) {
    if (out.has(computer.name)) continue;
    const send = xs.flatMap((h) => {
      const addr = addressOn(h.facts, effectiveLayout(base, h.layout).management);
      return addr !== undefined && !addr.includes(':') ? [{ token: token(), address: addr, port: HOST_UDP_PORT }] : [];
    });
    out.set(computer.name, { alinks: [], quorum: [], udp: { nonce: udpNonce, listenPort: server.port, expect: xs.length, send } });
  }
  return out;
}

/** The pseudo-probe id of the management computer's tests of one host. */
export const accessProbe = (host: string) => `net.access.${host}`;

export const ACCESS_PORTS = [22, 443, 8080, 8081] as const;
export type PortState = 'open' | 'refused' | 'filtered' | 'unreachable';

export interface AccessResult {
  address: string;
  ping: { alive: boolean; timeMs?: number; error?: string };
  tcp: Record<string, PortState>;
}

/** TCP connect: open (connected), refused (RST), filtered (no answer within the limit), unreachable (ICMP). */
export function tcpState(host: string, port: number, timeoutMs: number): Promise<PortState> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (s: PortState) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(s);
    };
    const timer = setTimeout(() => done('filtered'), timeoutMs);
    sock.once('connect', () => done('open'));
    sock.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') done('refused');
      else if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH' || err.code === 'EHOSTDOWN') done('unreachable');
      else if (err.code === 'ETIMEDOUT') done('filtered');
      else done('unreachable');
    });
  });
}

interface PingModule {
  promise: { probe(addr: string, cfg?: { timeout?: number; min_reply?: number; extra?: string[] }): Promise<{ alive: boolean; time: number | 'unknown'; output: string }> };
}

/** The management computer's tests of one host: ping (the `ping` package, i.e. the system's ping) and TCP 22, 443, 8080, 8081. */
export async function accessTests(address: string, timeoutMs = 2000): Promise<AccessResult> {
  const ping = createRequire(import.meta.url)('ping') as PingModule;
  const [pinged, ...ports] = await Promise.all([
    ping.promise
      .probe(address, { timeout: Math.max(1, Math.round(timeoutMs / 1000)), min_reply: 2 })
      .then((r) => ({ alive: r.alive, ...(typeof r.time === 'number' ? { timeMs: r.time } : {}) }))
      .catch((err: Error) => ({ alive: false, error: err.message })),
    ...ACCESS_PORTS.map((p) => tcpState(address, p, timeoutMs)),
  ]);
  return { address, ping: pinged, tcp: Object.fromEntries(ACCESS_PORTS.map((p, i) => [String(p), ports[i]!])) };
}

/** Runs the management computer's tests of every host with a network address; the pool's evidence. */
export async function managementAccessEvidence(hosts: readonly { name: string; netAddress: string }[]): Promise<HostEvidence> {
  const collectedAt = new Date().toISOString();
  const entries = await Promise.all(
    hosts.map(async (h): Promise<[string, Evidence]> => {
      const started = Date.now();
      const id = accessProbe(h.name);
      const source = `from this computer: ping ${h.netAddress}; TCP connect to ${h.netAddress} ports ${ACCESS_PORTS.join(', ')}`;
      try {
        const r = await accessTests(h.netAddress);
        return [id, { probe: id, source, stdout: `${JSON.stringify(r)}\n`, stderr: '', exitCode: 0, durationMs: Date.now() - started, truncated: false }];
      } catch (err) {
        return [id, { probe: id, source, stdout: '', stderr: '', exitCode: null, durationMs: Date.now() - started, truncated: false, error: (err as Error).message }];
      }
    }),
  );
  return { transport: 'local', collectedAt, evidence: Object.fromEntries(entries) };
}

/** The parsed access result of a host from the pool evidence, or why there is none. */
export function accessResult(ev: HostEvidence | undefined, host: string): AccessResult | string {
  const e = ev?.evidence[accessProbe(host)];
  if (!e) return 'the management computer did not test it (no network address, or the network tests were turned off)';
  if (e.error !== undefined) return `the test failed: ${e.error}`;
  try {
    return JSON.parse(e.stdout) as AccessResult;
  } catch {
    return 'the recorded result is not readable';
  }
}
