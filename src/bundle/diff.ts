import { z } from 'zod';
import { inertText as inert } from '../report/inertText.js';

/**
 * `preflight diff OLD NEW`: per host and rule, what was fixed, what is new and what is still
 * failing between two runs. Hosts are matched by name, pool rules under the host "pool".
 *
 * A finding is a PROBLEM when its status is fail, warn or error and no waiver in force covers it.
 *  - fixed:          a problem in OLD, not a problem in NEW (pass, skip or waived);
 *  - new:            a problem in NEW that was not a problem in OLD (or was not there: a new host,
 *                    a new rule);
 *  - still failing:  a problem in both (the status may have changed, e.g. warn -> fail);
 *  - not compared:   a problem on one side only because the host or rule is missing on the other
 *                    (a host removed, a rule dropped from the profile).
 * The exit code (commands/diff.ts) is 1 when NEW has a failure OLD did not have.
 */

export const DIFF_SCHEMA_VERSION = '1.0.0';

/** What diff reads of a JSON report: lenient, so reports of other 1.x versions compare too. */
const FindingIn = z.object({
  rule: z.string(),
  status: z.enum(['pass', 'warn', 'fail', 'skip', 'error']),
  title: z.string().default(''),
  message: z.string().default(''),
  waiver: z.object({ expired: z.boolean() }).passthrough().optional(),
});
export const ReportIn = z.object({
  schemaVersion: z.string().regex(/^1\./, 'a preflight JSON report of schema version 1.x'),
  startedAt: z.string().default(''),
  hosts: z.array(z.object({ name: z.string(), reachable: z.boolean().default(true), error: z.string().optional(), findings: z.array(FindingIn) })),
  pool: z.object({ findings: z.array(FindingIn) }).default({ findings: [] }),
});
export type ReportIn = z.infer<typeof ReportIn>;
type FindingIn = z.infer<typeof FindingIn>;

export type Shown = 'pass' | 'warn' | 'fail' | 'skip' | 'error' | 'waived';

export interface DiffEntry {
  host: string;
  rule: string;
  title: string;
  old?: Shown;
  new?: Shown;
  /** The NEW message (or OLD when the finding is gone). */
  message: string;
}

export interface ReportDiff {
  schemaVersion: string;
  old: { source: string; startedAt: string };
  new: { source: string; startedAt: string };
  fixed: DiffEntry[];
  new_: DiffEntry[];
  stillFailing: DiffEntry[];
  notCompared: (DiffEntry & { reason: string })[];
  hosts: { onlyInOld: string[]; onlyInNew: string[]; unreachableInNew: string[] };
  /** New failures (status fail in NEW, not fail in OLD): what sets exit code 1. */
  newFailures: number;
  /** New problems of any kind (fail, warn, error): exit code 1 under --strict. */
  newProblems: number;
}

const shown = (f: FindingIn): Shown => (f.waiver && !f.waiver.expired && f.status !== 'pass' ? 'waived' : f.status);
const isProblem = (s: Shown | undefined) => s === 'fail' || s === 'warn' || s === 'error';

export function diffReports(oldR: ReportIn, newR: ReportIn, sources: { old: string; new: string }): ReportDiff {
  const index = (r: ReportIn) => {
    const m = new Map<string, Map<string, FindingIn>>();
    for (const h of r.hosts) m.set(h.name, new Map(h.findings.map((f) => [f.rule, f])));
    m.set('pool', new Map(r.pool.findings.map((f) => [f.rule, f])));
    return m;
  };
  const a = index(oldR);
  const b = index(newR);
  const out: ReportDiff = {
    schemaVersion: DIFF_SCHEMA_VERSION,
    old: { source: sources.old, startedAt: oldR.startedAt },
    new: { source: sources.new, startedAt: newR.startedAt },
    fixed: [],
    new_: [],
    stillFailing: [],
    notCompared: [],
    hosts: {
      onlyInOld: oldR.hosts.map((h) => h.name).filter((n) => !b.has(n)),
      onlyInNew: newR.hosts.map((h) => h.name).filter((n) => !a.has(n)),
      unreachableInNew: newR.hosts.filter((h) => !h.reachable).map((h) => h.name),
    },
    newFailures: 0,
    newProblems: 0,
  };
  const hostOrder = [...new Set([...newR.hosts.map((h) => h.name), ...oldR.hosts.map((h) => h.name), 'pool'])];
  for (const host of hostOrder) {
    const fa = a.get(host);
    const fb = b.get(host);
    const rules = [...new Set([...(fb?.keys() ?? []), ...(fa?.keys() ?? [])])];
    for (const rule of rules) {
      const o = fa?.get(rule);
      const n = fb?.get(rule);
      const so = o ? shown(o) : undefined;
      const sn = n ? shown(n) : undefined;
      const entry: DiffEntry = {
        host,
        rule,
        title: (n ?? o)!.title,
        ...(so !== undefined ? { old: so } : {}),
        ...(sn !== undefined ? { new: sn } : {}),
        message: (n ?? o)!.message,
      };
      if (isProblem(so) && isProblem(sn)) {
        out.stillFailing.push(entry);
        if (sn === 'fail' && so !== 'fail') out.newFailures++;
      } else if (isProblem(so) && sn !== undefined) {
        out.fixed.push(entry);
      } else if (isProblem(so)) {
        out.notCompared.push({ ...entry, reason: fb ? 'rule not evaluated in NEW' : 'host not in NEW' });
      } else if (isProblem(sn)) {
        // A problem on a host OLD never had, or of a rule OLD did not evaluate, is new all the same.
        out.new_.push(entry);
        out.newProblems++;
        if (sn === 'fail') out.newFailures++;
      }
    }
  }
  return out;
}

export function renderDiffText(d: ReportDiff): string {
  const lines: string[] = [];
  const when = (s: { source: string; startedAt: string }) => `${s.source}${s.startedAt ? ` (${s.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')})` : ''}`;
  lines.push(`OLD: ${when(d.old)}`, `NEW: ${when(d.new)}`, '');
  const section = (title: string, entries: DiffEntry[], extra?: (e: DiffEntry) => string) => {
    lines.push(`${title} (${entries.length})`);
    if (entries.length === 0) lines.push('  none');
    const hostWidth = Math.min(24, Math.max(4, ...entries.map((e) => e.host.length)));
    const ruleWidth = Math.min(32, Math.max(4, ...entries.map((e) => e.rule.length)));
    for (const e of entries) {
      const change = `${e.old ?? '-'} -> ${e.new ?? '-'}`;
      lines.push(`  ${inert(e.host).padEnd(hostWidth)}  ${e.rule.padEnd(ruleWidth)}  ${change.padEnd(16)}  ${inert(extra ? extra(e) : e.message)}`);
    }
    lines.push('');
  };
  section('Fixed', d.fixed);
  section('New', d.new_);
  section('Still failing', d.stillFailing);
  if (d.notCompared.length) section('Not compared', d.notCompared, (e) => (e as DiffEntry & { reason: string }).reason);
  if (d.hosts.onlyInOld.length) lines.push(`Hosts only in OLD: ${d.hosts.onlyInOld.map(inert).join(', ')}`);
  if (d.hosts.onlyInNew.length) lines.push(`Hosts only in NEW: ${d.hosts.onlyInNew.map(inert).join(', ')}`);
  if (d.hosts.unreachableInNew.length) lines.push(`Hosts not scanned in NEW: ${d.hosts.unreachableInNew.map(inert).join(', ')}`);
  lines.push(`${d.fixed.length} fixed, ${d.new_.length} new (${d.newFailures} new failures), ${d.stillFailing.length} still failing`);
  return lines.join('\n') + '\n';
}

export function renderDiffJson(d: ReportDiff): string {
  const { new_, ...rest } = d;
  return (
    JSON.stringify(
      {
        schemaVersion: rest.schemaVersion,
        from: rest.old,
        to: rest.new,
        fixed: rest.fixed,
        new: new_,
        stillFailing: rest.stillFailing,
        notCompared: rest.notCompared,
        hosts: rest.hosts,
        summary: { fixed: rest.fixed.length, new: new_.length, newFailures: rest.newFailures, stillFailing: rest.stillFailing.length },
      },
      null,
      2,
    ) + '\n'
  );
}

