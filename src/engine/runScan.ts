import type { HostEvidence } from '../collect/evidence.js';
import { buildHostFacts } from '../facts/buildHostFacts.js';
import type { HostFacts } from '../facts/schema.js';
import { REPORT_SCHEMA_VERSION, type HostReport, type Report } from '../report/schema.js';
import { TOOL_VERSION } from '../version.js';
import { evaluateHost, evaluatePool, summarize, type EvaluationOptions } from './evaluate.js';
import type { ResolvedRule, Role } from './types.js';

/** One host to scan: how to name it, and how to get its evidence (live or from a bundle). */
export interface ScanTarget {
  name: string;
  address: string;
  role: Role;
  collect(): Promise<HostEvidence>;
}

export interface ScanInput {
  profile: string;
  rules: readonly ResolvedRule[];
  targets: readonly ScanTarget[];
  evaluation: EvaluationOptions;
  /** Called when a host's evidence is in (progress on stderr). */
  onHostCollected?: (target: ScanTarget, error?: string) => void;
}

export interface ScanResult {
  report: Report;
  evidence: Map<string, HostEvidence>;
}

/** collect -> parse -> evaluate for every target; the report is rendered elsewhere. */
export async function runScan(input: ScanInput): Promise<ScanResult> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const evidence = new Map<string, HostEvidence>();
  const collected = await Promise.all(
    input.targets.map(async (t) => {
      try {
        const ev = await t.collect();
        evidence.set(t.name, ev);
        input.onHostCollected?.(t);
        return { target: t, facts: buildHostFacts(ev) as HostFacts | undefined };
      } catch (err) {
        const message = (err as Error).message;
        input.onHostCollected?.(t, message);
        return { target: t, facts: undefined, error: message };
      }
    }),
  );
  const hosts: HostReport[] = collected.map((c) => ({
    name: c.target.name,
    address: c.target.address,
    role: c.target.role,
    reachable: c.facts !== undefined,
    ...(c.error !== undefined ? { error: c.error } : {}),
    ...(c.facts ? { facts: c.facts } : {}),
    findings: c.facts ? evaluateHost(input.rules, { host: c.target.name, role: c.target.role, facts: c.facts }, input.evaluation) : [],
  }));
  const reachable = collected.flatMap((c) => (c.facts ? [{ host: c.target.name, role: c.target.role, facts: c.facts, address: c.target.address }] : []));
  // Hosts that could not be scanned still take part: pool rules that need them say so.
  const unreachable = collected.flatMap((c) => (c.facts ? [] : [{ host: c.target.name, role: c.target.role, error: c.error ?? 'not collected' }]));
  const poolFindings = evaluatePool(input.rules, { hosts: reachable, unreachable }, input.evaluation);
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'preflight', version: TOOL_VERSION },
    profile: input.profile,
    startedAt,
    durationMs: Date.now() - started,
    hosts,
    pool: { findings: poolFindings },
    summary: summarize([...hosts.flatMap((h) => h.findings), ...poolFindings]),
  };
  return { report, evidence };
}
