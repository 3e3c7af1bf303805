import type { HostFacts } from '../facts/schema.js';
import { whyMissing } from './missingFacts.js';
import type { HostContext, Outcome, PoolContext, UnreachableHost } from './types.js';

/**
 * Shared wording and bookkeeping of the pool checks: how hosts are named, what to say about hosts
 * that could not be scanned, and the verdict when a comparison has fewer than two hosts.
 */

/** "h1", "h1 and h2", "h1, h2 and h3". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "h2 (member) could not be scanned: connect ETIMEDOUT 10.0.0.12:22". */
export function unreachableText(hosts: readonly UnreachableHost[]): string {
  return hosts.map((u) => `${u.host} (${u.role}) could not be scanned: ${u.error}`).join('; ');
}

/** Every host of the scan the rule looks at, scanned or not. */
export function scanSize(ctx: PoolContext): number {
  return ctx.hosts.length + ctx.unreachable.length;
}

/**
 * The verdict of a comparison that cannot be made: `skip` when the scan has fewer than two hosts
 * (nothing to compare; a single local scan lands here), `error` when a second host was given but
 * could not be scanned. Undefined when at least two hosts were scanned.
 */
export function cannotCompare(ctx: PoolContext, expected: string, what: string): Outcome | undefined {
  if (ctx.hosts.length >= 2) return undefined;
  if (ctx.unreachable.length > 0) {
    return {
      status: 'error',
      observed: `${ctx.hosts.length} of ${scanSize(ctx)} hosts scanned`,
      expected,
      message: `Cannot compare ${what}: ${unreachableText(ctx.unreachable)}. Fix the connection (or --timeout) and scan again.`,
    };
  }
  return {
    status: 'skip',
    observed: ctx.hosts.length === 1 ? `only ${ctx.hosts[0]!.host} was scanned` : 'no host was scanned',
    expected,
    message: `Nothing to compare: ${what} can only be compared with two or more hosts in the scan (for example --host root@HOST1 --host root@HOST2).`,
  };
}

/**
 * The `error` a comparison gives when it found no difference but could not look at every host:
 * hosts that could not be scanned, and scanned hosts whose facts are missing (`missing`, with the
 * probes that would have given them).
 */
export function incomplete(
  ctx: PoolContext,
  missing: readonly { host: HostContext; probes: readonly string[] }[],
  what: string,
  hint: string,
): string | undefined {
  const parts = [
    ...missing.map((m) => `${m.host.host}: ${whyMissing(m.host.facts, m.probes)}`),
    ...(ctx.unreachable.length ? [unreachableText(ctx.unreachable)] : []),
  ];
  if (parts.length === 0) return undefined;
  return `Cannot tell whether ${what}: ${parts.join('; ')}. ${hint}`;
}

/** True when the host certainly does not run XenServer: the inventory file is absent (not unreadable). */
export function certainlyNotXenServer(facts: HostFacts): boolean {
  return facts.xenserver === undefined && facts.probes['xen.inventory']?.status === 'absent';
}
