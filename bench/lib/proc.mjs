// Process bookkeeping for the bench: every process it starts carries a tag in its environment,
// so whatever a measured command leaves behind (even in its own session or process group, as
// preflight's probes are) is found in /proc and killed at the end. Nothing else is touched.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const BENCH_TAG_VAR = 'PREFLIGHT_BENCH_TAG';
export const BENCH_TAG = `${process.pid}-${randomBytes(4).toString('hex')}`;

/** Process groups we started and have not seen exit. */
const live = new Set();

/** Environment for anything the bench starts: the caller's plus our tag. */
export function taggedEnv(extra = {}) {
  return { ...process.env, ...extra, [BENCH_TAG_VAR]: BENCH_TAG };
}

/**
 * spawn() in its own process group (detached), tagged, and tracked until it exits; a timeout
 * kills the whole group. Resolves once the child has exited and its stdio is drained.
 */
export function spawnTracked(cmd, args, { cwd, env = {}, timeoutMs = 120_000, captureStdout = 0, onSpawn, onExit } = {}) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    let child;
    try {
      child = spawn(cmd, args, { cwd, env: taggedEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (err) {
      resolve({ exitCode: null, signal: null, error: err.message, wallMs: 0, stdout: '', stderr: '', timedOut: false });
      return;
    }
    if (child.pid !== undefined) {
      live.add(child.pid);
      onSpawn?.(child.pid);
    }
    const out = [];
    let outBytes = 0;
    let errTail = '';
    child.stdout.on('data', (d) => {
      if (outBytes < captureStdout) out.push(d);
      outBytes += d.length;
    });
    child.stderr.on('data', (d) => {
      errTail = (errTail + d.toString('utf8')).slice(-4096);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    let exited;
    let spawnError;
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('exit', (code, signal) => {
      // The wall time ends when the process exits, not when its pipes close.
      exited = { code, signal, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
      onExit?.(child.pid);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) live.delete(child.pid);
      const e = exited ?? { code, signal, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
      resolve({
        pid: child.pid,
        exitCode: e.code,
        signal: e.signal,
        wallMs: e.wallMs,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stdoutBytes: outBytes,
        stderr: errTail,
        ...(spawnError ? { error: spawnError } : {}),
      });
    });
  });
}

function killGroup(pid) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** Kills every process carrying our tag (and the groups we started). Returns what it killed. */
export function sweep() {
  for (const pid of live) killGroup(pid);
  const killed = [];
  const needle = `${BENCH_TAG_VAR}=${BENCH_TAG}`;
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return killed;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let environ;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // not ours to read, or gone
    }
    if (!environ.split('\0').includes(needle)) continue;
    let comm = '?';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      /* gone */
    }
    try {
      process.kill(pid, 'SIGKILL');
      killed.push({ pid, comm });
    } catch {
      /* gone */
    }
  }
  return killed;
}

/** Sweeps on SIGINT/SIGTERM/SIGHUP and exits, so an interrupted bench leaves nothing behind. */
export function installSignalCleanup(onSignal) {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      try {
        onSignal?.(sig);
      } finally {
        sweep();
        process.exit(130);
      }
    });
  }
}
