import type { Evidence, HostEvidence } from '../collect/evidence.js';
import { failedNetworkTests, type HostNetworkTests } from '../collect/networkTests.js';
import { managementAccessEvidence, planNetworkTests } from './exercise.js';
import type { HostContext } from '../checks/types.js';
import { buildHostFacts } from '../facts/buildHostFacts.js';
import type { HostFacts } from '../facts/schema.js';
import { REPORT_SCHEMA_VERSION, type HostReport, type Report } from '../report/schema.js';
import { TOOL_VERSION } from '../version.js';
import { evaluateHost, evaluatePool, summarize, type EvaluationOptions } from './evaluate.js';
import type { ResolvedRule, Role } from './types.js';
import type { SitePlan } from './plan.js';
import { hostPlanLayout, plannedHost, poolPlan } from './planLayout.js';

/** One host to scan: how to name it, and how to get its evidence (live or from a bundle). */
export interface ScanTarget {
  name: string;
  address: string;
  role: Role;
  collect(): Promise<HostEvidence>;
  /** The host's network address as reached from this computer (management-access tests); remote targets only. */
  netAddress?: string;
  /** Runs the active network tests on the host over SSH (exercise phase); remote targets only. */
  exercise?(tests: HostNetworkTests): Promise<Record<string, Evidence>>;
}

export interface ScanInput {
  profile: string;
  rules: readonly ResolvedRule[];
  targets: readonly ScanTarget[];
  evaluation: EvaluationOptions;
  /** The site plan (--plan): NIC roles per host, isolation IP, quorum servers, A-link mode. */
  plan?: SitePlan;
  /** --isolation-ip: overrides the plan's isolationIp and the default (the management gateway). */
  isolationIp?: string;
  /** false: no active network tests (exercise phase). Default: run them for remote targets. */
  networkTests?: boolean;
  /** The management computer's network tests as a bundle stored them: a replay judges them without sending a packet. */
  storedPoolEvidence?: HostEvidence;
  /** Hosts collecting at once (each may hold an SSH connection); default DEFAULT_CONCURRENCY. */
  concurrency?: number;
  /** Called when a host's evidence is in (progress on stderr). */
  onHostCollected?: (target: ScanTarget, error?: string) => void;
}

export interface ScanResult {
  report: Report;
  evidence: Map<string, HostEvidence>;
  /** The management computer's own network tests of the hosts (pool.management-access), when run. */
  poolEvidence?: HostEvidence;
}

/** Hosts scanned at once by default: enough to hide network latency, few enough for a 2-core laptop. */
export const DEFAULT_CONCURRENCY = 16;

/** Runs the tasks it is given, at most `limit` at the same time, in the order they arrive. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so the count never overshoots.
    if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
    else running++;
    try {
      return await task();
    } finally {
      const next = queue.shift();
      if (next) next();
      else running--;
    }
  };
}

/** collect -> parse -> evaluate for every target; the report is rendered elsewhere. */
export async function runScan(input: ScanInput): Promise<ScanResult> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const evidence = new Map<string, HostEvidence>();
  const limit = limiter(input.concurrency ?? DEFAULT_CONCURRENCY);
  const collected = await Promise.all(
    input.targets.map(async (t) => {
      try {
        const ev = await limit(() => t.collect());
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
  const plan = poolPlan(input.plan, input.isolationIp);
  const layouts = new Map<string, HostContext['layout']>();
  for (const c of collected) {
    const planned = plannedHost(input.plan, c.target.name);
    if (c.facts && planned) layouts.set(c.target.name, hostPlanLayout(planned, c.facts).layout);
  }

  // The exercise phase: active network tests, once every host's facts are known.
  let poolEvidence: HostEvidence | undefined = input.storedPoolEvidence;
  if (input.networkTests !== false && input.targets.some((t) => t.exercise !== undefined)) {
    const tests = planNetworkTests(
      collected.flatMap((c) => (c.facts ? [{ name: c.target.name, role: c.target.role, facts: c.facts, ...(layouts.get(c.target.name) ? { layout: layouts.get(c.target.name)! } : {}) }] : [])),
      input.rules,
      plan,
    );
    const remote = Promise.all(
      collected.map(async (c) => {
        const t = tests.get(c.target.name);
        const ev = evidence.get(c.target.name);
        if (!t || !ev || !c.target.exercise) return;
        let results: Record<string, Evidence>;
        try {
          results = await c.target.exercise(t);
        } catch (err) {
          results = failedNetworkTests(t, (err as Error).message);
        }
        evidence.set(c.target.name, { ...ev, evidence: { ...ev.evidence, ...results } });
      }),
    );
    const access = managementAccessEvidence(
      input.targets.flatMap((t) => (t.netAddress !== undefined && (t.role === 'master' || t.role === 'member') ? [{ name: t.name, netAddress: t.netAddress }] : [])),
    );
    [, poolEvidence] = await Promise.all([remote, access]);
  }

  const contexts = new Map<string, HostContext>();
  for (const c of collected) {
    if (!c.facts) continue;
    const layout = layouts.get(c.target.name);
    const ev = evidence.get(c.target.name);
    contexts.set(c.target.name, {
      host: c.target.name,
      role: c.target.role,
      facts: c.facts,
      address: c.target.address,
      ...(layout ? { layout } : {}),
      ...(ev ? { evidence: ev } : {}),
    });
  }
  const hosts: HostReport[] = collected.map((c) => {
    const ctx = contexts.get(c.target.name);
    return {
      name: c.target.name,
      address: c.target.address,
      role: c.target.role,
      reachable: c.facts !== undefined,
      ...(c.error !== undefined ? { error: c.error } : {}),
      ...(c.facts ? { facts: c.facts } : {}),
      findings: ctx ? evaluateHost(input.rules, ctx, input.evaluation) : [],
    };
  });
  const reachable = collected.flatMap((c) => contexts.get(c.target.name) ?? []);
  // Hosts that could not be scanned still take part: pool rules that need them say so.
  const unreachable = collected.flatMap((c) => (c.facts ? [] : [{ host: c.target.name, role: c.target.role, error: c.error ?? 'not collected' }]));
  const poolFindings = evaluatePool(
    input.rules,
    { hosts: reachable, unreachable, ...(plan ? { plan } : {}), ...(poolEvidence ? { evidence: poolEvidence } : {}) },
    input.evaluation,
  );
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
  return { report, evidence, ...(poolEvidence ? { poolEvidence } : {}) };
}
