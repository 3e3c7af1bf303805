import { describe, expect, test } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import type { HostCheck, Outcome } from '../../src/checks/types.js';
import { HostFacts } from '../../src/facts/schema.js';
import { loadCases, paramsFor, type CheckCase } from './caseTable.js';
import { hostFacts } from './hostFacts.js';

/**
 * Every row of every check's table (test/checks/cases/<check>.ts) through the real check, with
 * the profile rule's params (validated by the check's own zod schema) and the row's overrides.
 * The conformance test makes sure every check has a table and every outcome a row.
 */

// Pool checks have their own tables (test/checks/poolCases, run by poolChecks.test.ts).
const hostCheckNames = Object.keys(CHECKS)
  .filter((name) => CHECKS[name]!.scope === 'host')
  .sort();

const tables: [string, CheckCase[]][] = [];
for (const name of hostCheckNames) {
  const cases = await loadCases(name);
  if (cases) tables.push([name, cases]);
}

function hostCheck(name: string): HostCheck {
  const check = CHECKS[name]!;
  if (check.scope !== 'host') throw new Error(`${name} is a pool check; these tables hold host rows`);
  return check;
}

function run(name: string, c: Pick<CheckCase, 'facts' | 'params'>): Outcome {
  const check = hostCheck(name);
  const params = check.params.parse(paramsFor(name, c.params));
  return check.evaluate({ host: 'h', role: 'master', facts: c.facts }, params);
}

for (const [name, cases] of tables) {
  for (const c of cases) {
    test(`${name} > ${c.name}`, () => {
      // Rows must be facts the parsers could have produced, not shapes the schema rejects.
      expect(() => HostFacts.parse(c.facts)).not.toThrow();
      const out = run(name, c);
      const shown = `status ${out.status}\nobserved: ${out.observed}\nexpected: ${out.expected}\nmessage: ${out.message}`;
      expect(out.status, shown).toBe(c.status);
      if (c.observed) expect(out.observed, shown).toMatch(c.observed);
      if (c.message) expect(out.message, shown).toMatch(c.message);
      // Every verdict says what was seen, what was wanted, and (for anything but pass) what to do.
      expect(out.observed.trim(), 'observed').not.toBe('');
      expect(out.expected.trim(), 'expected').not.toBe('');
      expect(out.message.trim(), 'message').not.toBe('');
      expect(out.message, 'no unfilled template').not.toMatch(/undefined|NaN|\[object Object\]/);
      expect(out.observed, 'no unfilled template').not.toMatch(/undefined|NaN|\[object Object\]/);
    });
  }
}

describe('sparse facts', () => {
  // A probe that failed leaves its facts out; a check must then say error or skip, never crash,
  // and never pass or fail on nothing.
  test.each(hostCheckNames)('%s on a host where nothing was collected: error or skip', (name) => {
    const out = run(name, { facts: hostFacts() });
    expect(['error', 'skip']).toContain(out.status);
    expect(out.message).not.toMatch(/undefined|NaN/);
  });

  // Dropping any one optional part of a row's facts must not make its check throw.
  const optionalKeys = ['disks', 'filesystems', 'storageRepositories', 'nics', 'routes', 'ipConfig', 'dhcpClients', 'dns', 'listeners', 'firewall', 'xenserver'] as const;
  for (const [name, cases] of tables) {
    test(`${name}: every row survives losing any one optional fact`, () => {
      for (const c of cases) {
        for (const key of optionalKeys) {
          if (!(key in c.facts)) continue;
          const facts = { ...c.facts };
          delete facts[key];
          expect(() => run(name, { facts, params: c.params }), `${c.name} without ${key}`).not.toThrow();
        }
        for (const key of ['os', 'cpu', 'virtualization', 'memory'] as const) {
          const facts = { ...c.facts, [key]: key === 'cpu' ? { flags: [] } : {} } as HostFacts;
          expect(() => run(name, { facts, params: c.params }), `${c.name} with empty ${key}`).not.toThrow();
        }
      }
    });
  }
});
