import { checkByName } from '../checks/index.js';
import { NicLayout } from '../checks/nicLayout.js';
import { effectiveLayout } from './planLayout.js';
import type { HostContext, Outcome, PoolContext } from '../checks/types.js';
import { probeById } from '../collect/probes.js';
import type { Summary } from '../report/schema.js';
import type { EvidenceRef, Finding, ResolvedRule, Role, Status } from './types.js';
import { waiverFor, type WaiverSet } from './waivers.js';
import { EXIT } from './exitCodes.js';

export interface EvaluationOptions {
  /** Rule ids skipped for this run (`--skip`). */
  skip: ReadonlySet<string>;
  waivers?: WaiverSet;
  /** Today as YYYY-MM-DD, for waiver expiry. */
  today: string;
}

export function rulesForRole(rules: readonly ResolvedRule[], role: Role): ResolvedRule[] {
  return rules.filter((r) => r.scope === 'host' && r.roles.includes(role));
}

/** Every host rule that applies to the host's role gives exactly one finding. */
export function evaluateHost(rules: readonly ResolvedRule[], ctx: HostContext, opts: EvaluationOptions): Finding[] {
  return rulesForRole(rules, ctx.role).map((rule) =>
    judge(rule, ctx.host, opts, () => {
      const check = checkByName(rule.check);
      if (!check || check.scope !== 'host') return crashed(`check "${rule.check}" is not a host check`);
      const outcome = check.evaluate(ctx, withPlannedLayout(rule.params, ctx.layout));
      // Expected vs found: say when the expectation is the site plan's, not the guide's default.
      const planned = ctx.layout !== undefined && Object.keys(ctx.layout).length > 0 && typeof rule.params === 'object' && rule.params !== null && 'layout' in rule.params;
      return planned ? { ...outcome, expected: `${outcome.expected} (NIC roles as planned in the site plan)` } : outcome;
    }),
  );
}

/**
 * The part of the scan a pool rule looks at: the hosts, scanned or unreachable, whose role the rule
 * names (pool.identical-cpus compares the XenServer hosts, not a quorum computer of the inventory).
 */
export function poolContextFor(roles: readonly Role[], ctx: PoolContext): PoolContext {
  return {
    ...ctx,
    hosts: ctx.hosts.filter((h) => roles.includes(h.role)),
    unreachable: ctx.unreachable.filter((h) => roles.includes(h.role)),
  };
}

/**
 * A rule's parameters for one host: when the site plan gives this host NIC roles and the check
 * takes a `layout`, the plan's roles replace the rule's (default) ones. Every layout-taking check
 * (network.carrier, network.management-nic, network.static-ip, network.gateway, network.dns,
 * network.bond, ...) so judges the NICs the site planned.
 */
export function withPlannedLayout<P>(params: P, planned: Partial<NicLayout> | undefined): P {
  if (!planned || typeof params !== 'object' || params === null || !('layout' in params)) return params;
  const parsed = NicLayout.safeParse((params as { layout: unknown }).layout);
  if (!parsed.success) return params;
  return { ...params, layout: effectiveLayout(parsed.data, planned) };
}

/** Every pool rule gives exactly one finding, judged on the hosts of the roles it names. */
export function evaluatePool(rules: readonly ResolvedRule[], ctx: PoolContext, opts: EvaluationOptions): Finding[] {
  return rules
    .filter((r) => r.scope === 'pool')
    .map((rule) =>
      judge(rule, 'pool', opts, () => {
        const check = checkByName(rule.check);
        if (!check || check.scope !== 'pool') return crashed(`check "${rule.check}" is not a pool check`);
        return check.evaluate(poolContextFor(rule.roles, ctx), rule.params);
      }),
    );
}

function judge(rule: ResolvedRule, host: string, opts: EvaluationOptions, run: () => Outcome): Finding {
  let outcome: Outcome;
  if (opts.skip.has(rule.id)) {
    outcome = { status: 'skip', observed: 'not evaluated', expected: '-', message: 'Skipped for this run by --skip.', probes: [] };
  } else {
    try {
      outcome = run();
    } catch (err) {
      // A bug in one check must not sink the scan; it is reported as "could not evaluate".
      outcome = crashed(`the check failed unexpectedly: ${(err as Error).message}`);
    }
  }
  const waiver = waiverFor(opts.waivers, rule.id, host, opts.today);
  return {
    rule: rule.id,
    status: applySeverity(outcome.status, rule),
    severity: rule.severity,
    title: rule.title,
    observed: outcome.observed,
    expected: outcome.expected,
    message: outcome.message,
    reference: rule.reference,
    remediation: rule.remediation,
    evidence: evidenceRefs(outcome.probes ?? checkByName(rule.check)?.probes ?? []),
    ...(waiver ? { waiver } : {}),
  };
}

/** A requirement miss is shown with the rule's severity; everything else is as the check said. */
function applySeverity(status: Status, rule: ResolvedRule): Status {
  return status === 'fail' ? rule.severity : status;
}

function crashed(message: string): Outcome {
  return { status: 'error', observed: 'could not evaluate', expected: '-', message };
}

function evidenceRefs(probes: readonly string[]): EvidenceRef[] {
  return probes.flatMap((id) => {
    const p = probeById(id);
    return p ? [{ probe: id, source: p.file ?? p.script, manual: p.manual }] : [];
  });
}

export function waivedInForce(f: Finding): boolean {
  return f.waiver !== undefined && !f.waiver.expired && f.status !== 'pass';
}

export function summarize(findings: readonly Finding[]): Summary {
  const s: Summary = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0, waived: 0 };
  for (const f of findings) {
    if (waivedInForce(f)) s.waived++;
    else s[f.status]++;
  }
  return s;
}

// Re-exported: commands that evaluate findings take the exit codes from here.
export { EXIT };

/** 3 when a host could not be scanned, else 1 when a rule failed (or warned/errored under --strict), else 0. */
export function exitCodeFor(summary: Summary, opts: { strict: boolean; unreachableHosts: number }): number {
  if (opts.unreachableHosts > 0) return EXIT.unreachable;
  if (summary.fail > 0) return EXIT.failed;
  if (opts.strict && (summary.warn > 0 || summary.error > 0)) return EXIT.failed;
  return EXIT.ok;
}
