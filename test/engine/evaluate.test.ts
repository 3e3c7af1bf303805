import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateHost, evaluatePool, exitCodeFor, poolContextFor, summarize, EXIT } from '../../src/engine/evaluate.js';
import { runScan, type ScanTarget } from '../../src/engine/runScan.js';
import { InputError } from '../../src/engine/inputError.js';
import { loadProfile } from '../../src/engine/loadRules.js';
import type { ResolvedRule } from '../../src/engine/types.js';
import { loadWaivers, waiverFor } from '../../src/engine/waivers.js';
import type { HostFacts } from '../../src/facts/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'preflight-waivers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string): string {
  const path = join(dir, `w${n++}.yaml`);
  writeFileSync(path, text);
  return path;
}

const profile = loadProfile('everrun-6.0');
const ids = new Set(profile.rules.map((r) => r.id));

/** A bare host whose CPU is a 1-socket, 1-core 32-bit part: cpu.x64 fails, cpu.cores warns. */
const facts: HostFacts = {
  probes: { 'proc.cpuinfo': { status: 'ok' } },
  os: { machine: 'i686' },
  cpu: { vendor: 'GenuineIntel', flags: ['fpu', 'vme', 'pae'], logicalCpus: 1, sockets: 1, coresPerSocket: 1, physicalCores: 1 },
  virtualization: {},
  memory: {},
  problems: [],
};
const ctx = { host: 'h1', role: 'master' as const, facts };
const only = (...want: string[]) => profile.rules.filter((r) => want.includes(r.id));

describe('evaluateHost', () => {
  it('gives exactly one finding per rule that applies to the role, with the rule text and evidence', () => {
    const findings = evaluateHost(profile.rules, ctx, { skip: new Set(), today: '2026-11-25' });
    expect(findings.map((f) => f.rule)).toEqual(profile.rules.filter((r) => r.scope === 'host' && r.roles.includes(ctx.role)).map((r) => r.id));
    const x64 = findings.find((f) => f.rule === 'cpu.x64')!;
    expect(x64.status).toBe('fail');
    expect(x64.reference).toMatch(/^Setup Guide/);
    expect(x64.remediation.length).toBeGreaterThan(20);
    expect(x64.evidence.map((e) => e.probe)).toContain('proc.cpuinfo');
    expect(x64.evidence.every((e) => e.manual.length > 0 && e.source.length > 0)).toBe(true);
  });

  it('gives findings only for the rules of the host role', () => {
    const quorumIds = evaluateHost(profile.rules, { ...ctx, role: 'quorum' }, { skip: new Set(), today: '2026-11-25' }).map((f) => f.rule);
    expect(quorumIds).toEqual(profile.rules.filter((r) => r.scope === 'host' && r.roles.includes('quorum')).map((r) => r.id));
    expect(quorumIds.every((id) => id.startsWith('quorum.'))).toBe(true);
  });

  it('--skip turns a rule into a skip that says why', () => {
    const [f] = evaluateHost(only('cpu.x64'), ctx, { skip: new Set(['cpu.x64']), today: '2026-11-25' });
    expect(f).toMatchObject({ rule: 'cpu.x64', status: 'skip', message: 'Skipped for this run by --skip.' });
  });

  it('shows a requirement miss with the rule severity (a site can make a failure a warning)', () => {
    const rules: ResolvedRule[] = only('cpu.x64').map((r) => ({ ...r, severity: 'warn' }));
    expect(evaluateHost(rules, ctx, { skip: new Set(), today: '2026-11-25' })[0]!.status).toBe('warn');
  });

  it('turns a check that throws into an error finding, never a crash', () => {
    const broken = { ...facts, cpu: null } as unknown as HostFacts;
    const [f] = evaluateHost(only('cpu.speed'), { ...ctx, facts: broken }, { skip: new Set(), today: '2026-11-25' });
    expect(f!.status).toBe('error');
    expect(f!.message).toMatch(/the check failed unexpectedly/);
  });
});

describe('evaluatePool', () => {
  const opts = { skip: new Set<string>(), today: '2026-11-25' };
  const poolRules = profile.rules.filter((r) => r.scope === 'pool');
  const quorum = { host: 'q1', role: 'quorum' as const, facts };

  it('gives exactly one finding per pool rule, none for host rules', () => {
    const findings = evaluatePool(profile.rules, { hosts: [ctx, { ...ctx, host: 'h2', role: 'member' }], unreachable: [] }, opts);
    expect(findings.map((f) => f.rule)).toEqual(poolRules.map((r) => r.id));
    expect(findings.find((f) => f.rule === 'pool.host-count')!.status).toBe('pass');
  });

  it('hands a pool rule only the hosts, scanned or not, of the roles it names', () => {
    const pool = { hosts: [ctx, quorum], unreachable: [{ host: 'q2', role: 'quorum' as const, error: 'timeout' }, { host: 'h2', role: 'member' as const, error: 'timeout' }] };
    const seen = poolContextFor(['master', 'member'], pool);
    expect(seen.hosts.map((h) => h.host)).toEqual(['h1']);
    expect(seen.unreachable.map((h) => h.host)).toEqual(['h2']);
    // A quorum computer is not a second pool host.
    const [count] = evaluatePool(only('pool.host-count'), { hosts: [{ ...ctx, address: 'root@10.0.0.11' }, quorum], unreachable: [] }, opts);
    expect(count!.status).toBe('fail');
  });

  it('a host that could not be scanned makes the rules that need it say so, not pass', () => {
    const findings = evaluatePool(poolRules, { hosts: [ctx], unreachable: [{ host: 'h2', role: 'member', error: 'connect ETIMEDOUT 10.0.0.12:22' }] }, opts);
    for (const f of findings) {
      expect(f.status, f.rule).not.toBe('pass');
      if (f.status === 'error') expect(f.message, f.rule).toMatch(/h2/);
    }
    expect(findings.find((f) => f.rule === 'pool.host-count')!.status).toBe('error');
  });
});

describe('runScan and the pool', () => {
  const evaluation = { skip: new Set<string>(), today: '2026-11-25' };
  const target = (name: string, role: 'master' | 'member', address: string, error?: string): ScanTarget => ({
    name,
    address,
    role,
    collect: async () => {
      if (error) throw new Error(error);
      return { transport: 'bundle', collectedAt: '2026-11-25T00:00:00Z', evidence: {} };
    },
  });

  it('a single local scan skips pool.host-count', async () => {
    const { report } = await runScan({ profile: profile.name, rules: profile.rules, targets: [target('this', 'master', 'local')], evaluation });
    expect(report.pool.findings.find((f) => f.rule === 'pool.host-count')).toMatchObject({ status: 'skip' });
  });

  it('an unreachable host is reported and reaches the pool rules as unreachable', async () => {
    const { report } = await runScan({
      profile: profile.name,
      rules: profile.rules,
      targets: [target('h1', 'master', 'root@10.0.0.11'), target('h2', 'member', 'root@10.0.0.12', 'All configured authentication methods failed')],
      evaluation,
    });
    expect(report.hosts[1]).toMatchObject({ name: 'h2', reachable: false, error: 'All configured authentication methods failed', findings: [] });
    const count = report.pool.findings.find((f) => f.rule === 'pool.host-count')!;
    expect(count.status).toBe('error');
    expect(count.message).toMatch(/h2 \(member\) could not be scanned: All configured authentication methods failed/);
    expect(report.pool.findings.every((f) => f.status !== 'pass')).toBe(true);
  });

  it('collects at most `concurrency` hosts at once, and every host in the end', async () => {
    let now = 0;
    let most = 0;
    const slow = (name: string): ScanTarget => ({
      ...target(name, 'member', `root@${name}`),
      collect: async () => {
        most = Math.max(most, ++now);
        await new Promise((resolve) => setTimeout(resolve, 5));
        now--;
        return { transport: 'bundle', collectedAt: '2026-11-25T00:00:00Z', evidence: {} };
      },
    });
    const names = ['h1', 'h2', 'h3', 'h4', 'h5'];
    const { report } = await runScan({ profile: profile.name, rules: profile.rules, targets: names.map(slow), evaluation, concurrency: 2 });
    expect(most).toBe(2);
    expect(report.hosts.map((h) => [h.name, h.reachable])).toEqual(names.map((n) => [n, true]));
  });
});

describe('waivers', () => {
  it('loads examples/waivers.yaml', () => {
    const set = loadWaivers('examples/waivers.yaml', ids);
    expect(set.entries.map((e) => e.rule)).toEqual(['network.bond', 'cpu.vendor']);
  });

  it('a waived failure still shows its real status, marked waived, and counts as waived', () => {
    const set = loadWaivers(file('waivers:\n  - rule: cpu.x64\n    reason: lab box\n    expires: 2026-12-31\n'), ids);
    const findings = evaluateHost(only('cpu.x64', 'cpu.cores'), ctx, { skip: new Set(), waivers: set, today: '2026-11-25' });
    const x64 = findings.find((f) => f.rule === 'cpu.x64')!;
    expect(x64.status).toBe('fail');
    expect(x64.waiver).toMatchObject({ reason: 'lab box', expires: '2026-12-31', expired: false });
    const summary = summarize(findings);
    expect(summary.fail).toBe(0);
    expect(summary.waived).toBe(1);
    expect(exitCodeFor(summary, { strict: false, unreachableHosts: 0 })).toBe(EXIT.ok);
  });

  it('an expired waiver no longer applies and says so', () => {
    const set = loadWaivers(file('waivers:\n  - rule: cpu.x64\n    reason: lab box\n    expires: 2026-11-24\n'), ids);
    const findings = evaluateHost(only('cpu.x64'), ctx, { skip: new Set(), waivers: set, today: '2026-11-25' });
    expect(findings[0]!.waiver).toMatchObject({ expired: true });
    expect(summarize(findings)).toMatchObject({ fail: 1, waived: 0 });
  });

  it('applies up to and including its expiry day', () => {
    const set = loadWaivers(file('waivers:\n  - rule: cpu.x64\n    reason: r\n    expires: 2026-11-25\n'), ids);
    expect(waiverFor(set, 'cpu.x64', 'h1', '2026-11-25')!.expired).toBe(false);
    expect(waiverFor(set, 'cpu.x64', 'h1', '2026-11-26')!.expired).toBe(true);
  });

  it('applies only to the hosts it names', () => {
    const set = loadWaivers(file('waivers:\n  - rule: cpu.x64\n    reason: r\n    hosts: [h2]\n'), ids);
    expect(waiverFor(set, 'cpu.x64', 'h1', '2026-11-25')).toBeUndefined();
    expect(waiverFor(set, 'cpu.x64', 'h2', '2026-11-25')).toBeDefined();
  });

  it.each([
    ['an unknown rule id', 'waivers:\n  - rule: cpu.x65\n    reason: r\n', /:2:11: unknown rule "cpu.x65"/],
    ['a missing reason', 'waivers:\n  - rule: cpu.x64\n', /:2:5: waivers\[0\]\.reason: expected string \(missing\)/],
    ['an empty reason', 'waivers:\n  - rule: cpu.x64\n    reason: "  "\n', /waivers\[0\]\.reason: a waiver needs a reason/],
    ['a date that is not a date', 'waivers:\n  - rule: cpu.x64\n    reason: r\n    expires: 2026-02-30\n', /:4:14: waivers\[0\]\.expires: not a real calendar date/],
    ['a date in another format', 'waivers:\n  - rule: cpu.x64\n    reason: r\n    expires: 31/12/2026\n', /expected a date as YYYY-MM-DD/],
    ['the same waiver twice', 'waivers:\n  - rule: cpu.x64\n    reason: r\n  - rule: cpu.x64\n    reason: s\n', /:4:5: duplicate waiver for "cpu.x64"/],
    ['an empty list', 'waivers: []\n', /an empty list asserts nothing/],
  ])('refuses %s in one line with file:line:col', (_what, text, pattern) => {
    const f = file(text);
    let message = '';
    try {
      loadWaivers(f, ids);
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      message = (err as Error).message;
    }
    expect(message.startsWith(f)).toBe(true);
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
  });
});

describe('exit codes', () => {
  const base = { pass: 3, warn: 0, fail: 0, skip: 1, error: 0, waived: 0 };
  it.each([
    ['nothing failed', base, false, 0, EXIT.ok],
    ['a rule failed', { ...base, fail: 1 }, false, 0, EXIT.failed],
    ['a warning, not strict', { ...base, warn: 2 }, false, 0, EXIT.ok],
    ['a warning under --strict', { ...base, warn: 2 }, true, 0, EXIT.failed],
    ['an error under --strict', { ...base, error: 1 }, true, 0, EXIT.failed],
    ['a host could not be scanned', { ...base, fail: 1 }, false, 1, EXIT.unreachable],
  ])('%s', (_what, summary, strict, unreachableHosts, code) => {
    expect(exitCodeFor(summary, { strict, unreachableHosts })).toBe(code);
  });
});
