import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Probe } from '../../src/collect/evidence.js';
import { collectLocal, failedGuard } from '../../src/collect/localTransport.js';
import { PROBES } from '../../src/collect/probes.js';
import { buildBatchScript, newNonce, parseBatch, parseProbeGuard } from '../../src/collect/remoteScript.js';

/**
 * The local transport (and the batch script's runner, for SSH) answers a probe whose opening guard certainly fails (`command -v TOOL`,
 * `[ -d|-e|-r PATH ]`, `cd DIR`) without starting a shell. What it answers must be exactly what
 * /bin/sh would have printed and returned; anything it is unsure of must still run in the shell.
 */

const sh = (script: string) => {
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.status };
};

const guard = (test: string, tail = 'echo present') => `${test} || { echo "absent: no such thing" >&2; exit 127; }; ${tail}`;

describe.skipIf(process.platform === 'win32')('failedGuard', () => {
  const absent = [
    guard('command -v pf-no-such-tool-4711 >/dev/null 2>&1'),
    guard('[ -d /pf-no-such-dir-4711 ]'),
    guard('[ -e /pf-no-such-file-4711 ]'),
    guard('[ -r /pf-no-such-file-4711 ]'),
    guard('cd /pf-no-such-dir-4711 2>/dev/null'),
    // A file is not a directory: both `[ -d ]` and `cd` fail on it.
    guard('[ -d /proc/meminfo ]'),
    guard('cd /proc/meminfo 2>/dev/null'),
  ];
  it.each(absent)('answers %s exactly as /bin/sh does', (script) => {
    const answer = failedGuard(script);
    expect(answer).toBeDefined();
    expect({ stdout: '', stderr: `${answer!.message}\n`, exitCode: answer!.exitCode }).toEqual(sh(script));
  });

  const present = [
    guard('command -v sh >/dev/null 2>&1'),
    guard('command -v echo >/dev/null 2>&1'), // a shell builtin: never "absent"
    guard('[ -d /proc ]'),
    guard('[ -e /proc/meminfo ]'),
    guard('[ -r /proc/meminfo ]'),
    guard('cd /proc 2>/dev/null'),
  ];
  it.each(present)('leaves %s to the shell when the guard passes', (script) => {
    expect(failedGuard(script)).toBeUndefined();
    expect(sh(script).stdout).toBe('present\n');
  });

  it.each([
    // The message would be expanded or escaped by the shell: not judged.
    'command -v pf-no-such-tool-4711 >/dev/null 2>&1 || { echo "$HOME: not installed" >&2; exit 127; }',
    'command -v pf-no-such-tool-4711 >/dev/null 2>&1 || { echo "a\\tb" >&2; exit 127; }',
    // Not at the start of the script, or another shape.
    'true; command -v pf-no-such-tool-4711 >/dev/null 2>&1 || { echo "x" >&2; exit 127; }',
    'command -v pf-no-such-tool-4711 || { echo "x" >&2; exit 127; }',
    '[ -x /pf-no-such-file-4711 ] || { echo "x" >&2; exit 127; }',
    '[ -d relative/path ] || { echo "x" >&2; exit 127; }',
  ])('does not judge %s', (script) => {
    expect(failedGuard(script)).toBeUndefined();
  });

  it('gives, for every catalogue probe, the evidence the shell gives (exit code, stdout, stderr)', async () => {
    const scripts = PROBES.filter((p) => p.file === undefined && p.node === undefined && p.only === undefined && failedGuard(p.script) !== undefined);
    // This machine has no xe, at least: the test must have something to compare.
    expect(scripts.length).toBeGreaterThan(0);
    const ev = await collectLocal(scripts, { inProcess: false });
    for (const p of scripts) {
      const { durationMs: _d, source: _s, probe: _p, truncated: _t, ...got } = ev.evidence[p.id]!;
      expect(got, p.id).toEqual(sh(p.script));
    }
  });

  it('still spawns a probe whose guard passes', async () => {
    const p: Probe = { id: 'with-sh', description: 'x', manual: 'x', script: guard('command -v sh >/dev/null 2>&1', 'echo ran; exit 3'), timeoutMs: 5000, maxBytes: 4096 };
    const ev = await collectLocal([p], { inProcess: false });
    expect(ev.evidence['with-sh']).toMatchObject({ stdout: 'ran\n', exitCode: 3 });
  });

  it('the batch script answers the same guards without a probe shell, and runs the rest', () => {
    const scripts = [...absent, ...present, 'command -v pf-no-such-tool-4711 || { echo "x" >&2; exit 127; }'];
    expect(absent.every((t) => parseProbeGuard(t) !== undefined)).toBe(true);
    const probes: Probe[] = scripts.map((script, i) => ({ id: `g${i}`, description: 'x', manual: 'x', script, timeoutMs: 5000, maxBytes: 4096 }));
    const nonce = newNonce();
    const r = spawnSync('/bin/sh', ['-s'], { input: buildBatchScript(probes, { nonce }), encoding: 'utf8' });
    const batch = parseBatch(r.stdout, nonce, probes);
    expect(batch.complete).toBe(true);
    probes.forEach((p) => {
      const { stdout, stderr, exitCode } = batch.evidence[p.id]!;
      expect({ stdout, stderr, exitCode }, p.script).toEqual(sh(p.script));
    });
  });
});

