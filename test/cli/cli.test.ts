import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/engine/loadRules.js';

/**
 * End to end: the built CLI (bin/preflight.js -> dist/, built by `npm test` before vitest runs)
 * scans this machine for real. Verdicts depend on the machine, so these tests assert on the
 * contract (schema, one finding per rule, exit codes, streams), not on pass/fail.
 */

const BIN = join(process.cwd(), 'bin/preflight.js');
const dir = mkdtempSync(join(tmpdir(), 'preflight-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function preflight(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const profileRules = loadProfile('everrun-6.0').rules;
const ruleIds = profileRules.map((r) => r.id);
/** A local scan is of the master: its host rules, then every pool rule once. */
const hostRuleIds = profileRules.filter((r) => r.scope === 'host' && r.roles.includes('master')).map((r) => r.id);
const poolRuleIds = profileRules.filter((r) => r.scope === 'pool').map((r) => r.id);

describe('preflight scan --format json', () => {
  let run: ReturnType<typeof preflight>;
  let report: any;
  beforeAll(() => {
    expect(existsSync(join(process.cwd(), 'dist/cli.js')), 'dist/ is built by npm test before vitest').toBe(true);
    run = preflight('scan', '--format', 'json');
    report = JSON.parse(run.stdout);
  });

  it('prints only the JSON report on stdout and exits 0 or 1 (a verdict, not an error)', () => {
    expect([0, 1]).toContain(run.code);
    expect(run.stdout.trimStart().startsWith('{')).toBe(true);
    expect(run.code).toBe(report.summary.fail > 0 ? 1 : 0);
  });

  it('validates against the published JSON Schema (schema/report.schema.json)', () => {
    const schema = JSON.parse(readFileSync('schema/report.schema.json', 'utf8'));
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    const validate = ajv.compile(schema);
    const ok = validate(report);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(ok).toBe(true);
  });

  it('scans this machine as the master, reachable, with every rule exactly once', () => {
    expect(report.hosts).toHaveLength(1);
    const host = report.hosts[0];
    expect(host).toMatchObject({ address: 'local', role: 'master', reachable: true });
    expect(host.findings.map((f: { rule: string }) => f.rule)).toEqual(hostRuleIds);
    // The pool rules are judged once, for the pool; a single local scan does not judge the pool size.
    expect(report.pool.findings.find((f: { rule: string }) => f.rule === 'pool.host-count')).toMatchObject({ status: 'skip' });
  });

  it('never shows a skip or error without a reason, and every finding names its evidence', () => {
    for (const f of [...report.hosts[0].findings, ...report.pool.findings]) {
      if (f.status === 'skip' || f.status === 'error') expect(f.message.length, f.rule).toBeGreaterThan(10);
      expect(f.evidence.length, f.rule).toBeGreaterThan(0);
      expect(f.reference, f.rule).toMatch(/^Setup Guide/);
    }
  });

  it('has a summary that adds up', () => {
    const s = report.summary;
    expect(s.pass + s.warn + s.fail + s.skip + s.error + s.waived).toBe(hostRuleIds.length + poolRuleIds.length);
  });
});

describe('preflight scan outputs', () => {
  it('writes every --out file by extension, and the text report on stdout', () => {
    const outs = ['r.json', 'r.html', 'r.xml', 'r.txt'].map((f) => join(dir, f));
    const run = preflight('scan', ...outs.flatMap((o) => ['--out', o]));
    expect([0, 1]).toContain(run.code);
    expect(run.stdout).toMatch(/pass.*warn.*fail/s);
    for (const o of outs) expect(existsSync(o), o).toBe(true);
    expect(JSON.parse(readFileSync(outs[0]!, 'utf8')).schemaVersion).toBe('1.0.0');
    expect(readFileSync(outs[1]!, 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(readFileSync(outs[2]!, 'utf8')).toMatch(/<testsuites[\s>]/);
    // No temporary files are left beside the reports.
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout).not.toMatch(/\.tmp/);
  });

  it('--format junit prints one testcase per rule', () => {
    const run = preflight('scan', '--format', 'junit');
    expect((run.stdout.match(/<testcase /g) ?? []).length).toBe(hostRuleIds.length + poolRuleIds.length);
  });

  it('--skip skips rules for one run', () => {
    const run = preflight('scan', '--format', 'json', '--skip', 'cpu.vendor,network.bond');
    const findings = JSON.parse(run.stdout).hosts[0].findings;
    for (const id of ['cpu.vendor', 'network.bond']) expect(findings.find((f: { rule: string }) => f.rule === id).status).toBe('skip');
  });

  it('--waivers marks a waived rule with its reason', () => {
    const w = join(dir, 'w.yaml');
    writeFileSync(w, 'waivers:\n  - rule: xenserver.version\n    reason: not installed yet\n');
    const run = preflight('scan', '--format', 'json', '--waivers', w);
    const f = JSON.parse(run.stdout).hosts[0].findings.find((x: { rule: string }) => x.rule === 'xenserver.version');
    expect(f.waiver).toMatchObject({ reason: 'not installed yet', expired: false });
  });

  it('--rules layers a site file (examples/site-rules.yaml adds a rule)', () => {
    const run = preflight('scan', '--format', 'json', '--rules', 'examples/site-rules.yaml');
    const findings = JSON.parse(run.stdout).hosts[0].findings.map((f: { rule: string }) => f.rule);
    expect(findings).toContain('site.cpu-speed-2-5ghz');
  });
});

describe('bad usage and bad input: exit 2, one line, no stack trace', () => {
  const bad = join(dir, 'bad.yaml');
  beforeAll(() => writeFileSync(bad, 'rules:\n  - id: memory.total\n    params:\n      minimumGiB: lots\n'));

  it.each([
    ['a malformed site rules file', ['scan', '--rules', bad], new RegExp(`^preflight: ${bad}:4:19: rules\\[0\\]\\.params\\.minimumGiB: expected number`)],
    ['an unknown rule in --skip', ['scan', '--skip', 'cpu.nope'], /^preflight: --skip: unknown rule "cpu.nope"/],
    ['an --out extension preflight cannot write', ['scan', '--out', join(dir, 'r.pdf')], /^preflight: --out .*r\.pdf: unknown extension/],
    ['an unknown format', ['scan', '--format', 'pdf'], /error: option .*--format.* argument 'pdf' is invalid/],
    ['an unknown option', ['scan', '--frobnicate'], /error: unknown option '--frobnicate'/],
    ['a missing waivers file', ['scan', '--waivers', join(dir, 'none.yaml')], /none\.yaml: no such file/],
    ['an unknown rule to explain', ['rules', 'explain', 'cpu.nope'], /^preflight: unknown rule "cpu.nope" \(did you mean: cpu\.x64/],
  ])('%s', (_what, args, pattern) => {
    const run = preflight(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('preflight rules', () => {
  it('list shows every rule with severity and title', () => {
    const run = preflight('rules', 'list');
    expect(run.code).toBe(0);
    for (const id of ruleIds) expect(run.stdout).toMatch(new RegExp(`^${id.replace('.', '\\.')}\\s+(fail|warn)\\s+\\S+\\s+\\S`, 'm'));
  });

  it('explain shows thresholds, the guide reference and the remediation', () => {
    const run = preflight('rules', 'explain', 'cpu.speed');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/minimumGHz: 1\.5/);
    expect(run.stdout).toMatch(/Table 3: Requirements for XenServer Host Computers/);
    expect(run.stdout).toMatch(/dmidecode -t 4/);
  });

  it('explain cpu.virtualization says a full power cycle is needed', () => {
    expect(preflight('rules', 'explain', 'cpu.virtualization').stdout).toMatch(/FULL POWER\s+CYCLE/);
  });
});
