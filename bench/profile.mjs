#!/usr/bin/env node
// Where does `preflight scan --format json` spend its time? Measures, each in fresh processes,
// medians over --reps runs (default 9):
//   1. import cost of each third-party package alone (node -e "await import(PKG)")
//   2. the pipeline stage by stage (bench/profile/stages.mjs scan | split)
//   3. probe collection alone at several concurrencies, and probes started before or after the
//      modules and rules load (stages.mjs collect N | overlap | sequential)
//   4. V8 CPU profiles of the real command (node --cpu-prof), self time grouped by package/folder
//   5. experimental builds that implement the proposals (bench/profile/variants.mjs), measured
//      whole-process round-robin with `node -e 0` and facter
// Writes bench/tmp/profile/profile.json and prints a summary; bench/PROFILE.md is written from it.
// Needs a built dist/ (npm run build); read-only for the project.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { taggedEnv, sweep } from './lib/proc.mjs';
import { interleave } from './lib/measure.mjs';
import { summarizeCase } from './lib/analyze.mjs';
import { buildVariants } from './profile/variants.mjs';

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);
const outDir = join(benchDir, 'tmp', 'profile');
const argAfter = (flag) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const REPS = Number(argAfter('--reps') ?? 9);
// --root DIR profiles another built tree, e.g. bench/tmp/ref made by `node bench/run.mjs --ref HEAD`.
const pfRoot = argAfter('--root') ? resolve(argAfter('--root')) : root;
const node = process.execPath;
const log = (m) => process.stderr.write(`profile: ${m}\n`);

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (!v.length) return undefined;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const r1 = (x) => (x === undefined ? undefined : Math.round(x * 10) / 10);

function run(args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(node, args, { cwd: pfRoot, encoding: 'utf8', env: taggedEnv({ PREFLIGHT_BENCH_ROOT: pfRoot }), maxBuffer: 64 << 20, ...opts });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ...r, wall };
}

function medianOfRuns(make, reps) {
  const all = [];
  for (let i = 0; i < reps; i++) all.push(make());
  const keys = [...new Set(all.flatMap((o) => Object.keys(o)))];
  const out = {};
  for (const k of keys) {
    const vals = all.map((o) => o[k]);
    out[k] = typeof vals[0] === 'number' ? r1(median(vals)) : vals[0];
  }
  return { median: out, all };
}

const loadStart = os.loadavg();
mkdirSync(outDir, { recursive: true });
const git = (args, cwd) => spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout?.trim();
const result = {
  date: new Date().toISOString(),
  reps: REPS,
  node: process.version,
  cores: os.cpus().length,
  loadStart,
  tree: pfRoot === root ? `work tree at ${git(['rev-parse', 'HEAD'], root)}${git(['status', '--porcelain', '--untracked-files=no', '--', 'src'], root) ? ' + uncommitted changes in src/' : ''}` : pfRoot,
};

// 1. Packages alone.
log('import cost of each package alone…');
const pkgs = ['commander', 'zod', 'yaml', 'ipaddr.js', 'picocolors', 'handlebars', 'ssh2', 'ssh-config'];
result.packages = {};
for (const p of ['(nothing)', ...pkgs]) {
  const code = p === '(nothing)' ? 'const s=performance.now();console.log(JSON.stringify({boot:s,ms:0}))' : `const s=performance.now();await import(${JSON.stringify(p)});console.log(JSON.stringify({boot:s,ms:performance.now()-s}))`;
  const { median: m } = medianOfRuns(() => {
    const r = run(['--input-type=module', '-e', code], { cwd: root });
    const o = JSON.parse(r.stdout);
    return { importMs: o.ms, bootMs: o.boot, wallMs: r.wall };
  }, REPS);
  result.packages[p] = m;
  log(`  ${p}: ${m.importMs} ms (process ${m.wallMs} ms)`);
}

// 1b. Which modules a scan loads (ESM loader hook; CommonJS files required inside a package,
// such as yaml's, are not counted).
{
  const logFile = join(outDir, 'modules.txt');
  rmSync(logFile, { force: true });
  run(['--import', join(benchDir, 'profile', 'module-log.mjs'), 'bin/preflight.js', 'scan', '--format', 'json'], { env: taggedEnv({ PREFLIGHT_BENCH_MODLOG: logFile, PREFLIGHT_BENCH_ROOT: pfRoot }) });
  const urls = readFileSync(logFile, 'utf8').trim().split('\n');
  const by = {};
  for (const u of urls) {
    const k = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? (u.includes('/dist/') ? 'preflight dist/' : u.startsWith('node:') ? 'node: builtins' : 'other');
    by[k] = (by[k] ?? 0) + 1;
  }
  result.modules = { total: urls.length, byOwner: Object.fromEntries(Object.entries(by).sort((a, b) => b[1] - a[1])) };
  log(`  modules loaded by a scan: ${JSON.stringify(result.modules)}`);
}

// 2. Stages.
const stage = (mode, extra = []) =>
  medianOfRuns(() => {
    const r = run([join(benchDir, 'profile', 'stages.mjs'), mode, ...extra]);
    if (r.status !== 0) throw new Error(`stages.mjs ${mode} failed: ${r.stderr}`);
    const o = JSON.parse(r.stdout.trim().split('\n').at(-1));
    o.wallMs = r.wall;
    return o;
  }, REPS);
log('pipeline stages…');
const scan = stage('scan');
result.stages = Object.fromEntries(Object.entries(scan.median).filter(([k]) => k !== 'probes'));
// Probe durations: median per probe over the runs.
const probeIds = scan.all[0].probes.map((p) => p.id);
result.probes = probeIds
  .map((id) => {
    const ms = scan.all.map((o) => o.probes.find((p) => p.id === id)?.ms);
    const p0 = scan.all[0].probes.find((p) => p.id === id);
    return { id, medianMs: r1(median(ms)), file: p0.file, exit: p0.exit };
  })
  .sort((a, b) => b.medianMs - a.medianMs);
result.split = stage('split').median;
log(`  ${JSON.stringify(result.stages)}`);

// 3. Collection: concurrency, one shell for every script probe, and overlap. The variants of a
// question run round-robin so drift hits them alike.
const roundRobin = (variants, reps, pick) => {
  const acc = Object.fromEntries(variants.map(([k]) => [k, []]));
  for (let i = 0; i < reps; i++) {
    for (let j = 0; j < variants.length; j++) {
      const [k, mode, extra] = variants[(i + j) % variants.length];
      const r = run([join(benchDir, 'profile', 'stages.mjs'), mode, ...(extra ?? [])]);
      if (r.status !== 0) throw new Error(`stages.mjs ${mode} failed: ${r.stderr}`);
      acc[k].push(pick(JSON.parse(r.stdout.trim().split('\n').at(-1))));
    }
  }
  return Object.fromEntries(Object.entries(acc).map(([k, v]) => [k, r1(median(v))]));
};
log('probe collection: concurrency, one shell…');
result.collect = roundRobin(
  [
    ['concurrency 1', 'collect', ['1']],
    ['concurrency 4', 'collect', ['4']],
    ['concurrency 8 (default)', 'collect', ['8']],
    ['concurrency 16', 'collect', ['16']],
    ['concurrency 64', 'collect', ['64']],
    ['one /bin/sh for all script probes', 'oneshell'],
  ],
  REPS,
  (o) => o.collect,
);
result.collectCpu = roundRobin(
  [
    ['concurrency 8 (default), CPU of node', 'collect', ['8']],
    ['one /bin/sh, CPU of node', 'oneshell'],
  ],
  REPS,
  (o) => o['cpu:collect'],
);
log(`  ${JSON.stringify(result.collectCpu)}`);
log(`  ${JSON.stringify(result.collect)}`);
log('probes before vs after loading modules and rules…');
result.overlap = roundRobin(
  [
    ['probes started first', 'overlap'],
    ['probes after loading (today)', 'sequential'],
  ],
  REPS,
  (o) => o.total,
);
log(`  ${JSON.stringify(result.overlap)}`);

// 4. Whole command, plain and under the CPU profiler.
log('whole command, and CPU profiles…');
result.whole = medianOfRuns(() => ({ wallMs: run(['bin/preflight.js', 'scan', '--format', 'json']).wall }), REPS).median;
result.wholeText = medianOfRuns(() => ({ wallMs: run(['bin/preflight.js', 'scan', '--format', 'text', '--no-color']).wall }), REPS).median;
result.version = medianOfRuns(() => ({ wallMs: run(['bin/preflight.js', '--version']).wall }), REPS).median;
const profDir = join(outDir, 'cpuprof');
rmSync(profDir, { recursive: true, force: true });
mkdirSync(profDir, { recursive: true });
for (let i = 0; i < REPS; i++) run(['--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', profDir, 'bin/preflight.js', 'scan', '--format', 'json']);
const profiles = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
const perProfile = profiles.map((f) => analyzeProfile(JSON.parse(readFileSync(join(profDir, f), 'utf8'))));
const cats = [...new Set(perProfile.flatMap((p) => Object.keys(p.byCategory)))];
result.cpuByCategory = Object.fromEntries(cats.map((c) => [c, r1(median(perProfile.map((p) => p.byCategory[c] ?? 0)))]).sort((a, b) => b[1] - a[1]));
const fns = [...new Set(perProfile.flatMap((p) => Object.keys(p.inclusive)))];
result.cpuInclusive = Object.fromEntries(fns.map((f) => [f, r1(median(perProfile.map((p) => p.inclusive[f] ?? 0)))]));
const selfFns = new Map();
for (const p of perProfile) for (const [k, v] of Object.entries(p.topSelf)) selfFns.set(k, [...(selfFns.get(k) ?? []), v]);
result.cpuTopSelf = [...selfFns].map(([k, v]) => [k, r1(median([...v, ...Array(perProfile.length - v.length).fill(0)]))]).sort((a, b) => b[1] - a[1]).slice(0, 25);
result.cpuProfileTotalMs = r1(median(perProfile.map((p) => p.totalMs)));

// 5. What the proposals would save: experimental builds (bench/profile/variants.mjs) measured
// whole-process, round-robin with the floor and facter, like the bench does.
log('experimental builds (bench/profile/variants.mjs)…');
const variants = await buildVariants(pfRoot, join(benchDir, 'tmp'), root);
const vcases = [
  ...Object.entries(variants).map(([id, v]) => ({
    id,
    label: `${id}: ${v.note}`,
    cmd: node,
    args: [...(v.cmd ?? []), 'scan', '--format', 'json'],
    cwd: pfRoot,
    env: {},
    timeoutMs: 60_000,
    ...(v.unavailable ? { unavailable: v.unavailable } : {}),
  })),
  { id: 'node-floor', label: 'node -e 0', cmd: node, args: ['-e', '0'], cwd: root, env: {}, timeoutMs: 60_000 },
  { id: 'facter', label: 'facter --json', cmd: 'facter', args: ['--json'], cwd: root, env: {}, timeoutMs: 60_000 },
];
const vs = await interleave(vcases, { runs: REPS + 6, warmup: 1, scratchDir: join(outDir, 'scratch'), log: () => {} });
result.variants = Object.fromEntries(
  vcases.map((c) => {
    const s = summarizeCase(c, vs.get(c.id));
    return [c.id, { note: variants[c.id]?.note ?? c.label, unavailable: c.unavailable, wallMs: s.stats?.wallMs, cpuMs: s.stats?.cpuMs, rssKb: s.stats?.rssKb?.median }];
  }),
);
log(`  ${Object.entries(result.variants).map(([k, v]) => `${k} ${v.wallMs?.median ?? '-'} (cpu ${v.cpuMs?.median ?? '-'})`).join(' · ')}`);
rmSync(join(outDir, 'scratch'), { recursive: true, force: true });

result.loadEnd = os.loadavg();
sweep();

writeFileSync(join(outDir, 'profile.json'), JSON.stringify(result, null, 2) + '\n');
process.stdout.write(JSON.stringify({ ...result, probes: result.probes.slice(0, 12) }, null, 2) + '\n');
log(`wrote ${join(outDir, 'profile.json')}; CPU profiles in ${profDir} (open in Chrome DevTools)`);

/** Self time by package or dist folder, inclusive time of the pipeline's entry points. */
function analyzeProfile(prof) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000);
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const category = (n) => {
    const { url, functionName } = n.callFrame;
    if (!url) return functionName.startsWith('(') ? functionName : '(native/V8)';
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (pkg) return `pkg ${pkg[1]}`;
    const d = /\/dist\/(?:([^/]+)\/)?/.exec(url);
    if (d) return `preflight dist/${d[1] ?? '(root)'}`;
    if (url.includes('internal/modules') || url.includes('internal/process/esm')) return 'node module loader';
    if (url.includes('child_process')) return 'node child_process';
    if (/^node:(internal\/)?fs/.test(url)) return 'node fs';
    if (url.startsWith('node:')) return 'node core (other)';
    return url.replace(/^.*\//, '');
  };
  const isLoader = (n) => /internal\/modules|internal\/process\/esm/.test(n.callFrame.url);
  // Native frames (no URL) count towards the nearest JS ancestor, so "compile a module" lands in
  // the loader and "fork" in child_process. The phase is "load" when a module loader frame is on
  // the stack (resolving, reading, compiling, linking and evaluating module bodies), else "run".
  const catOf = (id) => {
    let n = byId.get(id);
    const self0 = n;
    while (n && !n.callFrame.url && !n.callFrame.functionName.startsWith('(')) n = byId.get(parent.get(n.id));
    if (!n) return '(unknown)';
    if (n.callFrame.functionName.startsWith('(')) return n.callFrame.functionName;
    let loading = false;
    for (let a = self0; a; a = byId.get(parent.get(a.id))) if (isLoader(a)) loading = true;
    return `${loading ? 'load' : 'run '} · ${category(n)}`;
  };
  const byCategory = {};
  const topSelf = {};
  let totalMs = 0;
  for (const [id, ms] of self) {
    const c = catOf(id);
    byCategory[c] = (byCategory[c] ?? 0) + ms;
    totalMs += ms;
    const n = byId.get(id);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}`;
    topSelf[key] = (topSelf[key] ?? 0) + ms;
  }
  // Inclusive time of named functions (outermost occurrence only).
  const names = ['loadProfile', 'readYamlFile', 'validateWith', 'collectLocal', 'buildHostFacts', 'evaluateHost', 'evaluatePool', 'renderJson', 'renderReport', 'runScan', 'scanCommand', 'spawn', 'parseDocument'];
  const inclusive = {};
  const sub = (id) => {
    const n = byId.get(id);
    let s = self.get(id) ?? 0;
    for (const c of n.children ?? []) s += sub(c);
    return s;
  };
  const walk = (id, inside) => {
    const n = byId.get(id);
    const name = n.callFrame.functionName;
    let now = inside;
    if (names.includes(name) && !inside.has(name)) {
      inclusive[name] = (inclusive[name] ?? 0) + sub(id);
      now = new Set(inside).add(name);
    }
    for (const c of n.children ?? []) walk(c, now);
  };
  walk(prof.nodes[0].id, new Set());
  return { byCategory, inclusive, topSelf, totalMs };
}
