import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Role, Status } from '../../src/engine/types.js';
import { loadProfile, type LoadedProfile } from '../../src/engine/loadRules.js';
import type { HostFacts } from '../../src/facts/schema.js';
import type { HostContext, PoolContext } from '../../src/checks/types.js';

/**
 * A check's test table: test/checks/cases/<check>.ts exports `cases: CheckCase[]`. Each row is a
 * situation (facts), the status the check must give (before the rule's severity is applied: a
 * `warn` rule's requirement miss is still `fail` here), and regexes on the texts the operator reads.
 */
export interface CheckCase {
  name: string;
  facts: HostFacts;
  /** Merged (deeply, for plain objects) over the params of the profile rule that uses the check. */
  params?: Record<string, unknown>;
  /** The site plan's pool part (PoolContext.plan). */
  plan?: PoolContext['plan'];
  /** Evidence of the tests run from the management computer (PoolContext.evidence). */
  evidence?: PoolContext['evidence'];
  status: Status;
  observed?: RegExp;
  message?: RegExp;
}

export const PROFILE_NAME = 'everrun-6.0';

let profile: LoadedProfile | undefined;
export function everrunProfile(): LoadedProfile {
  profile ??= loadProfile(PROFILE_NAME);
  return profile;
}

/** Host checks keep their tables in cases/, pool checks in poolCases/. */
type TableFolder = 'cases' | 'poolCases';

function hasTable(folder: TableFolder, check: string): boolean {
  return existsSync(fileURLToPath(new URL(`./${folder}/${check}.ts`, import.meta.url)));
}

/** The rows of test/checks/FOLDER/CHECK.ts, or undefined when the check has no such file. */
async function loadTable<T>(folder: TableFolder, check: string, rowType: string): Promise<T[] | undefined> {
  if (!hasTable(folder, check)) return undefined;
  const mod = (await import(`./${folder}/${check}.ts`)) as { cases?: T[] };
  if (!Array.isArray(mod.cases)) throw new Error(`test/checks/${folder}/${check}.ts does not export "cases: ${rowType}[]"`);
  return mod.cases;
}

export const hasCasesFile = (check: string): boolean => hasTable('cases', check);

/** The rows of a check, or undefined when it has no cases file. */
export const loadCases = (check: string): Promise<CheckCase[] | undefined> => loadTable<CheckCase>('cases', check, 'CheckCase');

/** The params of the first profile rule that uses the check ({} when no rule does), with the row's overrides. */
export function paramsFor(check: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const rule = everrunProfile().rules.find((r) => r.check === check);
  return deepMerge(structuredClone(rule?.params ?? {}), overrides);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof RegExp);
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    base[k] = isPlainObject(b) && isPlainObject(v) ? deepMerge({ ...b }, v) : v;
  }
  return base;
}

/**
 * A pool check's test table: test/checks/poolCases/<check>.ts exports `cases: PoolCheckCase[]`.
 * Each row is a scan (the hosts' facts, the hosts that could not be scanned) and the status the
 * check must give; rows are judged on the hosts of the roles the profile rule names, as in a scan.
 */
export interface PoolCaseHost {
  host: string;
  role: Role;
  facts: HostFacts;
  /** How the host was reached: 'local' for a local scan, else the address given (user@host:port). */
  address?: string;
  /** NIC roles from a site plan for this host (HostContext.layout). */
  layout?: HostContext['layout'];
  /** Raw evidence, e.g. the active network tests' net.ping.* results (HostContext.evidence). */
  evidence?: HostContext['evidence'];
}

export interface PoolCheckCase {
  name: string;
  hosts: PoolCaseHost[];
  unreachable?: { host: string; role: Role; error: string }[];
  params?: Record<string, unknown>;
  /** The site plan's pool part (PoolContext.plan). */
  plan?: PoolContext['plan'];
  /** Evidence of the tests run from the management computer (PoolContext.evidence). */
  evidence?: PoolContext['evidence'];
  status: Status;
  observed?: RegExp;
  message?: RegExp;
}

export const hasPoolCasesFile = (check: string): boolean => hasTable('poolCases', check);

/** The rows of a pool check, or undefined when it has no poolCases file. */
export const loadPoolCases = (check: string): Promise<PoolCheckCase[] | undefined> => loadTable<PoolCheckCase>('poolCases', check, 'PoolCheckCase');

/** The roles of the first profile rule that uses the check (what the engine filters the pool by). */
export function rolesFor(check: string): Role[] {
  return everrunProfile().rules.find((r) => r.check === check)?.roles ?? ['master', 'member'];
}
