#!/usr/bin/env node
// `npm run bench`: installs the peers (bench/setup.sh), builds preflight, then measures every
// registered case group (bench/groups/index.mjs) with preflight and its peers interleaved
// round-robin, and writes bench/results.json and bench/RESULTS.md. Exits 0 even when a target
// is missed (the report says so); every process it starts is cleaned up before it returns.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { GROUPS } from './groups/index.mjs';
import { summarizeCase } from './lib/analyze.mjs';
import { gitInfo, loadAverage, machineInfo, versionOf } from './lib/machine.mjs';
import { interleave, rssMethod } from './lib/measure.mjs';
import { installSignalCleanup, sweep, taggedEnv } from './lib/proc.mjs';
import { renderConsole, renderMarkdown } from './lib/report.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);
const tmpDir = join(benchDir, 'tmp');

const USAGE = `usage: node bench/run.mjs [options]   (npm run bench -- [options])
  --runs N        measured rounds per group, after the warm-up (default 15; the issue asks for at least 10)
  --warmup N      warm-up rounds, not recorded (default 2)
  --group IDS     comma-separated group ids to run (default: all: ${GROUPS.map((g) => g.id).join(', ')})
  --timeout S     time limit for one run of one case, in seconds (default 120)
  --no-setup      do not run bench/setup.sh (peers already installed)
  --no-build      with --in-place: do not build (dist/ is current)
  --in-place      measure the work tree itself, not a private copy of it (bench/tmp/tree/) built
                  by the bench (the copy is steadier while others build and edit the tree)
  --ref REF       measure the committed tree REF (e.g. HEAD), exported with git archive and built
                  under bench/tmp/ref/, instead of the work tree (steadier while others edit src/)
  --cases IDS     measure only these case ids of the groups run (quick comparisons while tuning)
  --out DIR       where results.json and RESULTS.md go (default bench/)
  --render-only   measure nothing: re-run each group's analysis on DIR/results.json and rewrite
                  both files (after changing a group's targets or notes, or the report layout)
  -h, --help      this text`;

function parseArgs(argv) {
  const o = { runs: 15, warmup: 2, groups: GROUPS.map((g) => g.id), timeoutS: 120, setup: true, build: true, outDir: benchDir, ref: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    const int = (v, min) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) usage(`${a}: expected an integer >= ${min}, got "${v}"`);
      return n;
    };
    const name = a.split('=')[0];
    if (name === '--runs') o.runs = int(val(), 1);
    else if (name === '--warmup') o.warmup = int(val(), 0);
    else if (name === '--timeout') o.timeoutS = int(val(), 1);
    else if (name === '--group' || name === '--groups') o.groups = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (name === '--out') o.outDir = val();
    else if (name === '--cases') o.cases = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (name === '--ref') o.ref = val();
    else if (a === '--no-setup') o.setup = false;
    else if (a === '--no-build') o.build = false;
    else if (a === '--in-place') o.inPlace = true;
    else if (a === '--render-only') o.renderOnly = true;
    else if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else usage(`unknown option ${a}`);
  }
  for (const id of o.groups) if (!GROUPS.some((g) => g.id === id)) usage(`unknown group "${id}" (known: ${GROUPS.map((g) => g.id).join(', ')})`);
  return o;
}

function usage(msg) {
  process.stderr.write(`bench: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

function which(cmd) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return undefined;
}

function runSetup() {
  log('installing peers (bench/setup.sh)…');
  const r = spawnSync('bash', [join(benchDir, 'setup.sh'), '--quiet'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: taggedEnv() });
  if (r.status !== 0) log(`setup.sh exited ${r.status}: peers that are missing are reported as not run`);
}

function runBuild(dir) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) return `not built: ${tsc} is missing (npm install the project first)`;
  log(`building preflight (tsc -p ${dir === root ? 'tsconfig.json' : join(dir, 'tsconfig.json')})…`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8', env: taggedEnv() });
  // The rest of `npm run build`: the bundled profiles compiled to JSON, which the CLI reads at run
  // time, then the CLI bundled into dist/bundled/ (what bin/preflight.js runs when it is current).
  const steps = [];
  for (const script of ['compile-profiles.mjs', 'build-bundle.mjs']) {
    const file = join(dir, 'scripts', script);
    if (r.status !== 0 || !existsSync(file)) continue;
    const s = spawnSync(process.execPath, [file], { cwd: dir, stdio: 'inherit', env: taggedEnv() });
    steps.push(s.status === 0 ? script.replace('.mjs', '') : `${script} FAILED (exit ${s.status})`);
  }
  const ms = Date.now() - t0;
  if (r.status === 0) return `tsc${steps.length ? ` + ${steps.join(' + ')}` : ''} ok in ${(ms / 1000).toFixed(1)} s`;
  // tsc still emits on type errors; others may be mid-edit in src/. Say so, measure what was built.
  const first = `${r.stdout}${r.stderr}`.split('\n').find((l) => l.includes('error')) ?? `exit ${r.status}`;
  log(`tsc reported errors (measuring what it emitted): ${first}`);
  return `tsc exited ${r.status} (type errors in the tree, output still emitted): ${first}`;
}

/** Copies what the CLI is built from into bench/tmp/tree/ (node_modules resolves up to the project's). */
function snapshotWorkTree() {
  const dir = join(tmpDir, 'tree');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const p of ['bin', 'src', 'rules', 'templates', 'schema', 'scripts', 'package.json', 'tsconfig.json']) {
    if (existsSync(join(root, p))) cpSync(join(root, p), join(dir, p), { recursive: true });
  }
  log(`measuring a copy of the work tree in ${dir}`);
  return dir;
}

/** Exports the committed tree `ref` into bench/tmp/ref/ (read-only for the repository). */
function exportRef(ref) {
  const dir = join(tmpDir, 'ref');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rev = spawnSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: root, encoding: 'utf8' });
  if (rev.status !== 0) usage(`--ref ${ref}: not a commit (${rev.stderr.trim()})`);
  // scripts/: the build's compile-profiles and bundle steps, without which bin/ runs unbundled dist/.
  const paths = ['bin', 'src', 'rules', 'templates', 'schema', 'scripts', 'package.json', 'tsconfig.json'].filter(
    (p) => spawnSync('git', ['cat-file', '-e', `${ref}:${p}`], { cwd: root }).status === 0,
  );
  const r = spawnSync('bash', ['-c', 'git archive --format=tar "$0" "${@}" | tar -x -C "$DEST"', ref, ...paths], {
    cwd: root,
    encoding: 'utf8',
    env: taggedEnv({ DEST: dir }),
  });
  if (r.status !== 0) throw new Error(`git archive ${ref} failed: ${r.stderr}`);
  log(`measuring ${ref} (${rev.stdout.trim().slice(0, 12)}), exported to ${dir}`);
  return { dir, commit: rev.stdout.trim() };
}

async function runGroup(group, ctx, opts, loadSamples) {
  const out = { id: group.id, part: group.part, title: group.title, description: group.description, status: 'ok', cases: [], targets: [], ratios: [], notes: [] };
  let state;
  let skipped = [];
  try {
    log(`group ${group.id}: setting up`);
    state = await group.setup(ctx);
    if (state?.skip) {
      out.status = 'skipped';
      out.reason = state.skip;
      out.targets = (group.analyze ? safeAnalyze(group, ctx, {}) : []).map((t) => ({ ...t, met: false }));
      return out;
    }
    let summarized;
    if (group.run) {
      summarized = await group.run(ctx, state);
    } else {
      const all = group.cases(ctx, state);
      skipped = all.filter((c) => opts.cases && !opts.cases.includes(c.id)).map((c) => ({ id: c.id, label: c.label, role: c.role, unavailable: 'not measured in this run (--cases)' }));
      const cases = all
        .filter((c) => !opts.cases || opts.cases.includes(c.id))
        .map((c) => ({ env: {}, cwd: root, timeoutMs: opts.timeoutS * 1000, ...c }));
      for (const c of cases) if (c.unavailable) log(`  ${c.id}: not run: ${c.unavailable}`);
      // A group may cap its rounds (the 100-host fleet loads the shared machine for a minute a round).
      const runs = Math.min(opts.runs, group.maxRuns ?? Infinity);
      const warmup = Math.min(opts.warmup, group.maxWarmup ?? Infinity);
      if (runs < opts.runs) out.notes.push(`Rounds: ${warmup} warm-up + ${runs} measured (this group caps them: ${group.maxRunsWhy ?? 'see its description'}).`);
      log(`group ${group.id}: ${warmup} warm-up + ${runs} rounds of ${cases.filter((c) => !c.unavailable).length} cases`);
      const samples = await interleave(cases, {
        runs,
        warmup,
        scratchDir: join(tmpDir, 'scratch'),
        log,
        onRound: (_r, strays) => {
          loadSamples.push(os.loadavg()[0]);
          ctx.strays.push(...strays);
        },
      });
      summarized = cases.map((c) => summarizeCase(c, samples.get(c.id)));
    }
    out.cases = summarized;
    const byId = Object.fromEntries([...skipped, ...summarized].map((c) => [c.id, c]));
    const a = group.analyze(ctx, byId);
    out.targets = a.targets ?? [];
    out.ratios = a.ratios ?? [];
    out.notes = [...out.notes, ...(a.notes ?? [])];
  } catch (err) {
    out.status = 'error';
    out.reason = `${err.message}`;
    log(`group ${group.id} failed: ${err.stack ?? err.message}`);
  } finally {
    try {
      await group.teardown?.(ctx, state);
    } catch (err) {
      log(`group ${group.id}: teardown failed: ${err.message}`);
      out.notes.push(`Teardown failed: ${err.message}`);
    }
    ctx.strays.push(...sweep());
  }
  return out;
}

/** Targets of a group that could not run, stated as missed with the reason. */
function safeAnalyze(group, ctx, byId) {
  try {
    return group.analyze(ctx, byId).targets ?? [];
  } catch {
    return [];
  }
}

async function renderOnly(opts) {
  const file = join(opts.outDir, 'results.json');
  const results = JSON.parse(readFileSync(file, 'utf8'));
  for (const g of results.groups) {
    const group = GROUPS.find((x) => x.id === g.id);
    if (!group || g.status !== 'ok') continue;
    const a = group.analyze({ root, benchDir, tmpDir, log, which }, Object.fromEntries(g.cases.map((c) => [c.id, c])));
    // The harness's own notes (capped rounds) are kept; the group's analysis is redone.
    const kept = (g.notes ?? []).filter((n) => n.startsWith('Rounds: '));
    Object.assign(g, { targets: a.targets ?? [], ratios: a.ratios ?? [], notes: [...kept, ...(a.notes ?? [])] });
  }
  results.targets = results.groups.flatMap((g) => g.targets.map((t) => ({ group: g.id, ...t })));
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(opts.outDir, 'RESULTS.md'), renderMarkdown(results));
  process.stdout.write(renderConsole(results));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.renderOnly) return renderOnly(opts);
  installSignalCleanup((sig) => log(`${sig}: stopping, cleaning up`));
  const loadStart = loadAverage();
  mkdirSync(tmpDir, { recursive: true });
  if (opts.runs < 10) log(`--runs ${opts.runs}: fewer than the 10 runs the issue asks for`);
  if (opts.setup) runSetup();
  // The preflight measured: the work tree (default), or a committed tree exported by --ref.
  const ref = opts.ref ? exportRef(opts.ref) : undefined;
  // The work tree is measured from a private copy, so another engineer's build or edit during the
  // run cannot change what is measured halfway (their tsc would make bin/preflight.js fall back
  // from the bundle to dist/cli.js). --in-place measures the work tree itself.
  const snapshot = !ref && !opts.inPlace ? snapshotWorkTree() : undefined;
  const preflightRoot = ref?.dir ?? snapshot ?? root;
  const build = opts.build || ref || snapshot ? runBuild(preflightRoot) : 'not rebuilt (--no-build)';
  const preflightBuilt = existsSync(join(preflightRoot, 'dist', 'cli.js'));
  const ctx = { root, preflightRoot, benchDir, tmpDir, runs: opts.runs, warmup: opts.warmup, log, which, preflightBuilt, strays: [] };
  const loadSamples = [loadStart.one];
  const groups = [];
  for (const g of GROUPS.filter((g) => opts.groups.includes(g.id))) groups.push(await runGroup(g, ctx, opts, loadSamples));
  ctx.strays.push(...sweep());
  rmSync(join(tmpDir, 'scratch'), { recursive: true, force: true });
  const loadEnd = loadAverage();
  loadSamples.push(loadEnd.one);

  const results = {
    schema: 1,
    tool: 'bench/run.mjs',
    machine: machineInfo(),
    options: { commandLine: process.env.npm_lifecycle_event === 'bench' && process.argv.length === 2 ? 'npm run bench' : ['node bench/run.mjs', ...process.argv.slice(2)].join(' '), runs: opts.runs, warmup: opts.warmup, timeoutS: opts.timeoutS, groups: opts.groups, ref: opts.ref ?? null, rssMethod: rssMethod() },
    load: { start: loadStart, end: loadEnd, min1: Math.min(...loadSamples), max1: Math.max(...loadSamples), perRound1: loadSamples },
    preflight: ref ? { commit: ref.commit, dirty: false, tree: `committed tree ${opts.ref}`, build } : { ...gitInfo(root), tree: snapshot ? 'work tree (copied to bench/tmp/tree)' : 'work tree', build },
    peerVersions: {
      facter: versionOf('facter'),
      ansible: versionOf('ansible', ['--version'])?.replace(/^ansible \[(.*)\]$/, '$1'),
      'virt-host-validate': versionOf('virt-host-validate')?.replace(/^version: virt-host-validate /, ''),
      systeminformation: siVersion(),
    },
    groups,
    targets: groups.flatMap((g) => g.targets.map((t) => ({ group: g.id, ...t }))),
    cleanup: { strays: ctx.strays.length, names: [...new Set(ctx.strays.map((s) => s.comm))] },
  };
  mkdirSync(opts.outDir, { recursive: true });
  writeFileSync(join(opts.outDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(opts.outDir, 'RESULTS.md'), renderMarkdown(results));
  process.stdout.write(renderConsole(results));
  log(`wrote ${join(opts.outDir, 'results.json')} and ${join(opts.outDir, 'RESULTS.md')}`);
}

function siVersion() {
  try {
    return JSON.parse(readFileSync(join(tmpDir, 'node_modules', 'systeminformation', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    sweep();
    process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
    process.exit(1);
  },
);
