// Whole-process measurements: wall time from spawn to exit (hrtime in the bench), peak RSS from
// GNU time (%M: ru_maxrss of the command, i.e. the largest single process in its tree), or, when
// GNU time is missing, by polling VmHWM of the direct child in /proc. GNU time also gives the CPU
// time (user + system, 10 ms resolution) of the whole tree, which a busy machine inflates less.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { spawnTracked, sweep } from './proc.mjs';

let gnuTime;
/** '/usr/bin/time' when it is GNU time, else undefined. */
export function gnuTimePath() {
  if (gnuTime !== undefined) return gnuTime || undefined;
  gnuTime = '';
  if (existsSync('/usr/bin/time')) {
    const r = spawnSync('/usr/bin/time', ['--version'], { encoding: 'utf8' });
    if (`${r.stdout}${r.stderr}`.includes('GNU')) gnuTime = '/usr/bin/time';
  }
  return gnuTime || undefined;
}

export function rssMethod() {
  return gnuTimePath() ? 'GNU time %M (ru_maxrss: largest single process of the command tree)' : '/proc/<pid>/status VmHWM polled every 2 ms (direct child only)';
}

/**
 * Runs one case once. Returns { wallMs, rssKb, exitCode, signal, timedOut, error?, stdout, stderr, extra? }.
 * A case: { cmd, args, cwd, env, timeoutMs, captureStdout?, parse?(stdout) -> object }.
 */
export async function runOnce(c, { scratchDir, seq }) {
  const time = gnuTimePath();
  const captureStdout = c.parse ? 16 * 1024 * 1024 : 0;
  let r;
  let rssKb;
  let cpuMs;
  if (time) {
    mkdirSync(scratchDir, { recursive: true });
    const rssFile = join(scratchDir, `rss-${seq}.txt`);
    r = await spawnTracked(time, ['-f', '%M %U %S', '-o', rssFile, '--', c.cmd, ...c.args], { cwd: c.cwd, env: c.env, timeoutMs: c.timeoutMs, captureStdout });
    try {
      const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
      const [m, u, sy] = (lines.at(-1) ?? '').split(' ').map(Number);
      if (Number.isFinite(m) && m > 0) rssKb = m;
      if (Number.isFinite(u) && Number.isFinite(sy)) cpuMs = (u + sy) * 1000;
      // GNU time adds "Command exited with non-zero status N" / "Command terminated by signal N".
      const sig = lines.find((l) => l.startsWith('Command terminated by signal'));
      if (sig && r.exitCode !== null && r.exitCode >= 128) {
        r.signal = `signal ${sig.split(' ').at(-1)}`;
      }
    } catch {
      /* time could not write: the command did not run */
    }
    rmSync(rssFile, { force: true });
    // GNU time exits 127 when it cannot find the command, 126 when it cannot run it.
    if ((r.exitCode === 127 || r.exitCode === 126) && /time: cannot run/.test(r.stderr)) r.error = r.stderr.trim().split('\n').at(-1);
  } else {
    let peak = 0;
    let pid;
    const poll = setInterval(() => {
      if (pid === undefined) return;
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {
        /* exited */
      }
    }, 2);
    const p = spawnTracked(c.cmd, c.args, {
      cwd: c.cwd,
      env: c.env,
      timeoutMs: c.timeoutMs,
      captureStdout,
      onSpawn: (childPid) => (pid = childPid),
      onExit: () => clearInterval(poll),
    });
    r = await p;
    clearInterval(poll);
    if (peak > 0) rssKb = peak;
  }
  const sample = {
    wallMs: round(r.wallMs, 2),
    rssKb: rssKb ?? null,
    cpuMs: cpuMs === undefined ? null : round(cpuMs, 0),
    exitCode: r.exitCode,
    ...(r.signal ? { signal: r.signal } : {}),
    ...(r.timedOut ? { timedOut: true } : {}),
    ...(r.error ? { error: r.error } : {}),
  };
  if (c.parse && !r.timedOut && !r.error) {
    try {
      sample.extra = c.parse(r.stdout);
    } catch (err) {
      sample.error = `output check failed: ${err.message}`;
    }
  }
  if (r.timedOut) sample.error = `timed out after ${c.timeoutMs} ms`;
  if (sample.error || (c.okExitCodes && !c.okExitCodes.includes(r.exitCode))) sample.stderrTail = r.stderr.slice(-600);
  return sample;
}

/**
 * Runs the cases round-robin: round r starts at case r mod n, so each case runs at every position
 * and machine drift hits every case alike. The first `warmup` rounds are not recorded.
 * Returns Map<caseId, sample[]>. A case that fails to start or times out twice is given up.
 */
export async function interleave(cases, { runs, warmup, scratchDir, log, onRound }) {
  const samples = new Map(cases.map((c) => [c.id, []]));
  const failures = new Map(cases.map((c) => [c.id, 0]));
  const runnable = cases.filter((c) => !c.unavailable);
  const total = warmup + runs;
  let seq = 0;
  for (let round = 0; round < total; round++) {
    const order = runnable.map((_, i) => runnable[(i + round) % runnable.length]);
    const line = [];
    for (const c of order) {
      if (c.gaveUp) continue;
      const s = await runOnce(c, { scratchDir, seq: seq++ });
      if (round >= warmup) samples.get(c.id).push(s);
      if (s.timedOut || (s.error && s.exitCode === null)) {
        failures.set(c.id, failures.get(c.id) + 1);
        if (failures.get(c.id) >= 2) {
          c.gaveUp = `given up after ${failures.get(c.id)} failed runs: ${s.error}`;
          log(`  ${c.id}: ${c.gaveUp}`);
        }
      }
      line.push(`${c.id} ${Math.round(s.wallMs)}`);
    }
    // Anything a run left behind (a daemonized grandchild) must not run into the next one.
    const strays = sweep();
    if (strays.length) log(`  killed ${strays.length} stray process(es): ${strays.map((s) => s.comm).join(', ')}`);
    onRound?.(round, strays);
    log(`  ${round < warmup ? 'warm-up' : `run ${round - warmup + 1}/${runs}`}: ${line.join(' · ')} ms`);
  }
  return samples;
}

export function stats(values, digits = 1) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, v.length - 1));
  const p95 = v[Math.min(v.length - 1, Math.ceil(0.95 * v.length) - 1)];
  const r = (x) => round(x, digits);
  return { n: v.length, median: r(median), min: r(v[0]), max: r(v.at(-1)), mean: r(mean), p95: r(p95), stdev: r(sd) };
}

export function round(x, d = 1) {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
