import { createRequire } from 'node:module';
import { connect } from 'node:net';
import type { Evidence, HostEvidence } from '../collect/evidence.js';
import { ipLiteral } from '../collect/ipLiteral.js';
import type { HostNetworkTests } from '../collect/networkTests.js';
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

/**
 * What each XenServer host (master, member) tests: the isolation IP; with exactly two of them,
 * each A-link NIC pings the other host's address on its own A-link NIC; the plan's quorum servers.
 */
export function planNetworkTests(hosts: readonly ExerciseHost[], rules: readonly ResolvedRule[], plan: PoolPlan | undefined): Map<string, HostNetworkTests> {
  const base = poolLayout(rules);
  const xs = hosts.filter((h) => h.role === 'master' || h.role === 'member');
  const out = new Map<string, HostNetworkTests>();
  const quorum = [plan?.quorum?.preferred.address, plan?.quorum?.alternate?.address].flatMap((q) => (q !== undefined && ipLiteral(q) ? [ipLiteral(q)!] : []));
  for (const h of xs) {
    const layout = effectiveLayout(base, h.layout);
    const iso = plan?.isolationIp ?? defaultIsolationIp(h.facts, layout);
    const tests: HostNetworkTests = { alinks: [], quorum, ...(iso !== undefined ? { isolationIp: iso } : {}) };
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
