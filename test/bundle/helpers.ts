import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x as tarExtract } from 'tar';
import { expect } from 'vitest';

/** Helpers for the bundle tests: run the built CLI, unpack our own (trusted) archives, compare findings. */

export const BIN = join(process.cwd(), 'bin/preflight.js');

export function requireBuild(): void {
  expect(existsSync(join(process.cwd(), 'dist/commands/bundle.js')), 'dist/ is built by `npx tsc -p tsconfig.json` (npm test does it) before vitest').toBe(true);
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function preflight(args: string[], opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Run {
  const start = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - start };
}

/** The CLI started in the background; resolves when it exits. */
export function preflightAsync(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    for (const w of [...waiters]) {
      if (w.re.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Resolves once stderr matches (or rejects after `ms`). */
    waitForStderr(re: RegExp, ms = 60_000): Promise<void> {
      if (re.test(stderr)) return Promise.resolve();
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`stderr never matched ${re}: ${stderr}`)), ms);
        waiters.push({ re, resolve: () => (clearTimeout(timer), res()) });
      });
    },
  };
}

const made = new Set<string>();

/** A fresh folder under the OS temp folder; cleanupTempDirs() (each file's afterAll) removes them all. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `pft-bundle-${label}-`));
  made.add(dir);
  return dir;
}

export function cleanupTempDirs(): void {
  for (const d of made) rmSync(d, { recursive: true, force: true });
  made.clear();
}

/** Unpacks one of OUR archives (trusted) and returns every file: bundle path -> content. */
export async function unpack(archive: string): Promise<{ dir: string; files: Map<string, Buffer>; root: string }> {
  const dir = tempDir('unpack');
  await tarExtract({ file: archive, cwd: dir });
  const files = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else files.set(r, readFileSync(join(dir, r)));
    }
  };
  walk('');
  const roots = readdirSync(dir);
  expect(roots).toHaveLength(1);
  return { dir, files, root: roots[0]! };
}

/** What must be equal between two reports of the same evidence: findings, verdicts, hosts. */
export function verdicts(report: any) {
  return {
    profile: report.profile,
    hosts: report.hosts.map((h: any) => ({ name: h.name, role: h.role, reachable: h.reachable, error: h.error, findings: h.findings })),
    pool: report.pool.findings,
    summary: report.summary,
  };
}

export function fileMode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** Everything in a folder, recursively, dot files included (what a run left behind). */
export function listAll(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) walk(r);
    }
  };
  walk('');
  return out.sort();
}
