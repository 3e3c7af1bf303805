import type { Evidence } from '../collect/evidence.js';
import { ipLiteral } from '../collect/ipLiteral.js';
import { ipv4, nicNamed, samePath } from './hostNetwork.js';
import type { NicLayout } from './nicLayout.js';
import { effectiveLayout } from '../engine/planLayout.js';
import type { HostContext, Outcome, PoolContext } from './types.js';
import { joinNames, unreachableText } from './poolHosts.js';

/**
 * Shared reading of the active network tests' evidence (net.ping.*, net.neigh.*) for the pool
 * rules isolation-ip, alink-health, alink-pairing and quorum.
 */

/** A host's recorded test, or undefined when the test was not run. */
export function netEvidence(h: HostContext, id: string): Evidence | undefined {
  return h.evidence?.evidence[id];
}

/** The layout the pool rules use on a host: the rule's, with the site plan's roles over it. */
export function hostLayout(h: HostContext, layout: NicLayout): NicLayout {
  return effectiveLayout(layout, h.layout);
}

/** The A-link NIC of a link on a host. */
export function alinkDev(layout: NicLayout, link: 1 | 2): string {
  return link === 1 ? layout.alink1 : layout.alink2;
}

/** The IPv4 address on a host's NIC. */
export function addressOn(h: HostContext, dev: string): string | undefined {
  const a = ipv4(nicNamed(h.facts, dev))[0]?.address;
  return a !== undefined ? ipLiteral(a) : undefined;
}

/** The NIC names of a host that carry `mac` (a bridge shares its port's MAC). */
export function nicsWithMac(h: HostContext, mac: string): string[] {
  return (h.facts.nics ?? []).filter((n) => n.mac?.toLowerCase() === mac.toLowerCase()).map((n) => n.name);
}

export function isOnPath(h: HostContext, names: readonly string[], dev: string): boolean {
  return names.some((n) => n === dev || samePath(h.facts, n, dev));
}

/** The pair of XenServer hosts the A-link rules judge, or the verdict when there is no pair. */
export function alinkPair(ctx: PoolContext, expected: string, what: string): [HostContext, HostContext] | Outcome {
  const total = ctx.hosts.length + ctx.unreachable.length;
  if (ctx.hosts.length === 2 && ctx.unreachable.length === 0) return [ctx.hosts[0]!, ctx.hosts[1]!];
  if (total > 2) {
    return {
      status: 'skip',
      observed: `${total} hosts in the scan`,
      expected,
      message: `${what} is tested between the two hosts of a direct-cabled pair; with ${total} hosts the A-links are switched and each host's A-links are judged by their carrier and subnets.${ctx.unreachable.length ? ` (${unreachableText(ctx.unreachable)}.)` : ''}`,
    };
  }
  if (ctx.unreachable.length > 0) {
    return {
      status: 'error',
      observed: `${ctx.hosts.length} of ${total} hosts scanned`,
      expected,
      message: `Cannot test ${what}: ${unreachableText(ctx.unreachable)}. Fix the connection (or --timeout) and scan again.`,
    };
  }
  return {
    status: 'skip',
    observed: ctx.hosts.length === 1 ? `only ${ctx.hosts[0]!.host} was scanned` : 'no host was scanned',
    expected,
    message: `${what} is tested between two hosts: scan both (--host root@HOST1 --host root@HOST2).`,
  };
}

/** Combines per-item verdicts: the worst status wins (fail > error > warn > skip-only > pass). */
export function worst(statuses: readonly Outcome['status'][]): Outcome['status'] {
  for (const s of ['fail', 'error', 'warn'] as const) if (statuses.includes(s)) return s;
  if (statuses.length > 0 && statuses.every((s) => s === 'skip')) return 'skip';
  return 'pass';
}

/**
 * Per-item rows summed up the way the pool checks report them: every row's text (observed), the
 * worst status, and the texts of the rows that have that status (what the message names).
 */
export function summarizeRows(rows: readonly { status: Outcome['status']; text: string }[]): { observed: string; status: Outcome['status']; worstText: string } {
  const status = worst(rows.map((r) => r.status));
  return {
    observed: rows.map((r) => r.text).join('; '),
    status,
    worstText: rows.filter((r) => r.status === status).map((r) => r.text).join('; '),
  };
}

export { joinNames };
