import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The bundled CLI (scripts/build-bundle.mjs, part of `npm run build`) is what bin/preflight.js runs
 * when it is current. Built here into a private folder of dist/ from the tsc output (dist/cli.js;
 * build first: npx tsc -p tsconfig.json), it must behave as the tsc output does: same report, rule
 * profile, templates and version found through paths relative to each module, packages with native
 * parts left outside.
 */

const ROOT = process.cwd();
let out: string;

const run = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
};

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist/cli.js')), 'dist/ is built by `npx tsc -p tsconfig.json` (npm test does it) before vitest').toBe(true);
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  out = mkdtempSync(join(ROOT, 'dist', '.bundle-test-'));
  const built = run(['scripts/build-bundle.mjs', '--out', out]);
  expect(built.status, built.stderr).toBe(0);
}, 60_000);
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('the bundled CLI', () => {
  it('is a handful of files, with ssh2 and the other lazily loaded packages left outside', () => {
    const files = readdirSync(out).filter((f) => f.endsWith('.mjs'));
    expect(files).toContain('preflight.mjs');
    expect(files.length).toBeLessThan(60);
    const all = files.map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(all).toMatch(/from ?"ssh2"|import\("ssh2"\)/);
    // esbuild's metafile lists every input: zod is inside, ssh2 and the other lazy packages are not.
    const inputs = Object.keys((JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
    expect(inputs.some((i) => i.startsWith('node_modules/zod/'))).toBe(true);
    expect(inputs.filter((i) => /^node_modules\/(ssh2|cpu-features|handlebars|systeminformation|tar|ping)\//.test(i))).toEqual([]);
  });

  it('prints the same JSON report as the tsc output for a scan of this machine', () => {
    const bundled = run([join(out, 'preflight.mjs'), 'scan', '--format', 'json']);
    const plain = run(['dist/cli.js', 'scan', '--format', 'json']);
    expect([0, 1]).toContain(bundled.status);
    expect(bundled.status).toBe(plain.status);
    const a = JSON.parse(bundled.stdout);
    const b = JSON.parse(plain.stdout);
    const shape = (r: { tool: unknown; profile: string; hosts: { findings: { ruleId: string }[] }[]; pool: { findings: { ruleId: string }[] } }) => ({
      tool: r.tool,
      profile: r.profile,
      hostRules: r.hosts.map((h) => h.findings.map((f) => f.ruleId)),
      poolRules: r.pool.findings.map((f) => f.ruleId),
    });
    expect(shape(a)).toEqual(shape(b));
    expect(a.hosts[0].findings.length).toBeGreaterThan(10);
  });

  it('finds the templates (HTML), the version (package.json) and the rules folder from its own location', () => {
    const html = run([join(out, 'preflight.mjs'), 'scan', '--format', 'html']);
    expect(html.stdout).toMatch(/^<!DOCTYPE html>/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run([join(out, 'preflight.mjs'), '--version']).stdout.trim()).toBe(pkg.version);
    const explain = run([join(out, 'preflight.mjs'), 'rules', 'explain', 'memory.total']);
    expect(explain.status, explain.stderr).toBe(0);
    expect(explain.stdout).toContain('memory.total');
    const bad = run([join(out, 'preflight.mjs'), 'scan', '--profile', 'no-such-profile']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^preflight: unknown profile "no-such-profile"/);
  });
});

describe('bin/preflight.js', () => {
  // A copy of bin/ beside a fake dist/ whose two entry points say which one ran.
  const dir = mkdtempSync(join(tmpdir(), 'pft-bin-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'dist', 'bundled'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'preflight.js'), join(dir, 'bin', 'preflight.js'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const cli = join(dir, 'dist', 'cli.js');
  const bundle = join(dir, 'dist', 'bundled', 'preflight.mjs');
  writeFileSync(cli, 'process.stdout.write("tsc output\\n");\n');
  writeFileSync(bundle, 'process.stdout.write("bundle\\n");\n');
  const which = (env: Record<string, string> = {}) => spawnSync(process.execPath, [join(dir, 'bin', 'preflight.js')], { encoding: 'utf8', env: { ...process.env, PREFLIGHT_NO_BUNDLE: '', ...env } }).stdout.trim();
  const touch = (file: string, secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(file, t, t);
  };

  it('runs the bundle when it is at least as new as the tsc output', () => {
    touch(cli, 60);
    touch(bundle, 30);
    expect(which()).toBe('bundle');
  });

  it('runs the tsc output when the bundle is older (tsc ran after the bundle was made)', () => {
    touch(cli, 30);
    touch(bundle, 60);
    expect(which()).toBe('tsc output');
  });

  it('runs the tsc output with PREFLIGHT_NO_BUNDLE=1, or when there is no bundle', () => {
    touch(cli, 60);
    touch(bundle, 30);
    expect(which({ PREFLIGHT_NO_BUNDLE: '1' })).toBe('tsc output');
    rmSync(bundle);
    expect(which()).toBe('tsc output');
  });

  it('says "not built yet" (exit 2) when neither exists', () => {
    rmSync(cli);
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'preflight.js')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('preflight: not built yet: run "npm run build" (or scripts/setup-debian.sh) first\n');
  });
});
