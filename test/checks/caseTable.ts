import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Status } from '../../src/engine/types.js';
import { loadProfile, type LoadedProfile } from '../../src/engine/loadRules.js';
import type { HostFacts } from '../../src/facts/schema.js';

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

const CASES_DIR = fileURLToPath(new URL('./cases/', import.meta.url));

export function casesFile(check: string): string {
  return `${CASES_DIR}${check}.ts`;
}

export function hasCasesFile(check: string): boolean {
  return existsSync(casesFile(check));
}

/** The rows of a check, or undefined when it has no cases file. */
export async function loadCases(check: string): Promise<CheckCase[] | undefined> {
  if (!hasCasesFile(check)) return undefined;
  const mod = (await import(`./cases/${check}.ts`)) as { cases?: CheckCase[] };
  if (!Array.isArray(mod.cases)) throw new Error(`test/checks/cases/${check}.ts does not export "cases: CheckCase[]"`);
  return mod.cases;
}

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
