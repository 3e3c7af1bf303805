import { describe, expect, test } from 'vitest';
import { CHECKS } from '../../src/checks/index.js';
import type { Outcome, PoolCheck, PoolContext } from '../../src/checks/types.js';
import { poolContextFor } from '../../src/engine/evaluate.js';
import { HostFacts } from '../../src/facts/schema.js';
import { loadPoolCases, paramsFor, rolesFor, type PoolCheckCase } from './caseTable.js';
import { hostFacts } from './hostFacts.js';

/**
 * Every row of every pool check's table (test/checks/poolCases/<check>.ts) through the real check,
 * with the profile rule's params (validated by the check's zod schema) and the row's overrides, on
 * the hosts of the roles the rule names, the way evaluatePool hands them over in a scan.
 */

const poolCheckNames = Object.keys(CHECKS)
  .filter((name) => CHECKS[name]!.scope === 'pool')
  .sort();

const tables: [string, PoolCheckCase[]][] = [];
for (const name of poolCheckNames) {
  const cases = await loadPoolCases(name);
  if (cases) tables.push([name, cases]);
}

function poolCheck(name: string): PoolCheck {
  const check = CHECKS[name]!;
  if (check.scope !== 'pool') throw new Error(`${name} is a host check; these tables hold pool rows`);
  return check;
}

function context(c: Pick<PoolCheckCase, 'hosts' | 'unreachable' | 'plan' | 'evidence'>): PoolContext {
  return {
    hosts: c.hosts.map((h) => ({
      host: h.host,
      role: h.role,
      facts: h.facts,
      ...(h.address !== undefined ? { address: h.address } : {}),
      ...(h.layout !== undefined ? { layout: h.layout } : {}),
      ...(h.evidence !== undefined ? { evidence: h.evidence } : {}),
    })),
    unreachable: c.unreachable ?? [],
    ...(c.plan !== undefined ? { plan: c.plan } : {}),
    ...(c.evidence !== undefined ? { evidence: c.evidence } : {}),
  };
}

function run(name: string, c: Pick<PoolCheckCase, 'hosts' | 'unreachable' | 'params' | 'plan' | 'evidence'>): Outcome {
  const check = poolCheck(name);
  const params = check.params.parse(paramsFor(name, c.params));
  return check.evaluate(poolContextFor(rolesFor(name), context(c)), params);
}

for (const [name, cases] of tables) {
  for (const c of cases) {
    test(`${name} > ${c.name}`, () => {
      for (const h of c.hosts) expect(() => HostFacts.parse(h.facts), `${h.host}'s facts`).not.toThrow();
      const out = run(name, c);
      const shown = `status ${out.status}\nobserved: ${out.observed}\nexpected: ${out.expected}\nmessage: ${out.message}`;
      expect(out.status, shown).toBe(c.status);
      if (c.observed) expect(out.observed, shown).toMatch(c.observed);
      if (c.message) expect(out.message, shown).toMatch(c.message);
      expect(out.observed.trim(), 'observed').not.toBe('');
      expect(out.expected.trim(), 'expected').not.toBe('');
      expect(out.message.trim(), 'message').not.toBe('');
      expect(out.message, 'no unfilled template').not.toMatch(/undefined|NaN|\[object Object\]/);
      expect(out.observed, 'no unfilled template').not.toMatch(/undefined|NaN|\[object Object\]/);
    });
  }
}

/** pool.host-count judges the scan itself (how many hosts it holds), not the hosts' facts. */
const judgesTheScanOnly = new Set(['pool-host-count']);

describe('sparse facts and missing hosts', () => {
  const bare = (host: string, role: 'master' | 'member') => ({ host, role, facts: hostFacts() });

  // Facts a probe could not collect are absent: a pool check then says error or skip, never pass or fail on nothing.
  test.each(poolCheckNames.filter((n) => !judgesTheScanOnly.has(n)))('%s on two hosts where nothing was collected: error or skip', (name) => {
    const out = run(name, { hosts: [bare('h1', 'master'), bare('h2', 'member')] });
    expect(['error', 'skip']).toContain(out.status);
    expect(out.message).not.toMatch(/undefined|NaN/);
  });

  test.each(poolCheckNames)('%s with no host at all: error or skip', (name) => {
    expect(['error', 'skip']).toContain(run(name, { hosts: [] }).status);
  });

  // A host that could not be scanned never lets a pool rule pass that needs it: every row that
  // passes is run again with one more, unreachable, member, and must then say so. Only a rule whose
  // pass the scanned hosts prove (two scanned hosts are a pool) may still pass, naming the missing host.
  for (const [name, cases] of tables) {
    test(`${name}: a passing row does not pass silently when a member could not be scanned`, () => {
      for (const c of cases.filter((x) => x.status === 'pass')) {
        const out = run(name, { ...c, unreachable: [...(c.unreachable ?? []), { host: 'h9', role: 'member', error: 'connect ETIMEDOUT 10.0.0.19:22' }] });
        if (!judgesTheScanOnly.has(name)) expect(out.status, `${c.name}: ${out.message}`).not.toBe('pass');
        expect(out.message, c.name).toMatch(/h9/);
      }
    });
  }

  // Dropping any one optional part of any host's facts must not make the check throw.
  const optionalKeys = ['disks', 'filesystems', 'storageRepositories', 'nics', 'routes', 'ipConfig', 'dhcpClients', 'dns', 'listeners', 'firewall', 'xenserver'] as const;
  for (const [name, cases] of tables) {
    test(`${name}: every row survives losing any one optional fact on any host`, () => {
      for (const c of cases) {
        c.hosts.forEach((h, i) => {
          const withFacts = (facts: HostFacts) => ({ ...c, hosts: c.hosts.map((x, j) => (j === i ? { ...x, facts } : x)) });
          for (const key of optionalKeys) {
            if (!(key in h.facts)) continue;
            const facts = { ...h.facts };
            delete facts[key];
            expect(() => run(name, withFacts(facts)), `${c.name}: ${h.host} without ${key}`).not.toThrow();
          }
          for (const key of ['os', 'cpu', 'virtualization', 'memory'] as const) {
            const facts = { ...h.facts, [key]: key === 'cpu' ? { flags: [] } : {} } as HostFacts;
            expect(() => run(name, withFacts(facts)), `${c.name}: ${h.host} with empty ${key}`).not.toThrow();
          }
        });
      }
    });
  }
});
