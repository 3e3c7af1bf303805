// One cold run of preflight's scan pipeline, timed stage by stage in a fresh process, for
// bench/profile.mjs. It calls the compiled modules in dist/ in the order `preflight scan
// --format json` does, so each figure is the cold cost a real run pays. Prints one JSON line.
//
//   node bench/profile/stages.mjs scan          the pipeline, stage by stage
//   node bench/profile/stages.mjs split         rule profile: YAML parse vs zod validation, cold
//   node bench/profile/stages.mjs collect N     probes only, at concurrency N
//   node bench/profile/stages.mjs overlap       probes started before modules and rules load
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bootMs = performance.now(); // process start -> first line of user code
// PREFLIGHT_BENCH_ROOT: the built tree to time (default: this repository).
const treeRoot = process.env.PREFLIGHT_BENCH_ROOT ? pathToFileURL(process.env.PREFLIGHT_BENCH_ROOT.replace(/\/?$/, '/')) : new URL('../../', import.meta.url);
const dist = new URL('dist/', treeRoot);
const mod = (p) => import(new URL(p, dist).href);
const out = { mode: process.argv[2] ?? 'scan', bootMs };
// The probes and options a local scan of a XenServer host (role master) uses, as scanTargets
// picks them; older trees have neither helper and scan every probe.
const scanProbes = (m) => (m.probesForRole ? m.probesForRole(m.PROBES, 'master') : m.PROBES);
const scanOpts = (m) => (m.readsComputerProbes ? { inProcess: m.readsComputerProbes('master') } : {});
// Wall time of each stage, and the CPU time this process spent in it (user + system, all of its
// threads, not its children): on a busy machine the CPU figure is the steadier of the two.
const t = async (name, fn) => {
  const s = performance.now();
  const c = process.cpuUsage();
  const r = await fn();
  out[name] = performance.now() - s;
  const d = process.cpuUsage(c);
  out[`cpu:${name}`] = (d.user + d.system) / 1000;
  return r;
};

const mode = out.mode;
if (mode === 'scan') {
  // Third-party packages first, each on its own, then our modules on top of them.
  await t('import.commander', () => import('commander'));
  await t('import.zod', () => import('zod'));
  await t('import.yaml', () => import('yaml'));
  await t('import.ipaddr.js', () => import('ipaddr.js'));
  await t('import.picocolors', () => import('picocolors'));
  // dist/cli.js runs the CLI when imported: load the engine instead (evaluate.js pulls in the
  // check registry, every check and its zod params schema, engine/types, facts/schema).
  await t('import.own.engine-checks', async () => {
    await mod('engine/inputError.js');
    await mod('engine/evaluate.js');
    await mod('version.js');
  });
  const scan = await t('import.own.commands-scan', () => mod('commands/scan.js'));
  void scan;
  const { loadProfile } = await mod('engine/loadRules.js');
  const { collectLocal } = await mod('collect/localTransport.js');
  const probeMod = await mod('collect/probes.js');
  const { buildHostFacts } = await mod('facts/buildHostFacts.js');
  const { evaluateHost, evaluatePool, summarize } = await mod('engine/evaluate.js');
  const { Report, REPORT_SCHEMA_VERSION } = await mod('report/schema.js');
  const { renderJson } = await t('import.own.report-json', () => mod('report/json.js'));
  const profile = await t('rules.loadProfile', () => loadProfile('everrun-6.0'));
  const ev = await t('collect', () => collectLocal(scanProbes(probeMod), scanOpts(probeMod)));
  out.probes = Object.values(ev.evidence).map((e) => ({ id: e.probe, ms: e.durationMs, file: e.source.startsWith('/') && !e.source.includes(' '), exit: e.exitCode }));
  const facts = await t('facts', () => buildHostFacts(ev));
  const opts = { skip: new Set(), today: new Date().toISOString().slice(0, 10) };
  const host = { host: 'local', role: 'master', facts };
  const findings = await t('evaluate', () => {
    const f = evaluateHost(profile.rules, host, opts);
    const p = evaluatePool(profile.rules, { hosts: [host], unreachable: [] }, opts);
    return [...f, ...p];
  });
  const report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'preflight', version: '0' },
    profile: profile.name,
    startedAt: new Date().toISOString(),
    durationMs: 1,
    hosts: [{ name: 'local', address: 'local', role: 'master', reachable: true, facts, findings: findings.filter((f) => f.host !== 'pool') }],
    pool: { findings: findings.filter((f) => f.host === 'pool') },
    summary: summarize(findings),
  };
  const checked = await t('render.zodValidate', () => Report.safeParse(report));
  if (!checked.success) out.renderValidateError = checked.error.issues[0]?.message;
  const text = await t('render.stringify', () => JSON.stringify(checked.success ? checked.data : report, null, 2));
  await t('render.renderJson', () => renderJson(report)); // warm now: the whole renderer again
  out.reportBytes = text.length;
  // The same profile as JSON: what a build-time precompile would load instead.
  const json = JSON.stringify({ profile: profile.name, rules: profile.rules });
  await t('rules.jsonParse', () => JSON.parse(json));
} else if (mode === 'split') {
  await import('zod');
  await import('yaml');
  const { readYamlFile, validateWith } = await mod('engine/yamlFile.js');
  const { ProfileFile, loadProfile } = await mod('engine/loadRules.js');
  const file = fileURLToPath(new URL('rules/everrun-6.0.yaml', treeRoot));
  const text = readFileSync(file, 'utf8');
  out.profileBytes = text.length;
  const src = await t('rules.yamlParse', () => readYamlFile(file));
  await t('rules.zodProfileFile', () => validateWith(src, ProfileFile));
  // Everything loadProfile does beyond those two (per-rule params schemas): whole call, warm, minus.
  await t('rules.loadProfileWarm', () => loadProfile('everrun-6.0'));
  await t('rules.jsonParseOfSameData', () => JSON.parse(JSON.stringify(src.data)));
} else if (mode === 'collect') {
  const { collectLocal } = await mod('collect/localTransport.js');
  const probeMod = await mod('collect/probes.js');
  const concurrency = Number(process.argv[3] ?? 8);
  out.concurrency = concurrency;
  const ev = await t('collect', () => collectLocal(scanProbes(probeMod), { ...scanOpts(probeMod), concurrency }));
  out.probeCount = Object.keys(ev.evidence).length;
} else if (mode === 'oneshell') {
  // What one /bin/sh running every script probe in the background would cost, instead of one
  // spawn per probe: the same scripts, outputs to files, read back; file probes read as usual.
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, readFileSync: rf, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const all = scanProbes(await mod('collect/probes.js')).filter((p) => !p.node && (!p.only || p.only.platform === process.platform));
  const scripts = all.filter((p) => !p.file);
  const files = all.filter((p) => p.file);
  const dir = mkdtempSync(`${tmpdir()}/pf-oneshell-`);
  const q = (s) => `'${s.replaceAll("'", "'\\''")}'`;
  const body = scripts.map((p, i) => `( /bin/sh -c ${q(p.script)} >${dir}/${i}.out 2>${dir}/${i}.err; echo $? >${dir}/${i}.rc ) &`).join('\n') + '\nwait\n';
  await t('collect', async () => {
    const { readFile } = await import('node:fs/promises');
    const fileReads = Promise.all(files.map((p) => readFile(p.file, 'utf8').catch(() => '')));
    await new Promise((resolve) => spawn('/bin/sh', ['-c', body], { stdio: 'ignore', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } }).on('close', resolve));
    await fileReads;
    for (let i = 0; i < scripts.length; i++) rf(`${dir}/${i}.out`, 'utf8');
  });
  rmSync(dir, { recursive: true, force: true });
  out.probeCount = scripts.length + files.length;
  out.scriptProbes = scripts.length;
} else if (mode === 'overlap' || mode === 'sequential') {
  // What "start the probes before loading the rules" would save: the same work in both orders.
  const s = performance.now();
  const { collectLocal } = await mod('collect/localTransport.js');
  const probeMod = await mod('collect/probes.js');
  const go = () => collectLocal(scanProbes(probeMod), scanOpts(probeMod));
  let pending;
  if (mode === 'overlap') pending = go();
  await import('commander');
  await mod('engine/evaluate.js');
  await mod('commands/scan.js');
  const { loadProfile } = await mod('engine/loadRules.js');
  loadProfile('everrun-6.0');
  await mod('report/json.js');
  const ev = await (pending ?? go());
  out.probeCount = Object.keys(ev.evidence).length;
  out.total = performance.now() - s;
}
process.stdout.write(JSON.stringify(out) + '\n');
