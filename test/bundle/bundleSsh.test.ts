import { readFileSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBundle, type BundleTarget } from '../../src/bundle/create.js';
import { privateKeyLiterals } from '../../src/bundle/redact.js';
import { probeById } from '../../src/collect/probes.js';
import type { SupportProbe } from '../../src/collect/supportProbes.js';
import { remoteDestinations, remoteTargets } from '../../src/commands/scanTargets.js';
import { loadProfile } from '../../src/engine/loadRules.js';
import { processesWithEnvMarker } from '../collect/procTree.js';
import { LAB_USER, SshLab, sshLabUnavailableReason, type LabSshd, type Tarpit } from '../lab/sshLab.js';
import { listAll, preflight, preflightAsync, requireBuild, tempDir, unpack, verdicts, cleanupTempDirs } from './helpers.js';

afterAll(cleanupTempDirs);

/**
 * Bundles of real OpenSSH servers on loopback (the SSH lab, test/lab/sshLab.ts): two hosts in one
 * bundle that `preflight report` replays to its own findings; a host that cannot be reached is
 * recorded while the other is collected; the SSH password and the private key used never reach
 * the archive; ^C or SIGTERM in the middle of a bundle leaves nothing behind.
 * `--no-network-tests` everywhere: both lab hosts are this machine, whose real gateway the tests
 * must never ping.
 */

const why = sshLabUnavailableReason();
if (why && process.env.CI) throw new Error(`the SSH lab must run in CI: ${why}`);
if (why) console.warn(`SSH bundle tests skipped: ${why}`);

const env = { SSH_AUTH_SOCK: '' };

describe.skipIf(why !== undefined)('bundles over SSH (lab on loopback)', () => {
  let lab: SshLab;
  let h1: LabSshd;
  let h2: LabSshd;
  let tarpit: Tarpit;
  let knownHosts: string;
  let sshConfig: string;
  let dir: string;
  const address = (s: { port: number }) => `root@127.0.0.1:${s.port}`;
  const base = () => ['-i', lab.clientKey.file, '--known-hosts', knownHosts, '--ssh-config', sshConfig, '--no-network-tests'];

  beforeAll(async () => {
    requireBuild();
    lab = SshLab.create();
    h1 = await lab.startSshd('h1');
    h2 = await lab.startSshd('h2');
    tarpit = await lab.startTarpit();
    knownHosts = lab.knownHostsFile('bundle', [h1.knownHostsLine(), h2.knownHostsLine()]);
    sshConfig = join(lab.dir, 'ssh_config.empty');
    writeFileSync(sshConfig, '');
    dir = tempDir('ssh');
  }, 60_000);
  afterAll(async () => {
    await tarpit?.close();
    await lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bundles two hosts; `preflight report` replays the bundle to its own findings', async () => {
    const out = join(dir, 'pool.tar.gz');
    const run = preflight(['bundle', '--host', address(h1), '--host', address(h2), ...base(), '--out', out, '--case-id', 'LAB-2'], { env });
    expect(run.code, run.stderr).toBe(0);
    const { files, root, dir: unpacked } = await unpack(out);
    try {
      console.info(`SSH bundle of 2 lab hosts: ${Math.round(run.ms)} ms, ${readFileSync(out).length} bytes compressed, ${files.size} files`);
      const manifest = JSON.parse(files.get(`${root}/manifest.json`)!.toString());
      expect(manifest.hosts.map((h: any) => [h.name, h.role, h.transport, h.address, h.collected])).toEqual([
        [`127.0.0.1:${h1.port}`, 'master', 'ssh', `root@127.0.0.1:${h1.port}`, true],
        [`127.0.0.1:${h2.port}`, 'member', 'ssh', `root@127.0.0.1:${h2.port}`, true],
      ]);
      for (const h of manifest.hosts) {
        const ev = JSON.parse(files.get(`${root}/${h.evidence}`)!.toString());
        expect(ev.transport).toBe('ssh');
        expect(ev.evidence.uname.exitCode).toBe(0);
        expect(files.has(`${root}/${h.dir}/commands/support.dmesg.txt`)).toBe(true);
      }
      expect(manifest.replay).toEqual({ identical: true, differences: [] });
      const r = preflight(['report', out, '--format', 'json']);
      expect([0, 1], r.stderr).toContain(r.code);
      expect(verdicts(JSON.parse(r.stdout))).toEqual(verdicts(JSON.parse(files.get(`${root}/report.json`)!.toString())));
      // The batch scripts cleaned up after themselves on the hosts.
      expect(h1.remoteTempDirs()).toEqual([]);
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
  });

  it('records a host that cannot be reached, collects the other, and exits 3', async () => {
    const out = join(dir, 'partial.tar.gz');
    const run = preflight(['bundle', '--host', address(h1), '--host', `root@127.0.0.1:${tarpit.port}`, ...base(), '--timeout', '2', '--out', out], { env });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/1 of 2 hosts could not be collected/);
    const { files, root, dir: unpacked } = await unpack(out);
    try {
      const manifest = JSON.parse(files.get(`${root}/manifest.json`)!.toString());
      expect(manifest.hosts[0].collected).toBe(true);
      expect(manifest.hosts[1]).toMatchObject({ collected: false, items: [] });
      expect(manifest.hosts[1].error).toMatch(/did not complete an SSH handshake within 2 s/);
      const r = preflight(['report', out, '--format', 'json']);
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout).hosts[1]).toMatchObject({ reachable: false, error: manifest.hosts[1].error });
    } finally {
      rmSync(unpacked, { recursive: true, force: true });
    }
  });

  it('never writes the SSH password or the private key used, even when a host prints them', async () => {
    const planted = join(lab.dir, 'planted');
    mkdirSync(planted, { mode: 0o755 });
    chmodSync(planted, 0o755);
    const keyText = readFileSync(lab.clientKey.file, 'utf8');
    const file = join(planted, 'leaky.log');
    writeFileSync(file, `login ok, password was ${lab.labPassword}\nkey follows\n${keyText}\nlast line ${lab.labPassword}\n`, { mode: 0o644 });
    const leak: SupportProbe = {
      id: 'test.leaky-log',
      description: 'a log that holds the scan credentials',
      script: `cat ${file}; echo "stderr has ${'$'}(cat ${file} | head -n 1)" >&2`,
      manual: `cat ${file}`,
      timeoutMs: 5000,
      maxBytes: 64 * 1024,
      personalData: true,
      keepTail: true,
    };
    const scanProbes = ['uname', 'etc.os-release'].map((id) => probeById(id)!);
    const saved = process.env.SSH_AUTH_SOCK;
    process.env.SSH_AUTH_SOCK = '';
    try {
      const opts = { host: [`${LAB_USER}@127.0.0.1:${h1.port}`], knownHosts, sshConfig, timeout: 10 };
      const d = remoteDestinations(opts)[0]!;
      const targets: BundleTarget[] = remoteTargets([...scanProbes, leak], opts, { password: lab.labPassword }).map((t) => ({ ...t, transport: 'ssh', user: d.destination.user, host: d.destination.host }));
      const profile = loadProfile('everrun-6.0');
      const res = await createBundle({
        out: join(dir, 'creds.tar.gz'),
        targets,
        scanProbes,
        supportProbes: [leak],
        maxFileBytes: 64 * 1024,
        obfuscate: false,
        secrets: [lab.labPassword, ...privateKeyLiterals(keyText)],
        profile: profile.name,
        rules: profile.rules,
        networkTests: false,
      });
      expect(res.hostsCollected, JSON.stringify(res.manifest.hosts[0]?.error)).toBe(1);
      const { files, root, dir: unpacked } = await unpack(res.archive);
      try {
        const log = files.get(`${root}/${res.manifest.hosts[0]!.dir}/commands/test.leaky-log.txt`)!.toString();
        expect(log).toContain('key follows'); // the file was read, over SSH, as the lab user
        const forbidden = [lab.labPassword, ...privateKeyLiterals(keyText)];
        expect(forbidden.length).toBeGreaterThan(1);
        for (const [path, content] of files) {
          const text = content.toString();
          for (const s of forbidden) expect(text.includes(s), `a credential in ${path}`).toBe(false);
        }
        expect(res.manifest.redactions.byKind['scan-credential']).toBeGreaterThanOrEqual(3);
        expect(res.manifest.redactions.byKind['private-key']).toBe(1);
      } finally {
        rmSync(unpacked, { recursive: true, force: true });
      }
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
    }
  });

  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`${signal} in the middle of a bundle leaves no archive, no temporary file or folder, no process`, async () => {
      const folder = tempDir(`int-${signal}`);
      const marker = `PREFLIGHT_BUNDLE_TEST=${signal}-${process.pid}-${Date.now()}`;
      try {
        const [k, v] = marker.split('=') as [string, string];
        const child = preflightAsync(['bundle', '--host', address(h1), '--host', `root@127.0.0.1:${tarpit.port}`, ...base(), '--timeout', '30', '--out', join(folder, 'case.tar.gz')], {
          env: { ...env, [k]: v },
        });
        // The lab host is in; the tarpit host is still "connecting" (for up to 30 s).
        await child.waitForStderr(new RegExp(`127\\.0\\.0\\.1:${h1.port}: scanned`));
        const during = listAll(folder);
        expect(during.some((p) => /^\.case\.tar\.gz\.\d+\.tmp$/.test(p))).toBe(true);
        expect(during.some((p) => p.startsWith('.case.tar.gz.staging-'))).toBe(true);
        child.child.kill(signal);
        const exit = await child.exited;
        expect(exit.code, child.output().stderr).toBe(code);
        expect(child.output().stderr).toMatch(/interrupted; the partial bundle and its temporary files were removed/);
        expect(listAll(folder)).toEqual([]);
        expect(processesWithEnvMarker(marker)).toEqual([]);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  }
});
