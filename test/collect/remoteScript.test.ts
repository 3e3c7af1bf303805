import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Evidence, Probe } from '../../src/collect/evidence.js';
import { collectLocal } from '../../src/collect/localTransport.js';
import { probeById, PROBES } from '../../src/collect/probes.js';
import { batchWorstCaseSeconds, buildBatchScript, NO_RESULT_ERROR, newNonce, parseBatch, parseBatchOutput, probeLimitSeconds } from '../../src/collect/remoteScript.js';
import { processesWithEnvMarker } from './procTree.js';

/**
 * The batch script, run for real on this machine under dash (/bin/sh) and `bash --posix`, and
 * compared with the local transport probe by probe: the remote evidence must be the local
 * evidence, whatever shell the host has.
 */

const workDir = mkdtempSync(join(tmpdir(), 'pft-batch-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

interface BatchRun {
  stdout: string;
  stderr: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  /** The TMPDIR the script ran with (must be empty afterwards). */
  tmp: string;
  /** An environment entry only this run's processes carry. */
  marker: string;
}

function probe(id: string, script: string, extra: Partial<Probe> = {}): Probe {
  return { id, description: id, script, manual: script, timeoutMs: 5000, maxBytes: 4096, ...extra };
}

/** Runs the batch script as `SHELL -s` (script on stdin, as over SSH). */
function runBatch(
  shell: readonly string[],
  probes: readonly Probe[],
  nonce: string,
  opts: { timeoutSeconds?: number; concurrency?: number; during?: (pid: number, child: ReturnType<typeof spawn>, marker: string) => void } = {},
): Promise<BatchRun> {
  const tmp = mkdtempSync(join(workDir, 'tmp-'));
  const marker = `PF_BATCH_TEST=${randomBytes(8).toString('hex')}`;
  const script = buildBatchScript(probes, {
    nonce,
    ...(opts.timeoutSeconds !== undefined ? { timeoutSeconds: opts.timeoutSeconds } : {}),
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
  });
  const start = performance.now();
  const child = spawn(shell[0]!, [...shell.slice(1), '-s'], {
    env: { ...process.env, TMPDIR: tmp, [marker.split('=')[0]!]: marker.split('=')[1]! },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.stdout.on('error', () => {});
  child.stdin.end(script);
  opts.during?.(child.pid!, child, marker);
  return new Promise((res) => {
    child.on('close', (status, signal) => res({ stdout, stderr, status, signal, ms: performance.now() - start, tmp, marker }));
  });
}

/** Evidence without its timing (and, for file probes, the source differs by design: file vs script). */
function comparable(ev: Evidence | undefined): Omit<Evidence, 'durationMs' | 'source'> | undefined {
  if (!ev) return undefined;
  const { durationMs: _d, source: _s, ...rest } = ev;
  return rest;
}

/** Waits until no process of the run is left (the watchdogs' sleeps are stopped a moment after the frames). */
async function leftoverProcesses(marker: string, waitMs = 1500): Promise<number[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = processesWithEnvMarker(marker);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const memTotal = (text: string) => text.split('\n').find((l) => l.startsWith('MemTotal:'));

const STABLE = ['uname', 'etc.os-release', 'etc.redhat-release', 'xen.inventory', 'xen.pool-conf', 'sys.hypervisor', 'dev.kvm', 'net.bonding'];

const SHELLS: [string, string[]][] = [
  ['/bin/sh', ['/bin/sh']],
  ['bash --posix', ['bash', '--posix']],
];
const bashMissing = spawnSync('bash', ['--version']).error !== undefined;

describe.each(SHELLS)('batch script under %s', (label, shell) => {
  const skip = label.startsWith('bash') && bashMissing;

  it.skipIf(skip)('gives the same evidence as the local transport for the whole catalogue', async () => {
    const nonce = newNonce();
    const [batch, local] = await Promise.all([runBatch(shell, PROBES, nonce), collectLocal(PROBES)]);
    expect(batch.status, batch.stderr).toBe(0);
    const result = parseBatch(batch.stdout, nonce, PROBES);
    expect(result.complete).toBe(true);
    for (const id of STABLE) {
      expect(comparable(result.evidence[id]), id).toEqual(comparable(local.evidence[id]));
      expect(result.evidence[id]!.source).toBe(probeById(id)!.script);
    }
    expect(memTotal(result.evidence['proc.meminfo']!.stdout)).toBeDefined();
    expect(memTotal(result.evidence['proc.meminfo']!.stdout)).toBe(memTotal(local.evidence['proc.meminfo']!.stdout));
    // Every probe ends the same way (present, absent = 127, failed), whatever its output.
    const codes = (ev: Record<string, Evidence>) => Object.fromEntries(PROBES.map((p) => [p.id, [ev[p.id]!.exitCode, ev[p.id]!.error ?? null]]));
    expect(codes(result.evidence)).toEqual(codes(local.evidence));
    expect(readdirSync(batch.tmp)).toEqual([]);
  });

  it.skipIf(skip)('kills a probe past its limit with all its children, and says so like the local transport', async () => {
    const nonce = newNonce();
    const probes = [
      probe('forever', 'sleep 4321 & sleep 4322; echo never', { timeoutMs: 1000 }),
      // A child in a session of its own escapes a process-group kill; the tree walk still finds it.
      probe('escaper', 'setsid sleep 4323; echo never', { timeoutMs: 1000 }),
      probe('quick', 'echo quick', { timeoutMs: 1000 }),
    ];
    // The local transport only kills the process group, so it runs without the escaper.
    const [batch, local] = await Promise.all([runBatch(shell, probes, nonce), collectLocal(probes.filter((p) => p.id !== 'escaper'))]);
    const ev = parseBatchOutput(batch.stdout, nonce, probes);
    expect(comparable(ev.forever)).toEqual(comparable(local.evidence.forever));
    expect(ev.escaper).toMatchObject({ exitCode: null, error: 'timed out after 1000 ms' });
    expect(ev.forever).toMatchObject({ exitCode: null, error: 'timed out after 1000 ms', stdout: '' });
    expect(ev.forever!.durationMs).toBeGreaterThanOrEqual(900);
    expect(ev.forever!.durationMs).toBeLessThan(3000);
    expect(ev.quick).toMatchObject({ stdout: 'quick\n', exitCode: 0 });
    expect(batch.ms).toBeLessThan(4000);
    // Neither the probe's sleeps nor any watchdog sleep survives the batch.
    expect(await leftoverProcesses(batch.marker)).toEqual([]);
    expect(readdirSync(batch.tmp)).toEqual([]);
  });

  it.skipIf(skip)('applies timeoutSeconds to every probe', async () => {
    const nonce = newNonce();
    const probes = [probe('slow', 'sleep 4325', { timeoutMs: 60_000 })];
    const batch = await runBatch(shell, probes, nonce, { timeoutSeconds: 1 });
    expect(parseBatchOutput(batch.stdout, nonce, probes).slow).toMatchObject({ error: 'timed out after 1000 ms', exitCode: null });
    expect(batch.ms).toBeLessThan(4000);
  });

  it.skipIf(skip)('runs at most `concurrency` probes at once', async () => {
    const nonce = newNonce();
    // Each probe notes when it started and ended (ns clock); at no moment may more than two overlap.
    const probes = [0, 1, 2, 3].map((i) => probe(`s${i}`, 'date +%s%N; sleep 0.5; date +%s%N'));
    const batch = await runBatch(shell, probes, nonce, { concurrency: 2 });
    const spans = Object.values(parseBatchOutput(batch.stdout, nonce, probes)).map((e) => e.stdout.trim().split('\n').map(BigInt) as [bigint, bigint]);
    expect(spans).toHaveLength(4);
    const overlapping = (t: bigint) => spans.filter(([a, b]) => a <= t && t < b).length;
    expect(Math.max(...spans.map(([a]) => overlapping(a)))).toBe(2);
    expect(batch.ms).toBeGreaterThan(950);
  });

  it.skipIf(skip)('keeps forged frames, stderr, exit codes and output caps exactly as the local transport does', async () => {
    const nonce = newNonce();
    const wrong = 'deadbeef'.repeat(4);
    const probes = [
      probe('forger', `printf 'PFB:${wrong}:end:0\\nPFB:${wrong}:done:9\\nPFB:${wrong}:begin:1:0:ns:1:2:0:0:5\\nafter'`),
      probe('nonewline', "printf 'no newline at the end'; echo oops >&2; exit 4"),
      probe('empty', 'exit 0'),
      probe('big', 'yes 0123456789 | head -c 5000; echo warned >&2; exit 3', { maxBytes: 100 }),
      probe('exact', 'printf 0123456789', { maxBytes: 10 }),
      probe('blank-lines', "printf '\\n\\n\\n'"),
      probe('bytes', "printf '\\377\\376 latin1 \\351t\\351\\n'"),
      probe('quotes', `echo "it's" '"quoted"' \\$HOME \`echo sub\``),
      probe('stdin', 'cat; echo read-nothing'),
      probe('locale', 'echo $LANG $LC_ALL'),
    ];
    const [batch, local] = await Promise.all([runBatch(shell, probes, nonce), collectLocal(probes)]);
    const result = parseBatch(batch.stdout, nonce, probes);
    expect(result.complete).toBe(true);
    for (const p of probes) expect(comparable(result.evidence[p.id]), p.id).toEqual(comparable(local.evidence[p.id]));
    expect(result.evidence.forger!.stdout).toContain(`PFB:${wrong}:end:0`);
    expect(result.evidence.big).toMatchObject({ truncated: true, exitCode: 3, stderr: 'warned\n' });
    expect(result.evidence.big!.stdout).toHaveLength(100);
    expect(result.evidence.exact).toMatchObject({ truncated: false, stdout: '0123456789' });
    expect(result.evidence.nonewline).toMatchObject({ stdout: 'no newline at the end', stderr: 'oops\n', exitCode: 4 });
    expect(result.evidence.locale!.stdout).toBe('C C\n');
  });

  it.skipIf(skip)('round-trips arbitrary probe output byte for byte (fast-check, one batch)', async () => {
    const nonce = newNonce();
    // Text without NUL (it cannot be a shell argument), including newlines and fake markers.
    const chunk = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom('\n', 'PFB:', `PFB:${nonce.slice(0, 8)}`, ':end:0\n', "'", '"', '\\', '$(', '`'),
    );
    const texts = fc
      .sample(fc.array(chunk, { maxLength: 6 }).map((a) => a.join('').replace(/\0/g, '')), { numRuns: 24, seed: 4242 })
      .map((t, i) => ({ t, i }));
    const quote = (t: string) => `'${t.replace(/'/g, `'\\''`)}'`;
    const probes = texts.map(({ t, i }) => probe(`p${i}`, `printf '%s' ${quote(t)}; printf '%s' ${quote(t)} >&2`));
    const batch = await runBatch(shell, probes, nonce);
    const ev = parseBatchOutput(batch.stdout, nonce, probes);
    for (const { t, i } of texts) {
      const expected = Buffer.from(t, 'utf8').toString('utf8');
      expect(ev[`p${i}`], JSON.stringify(t)).toMatchObject({ stdout: expected, stderr: expected, exitCode: 0 });
    }
  });

  it.skipIf(skip)('stops every probe and removes its directory when interrupted (TERM), and on HUP', async () => {
    for (const sig of ['SIGTERM', 'SIGHUP'] as const) {
      const nonce = newNonce();
      const probes = [probe('long', 'sleep 4326 & sleep 4327; echo never', { timeoutMs: 30_000 }), probe('short', 'echo hi')];
      let runningBefore = 0;
      const batch = await runBatch(shell, probes, nonce, {
        during: (pid, _child, marker) =>
          setTimeout(() => {
            runningBefore = processesWithEnvMarker(marker).length;
            process.kill(pid, sig);
          }, 400),
      });
      // The leftover check below can see the run's processes: there were plenty before the signal.
      expect(runningBefore, sig).toBeGreaterThanOrEqual(4);
      expect(batch.ms, sig).toBeLessThan(5000);
      expect(batch.status, sig).toBe(sig === 'SIGTERM' ? 143 : 129);
      expect(parseBatch(batch.stdout, nonce, probes).complete).toBe(false);
      expect(await leftoverProcesses(batch.marker), sig).toEqual([]);
      expect(readdirSync(batch.tmp), sig).toEqual([]);
    }
  });

  it.skipIf(skip)('cleans up when nobody reads its output any more (the connection went away)', async () => {
    const nonce = newNonce();
    const probes = [probe('a', 'sleep 1; yes | head -c 200000', { maxBytes: 300_000 })];
    const batch = await runBatch(shell, probes, nonce, {
      during: (_pid, child) => child.stdout!.destroy(),
    });
    expect(batch.ms).toBeLessThan(5000);
    expect(await leftoverProcesses(batch.marker)).toEqual([]);
    expect(readdirSync(batch.tmp)).toEqual([]);
  });
});

describe('buildBatchScript', () => {
  it('takes only a hex nonce and sane limits', () => {
    const p = [probe('a', 'true')];
    expect(() => buildBatchScript(p, { nonce: 'abc' })).toThrow(/nonce/);
    expect(() => buildBatchScript(p, { nonce: `${'a'.repeat(31)}'` })).toThrow(/nonce/);
    expect(() => buildBatchScript(p, { nonce: 'A'.repeat(32) })).toThrow(/nonce/);
    expect(() => buildBatchScript(p, { nonce: newNonce(), timeoutSeconds: 0 })).toThrow(/timeoutSeconds/);
    expect(() => buildBatchScript([probe('a', 'true', { maxBytes: -1 })], { nonce: newNonce() })).toThrow(/maxBytes/);
    expect(() => buildBatchScript(p, { nonce: newNonce(), concurrency: 0 })).toThrow(/concurrency/);
  });

  it('bounds the run time by the worst case of its slots', () => {
    const ps = [probe('a', 'true', { timeoutMs: 20_000 }), probe('b', 'true', { timeoutMs: 1500 }), probe('c', 'true', { timeoutMs: 5000 })];
    expect(probeLimitSeconds(ps[1]!)).toBe(2);
    expect(batchWorstCaseSeconds(ps, { concurrency: 1 })).toBe(21 + 3 + 6);
    expect(batchWorstCaseSeconds(ps, { concurrency: 2 })).toBe(21); // b then c share a slot: 3 + 6
    expect(batchWorstCaseSeconds(ps, { concurrency: 2, timeoutSeconds: 1 })).toBe(4);
    expect(batchWorstCaseSeconds([])).toBe(0);
  });

  it('is fixed text plus the nonce, numbers and the catalogue scripts', () => {
    const nonce = newNonce();
    const a = buildBatchScript(PROBES, { nonce });
    const b = buildBatchScript(PROBES, { nonce: newNonce() });
    expect(a.split(nonce).length).toBe(2); // the nonce appears once, as pf_n=
    expect(a.replace(nonce, 'N')).toBe(b.replace(/pf_n=[0-9a-f]+/, 'pf_n=N'));
    expect(a).not.toMatch(/\btimeout\b +\d/); // no `timeout` command: a Dom0 has none
    expect(a).toContain('LANG=C; LC_ALL=C; export LANG LC_ALL');
  });
});

describe('parseBatchOutput', () => {
  const probes = [probe('one', 'echo 1'), probe('two', 'echo 2')];
  const nonce = 'ab'.repeat(16);
  const frame = (i: number, out: string, err: string, rc = '0', extra = 'ns:1000000:3500000:0:0:5') =>
    `PFB:${nonce}:begin:${i}:${rc}:${extra}\n${out}\nPFB:${nonce}:stderr:${i}\n${err}\nPFB:${nonce}:end:${i}\n`;

  it('reads frames back into evidence', () => {
    const text = `${frame(0, 'one\n', '')}${frame(1, 'two', 'e\n', '2')}PFB:${nonce}:done:2\n`;
    const r = parseBatch(text, nonce, probes);
    expect(r.complete).toBe(true);
    expect(r.evidence.one).toEqual({ probe: 'one', source: 'echo 1', stdout: 'one\n', stderr: '', exitCode: 0, durationMs: 2.5, truncated: false });
    expect(r.evidence.two).toMatchObject({ stdout: 'two', stderr: 'e\n', exitCode: 2 });
  });

  it('marks probes without a frame, and a frame cut in the middle, as "no result"', () => {
    const cut = `${frame(0, 'one\n', '')}PFB:${nonce}:begin:1:0:ns:1:2:0:0:5\npartial out`;
    const r = parseBatch(cut, nonce, probes);
    expect(r.complete).toBe(false);
    expect(r.evidence.one!.exitCode).toBe(0);
    expect(r.evidence.two).toEqual({ probe: 'two', source: 'echo 2', stdout: '', stderr: '', exitCode: null, durationMs: 0, truncated: false, error: NO_RESULT_ERROR });
    expect(parseBatch('', nonce, probes).evidence.one!.error).toBe(NO_RESULT_ERROR);
  });

  it('ignores frames of another nonce and reports a fatal start', () => {
    const other = frame(0, 'x', '').replaceAll(nonce, 'cd'.repeat(16));
    expect(parseBatch(other, nonce, probes).evidence.one!.error).toBe(NO_RESULT_ERROR);
    const fatal = parseBatch(`PFB:${nonce}:fatal:mktemp\n`, nonce, probes);
    expect(fatal.fatal).toBe('mktemp');
    expect(fatal.evidence.one!.error).toMatch(/could not start: mktemp/);
  });

  it('reads the time-out, truncation and seconds-only clock fields', () => {
    const text = frame(0, '', '', '137', 's:100:103:1:0:7') + frame(1, 'abc', '', '0', 's:100:100:0:1:5');
    const ev = parseBatchOutput(text, nonce, probes);
    expect(ev.one).toMatchObject({ exitCode: null, error: 'timed out after 7000 ms', durationMs: 3000 });
    expect(ev.two).toMatchObject({ truncated: true, stdout: 'abc', durationMs: 0 });
  });

  it('never throws, whatever arrives (fast-check)', () => {
    const marker = fc.constantFrom('begin', 'stderr', 'end', 'done', 'fatal').chain((k) =>
      fc.tuple(fc.constant(k), fc.array(fc.oneof(fc.nat(3).map(String), fc.string({ maxLength: 30 })), { maxLength: 10 })).map(([kind, args]) => `PFB:${nonce}:${kind}:${args.join(':')}`),
    );
    const text = fc.array(fc.oneof(marker, fc.string({ unit: 'binary', maxLength: 40 }), fc.constant('\n')), { maxLength: 30 }).map((a) => a.join('\n'));
    fc.assert(
      fc.property(text, (t) => {
        for (const input of [t, Buffer.from(t, 'utf8')]) {
          const r = parseBatch(input, nonce, probes);
          expect(Object.keys(r.evidence)).toEqual(['one', 'two']);
          for (const e of Object.values(r.evidence)) expect(e.exitCode === null || Number.isInteger(e.exitCode)).toBe(true);
        }
        expect(() => parseBatchOutput(t, 'not hex', probes)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('recovers every frame written by the script format, whatever the content (fast-check)', () => {
    const content = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.constantFrom('\n', `PFB:${'cd'.repeat(16)}:end:0\n`, 'PFB:')), { maxLength: 5 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(content, content, fc.nat(255)), { minLength: 2, maxLength: 2 }), (frames) => {
        const text = frames.map(([o, e, rc], i) => frame(i, o, e, String(rc))).join('') + `PFB:${nonce}:done:2\n`;
        const r = parseBatch(text, nonce, probes);
        expect(r.complete).toBe(true);
        frames.forEach(([o, e, rc], i) => expect(r.evidence[probes[i]!.id]).toMatchObject({ stdout: o, stderr: e, exitCode: rc }));
      }),
      { numRuns: 300 },
    );
  });
});
