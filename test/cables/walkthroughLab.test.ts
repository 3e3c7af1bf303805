import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PortTable } from '../../src/cables/portTable.js';
import { CLI, REPO_ROOT, run } from '../lab/netnsLab.js';
import { POOL, PoolLab, poolLabUnavailableReason } from '../lab/poolLab.js';

/**
 * The cable walkthrough end to end on the two-host namespace lab: the built CLI runs on the
 * management computer (`ip netns exec mgmt`), watches h1 and h2 over real SSH, and the test pulls
 * "cables" the way the lab can: an A-link is a veth pair straight from h1 to h2 (setting one end
 * down drops carrier at both), a switch port is the peer veth in the switch namespace. One test
 * answers over a pipe (--guided); one drives the interactive terminal session through tmux like a
 * person, reading the screen and typing. Build first: npx tsc -p tsconfig.json.
 */

const why = poolLabUnavailableReason() ?? (spawnSync('tmux', ['-V']).status === 0 ? undefined : 'tmux is not installed (scripts/setup-debian.sh installs it)');
if (why && process.env.CI) throw new Error(`the cables walkthrough lab must run in CI: ${why}`);

let lab: PoolLab;
let dir: string;
let inventory: string;

/** Ports of the lab: an A-link end is set down in its host's namespace, a switch port in the switch namespace. */
function setLink(where: 'h1' | 'h2' | 'sw', dev: string, up: boolean): void {
  run('ip', ['-n', lab.ns[where], 'link', 'set', dev, up ? 'up' : 'down']);
}

function cliArgs(extra: readonly string[]): string[] {
  return ['cables', '--inventory', inventory, '-i', lab.ssh.clientKey.file, '--known-hosts', lab.knownHosts, '--ssh-config', lab.sshConfig, '--no-color', ...extra];
}

/** Processes left in a host namespace other than its sshd listener. */
function strays(host: 'h1' | 'h2'): string[] {
  const pids = run('ip', ['netns', 'pids', lab.ns[host]]).split('\n').filter(Boolean);
  return pids
    .map((pid) => spawnSync('ps', ['-o', 'args=', '-p', pid], { encoding: 'utf8' }).stdout.trim())
    .filter((args) => args && !/sshd: .*\[listener\]/.test(args));
}

async function noStrays(): Promise<void> {
  // A session's sshd needs a moment to notice its client closed.
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && (strays('h1').length || strays('h2').length)) await new Promise((r) => setTimeout(r, 100));
  expect([...strays('h1'), ...strays('h2')]).toEqual([]);
}

const running = new Set<ChildProcess>();

/** The CLI with answers on a pipe. */
class Walk {
  out = '';
  err = '';
  private seen = 0;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(extra: readonly string[]) {
    this.child = spawn('ip', ['netns', 'exec', lab.ns.mgmt, process.execPath, CLI, ...cliArgs(['--guided', ...extra])], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', SSH_AUTH_SOCK: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
    running.add(this.child);
    this.exited = new Promise((res) => this.child.once('close', (code) => res(code)));
    void this.exited.then(() => running.delete(this.child));
  }

  async until(re: RegExp, timeoutMs = 40_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.out.slice(this.seen);
      const m = re.exec(rest);
      if (m) {
        this.seen += m.index + m[0].length;
        // The whole line the match is on.
        const start = rest.lastIndexOf('\n', m.index) + 1;
        return rest.slice(start).split('\n')[0]!;
      }
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`no ${re} on stdout; stdout:\n${this.out}\nstderr:\n${this.err}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  type(text: string): void {
    this.child.stdin!.write(`${text}\n`);
  }
}

describe.skipIf(why !== undefined)('cables walkthrough on the two-host lab (sshd per host, veth cables)', () => {
  beforeAll(async () => {
    lab = await PoolLab.create();
    dir = mkdtempSync(join(tmpdir(), 'pft-walk-'));
    inventory = join(dir, 'hosts.ini');
    writeFileSync(inventory, `[master]\nh1 ansible_host=${POOL.hosts[0].management} ansible_user=root\n[members]\nh2 ansible_host=${POOL.hosts[1].management} ansible_user=root\n`);
  }, 60_000);
  afterEach(async () => {
    // A failed test must not leave its walkthrough (and its SSH sessions) running into the next one.
    for (const child of running) child.kill('SIGKILL');
    running.clear();
  });
  afterAll(async () => {
    await lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(lab?.leftovers() ?? []).toEqual([]);
  });

  it('a correct pair, then a dead cable and a cable that changes nothing; the port table in four formats', async () => {
    lab.cableAlinks('direct');
    const out = ['json', 'csv', 'md', 'html'].map((ext) => join(dir, `ports.${ext}`));
    const w = new Walk(['--wait', '3', ...out.flatMap((f) => ['--out', f])]);
    expect(await w.until(/Step 1\/8: A-link 1: unplug the cable at h1 eth1 \[MAC [0-9a-f:]{17}\] <-> h2 eth1/)).toBeTruthy();
    await w.until(/Unplug it now/);
    setLink('h2', 'eth1', false);
    expect(await w.until(/h1 eth1 \(A-link 1\) and h2 eth1 \(A-link 1\) lost carrier together/)).toMatch(/a direct cable between them, as A-link 1 should be/);
    await w.until(/Label for h1 eth1/);
    w.type('slot 2 port 1');
    await w.until(/Label for h2 eth1/);
    w.type('slot 2 port 1');
    await w.until(/Plug it back in/);
    setLink('h2', 'eth1', true);
    await w.until(/Carrier is back on h1 eth1 and h2 eth1/);
    // A-link 2: the cable goes dead (pulled and never back).
    await w.until(/Step 2\/8: A-link 2/);
    await w.until(/Unplug it now/);
    setLink('h1', 'eth2', false);
    await w.until(/lost carrier together/);
    w.type('');
    w.type('');
    await w.until(/Plug it back in/);
    expect(await w.until(/Carrier did not come back on h1 eth2 and h2 eth2 within 3 s/)).toMatch(/bad cable or port/);
    w.type('s');
    setLink('h1', 'eth2', true);
    // h1's production cable: "unplugged", but nothing changes.
    await w.until(/Step 3\/8: production of h1/);
    await w.until(/Unplug it now/);
    w.type('');
    expect(await w.until(/Nothing changed/)).toMatch(/no port lost carrier on any watched host/);
    w.type('s');
    await w.until(/Step 4\/8/);
    w.type('q');
    expect(await w.exited).toBe(1);
    expect(w.out).toMatch(/Stopped\. Port table:/);
    const table = PortTable.parse(JSON.parse(readFileSync(out[0]!, 'utf8')));
    const row = (host: string, dev: string) => table.rows.find((r) => r.host === host && r.device === dev)!;
    expect(row('h1', 'eth1')).toMatchObject({ verdict: 'ok', label: 'slot 2 port 1', role: 'alink1', peer: { host: 'h2', device: 'eth1', mac: lab.mac(1, 'eth1') }, mac: lab.mac(0, 'eth1') });
    expect(row('h2', 'eth2').verdict).toBe('carrier-not-back');
    expect(row('h1', 'eth3').verdict).toBe('no-change');
    expect(row('h2', 'eth0').verdict).toBe('not-tested');
    expect(readFileSync(out[1]!, 'utf8')).toMatch(/^host,device,mac,/);
    expect(readFileSync(out[2]!, 'utf8')).toMatch(/\| host \| device \|/);
    expect(readFileSync(out[3]!, 'utf8')).toMatch(/<html/);
    await noStrays();
  }, 90_000);

  it('crossed A-links are found from either cable', async () => {
    lab.cableAlinks('crossed');
    try {
      const w = new Walk([]);
      await w.until(/Unplug it now/);
      setLink('h1', 'eth1', false);
      expect(await w.until(/lost carrier together/)).toMatch(/^problem: h1 eth1 \(A-link 1\) and h2 eth2 \(A-link 2\) lost carrier together: a direct cable between them: the A-links are crossed/);
      w.type('');
      w.type('');
      await w.until(/Plug it back in/);
      setLink('h1', 'eth1', true);
      await w.until(/Carrier is back/);
      await w.until(/Step 2\/8/);
      await w.until(/Unplug it now/);
      setLink('h2', 'eth1', false);
      expect(await w.until(/lost carrier together/)).toMatch(/^problem: h1 eth2 \(A-link 2\) and h2 eth1 \(A-link 1\).*crossed/);
      w.type('');
      w.type('');
      setLink('h2', 'eth1', true);
      await w.until(/Step 3\/8/);
      w.type('q');
      expect(await w.exited).toBe(1);
      expect(w.out).toMatch(/h1 +eth1 .* h2 eth2 +crossed/);
    } finally {
      lab.cableAlinks('direct');
    }
  }, 60_000);

  it('Ctrl-C mid-walkthrough prints what was mapped, exits 130 and leaves nothing running on the hosts', async () => {
    const w = new Walk([]);
    await w.until(/Unplug it now/);
    setLink('h2', 'eth1', false);
    await w.until(/lost carrier together/);
    w.type('x');
    w.type('');
    setLink('h2', 'eth1', true);
    await w.until(/Step 2\/8/);
    w.child.kill('SIGINT');
    expect(await w.exited).toBe(130);
    expect(w.out).toMatch(/Interrupted: what was mapped so far:/);
    expect(w.out).toMatch(/h1 +eth1 .* x +A-link 1 +h2 eth1 +ok/);
    await noStrays();
  }, 60_000);

  it('--watch over SSH prints each host\'s carrier changes as JSON lines, in order', async () => {
    const child = spawn('ip', ['netns', 'exec', lab.ns.mgmt, process.execPath, CLI, ...cliArgs(['--watch', '--duration', '20'])], { cwd: REPO_ROOT, env: { ...process.env, SSH_AUTH_SOCK: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise((res) => child.once('close', res));
    const until = async (cond: () => boolean, what: string) => {
      const deadline = Date.now() + 15_000;
      while (!cond()) {
        if (Date.now() > deadline) throw new Error(`no ${what}; stdout ${out}; stderr ${err}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await until(() => /watching h1: .*watching h2: |watching h2: .*watching h1: /s.test(err), 'watching lines for both hosts');
    setLink('sw', 'h2e3', false);
    await until(() => out.split('\n').filter(Boolean).length >= 1, 'the h2 eth3 line');
    setLink('sw', 'h2e3', true);
    await until(() => out.split('\n').filter(Boolean).length >= 2, 'the h2 eth3 up line');
    setLink('h1', 'eth2', false);
    await until(() => out.split('\n').filter(Boolean).length >= 4, 'both A-link 2 lines');
    setLink('h1', 'eth2', true);
    await until(() => out.split('\n').filter(Boolean).length >= 6, 'both A-link 2 up lines');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { time: string; host: string; nic: string; carrier: boolean });
    expect(Object.keys(lines[0]!)).toEqual(['time', 'host', 'nic', 'carrier']);
    expect(lines.slice(0, 2).map((l) => `${l.host} ${l.nic} ${l.carrier}`)).toEqual(['h2 eth3 false', 'h2 eth3 true']);
    expect(lines.slice(2, 4).map((l) => `${l.host} ${l.nic} ${l.carrier}`).sort()).toEqual(['h1 eth2 false', 'h2 eth2 false']);
    expect(lines.slice(4, 6).map((l) => `${l.host} ${l.nic} ${l.carrier}`).sort()).toEqual(['h1 eth2 true', 'h2 eth2 true']);
    await noStrays();
  }, 60_000);

  it('a person at a terminal (tmux): the default walkthrough, a pulled management cable, reconnect, labels', async () => {
    const session = `pft-walk-${process.pid}`;
    const json = join(dir, 'tty.json');
    const status = join(dir, 'tty.status');
    const cmd = ['ip', 'netns', 'exec', lab.ns.mgmt, process.execPath, CLI, ...cliArgs(['--out', json])].map((a) => `'${a}'`).join(' ');
    const tmux = (...args: string[]) => run('tmux', args);
    tmux('new-session', '-d', '-s', session, '-x', '220', '-y', '60', `cd '${REPO_ROOT}' && SSH_AUTH_SOCK= ${cmd}; echo $? > '${status}'; sleep 30`);
    const screen = () => tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', session);
    let seen = 0;
    const until = async (re: RegExp, timeoutMs = 40_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        const m = re.exec(s.slice(seen));
        if (m) {
          seen += m.index + m[0].length;
          return;
        }
        if (Date.now() > deadline) throw new Error(`no ${re} on the terminal:\n${s}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const keys = (text: string) => {
      if (text) tmux('send-keys', '-t', session, '-l', text);
      tmux('send-keys', '-t', session, 'Enter');
    };
    try {
      await until(/Step 1\/8: A-link 1/);
      await until(/Unplug it now/);
      setLink('h1', 'eth1', false);
      await until(/h1 eth1 \(A-link 1\) and h2 eth1 \(A-link 1\) lost carrier together/);
      await until(/Label for h1 eth1/);
      keys('slot 2 port 1');
      await until(/Label for h2 eth1/);
      keys('slot 3 port 1');
      await until(/Plug it back in/);
      setLink('h1', 'eth1', true);
      await until(/Carrier is back on h1 eth1 and h2 eth1/);
      for (const step of [2, 3, 4]) {
        await until(new RegExp(`Step ${step}/8`));
        await until(/Unplug it now/);
        keys('s');
      }
      await until(/Step 5\/8: management of h1/);
      await until(/Careful: h1 eth0 carries preflight's SSH session to h1/);
      await until(/Unplug it now/);
      setLink('sw', 'h1e0', false);
      await until(/Lost the connection to h1/);
      await until(/Plug the cable back in; preflight reconnects to h1/);
      setLink('sw', 'h1e0', true);
      await until(/Connected to h1 again/);
      await until(/Label for h1 eth0/);
      keys('onboard 1');
      await until(/Step 6\/8/);
      keys('q');
      await until(/Stopped\. Port table:/);
      await until(/Port table written to/);
    } finally {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && spawnSync('test', ['-s', status]).status !== 0) await new Promise((r) => setTimeout(r, 100));
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
    expect(readFileSync(status, 'utf8').trim()).toBe('0');
    const table = PortTable.parse(JSON.parse(readFileSync(json, 'utf8')));
    const row = (host: string, dev: string) => table.rows.find((r) => r.host === host && r.device === dev)!;
    expect(row('h1', 'eth1')).toMatchObject({ verdict: 'ok', label: 'slot 2 port 1', peer: { host: 'h2', device: 'eth1' } });
    expect(row('h2', 'eth1')).toMatchObject({ verdict: 'ok', label: 'slot 3 port 1' });
    expect(row('h1', 'eth0')).toMatchObject({ verdict: 'ok', label: 'onboard 1' });
    expect(row('h1', 'eth0').detail).toMatch(/dropped preflight's SSH session to h1 and plugging in restored it/);
    await noStrays();
  }, 120_000);
});
