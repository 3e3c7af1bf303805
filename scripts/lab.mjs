// The SSH lab for people: `npm run lab -- up [--hosts N]`, `npm run lab -- status`, `npm run lab -- down`.
// `npm run lab -- up --pool` starts the two-host namespace pool lab instead (test/lab/poolLab.ts:
// hosts h1 and h2 in their own network namespaces with their own sshd, A-link cables, a management
// computer namespace to run the scan from); `down` stops whichever labs are up.
//
// `up` starts N real sshd servers on 127.0.0.1 (the same lab the tests use, test/lab/sshLab.ts:
// own host keys, a root login key, a password-only lab user that exists only inside the lab's
// sshd), prints how to reach them, and returns; a small background process owns the servers.
// `down` stops that process, which kills every sshd and removes the lab directory. Root only.
//
// The lab is TypeScript; Node 20 cannot load .ts files, so this script registers a loader hook
// that transpiles them with the project's own `typescript` package (types are only erased).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const STATE = join(tmpdir(), 'preflight-ssh-lab.json');
const LOG = join(tmpdir(), 'preflight-ssh-lab.log');
const POOL_STATE = join(tmpdir(), 'preflight-pool-lab.json');
const POOL_LOG = join(tmpdir(), 'preflight-pool-lab.log');

const LOADER = `
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
let ts;
export async function initialize(data) { ts = (await import(data.typescript)).default; }
export async function resolve(specifier, context, next) {
  // The sources import './x.js' meaning './x.ts'.
  if (context.parentURL?.startsWith('file:') && /^\\.{1,2}\\//.test(specifier) && specifier.endsWith('.js')) {
    const ts = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    if (existsSync(fileURLToPath(ts))) return { url: ts.href, shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = ts.transpileModule(readFileSync(fileURLToPath(url), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    fileName: fileURLToPath(url),
  }).outputText;
  return { format: 'module', source, shortCircuit: true };
}`;

function usage(code) {
  process.stderr.write('usage: npm run lab -- up [--hosts N] | up --pool | status | down\n');
  process.exit(code);
}

function readState() {
  try {
    return JSON.parse(readFileSync(STATE, 'utf8'));
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function describe(state) {
  const lines = [`SSH lab up (owner pid ${state.pid}), directory ${state.dir}`];
  for (const h of state.hosts) lines.push(`  ${h.name.padEnd(4)} 127.0.0.1:${h.port}  ${h.fingerprint}`);
  const first = state.hosts[0];
  lines.push(
    '',
    `  root key:     ${state.identity}`,
    `  known_hosts:  ${state.knownHosts}   (every host above)`,
    `  password user ${state.user}, password ${state.password}   (exists only inside the lab's sshd)`,
    '',
    `  try:   ssh -i ${state.identity} -o UserKnownHostsFile=${state.knownHosts} -p ${first.port} root@127.0.0.1 uname -a`,
    '  stop:  npm run lab -- down',
  );
  return `${lines.join('\n')}\n`;
}

function readPoolState() {
  try {
    return JSON.parse(readFileSync(POOL_STATE, 'utf8'));
  } catch {
    return undefined;
  }
}

function describePool(state) {
  return [
    `pool lab up (owner pid ${state.pid}): namespaces ${state.namespaces.join(' ')}`,
    ...state.hosts.map((h) => `  ${h.name}  management ${h.management}  A-links ${h.alink1} (eth1), ${h.alink2} (eth2)  production ${h.production}`),
    `  gateway (default isolation IP) ${state.gateway}, management computer ${state.mgmtComputer} in namespace ${state.mgmt}`,
    '',
    `  scan:  ip netns exec ${state.mgmt} node bin/preflight.js ${state.scanArgs.join(' ')}`,
    `  shell: ip netns exec ${state.namespaces[2]} bash      (h1; e.g. ip link set eth1 down)`,
    '  stop:  npm run lab -- down',
    '',
  ].join('\n');
}

async function upPool() {
  const state = readPoolState();
  if (state && alive(state.pid)) {
    process.stdout.write(`already up\n${describePool(state)}`);
    return;
  }
  rmSync(POOL_STATE, { force: true });
  const log = openSync(POOL_LOG, 'w');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve-pool'], { detached: true, stdio: ['ignore', log, log], cwd: ROOT });
  closeSync(log);
  child.unref();
  for (let waited = 0; waited < 60_000; waited += 100) {
    const s = readPoolState();
    if (s?.pid === child.pid) {
      process.stdout.write(describePool(s));
      return;
    }
    if (child.exitCode !== null || !alive(child.pid)) break;
    await sleep(100);
  }
  process.stderr.write(`lab: the pool lab did not come up; its log (${POOL_LOG}):\n${existsSync(POOL_LOG) ? readFileSync(POOL_LOG, 'utf8') : ''}`);
  process.exit(1);
}

async function downPool() {
  const state = readPoolState();
  if (!state) return false;
  if (alive(state.pid)) {
    process.kill(state.pid, 'SIGTERM');
    for (let waited = 0; alive(state.pid) && waited < 10_000; waited += 100) await sleep(100);
  }
  // When the owner was killed outright: its sshds and namespaces are still there.
  for (const pid of state.sshdPids ?? []) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const ns of state.namespaces ?? []) spawn('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  if (state.dir) rmSync(state.dir, { recursive: true, force: true });
  rmSync(POOL_STATE, { force: true });
  rmSync(POOL_LOG, { force: true });
  process.stdout.write('pool lab down\n');
  return true;
}

async function servePool() {
  register(`data:text/javascript,${encodeURIComponent(LOADER)}`, {
    parentURL: import.meta.url,
    data: { typescript: pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('typescript')).href },
  });
  const { PoolLab, POOL } = await import(pathToFileURL(join(ROOT, 'test/lab/poolLab.ts')).href);
  let lab;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await lab?.destroy();
    rmSync(POOL_STATE, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', stop);
  try {
    lab = await PoolLab.create();
    writeFileSync(
      POOL_STATE,
      `${JSON.stringify(
        {
          pid: process.pid,
          dir: lab.ssh.dir,
          namespaces: [lab.ns.sw, lab.ns.mgmt, lab.ns.h1, lab.ns.h2],
          mgmt: lab.ns.mgmt,
          sshdPids: lab.sshdPids(),
          hosts: POOL.hosts,
          gateway: POOL.gateway,
          mgmtComputer: POOL.mgmtComputer,
          scanArgs: lab.scanArgs(),
        },
        null,
        2,
      )}\n`,
      { mode: 0o600 },
    );
    process.stdout.write('pool lab up\n');
  } catch (err) {
    process.stderr.write(`lab: ${err.message}\n`);
    await stop();
  }
  setInterval(() => {}, 1 << 30);
}

async function up(args) {
  if (args.includes('--pool')) return upPool();
  const i = args.indexOf('--hosts');
  const hosts = i >= 0 ? Number(args[i + 1]) : 2;
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > 8) usage(2);
  const state = readState();
  if (state && alive(state.pid)) {
    process.stdout.write(`already up\n${describe(state)}`);
    return;
  }
  rmSync(STATE, { force: true });
  const log = openSync(LOG, 'w');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), 'serve', String(hosts)], { detached: true, stdio: ['ignore', log, log], cwd: ROOT });
  closeSync(log);
  child.unref();
  for (let waited = 0; waited < 30_000; waited += 100) {
    const s = readState();
    if (s?.pid === child.pid) {
      process.stdout.write(describe(s));
      return;
    }
    if (child.exitCode !== null || !alive(child.pid)) break;
    await sleep(100);
  }
  process.stderr.write(`lab: the lab did not come up; its log (${LOG}):\n${existsSync(LOG) ? readFileSync(LOG, 'utf8') : ''}`);
  process.exit(1);
}

async function down() {
  const pool = await downPool();
  const state = readState();
  if (!state) {
    if (!pool) process.stdout.write('no lab is up\n');
    return;
  }
  if (alive(state.pid)) {
    process.kill(state.pid, 'SIGTERM');
    for (let waited = 0; alive(state.pid) && waited < 10_000; waited += 100) await sleep(100);
  }
  // The owner removes everything on SIGTERM; when it was killed outright, its sshds are still there: kill them here.
  for (const pid of state.sshdPids ?? []) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(state.dir, { recursive: true, force: true });
  rmSync(STATE, { force: true });
  rmSync(LOG, { force: true });
  process.stdout.write(`SSH lab down (${state.hosts.length} sshd stopped, ${state.dir} removed)\n`);
}

async function serve(hosts) {
  register(`data:text/javascript,${encodeURIComponent(LOADER)}`, {
    parentURL: import.meta.url,
    data: { typescript: pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('typescript')).href },
  });
  const { SshLab, LAB_USER } = await import(pathToFileURL(join(ROOT, 'test/lab/sshLab.ts')).href);
  const lab = SshLab.create();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await lab.destroy();
    rmSync(STATE, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', stop);
  try {
    const servers = [];
    for (let n = 1; n <= hosts; n++) servers.push(await lab.startSshd(`h${n}`));
    const knownHosts = lab.knownHostsFile('lab', servers.map((s) => s.knownHostsLine()));
    writeFileSync(
      STATE,
      `${JSON.stringify(
        {
          pid: process.pid,
          dir: lab.dir,
          hosts: servers.map((s) => ({ name: s.name, port: s.port, fingerprint: s.fingerprint() })),
          sshdPids: servers.map((s) => s.pid),
          identity: lab.clientKey.file,
          knownHosts,
          user: LAB_USER,
          password: lab.labPassword,
        },
        null,
        2,
      )}\n`,
      { mode: 0o600 },
    );
    process.stdout.write(`lab up: ${servers.map((s) => `${s.name}=127.0.0.1:${s.port}`).join(' ')}\n`);
  } catch (err) {
    process.stderr.write(`lab: ${err.message}\n`);
    await stop();
  }
  // Stay alive (the servers are our children) until `down` sends SIGTERM.
  setInterval(() => {}, 1 << 30);
}

// `npm run lab -- status | head` closes stdout early: that is not an error.
process.stdout.on('error', (err) => process.exit(err.code === 'EPIPE' ? 0 : 1));

const [command, ...rest] = process.argv.slice(2);
if (command === 'up') await up(rest);
else if (command === 'down') await down();
else if (command === 'status') {
  const s = readState();
  process.stdout.write(s && alive(s.pid) ? describe(s) : 'no SSH lab is up\n');
  const p = readPoolState();
  process.stdout.write(p && alive(p.pid) ? describePool(p) : 'no pool lab is up\n');
} else if (command === 'serve') await serve(Number(rest[0]));
else if (command === 'serve-pool') await servePool();
else usage(command ? 2 : 0);
