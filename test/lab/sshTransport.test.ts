import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Probe } from '../../src/collect/evidence.js';
import { collectLocal } from '../../src/collect/localTransport.js';
import { probeById, PROBES } from '../../src/collect/probes.js';
import { collectSsh, HostUnreachableError, type SshStage, type SshTarget } from '../../src/collect/sshTransport.js';
import { descendants } from '../collect/procTree.js';
import { LAB_USER, type LabSshd, SshLab, sshLabUnavailableReason } from './sshLab.js';

/**
 * The SSH transport against real OpenSSH servers (sshd on loopback, see sshLab.ts): host key
 * checks, every authentication path, and every way a host can fail, each ending in one line
 * within its deadline and with the connection closed.
 */

const unavailable = sshLabUnavailableReason();
const inCi = Boolean(process.env.CI);
if (unavailable && !inCi) console.warn(`SSH lab skipped: ${unavailable}`);

// In CI the lab must run: there an unavailable lab is a failing test, never a silent skip.
it.runIf(unavailable !== undefined && inCi)('SSH lab runs in CI', () => {
  throw new Error(`the SSH lab cannot run in CI (CI is set): ${unavailable}`);
});

const STABLE = ['uname', 'etc.os-release', 'etc.redhat-release', 'xen.inventory', 'dev.kvm'];
const memTotal = (text: string) => text.split('\n').find((l) => l.startsWith('MemTotal:'));
const pick = (...ids: string[]) => ids.map((id) => probeById(id)!);
const probe = (id: string, script: string, timeoutMs = 5000): Probe => ({ id, description: id, script, manual: script, timeoutMs, maxBytes: 4096 });

/** The rejection of a scan, with how long it took. */
async function failure(p: Promise<unknown>): Promise<{ error: HostUnreachableError; ms: number }> {
  const start = performance.now();
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HostUnreachableError);
    const e = err as HostUnreachableError;
    expect(e.message).not.toMatch(/[\n\r]/);
    expect(e.stack).toBe(`HostUnreachableError: ${e.message}`);
    return { error: e, ms: performance.now() - start };
  }
  throw new Error('the scan succeeded but should have failed');
}

/** Waits until sshd has no connection left (the client closed it). */
async function noSessions(server: LabSshd, waitMs = 3000): Promise<number[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = server.sessionProcesses();
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(unavailable !== undefined)(`SSH transport against real sshd${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let lab: SshLab;
  let main: LabSshd;
  let knownMain: string;
  const target = (overrides: Partial<SshTarget> = {}) => lab.target(main, { knownHostsFile: knownMain, ...overrides });

  beforeAll(async () => {
    lab = SshLab.create();
    main = await lab.startSshd('main');
    knownMain = lab.knownHostsFile('main', [main.knownHostsLine()]);
  });

  afterAll(async () => {
    await lab?.destroy();
    expect(lab?.leftovers() ?? []).toEqual([]);
  });

  it('scans a host over SSH with the same evidence as a local run', async () => {
    const stages: SshStage[] = [];
    const start = performance.now();
    const [remote, local] = await Promise.all([collectSsh(target(), PROBES, { onStage: (s) => stages.push(s) }), collectLocal(PROBES)]);
    const ms = Math.round(performance.now() - start);
    console.info(`SSH scan of a lab host over loopback (${PROBES.length} probes, one exec): ${ms} ms`);
    expect(remote.transport).toBe('ssh');
    expect(Object.keys(remote.evidence)).toEqual(PROBES.map((p) => p.id));
    for (const id of STABLE) {
      const { durationMs: _a, source: _b, ...r } = remote.evidence[id]!;
      const { durationMs: _c, source: _d, ...l } = local.evidence[id]!;
      expect(r, id).toEqual(l);
    }
    expect(memTotal(remote.evidence['proc.meminfo']!.stdout)).toBe(memTotal(local.evidence['proc.meminfo']!.stdout));
    expect(remote.evidence['proc.meminfo']!.source).toBe(probeById('proc.meminfo')!.script);
    expect(Object.values(remote.evidence).filter((e) => e.error !== undefined)).toEqual([]);
    expect(stages).toEqual(['connecting', 'connected', 'handshake', 'authenticated', 'running', 'done']);
    expect(main.remoteTempDirs()).toEqual([]);
    expect(await noSessions(main)).toEqual([]);
  });

  it('refuses an unknown host key with its SHA256 fingerprint and both ways to accept it', async () => {
    const file = lab.knownHostsFile('unknown');
    const { error } = await failure(collectSsh(target({ knownHostsFile: file }), pick('uname')));
    expect(error.kind).toBe('host-key');
    expect(error.message).toContain(main.fingerprint());
    expect(error.message).toContain('--accept-new');
    expect(error.message).toContain(`ssh-keyscan -p ${main.port} -t ed25519 127.0.0.1 >> ${file}`);
    expect(() => statSync(file)).toThrow(); // nothing written
    // The command it suggests really produces the line that makes the host known.
    const scan = spawnSync('ssh-keyscan', ['-p', String(main.port), '-t', 'ed25519', '127.0.0.1'], { encoding: 'utf8', timeout: 10_000 });
    writeFileSync(file, scan.stdout);
    await expect(collectSsh(target({ knownHostsFile: file }), pick('uname'))).resolves.toMatchObject({ transport: 'ssh' });
    expect(await noSessions(main)).toEqual([]);
  });

  it('adds an unknown key with acceptNew (0600), then needs it no more', async () => {
    const file = lab.knownHostsFile('accept');
    const notes: string[] = [];
    const first = await collectSsh(target({ knownHostsFile: file, acceptNew: true }), pick('uname'), { onNote: (n) => notes.push(n) });
    expect(first.evidence.uname!.exitCode).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(`${main.knownHostsLine()}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(notes).toEqual([`added [127.0.0.1]:${main.port} ssh-ed25519 ${main.fingerprint()} to ${file}`]);
    const second = await collectSsh(target({ knownHostsFile: file }), pick('uname'));
    expect(second.evidence.uname!.stdout).toBe(first.evidence.uname!.stdout);
  });

  it('accepts hashed known_hosts entries made by ssh-keygen -H', async () => {
    const file = lab.knownHostsFile('hashed', [main.knownHostsLine()]);
    expect(spawnSync('ssh-keygen', ['-H', '-f', file]).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^\|1\|/);
    expect(readFileSync(file, 'utf8')).not.toContain('127.0.0.1');
    await expect(collectSsh(target({ knownHostsFile: file }), pick('uname'))).resolves.toMatchObject({ transport: 'ssh' });
  });

  it('refuses a changed host key loudly, even with acceptNew, and leaves known_hosts alone', async () => {
    const rotating = await lab.startSshd('rotating');
    const file = lab.knownHostsFile('changed', [rotating.knownHostsLine()]);
    await expect(collectSsh(lab.target(rotating, { knownHostsFile: file }), pick('uname'))).resolves.toBeDefined();
    await rotating.restart(true);
    const before = readFileSync(file, 'utf8');
    const { error } = await failure(collectSsh(lab.target(rotating, { knownHostsFile: file, acceptNew: true }), pick('uname')));
    expect(error.kind).toBe('host-key');
    expect(error.message).toMatch(new RegExp(`^HOST KEY CHANGED for \\[127\\.0\\.0\\.1\\]:${rotating.port}: `));
    expect(error.message).toContain(rotating.fingerprint());
    expect(error.message).toContain(`${file}:1`);
    expect(error.message).toContain(`ssh-keygen -R '[127.0.0.1]:${rotating.port}' -f ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(before);
    await rotating.stop();
  });

  it('refuses a host whose known key is @revoked', async () => {
    const file = lab.knownHostsFile('revoked', [main.knownHostsLine(), `@revoked * ${main.hostKey.publicLine}`]);
    const { error } = await failure(collectSsh(target({ knownHostsFile: file }), pick('uname')));
    expect(error.message).toMatch(/^HOST KEY REVOKED for /);
  });

  it('fails authentication with a wrong key in one line that names what was tried', async () => {
    const { error, ms } = await failure(collectSsh(target({ identityFiles: [lab.strangerKey.file] }), pick('uname')));
    expect(error.kind).toBe('auth');
    expect(error.message).toBe(`authentication as root on 127.0.0.1:${main.port} failed (tried ${lab.strangerKey.file})`);
    expect(ms).toBeLessThan(3000);
    expect(await noSessions(main)).toEqual([]);
  });

  it('skips an encrypted key without a passphrase (with a note) and goes on to the next', async () => {
    const notes: string[] = [];
    const ev = await collectSsh(target({ identityFiles: ['/nonexistent/id_rsa', lab.encryptedKey.file, lab.clientKey.file] }), pick('uname'), {
      onNote: (n) => notes.push(n),
    });
    expect(ev.evidence.uname!.exitCode).toBe(0);
    expect(notes).toEqual([`identity file ${lab.encryptedKey.file} is encrypted and no passphrase was given: skipped`]);
  });

  it('authenticates through ssh-agent, and tries identity files after the agent', async () => {
    const agent = await lab.startAgent([lab.clientKey]);
    try {
      const ev = await collectSsh(target({ identityFiles: [], agentSocket: agent.socket }), pick('uname'));
      expect(ev.evidence.uname!.exitCode).toBe(0);
      // An agent socket that is not there is a note, not a failure.
      const notes: string[] = [];
      const missing = await failure(collectSsh(target({ identityFiles: [], agentSocket: `${agent.socket}.gone` }), pick('uname'), { onNote: (n) => notes.push(n) }));
      expect(missing.error.message).toContain('no usable key, agent or password');
      expect(notes[0]).toMatch(/ssh-agent socket .*\.gone is not there/);
    } finally {
      await agent.stop();
    }
    // With the agent holding only a stranger's key, the identity file still gets its turn.
    const stranger = await lab.startAgent([lab.strangerKey]);
    try {
      await expect(collectSsh(target({ agentSocket: stranger.socket }), pick('uname'))).resolves.toBeDefined();
      const { error } = await failure(collectSsh(target({ identityFiles: [lab.strangerKey.file], agentSocket: stranger.socket }), pick('uname')));
      expect(error.message).toContain(`(tried ssh-agent, ${lab.strangerKey.file})`);
    } finally {
      await stranger.stop();
    }
  });

  it('logs in with a password only when one is given, and never repeats it', async () => {
    const ok = await collectSsh(target({ user: LAB_USER, identityFiles: [], password: lab.labPassword }), pick('uname', 'proc.meminfo'));
    expect(ok.evidence.uname!.exitCode).toBe(0);
    expect(memTotal(ok.evidence['proc.meminfo']!.stdout)).toMatch(/^MemTotal:/);
    expect(JSON.stringify(ok)).not.toContain(lab.labPassword);
    const wrong = `${lab.labPassword}-wrong`;
    const bad = await failure(collectSsh(target({ user: LAB_USER, identityFiles: [], password: wrong }), pick('uname')));
    expect(bad.error.kind).toBe('auth');
    expect(bad.error.message).toBe(`authentication as ${LAB_USER} on 127.0.0.1:${main.port} failed (tried password)`);
    expect(bad.error.message).not.toContain(wrong);
    // root may only log in with a key here (PermitRootLogin prohibit-password): the server refuses.
    const root = await failure(collectSsh(target({ identityFiles: [], password: lab.labPassword }), pick('uname')));
    expect(root.error.kind).toBe('auth');
    // Without a password, none is tried.
    const none = await failure(collectSsh(target({ user: LAB_USER, identityFiles: [] }), pick('uname')));
    expect(none.error.message).toContain('no usable key, agent or password');
  });

  it('cuts a probe that never ends at its timeout, leaving nothing running', async () => {
    const probes = [probe('forever', 'sleep 4331 & sleep 4332; echo never', 1000), ...pick('uname')];
    const start = performance.now();
    const ev = await collectSsh(target(), probes);
    expect(performance.now() - start).toBeLessThan(4000);
    expect(ev.evidence.forever).toMatchObject({ exitCode: null, error: 'timed out after 1000 ms', stdout: '' });
    expect(ev.evidence.uname!.exitCode).toBe(0);
    const leftover = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => /^sleep 433[12]$/.test(l));
    expect(leftover).toEqual([]);
    // probeTimeoutMs (--timeout) overrides every probe's own limit.
    const cut = await collectSsh(target({ probeTimeoutMs: 1000 }), [probe('slow', 'sleep 4333', 60_000)]);
    expect(cut.evidence.slow!.error).toBe('timed out after 1000 ms');
  });

  it('ends a tarpit (accepts TCP, never speaks) within the connect timeout and closes it', async () => {
    const tarpit = await lab.startTarpit();
    try {
      const { error, ms } = await failure(collectSsh(lab.target(tarpit, { knownHostsFile: knownMain, connectTimeoutMs: 1500 }), PROBES));
      expect(error.kind).toBe('timeout');
      expect(error.message).toBe(`127.0.0.1:${tarpit.port} accepted the connection but did not complete an SSH handshake within 1.5 s`);
      expect(ms).toBeGreaterThan(1400);
      expect(ms).toBeLessThan(2500);
      expect(tarpit.accepted()).toBe(1);
    } finally {
      await tarpit.close();
    }
  });

  it('says "connection refused" at once for a port nobody listens on', async () => {
    const closed = await lab.startTarpit();
    await closed.close();
    const { error, ms } = await failure(collectSsh(lab.target(closed, { knownHostsFile: knownMain }), pick('uname')));
    expect(error.kind).toBe('connect');
    expect(error.message).toBe(`cannot connect to 127.0.0.1:${closed.port}: connection refused`);
    expect(ms).toBeLessThan(1000);
  });

  it('ends with that host\'s error, not a hang, when sshd is killed in the middle of a scan', async () => {
    const victim = await lab.startSshd('victim');
    const file = lab.knownHostsFile('victim', [victim.knownHostsLine()]);
    const probes = [probe('busy', 'sleep 2; echo done', 5000), ...pick('uname')];
    let killed = 0;
    const scan = collectSsh(lab.target(victim, { knownHostsFile: file }), probes, {
      onStage: (s) => {
        if (s === 'running') setTimeout(() => (killed = victim.killSshdOnly()), 500);
      },
    });
    const { error, ms } = await failure(scan);
    expect(killed).toBeGreaterThanOrEqual(2); // the listener and the connection's sshd
    expect(error.kind).toBe('lost');
    expect(error.message).toBe(`the connection to 127.0.0.1:${victim.port} was lost during the scan`);
    expect(ms).toBeLessThan(1500);
    // The orphaned batch script finishes its probes, finds nobody reading, and still cleans up.
    const deadline = Date.now() + 6000;
    while (victim.remoteTempDirs().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(victim.remoteTempDirs()).toEqual([]);
    await victim.stop();
  });

  it('keeps to the whole-host deadline when the server stops answering mid-scan', async () => {
    const frozen = await lab.startSshd('frozen');
    const file = lab.knownHostsFile('frozen', [frozen.knownHostsLine()]);
    const probes = [probe('quick', 'sleep 1; echo ok', 1000)];
    const stopped: number[] = [];
    const scan = collectSsh(lab.target(frozen, { knownHostsFile: file }), probes, {
      runMarginMs: 1000,
      onStage: (s) => {
        if (s !== 'running') return;
        // SIGSTOP every sshd: the TCP connection stays open but nothing answers (a hung host).
        for (const pid of [frozen.pid!, ...descendants(frozen.pid!)]) {
          try {
            process.kill(pid, 'SIGSTOP');
            stopped.push(pid);
          } catch {
            /* gone */
          }
        }
      },
    });
    const { error, ms } = await failure(scan);
    for (const pid of stopped) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        /* gone */
      }
    }
    expect(error.kind).toBe('timeout');
    // The batch's worst case (1 s limit + 1 s of bookkeeping) plus the 1 s margin: the deadline,
    // not a keepalive, ends it.
    expect(error.message).toBe(`127.0.0.1:${frozen.port}: the scan did not finish within 3 s`);
    expect(ms).toBeGreaterThan(2900);
    expect(ms).toBeLessThan(4000);
    await frozen.stop();
  });
});
