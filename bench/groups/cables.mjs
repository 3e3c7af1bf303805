// Part 4 of issue 7: cable events. A network-namespace lab of the bench's own (a "host" namespace
// whose eth1 is a veth cabled to p1 in a "switch" namespace) runs `preflight cables --watch`; the
// bench pulls the cable by setting p1 down in the switch namespace, and measures from the moment it
// hands `ip` the command to the moment the watcher's JSON line arrives on its stdout. 50 pulls (and
// the 50 plugs in between), after a few warm-up pulls. Nothing outside the two namespaces changes.
//
// Over SSH (`cables --watch --host`), the host namespace also runs a private sshd and the watcher
// runs in a third, "management" namespace, reaching it over a veth pair (10.254.0.0/30, inside the
// lab only): measured when the CLI has the option, else reported as not measured.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stats } from '../lib/measure.mjs';
import { taggedEnv, BENCH_TAG } from '../lib/proc.mjs';
import { fmtMs } from '../lib/report.mjs';
import { SSHD, descendants } from '../lib/sshd.mjs';

const PULLS = 50;
const WARMUP_PULLS = 3;
const P95_LIMIT_MS = 300;

function ip(args) {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
  return r.stdout;
}

function labUnavailable(which) {
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'not root: network namespaces need root';
  if (!which('ip')) return 'ip is missing (Debian package iproute2)';
  const probe = `pfb-probe-${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.status !== 0) return `cannot create a network namespace: ${r.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

/** A watcher process: collects JSON lines with their arrival time. */
function startWatcher(cmd, args, opts) {
  const child = spawn(cmd, args, { ...opts, env: taggedEnv(opts.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const w = { child, lines: [], stderr: '', partial: '' };
  child.stdout.on('data', (d) => {
    const at = performance.now();
    w.partial += d.toString();
    const parts = w.partial.split('\n');
    w.partial = parts.pop();
    for (const p of parts) {
      if (!p.trim()) continue;
      try {
        w.lines.push({ at, event: JSON.parse(p) });
      } catch {
        /* not a JSON line: ignored */
      }
    }
  });
  child.stderr.on('data', (d) => (w.stderr = (w.stderr + d.toString()).slice(-8192)));
  w.exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  return w;
}

function until(cond, timeoutMs, what, w) {
  return new Promise((resolve, reject) => {
    const deadline = performance.now() + timeoutMs;
    const t = setInterval(() => {
      const v = cond();
      if (v) {
        clearInterval(t);
        resolve(v);
      } else if (performance.now() > deadline || w.child.exitCode !== null) {
        clearInterval(t);
        reject(new Error(`no ${what} within ${timeoutMs} ms; stderr: ${w.stderr.trim().split('\n').slice(-3).join(' | ')}`));
      }
    }, 1);
  });
}

/** Pulls and plugs p1 PULLS times through one `ip -batch` process in the switch namespace. */
async function measurePulls(lab, w, nic) {
  // One long-lived `ip -batch -` in the switch namespace: a pull is one line on its stdin, so the
  // figure is the kernel and the watcher, not the start-up of an `ip` process.
  const batch = spawn('ip', ['-n', lab.sw, '-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'], env: taggedEnv() });
  const pulls = [];
  const plugs = [];
  try {
    for (let i = 0; i < WARMUP_PULLS + PULLS; i++) {
      for (const carrier of [false, true]) {
        // A random pause, so pulls do not fall in step with the watcher's poll ticks.
        await new Promise((r) => setTimeout(r, 20 + Math.random() * 100));
        const from = w.lines.length;
        const t0 = performance.now();
        batch.stdin.write(`link set ${lab.peer} ${carrier ? 'up' : 'down'}\n`);
        const line = await until(() => w.lines.slice(from).find((l) => l.event.nic === nic && l.event.carrier === carrier), 5000, `${nic} carrier ${carrier}`, w);
        if (i >= WARMUP_PULLS) (carrier ? plugs : pulls).push(line.at - t0);
      }
    }
  } finally {
    batch.stdin.end();
    await new Promise((r) => batch.once('exit', r));
  }
  return { pulls, plugs };
}

function caseFrom(id, label, command, m, note) {
  const s = stats(m.pulls, 1);
  return {
    id,
    label,
    role: 'subject',
    command,
    exitCodes: {},
    ...(note ? { note } : {}),
    stats: { wallMs: s, cpuMs: null, rssKb: null, extra: { plugMs: stats(m.plugs, 1) } },
    samples: m.pulls.map((ms) => ({ wallMs: Math.round(ms * 100) / 100 })),
  };
}

export default {
  id: 'cables',
  part: 4,
  title: 'Cable events',
  description: `Latency of one cable event: from the moment the bench hands the kernel "set the switch end of this cable down" (a line to a running \`ip -batch\` in the lab's switch namespace) to the moment \`preflight cables --watch\` (default poll interval, 50 ms) prints the JSON line for it. ${PULLS} pulls after ${WARMUP_PULLS} warm-up pulls, each followed by a plug; a random 20–120 ms pause before each, so they do not fall in step with the poll ticks. The table's median/min/max are the pulls; p95 is in the targets; plugs are in the notes.`,

  async setup(ctx) {
    const why = labUnavailable(ctx.which);
    if (why) return { skip: why };
    const tag = BENCH_TAG.replace(/[^0-9a-f]/g, '').slice(-8);
    const lab = { host: `pfb-${tag}-h`, sw: `pfb-${tag}-sw`, peer: 'p1', nic: 'eth1', made: [] };
    for (const ns of [lab.host, lab.sw]) {
      ip(['netns', 'add', ns]);
      lab.made.push(ns);
    }
    ip(['-n', lab.host, 'link', 'set', 'lo', 'up']);
    ip(['-n', lab.host, 'link', 'add', lab.nic, 'type', 'veth', 'peer', 'name', lab.peer, 'netns', lab.sw]);
    ip(['-n', lab.host, 'link', 'set', lab.nic, 'up']);
    ip(['-n', lab.sw, 'link', 'set', lab.peer, 'up']);
    lab.remote = sshSupport(ctx);
    return { lab, watchers: [] };
  },

  async run(ctx, state) {
    const { lab } = state;
    const node = process.execPath;
    const cases = [];
    // Locally: the watcher runs inside the host namespace.
    const w = startWatcher('ip', ['netns', 'exec', lab.host, node, 'bin/preflight.js', 'cables', '--watch'], { cwd: ctx.preflightRoot });
    state.watchers.push(w);
    await until(() => w.stderr.includes('preflight cables: watching'), 15_000, 'the "watching" line', w);
    ctx.log(`  cables: watching locally in ${lab.host}; ${WARMUP_PULLS} + ${PULLS} pulls`);
    const local = await measurePulls(lab, w, lab.nic);
    stopWatcher(w);
    cases.push(caseFrom('cables-local', 'cables --watch, local', `ip netns exec HOST node bin/preflight.js cables --watch`, local));

    if (lab.remote.reason) {
      cases.push({ id: 'cables-ssh', label: 'cables --watch --host (SSH)', role: 'subject', command: 'node bin/preflight.js cables --watch --host HOST', unavailable: lab.remote.reason, exitCodes: {}, stats: null, samples: [] });
    } else {
      const remote = await startRemote(ctx, lab);
      state.remote = remote;
      const rw = startWatcher('ip', ['netns', 'exec', lab.mgmt, node, 'bin/preflight.js', 'cables', '--watch', '--host', 'pf-lab', '--ssh-config', remote.sshConfig, '--known-hosts', remote.knownHosts], {
        cwd: ctx.preflightRoot,
        env: { SSH_AUTH_SOCK: '' },
      });
      state.watchers.push(rw);
      await until(() => rw.stderr.includes('preflight cables: watching'), 30_000, 'the "watching" line over SSH', rw);
      ctx.log(`  cables: watching over SSH; ${WARMUP_PULLS} + ${PULLS} pulls`);
      const m = await measurePulls(lab, rw, lab.nic);
      stopWatcher(rw);
      cases.push(caseFrom('cables-ssh', 'cables --watch --host (SSH)', 'node bin/preflight.js cables --watch --host HOST', m, 'the watcher in a management namespace, the host a namespace with its own sshd, reached over a veth pair'));
    }
    return cases;
  },

  analyze(ctx, byId) {
    const targets = [];
    const notes = [];
    for (const id of ['cables-local', 'cables-ssh']) {
      const c = byId[id];
      const where = id === 'cables-local' ? 'locally' : 'over SSH';
      const text = `cable event ${where}: p95 under ${P95_LIMIT_MS} ms`;
      if (!c?.stats) {
        targets.push({ id: `${id}.p95`, text, met: false, detail: `not measured: ${c?.unavailable ?? 'no result'}` });
        continue;
      }
      const s = c.stats.wallMs;
      targets.push({ id: `${id}.p95`, text, met: s.p95 < P95_LIMIT_MS, value: s.p95, threshold: P95_LIMIT_MS, detail: `p50 ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms over ${s.n} pulls` });
      const p = c.stats.extra?.plugMs;
      if (p) notes.push(`Plugs ${where} (carrier back): p50 ${p.median.toFixed(1)} ms, p95 ${p.p95.toFixed(1)} ms, max ${p.max.toFixed(1)} ms over ${p.n}.`);
    }
    notes.push('', `With a poll interval of 50 ms the expected latency is about half an interval plus the time to print: the p50 sits near 25 ms and the p95 near the interval.`);
    return { targets, ratios: [], notes };
  },

  async teardown(ctx, state) {
    for (const w of state?.watchers ?? []) killGroup(w.child.pid);
    if (state?.remote) await state.remote.stop();
    for (const ns of state?.lab?.made ?? []) spawnSync('ip', ['netns', 'del', ns]);
  },
};

function stopWatcher(w) {
  killGroup(w.child.pid, 'SIGTERM');
}

function killGroup(pid, sig = 'SIGKILL') {
  if (pid === undefined) return;
  try {
    process.kill(-pid, sig);
  } catch {
    /* gone */
  }
}

/** Whether the CLI has `cables --watch --host` yet (another engineer is adding it). */
function sshSupport(ctx) {
  if (!existsSync(SSHD)) return { reason: `${SSHD} is missing (openssh-server)` };
  const r = spawnSync(process.execPath, ['bin/preflight.js', 'cables', '--help'], { cwd: ctx.preflightRoot, encoding: 'utf8' });
  if (!/--host/.test(r.stdout)) return { reason: '`preflight cables` has no --host option in this build' };
  const src = join(ctx.preflightRoot, 'src', 'commands', 'cables.ts');
  if (existsSync(src) && /--watch[^\n]*(not yet|only this machine|local only)/i.test(readFileSync(src, 'utf8'))) return { reason: '`cables --watch --host` is not implemented in this build' };
  return {};
}

/**
 * A private sshd inside the host namespace, on 10.254.0.2, reached from a third "management"
 * namespace over the veth pair mgmt0 (host) <-> m0 (management), 10.254.0.1/30 <-> .2. Nothing is
 * created or changed in the machine's own namespace.
 */
async function startRemote(ctx, lab) {
  const dir = join(ctx.tmpDir, 'sshd-cables');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  lab.mgmt = `${lab.host.slice(0, -2)}-m`;
  ip(['netns', 'add', lab.mgmt]);
  lab.made.push(lab.mgmt);
  ip(['-n', lab.mgmt, 'link', 'set', 'lo', 'up']);
  ip(['-n', lab.host, 'link', 'add', 'mgmt0', 'type', 'veth', 'peer', 'name', 'm0', 'netns', lab.mgmt]);
  ip(['-n', lab.host, 'addr', 'add', '10.254.0.2/30', 'dev', 'mgmt0']);
  ip(['-n', lab.host, 'link', 'set', 'mgmt0', 'up']);
  ip(['-n', lab.mgmt, 'addr', 'add', '10.254.0.1/30', 'dev', 'm0']);
  ip(['-n', lab.mgmt, 'link', 'set', 'm0', 'up']);
  const keygen = (f) => {
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', f]);
    return readFileSync(`${f}.pub`, 'utf8').trim();
  };
  const hostPub = keygen(join(dir, 'host_key'));
  const clientPub = keygen(join(dir, 'id_bench'));
  writeFileSync(join(dir, 'authorized_keys'), `${clientPub}\n`);
  const [type, b64] = hostPub.split(' ');
  writeFileSync(join(dir, 'known_hosts'), `10.254.0.2 ${type} ${b64}\n`);
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  writeFileSync(
    join(dir, 'sshd_config'),
    ['Port 22', 'ListenAddress 10.254.0.2', `HostKey ${join(dir, 'host_key')}`, 'PidFile none', `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'StrictModes no', 'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'UsePAM no', 'UseDNS no', 'LogLevel ERROR', ''].join('\n'),
  );
  writeFileSync(join(dir, 'ssh_config'), `Host pf-lab\n  HostName 10.254.0.2\n  User root\n  IdentityFile ${join(dir, 'id_bench')}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${join(dir, 'known_hosts')}\n  BatchMode yes\n`);
  const sshd = spawn('ip', ['netns', 'exec', lab.host, SSHD, '-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: 'ignore', detached: true });
  for (let i = 0; i < 50; i++) {
    const r = spawnSync('ip', ['netns', 'exec', lab.mgmt, 'ssh', '-F', join(dir, 'ssh_config'), 'pf-lab', 'true'], { timeout: 5000 });
    if (r.status === 0) break;
    await new Promise((r2) => setTimeout(r2, 100));
  }
  return {
    sshConfig: join(dir, 'ssh_config'),
    knownHosts: join(dir, 'known_hosts'),
    async stop() {
      for (const p of [...descendants(sshd.pid).reverse(), sshd.pid]) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      // Deleting the namespace removes mgmt0 and with it its peer in the root namespace.
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
