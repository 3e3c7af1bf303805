import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { EXIT_NOT_FOUND, type Evidence, type HostEvidence, type Probe } from './evidence.js';
import { runNodeProbe } from './nodeProbes.js';
import { IN_PROCESS_PROBES } from './probes.js';
import { parseProbeGuard } from './remoteScript.js';

/**
 * Runs probes on the machine preflight itself runs on: files are read directly (no fork),
 * scripts run in parallel under /bin/sh with a C locale so output is never localized. In-process
 * probes (`node`: systeminformation) run in this process; on Windows, probes with a `windows`
 * command line run under cmd.exe and POSIX-only probes are recorded as absent without a fork.
 */

export interface LocalRunOptions {
  /** Probes run at once; forks are cheap but a 2-core machine gains nothing past a handful. */
  concurrency?: number;
  /** Overrides each probe's own time limit (e.g. --timeout). */
  timeoutMs?: number;
  onProbeDone?: (ev: Evidence) => void;
  /**
   * Add the in-process probes (IN_PROCESS_PROBES: systeminformation's view of this machine) to the
   * probes given, so every local scan records them; default true. They run alongside the scripts.
   */
  inProcess?: boolean;
}

export async function collectLocal(probes: readonly Probe[], opts: LocalRunOptions = {}): Promise<HostEvidence> {
  const collectedAt = new Date().toISOString();
  const given = new Set(probes.map((p) => p.id));
  const extra = opts.inProcess === false ? [] : IN_PROCESS_PROBES.filter((p) => !given.has(p.id));
  // In-process probes wait on child processes of their own (systeminformation forks), so they do
  // not take a slot from the scripts.
  const inProcess = Promise.all(
    [...probes.filter((p) => p.node !== undefined), ...extra].map(async (p) => {
      const ev = await runInProcess(p, opts);
      opts.onProbeDone?.(ev);
      return ev;
    }),
  );
  const results = await mapLimit(
    probes.filter((p) => p.node === undefined),
    opts.concurrency ?? 8,
    async (p) => {
      const ev =
        p.only !== undefined && p.only.platform !== process.platform
          ? notThisPlatform(p)
          : process.platform === 'win32'
            ? await runOnWindows(p, opts)
            : p.file
              ? await readProbeFile(p)
              : await runProbeScript(p, opts);
      opts.onProbeDone?.(ev);
      return ev;
    },
  );
  const all = [...results, ...(await inProcess)];
  const order = new Map([...probes, ...extra].map((p, i) => [p.id, i]));
  all.sort((a, b) => order.get(a.probe)! - order.get(b.probe)!);
  return { transport: 'local', collectedAt, evidence: Object.fromEntries(all.map((e) => [e.probe, e])) };
}

/** An in-process probe: its JSON result is the evidence, exactly as a bundle replays it. */
async function runInProcess(p: Probe, opts: LocalRunOptions): Promise<Evidence> {
  const start = performance.now();
  const timeoutMs = opts.timeoutMs ?? p.timeoutMs;
  const base = { probe: p.id, source: `in-process: ${p.manual}`, stderr: '' };
  const out = await runNodeProbe(p.node!, timeoutMs);
  if (out.error !== undefined) {
    return { ...base, stdout: '', exitCode: null, durationMs: elapsed(start), truncated: false, error: out.error };
  }
  const truncated = Buffer.byteLength(out.stdout) > p.maxBytes;
  const stdout = truncated ? Buffer.from(out.stdout).subarray(0, p.maxBytes).toString('utf8') : out.stdout;
  return { ...base, stdout, stderr: out.stderr, exitCode: 0, durationMs: elapsed(start), truncated };
}

/** A probe for another OS: what its script would print, without starting a shell. */
function notThisPlatform(p: Probe): Evidence {
  return { probe: p.id, source: p.script, stdout: '', stderr: `${p.only!.reason}\n`, exitCode: EXIT_NOT_FOUND, durationMs: 0, truncated: false };
}

/**
 * On Windows: the probe's cmd.exe command line (code page 65001 so reg and powercfg print UTF-8),
 * or, for a POSIX-only probe, an "absent" record without starting anything.
 */
function runOnWindows(p: Probe, opts: LocalRunOptions): Promise<Evidence> {
  if (p.windows === undefined) {
    return Promise.resolve({
      probe: p.id,
      source: p.file ?? p.script,
      stdout: '',
      stderr: `${p.id}: a POSIX shell probe, not run on Windows\n`,
      exitCode: EXIT_NOT_FOUND,
      durationMs: 0,
      truncated: false,
    });
  }
  return runCommand(p, opts, 'cmd.exe', ['/d', '/s', '/c', `"chcp 65001 >nul & ${p.windows}"`], p.windows, true);
}

async function readProbeFile(p: Probe): Promise<Evidence> {
  const start = performance.now();
  const base = { probe: p.id, source: p.file!, stderr: '' };
  try {
    const { text, truncated } = await readCapped(p.file!, p.maxBytes);
    return { ...base, stdout: text, exitCode: 0, durationMs: elapsed(start), truncated };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return { ...base, stdout: '', stderr: `${p.file}: no such file\n`, exitCode: EXIT_NOT_FOUND, durationMs: elapsed(start), truncated: false };
    }
    if (code === 'EACCES' || code === 'EPERM') {
      return { ...base, stdout: '', stderr: `${p.file}: permission denied\n`, exitCode: 1, durationMs: elapsed(start), truncated: false };
    }
    // Anything else (EIO on a flaky device...) is recorded as a transport error for this probe only.
    return { ...base, stdout: '', stderr: '', exitCode: null, durationMs: elapsed(start), truncated: false, error: (err as Error).message };
  }
}

/** Reads a file that may report size 0 (procfs, sysfs) up to `max` bytes. */
async function readCapped(path: string, max: number): Promise<{ text: string; truncated: boolean }> {
  const fh = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(Math.min(65536, max + 1 - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > max) break;
    }
    const all = Buffer.concat(chunks);
    return { text: all.subarray(0, max).toString('utf8'), truncated: all.length > max };
  } finally {
    await fh.close();
  }
}

function runProbeScript(p: Probe, opts: LocalRunOptions): Promise<Evidence> {
  const start = performance.now();
  const absent = failedGuard(p.script);
  if (absent) return Promise.resolve({ probe: p.id, source: p.script, stdout: '', stderr: `${absent.message}\n`, exitCode: absent.exitCode, durationMs: elapsed(start), truncated: false });
  return runCommand(p, opts, '/bin/sh', ['-c', p.script], p.script, false);
}

/** Names `command -v` finds without a file on the PATH: never answered as absent. */
const SHELL_BUILTINS = new Set(['alias', 'bg', 'cd', 'command', 'echo', 'eval', 'exec', 'exit', 'export', 'false', 'fg', 'getopts', 'hash', 'jobs', 'kill', 'local', 'printf', 'pwd', 'read', 'readonly', 'set', 'shift', 'test', 'times', 'trap', 'true', 'type', 'ulimit', 'umask', 'unalias', 'unset', 'wait', '[']);

/**
 * A probe whose opening guard (parseProbeGuard: `command -v TOOL`, `[ -d|-e|-r PATH ]`, `cd DIR`)
 * certainly fails is answered here, with exactly what the shell would print: starting a shell costs
 * Node a fork of its whole process on the main thread (a few ms each; a machine without `xe` has
 * eight such probes). Only "certainly absent" is answered: anything else runs in the shell as before.
 */
export function failedGuard(script: string): { message: string; exitCode: number } | undefined {
  if (process.platform === 'win32') return undefined;
  const g = parseProbeGuard(script);
  if (!g) return undefined;
  const absent =
    g.kind === 'command' ? !SHELL_BUILTINS.has(g.operand) && !onPath(g.operand) : g.kind === 'cd' ? !isDirectory(g.operand) : !fileTest(g.kind, g.operand);
  return absent ? { message: g.message, exitCode: g.exitCode } : undefined;
}

/** True when some PATH directory has an entry of that name (executable or not: the shell decides then). */
function onPath(name: string): boolean {
  const path = process.env.PATH;
  if (path === undefined) return true; // the shell's default PATH: not ours to guess
  return path.split(':').some((dir) => existsSync(`${dir === '' ? '.' : dir}/${name}`));
}

function fileTest(op: string, path: string): boolean {
  try {
    if (op === 'e') return existsSync(path);
    if (op === 'd') return statSync(path).isDirectory();
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch (err) {
    // Only "no such directory" is certain; EACCES and the like are left to the shell.
    const code = (err as NodeJS.ErrnoException).code;
    return !(code === 'ENOENT' || code === 'ENOTDIR');
  }
}

function runCommand(p: Probe, opts: LocalRunOptions, command: string, args: string[], source: string, windows: boolean): Promise<Evidence> {
  const start = performance.now();
  const timeoutMs = opts.timeoutMs ?? p.timeoutMs;
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group, so a timeout kills the whole pipeline, not just the shell.
      detached: !windows,
      ...(windows ? { windowsVerbatimArguments: true, windowsHide: true } : {}),
    });
    const out = new CappedBuffer(p.maxBytes);
    const err = new CappedBuffer(64 * 1024);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (windows) child.kill();
      else killGroup(child.pid);
    }, timeoutMs);
    const finish = (exitCode: number | null, error?: string) => {
      clearTimeout(timer);
      resolve({
        probe: p.id,
        source,
        stdout: out.text(),
        stderr: err.text(),
        exitCode,
        durationMs: elapsed(start),
        truncated: out.truncated,
        ...(error !== undefined ? { error } : {}),
      });
    };
    child.on('error', (e) => finish(null, `could not start ${command}: ${e.message}`));
    child.on('close', (code) => {
      if (timedOut) finish(null, `timed out after ${timeoutMs} ms`);
      else finish(code);
    });
  });
}

function killGroup(pid: number | undefined) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

class CappedBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  push(d: Buffer) {
    if (this.size >= this.max) {
      this.truncated = true;
      return;
    }
    const room = this.max - this.size;
    if (d.length > room) this.truncated = true;
    const piece = d.length > room ? d.subarray(0, room) : d;
    this.chunks.push(piece);
    this.size += piece.length;
  }
  text() {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

function elapsed(start: number): number {
  return Math.round((performance.now() - start) * 10) / 10;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
