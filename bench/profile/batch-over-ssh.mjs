#!/usr/bin/env node
// The probe batch script (src/collect/remoteScript.ts) over real SSH on loopback: wall time of
// `ssh HOST /bin/sh -s < batch` for the probes of a master, next to the OpenSSH floor
// (`ssh HOST cat /proc/cpuinfo /proc/meminfo`), round-robin. With --old FILE (an earlier
// remoteScript.ts, e.g. saved before a change) the old script runs in the same rounds.
//   node bench/profile/batch-over-ssh.mjs [--runs 10] [--old /tmp/remoteScript.old.ts] [--concurrency 8]
// Needs root, /usr/sbin/sshd and a built dist/ (npm run build); starts and stops its own sshd.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startSshd } from '../lib/sshd.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (flag, dflt) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : dflt);
const runs = Number(arg('--runs', 10));
const concurrency = Number(arg('--concurrency', 8));
const work = mkdtempSync(join(tmpdir(), 'pf-batch-'));
const compile = (file, name) => {
  const out = join(work, `${name}.mjs`);
  const src = join(work, `${name}.ts`);
  copyFileSync(file, src);
  const r = spawnSync(join(root, 'node_modules/.bin/esbuild'), [src, '--format=esm', `--outfile=${out}`, '--log-level=error']);
  if (r.status !== 0) throw new Error(`esbuild ${file}: ${r.stderr}`);
  return import(pathToFileURL(out).href);
};
const scripts = { now: await compile(join(root, 'src/collect/remoteScript.ts'), 'now') };
if (arg('--old')) scripts.old = await compile(arg('--old'), 'old');
const { PROBES, probesForRole } = await import(pathToFileURL(join(root, 'dist/collect/probes.js')).href);
const probes = probesForRole(PROBES, 'master');
const sshd = await startSshd(join(work, 'sshd'));
const timed = (args, input, check) =>
  new Promise((resolve) => {
    const t0 = performance.now();
    const ch = spawn('ssh', ['-F', sshd.sshConfig, 'pf-h1', ...args], { stdio: ['pipe', 'pipe', 'ignore'] });
    const out = [];
    ch.stdout.on('data', (d) => out.push(d));
    ch.on('close', () => resolve({ ms: performance.now() - t0, ok: check(Buffer.concat(out)) }));
    ch.stdin.end(input ?? '');
  });
const cases = {
  ...Object.fromEntries(
    Object.entries(scripts).map(([name, mod]) => [
      `batch (${name})`,
      () => {
        const nonce = mod.newNonce();
        return timed(['/bin/sh -s'], mod.buildBatchScript(probes, { nonce, concurrency }), (out) => mod.parseBatch(out, nonce, probes).complete);
      },
    ]),
  ),
  'OpenSSH floor': () => timed(['cat /proc/cpuinfo /proc/meminfo'], '', (out) => out.length > 0),
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
try {
  for (let i = 0; i <= runs; i++) {
    for (const [k, run] of Object.entries(cases)) {
      const r = await run();
      if (!r.ok) process.stderr.write(`${k}: incomplete output\n`);
      if (i > 0) times[k].push(r.ms);
    }
  }
} finally {
  await sshd.stop();
  rmSync(work, { recursive: true, force: true });
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
process.stdout.write(`${probes.length} probes of a master, concurrency ${concurrency}, ${runs} rounds after a warm-up:\n`);
for (const [k, v] of Object.entries(times)) process.stdout.write(`  ${k.padEnd(16)} median ${Math.round(median(v))} ms, min ${Math.round(Math.min(...v))} ms\n`);
