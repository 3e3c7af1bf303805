import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { CHECKS, OUTCOMES } from '../../src/checks/index.js';
import { probeById } from '../../src/collect/probes.js';
import { generatedFiles } from '../../src/docs/generateDocs.js';
import { Status } from '../../src/engine/types.js';
import { everrunProfile, hasCasesFile, hasPoolCasesFile, loadCases, loadPoolCases, PROFILE_NAME } from './caseTable.js';

/**
 * Registry, profile, docs and tests cannot drift apart (ESLint's checkRuleFiles, for preflight):
 * every rule of the profile has what a finding and the docs need, every check it names exists,
 * every check has a table of test rows, and every outcome a check can give has at least one row.
 * Adding a rule without docs, or a check or an outcome without rows, fails here.
 */

const profile = everrunProfile();
const checkNames = Object.keys(CHECKS).sort();
const rulesDoc = generatedFiles(profile).find((f) => f.path === 'docs/rules.md')?.content ?? '';

/** The "## id" section of docs/rules.md, up to the next rule's heading. */
function docSection(doc: string, id: string): string | undefined {
  const lines = doc.split('\n');
  const start = lines.indexOf(`## ${id}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Host checks keep their rows in test/checks/cases/, pool checks in test/checks/poolCases/. */
const isPool = (name: string) => CHECKS[name]!.scope === 'pool';
const tableFile = (name: string) => `test/checks/${isPool(name) ? 'poolCases' : 'cases'}/${name}.ts`;
const hasTable = (name: string) => (isPool(name) ? hasPoolCasesFile(name) : hasCasesFile(name));

const tables = new Map<string, { name: string; status: Status }[] | undefined>();
for (const name of checkNames) tables.set(name, isPool(name) ? await loadPoolCases(name) : await loadCases(name));

describe(`profile ${PROFILE_NAME}: every rule`, () => {
  test('the profile has rules, with unique ids', () => {
    expect(profile.rules.length).toBeGreaterThan(0);
    const ids = profile.rules.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  for (const rule of profile.rules) {
    describe(rule.id, () => {
      test('has a title, a guide reference and a remediation', () => {
        expect(rule.title.trim(), 'title').not.toBe('');
        expect(rule.reference, 'reference must cite the guide').toMatch(/^Setup Guide\b/);
        expect(rule.remediation.trim().length, 'remediation').toBeGreaterThan(20);
      });

      test('names a registered check with outcomes', () => {
        expect(CHECKS, `check "${rule.check}" is not in CHECKS (src/checks/index.ts)`).toHaveProperty([rule.check]);
        expect(OUTCOMES, `check "${rule.check}" has no OUTCOMES entry`).toHaveProperty([rule.check]);
        expect(CHECKS[rule.check]!.scope).toBe(rule.scope);
      });

      test('has its params accepted by the check', () => {
        const check = CHECKS[rule.check]!;
        expect(() => check.params.parse(rule.params)).not.toThrow();
      });

      test('is documented in docs/rules.md with its reference', () => {
        const section = docSection(rulesDoc, rule.id);
        expect(section, `docs/rules.md has no "## ${rule.id}" section`).toBeDefined();
        expect(section).toContain(rule.title);
        expect(section).toContain(rule.reference);
        expect(section).toContain(rule.remediation.trim());
        // The summary table links every rule too.
        expect(rulesDoc).toContain(`[\`${rule.id}\`](#${rule.id.replace(/\./g, '')})`);
      });

      test('has test rows for its check', () => {
        expect(tables.get(rule.check), `${tableFile(rule.check)} is missing`).toBeDefined();
      });
    });
  }
});

describe('the check registry', () => {
  test('CHECKS and OUTCOMES list the same checks', () => {
    expect(Object.keys(OUTCOMES).sort()).toEqual(checkNames);
  });

  test('registry keys are the checks’ own names', () => {
    for (const name of checkNames) expect(CHECKS[name]!.name, name).toBe(name);
  });

  for (const name of checkNames) {
    describe(name, () => {
      test('declares only valid outcomes, each once', () => {
        const outcomes = OUTCOMES[name]!;
        expect(outcomes.length).toBeGreaterThan(0);
        for (const s of outcomes) expect(Status.options).toContain(s);
        expect(new Set(outcomes).size).toBe(outcomes.length);
      });

      test('reads only probes that exist in src/collect/probes.ts', () => {
        const check = CHECKS[name]!;
        expect(check.probes.length).toBeGreaterThan(0);
        expect(check.probes.filter((id) => probeById(id) === undefined)).toEqual([]);
      });

      test('has a cases file (test/checks/cases/<check>.ts, or poolCases/ for a pool check)', () => {
        expect(hasTable(name), `${tableFile(name)} is missing`).toBe(true);
      });

      test('has a test row for every status in OUTCOMES, and none for a status it cannot give', () => {
        const rows = tables.get(name) ?? [];
        const covered = new Set(rows.map((c) => c.status));
        const missing = OUTCOMES[name]!.filter((s) => !covered.has(s));
        expect(missing, `no row in ${tableFile(name)} for: ${missing.join(', ')}`).toEqual([]);
        const undeclared = [...covered].filter((s) => !OUTCOMES[name]!.includes(s));
        expect(undeclared, `rows expect statuses missing from OUTCOMES["${name}"]`).toEqual([]);
      });

      test('row names are unique', () => {
        const names = (tables.get(name) ?? []).map((c) => c.name);
        expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
      });
    });
  }
});

describe('the cases folders', () => {
  const tablesIn = (folder: string) => {
    const dir = fileURLToPath(new URL(`./${folder}/`, import.meta.url));
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)) : [];
  };

  test('cases/ holds tables of host checks only', () => {
    expect(tablesIn('cases').filter((f) => !(f in CHECKS) || isPool(f))).toEqual([]);
  });

  test('poolCases/ holds tables of pool checks only', () => {
    expect(tablesIn('poolCases').filter((f) => !(f in CHECKS) || !isPool(f))).toEqual([]);
  });
});

// The committed docs/rules.md is compared byte for byte with the generated text by the
// generated-files test; here it only has to document every rule once it exists.
const committedDoc = fileURLToPath(new URL('../../docs/rules.md', import.meta.url));
test.skipIf(!existsSync(committedDoc))('docs/rules.md in the repository documents every rule', () => {
  const doc = readFileSync(committedDoc, 'utf8');
  for (const rule of profile.rules) expect(docSection(doc, rule.id), rule.id).toBeDefined();
});
