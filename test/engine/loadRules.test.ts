import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applySiteFile, loadProfile } from '../../src/engine/loadRules.js';
import { inputError } from '../support/inputError.js';

const dir = mkdtempSync(join(tmpdir(), 'preflight-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(text: string, name = `f${n++}.yaml`): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const profile = loadProfile('everrun-6.0');
const rule = (rules: typeof profile.rules, id: string) => rules.find((r) => r.id === id)!;

describe('the bundled everrun-6.0 profile', () => {
  it('loads every host, pool, management and quorum rule, in the documented order', () => {
    expect(profile.name).toBe('everrun-6.0');
    expect(profile.rules.map((r) => r.id)).toEqual([
      'cpu.x64',
      'cpu.virtualization',
      'cpu.vendor',
      'cpu.speed',
      'cpu.cores',
      'memory.total',
      'storage.local-capacity',
      'storage.dom0',
      'storage.product-space',
      'network.nic-count',
      'network.nic-speed',
      'network.nics-identical',
      'network.carrier',
      'network.management-nic',
      'network.bond',
      'network.static-ip',
      'network.gateway',
      'network.dns',
      'ports.free',
      'ports.firewall',
      'xenserver.version',
      'xenserver.updates',
      'xenserver.pool',
      'pool.host-count',
      'pool.identical-cpus',
      'pool.same-software',
      'pool.membership',
      'pool.unique-ips',
      'pool.isolation-ip',
      'pool.management-access',
      'pool.alink-health',
      'pool.alink-pairing',
      'pool.quorum',
      'pool.planned-addresses',
      'pool.alink-subnets',
      'pool.cabling',
      'mgmt.os',
      'mgmt.cpu-speed',
      'mgmt.memory',
      'mgmt.disk',
      'mgmt.nic',
      'mgmt.browser',
      'mgmt.xencenter',
      'quorum.os',
      'quorum.disk',
      'quorum.nic',
      'quorum.port',
      'quorum.always-on',
    ]);
  });

  it('keeps thresholds in the rules file, not in code', () => {
    expect(rule(profile.rules, 'memory.total').params).toMatchObject({ minimumGiB: 2, recommendedGiB: 4 });
    expect(rule(profile.rules, 'cpu.speed').params).toMatchObject({ minimumGHz: 1.5, recommendedGHz: 2 });
    expect(rule(profile.rules, 'ports.firewall').params).toMatchObject({ eacPort: 8080, tcpPorts: [443, 22, 5900], udpPorts: [2188] });
  });

  it('can also be loaded by path', () => {
    expect(loadProfile(profile.file).rules).toHaveLength(profile.rules.length);
  });

  it('refuses an unknown profile name in one line', () => {
    expect(inputError(() => loadProfile('everrun-9'))).toMatch(/unknown profile "everrun-9"/);
  });
});

describe('malformed profile files: exit-2 errors name file, line and column', () => {
  const header = 'profile: p\ntitle: t\nguide: g\nrules:\n';
  const good = (over: string) =>
    `${header}  - id: cpu.x64\n    title: x64\n    check: cpu-x64\n    severity: fail\n    roles: [master]\n    params: {}\n    reference: Setup Guide\n    description: d\n    remediation: r\n${over}`;

  it('an unknown check name', () => {
    const f = file(good('').replace('check: cpu-x64', 'check: cpu-x128'));
    expect(inputError(() => loadProfile(f))).toBe(`${f}:7:12: unknown check "cpu-x128" (run "preflight rules checks" to list them)`);
  });

  it('a threshold that is not a number', () => {
    const f = file(
      `${header}  - id: memory.total\n    title: RAM\n    check: memory-total\n    severity: fail\n    roles: [master]\n    params:\n      minimumGiB: two\n      recommendedGiB: 4\n      firmwareReservedTolerance: 0.03\n      memTotalTolerance: 0.1\n    reference: Setup Guide\n    description: d\n    remediation: r\n`,
    );
    const message = inputError(() => loadProfile(f));
    expect(message).toMatch(new RegExp(`^${f}:11:19: rules\\[0\\]\\.params\\.minimumGiB: expected number, got the string "two"$`));
  });

  it('a duplicate rule id', () => {
    const body = good('');
    const f = file(body + body.slice(header.length));
    expect(inputError(() => loadProfile(f))).toMatch(new RegExp(`^${f}:14:9: duplicate rule id "cpu.x64"`));
  });

  it('a duplicate key, which would silently replace the earlier block', () => {
    const f = file(good('').replace('    params: {}\n', '    params: {}\n    params: {}\n'));
    expect(inputError(() => loadProfile(f))).toMatch(new RegExp(`^${f}:11:5: duplicate key`));
  });

  it('an empty rule list, which asserts nothing', () => {
    const f = file(`${header.replace('rules:\n', 'rules: []\n')}`);
    expect(inputError(() => loadProfile(f))).toMatch(/rules: expected at least 1 item\(s\): an empty list asserts nothing/);
  });

  it('an unknown key (a typo must not be ignored)', () => {
    const f = file(good('    severty: warn\n'));
    expect(inputError(() => loadProfile(f))).toMatch(new RegExp(`^${f}:\\d+:\\d+: rules\\[0\\]: unknown key "severty"`));
  });

  it('a YAML syntax error', () => {
    const f = file(`${header}  - id: [unclosed\n`);
    expect(inputError(() => loadProfile(f))).toMatch(new RegExp(`^${f}:\\d+:\\d+: `));
  });

  it('a missing file', () => {
    expect(inputError(() => loadProfile(join(dir, 'nope.yaml')))).toBe(`${join(dir, 'nope.yaml')}: no such file`);
  });
});

describe('site rules files (--rules) layered over the profile', () => {
  it('change a threshold, change a severity, add a rule reusing a check (examples/site-rules.yaml)', () => {
    const rules = applySiteFile(profile.rules, 'examples/site-rules.yaml');
    expect(rule(rules, 'memory.total').params).toMatchObject({ minimumGiB: 8, recommendedGiB: 16, firmwareReservedTolerance: 0.03 });
    expect(rule(rules, 'memory.total').reference).toBe(rule(profile.rules, 'memory.total').reference);
    expect(rule(rules, 'network.bond').severity).toBe('fail');
    const added = rule(rules, 'site.cpu-speed-2-5ghz');
    expect(added).toMatchObject({ check: 'cpu-speed', severity: 'warn', params: { minimumGHz: 2.5, recommendedGHz: 3 } });
    expect(added.remediation).toBe(rule(profile.rules, 'cpu.speed').remediation);
    expect(rules).toHaveLength(profile.rules.length + 1);
    // The profile itself is untouched.
    expect(rule(profile.rules, 'memory.total').params).toMatchObject({ minimumGiB: 2 });
  });

  it('disables a rule with enabled: false', () => {
    const f = file('rules:\n  - id: network.bond\n    enabled: false\n');
    expect(applySiteFile(profile.rules, f).some((r) => r.id === 'network.bond')).toBe(false);
  });

  it('refuses a new rule that says neither its check nor what it extends', () => {
    const f = file('rules:\n  - id: site.thing\n    title: A thing\n');
    expect(inputError(() => applySiteFile(profile.rules, f))).toBe(`${f}:2:9: new rule "site.thing" needs "check" (or "extends: RULE" to copy an existing rule)`);
  });

  it('refuses a threshold of the wrong type, pointing at it', () => {
    const f = file('rules:\n  - id: cpu.speed\n    params:\n      minimumGHz: fast\n');
    expect(inputError(() => applySiteFile(profile.rules, f))).toBe(`${f}:4:19: rules[0].params.minimumGHz: expected number, got the string "fast"`);
  });

  it('refuses an unknown parameter for the check', () => {
    const f = file('rules:\n  - id: cpu.speed\n    params:\n      minimumMHz: 1500\n');
    expect(inputError(() => applySiteFile(profile.rules, f))).toMatch(/unknown key "minimumMHz"/);
  });

  it('refuses an unknown severity', () => {
    const f = file('rules:\n  - id: cpu.speed\n    severity: critical\n');
    expect(inputError(() => applySiteFile(profile.rules, f))).toBe(`${f}:3:15: rules[0].severity: expected one of "fail", "warn"`);
  });

  it('refuses to extend an unknown rule and to disable an unknown rule', () => {
    const a = file('rules:\n  - id: site.x\n    extends: cpu.nope\n');
    expect(inputError(() => applySiteFile(profile.rules, a))).toMatch(/unknown rule "cpu.nope" to extend/);
    const b = file('rules:\n  - id: cpu.nope\n    enabled: false\n');
    expect(inputError(() => applySiteFile(profile.rules, b))).toMatch(/cannot disable unknown rule "cpu.nope"/);
  });

  it('refuses the same id twice in one site file', () => {
    const f = file('rules:\n  - id: cpu.speed\n    severity: warn\n  - id: cpu.speed\n    severity: fail\n');
    expect(inputError(() => applySiteFile(profile.rules, f))).toMatch(new RegExp(`^${f}:4:9: duplicate rule id "cpu.speed"`));
  });
});
