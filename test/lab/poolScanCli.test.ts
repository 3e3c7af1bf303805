import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshLab, sshLabUnavailableReason, type LabSshd } from './sshLab.js';

/**
 * The pool scan from the command line against real OpenSSH servers on loopback: two lab hosts,
 * one report, every format; a host that cannot be reached is reported and the others complete.
 */

const BIN = join(process.cwd(), 'bin/preflight.js');
const why = sshLabUnavailableReason();
if (why && process.env.CI) throw new Error(`the SSH lab must run in CI: ${why}`);

function preflight(args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    // --no-network-tests: both lab hosts are this machine, whose real gateway the tests must never ping.
    const scanArgs = args[0] === 'scan' ? [...args, '--no-network-tests'] : args;
    const child = spawn(process.execPath, [BIN, ...scanArgs], { env: { ...process.env, NO_COLOR: '1', SSH_AUTH_SOCK: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe.skipIf(why !== undefined)('preflight scan --host over SSH (lab on loopback)', () => {
  let lab: SshLab;
  let h1: LabSshd;
  let h2: LabSshd;
  let knownHosts: string;
  const address = (s: { port: number }) => `root@127.0.0.1:${s.port}`;

  beforeAll(async () => {
    lab = SshLab.create();
    h1 = await lab.startSshd('h1');
    h2 = await lab.startSshd('h2');
    knownHosts = lab.knownHostsFile('pool', [h1.knownHostsLine(), h2.knownHostsLine()]);
  }, 60_000);
  afterAll(async () => {
    await lab?.destroy();
  });

  it('scans two hosts into one schema-valid report with host and pool findings', async () => {
    const html = join(lab.dir, 'pool.html');
    const junit = join(lab.dir, 'pool.xml');
    const run = await preflight(['scan', '--host', address(h1), '--host', address(h2), '-i', lab.clientKey.file, '--known-hosts', knownHosts, '--format', 'json', '--out', html, '--out', junit]);
    expect([0, 1], run.stderr).toContain(run.code);
    const report = JSON.parse(run.stdout);
    const schema = JSON.parse(readFileSync('schema/report.schema.json', 'utf8'));
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(report.hosts.map((h: { name: string; role: string; reachable: boolean }) => [h.name, h.role, h.reachable])).toEqual([
      [`127.0.0.1:${h1.port}`, 'master', true],
      [`127.0.0.1:${h2.port}`, 'member', true],
    ]);
    for (const h of report.hosts) expect(h.findings.length).toBeGreaterThan(20);
    const pool = Object.fromEntries(report.pool.findings.map((f: { rule: string; status: string }) => [f.rule, f.status]));
    // Two reachable hosts make a pool; both are this same machine, so the CPUs are identical.
    expect(pool['pool.host-count']).toBe('pass');
    expect(pool['pool.identical-cpus']).toBe('pass');
    // The same machine twice: every address is used twice, and the rule must say so.
    expect(pool['pool.unique-ips']).toBe('fail');
    expect(readFileSync(html, 'utf8')).toContain(`127.0.0.1:${h2.port}`);
    expect(readFileSync(junit, 'utf8').match(/<testsuite /g)).toHaveLength(3);
    expect(run.stderr).toMatch(/scanned/);
  }, 90_000);

  it('reports an unreachable host (a tarpit) within --timeout, completes the others, exits 3', async () => {
    const tarpit = await lab.startTarpit();
    try {
      const run = await preflight(['scan', '--host', address(h1), '--host', `root@127.0.0.1:${tarpit.port}`, '-i', lab.clientKey.file, '--known-hosts', knownHosts, '--timeout', '2', '--format', 'json']);
      expect(run.code).toBe(3);
      expect(run.ms).toBeLessThan(20_000);
      const report = JSON.parse(run.stdout);
      const [ok, dead] = report.hosts;
      expect(ok.reachable).toBe(true);
      expect(ok.findings.length).toBeGreaterThan(20);
      expect(dead.reachable).toBe(false);
      expect(dead.error).toMatch(/accepted the connection but|timed out/);
      expect(dead.findings).toEqual([]);
      // Pool comparisons that need the missing host never pass.
      for (const f of report.pool.findings) expect(f.status, f.rule).not.toBe('pass');
    } finally {
      await tarpit.close();
    }
  }, 60_000);

  it('refuses an unknown host key with its SHA256 fingerprint, and --accept-new records it', async () => {
    const empty = join(lab.dir, 'empty_known_hosts');
    writeFileSync(empty, '');
    const refused = await preflight(['scan', '--host', address(h1), '-i', lab.clientKey.file, '--known-hosts', empty, '--format', 'json']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/host key of \[127\.0\.0\.1\]:\d+ is not known: ssh-ed25519 SHA256:[A-Za-z0-9+/]{43}/);
    expect(refused.stderr).toMatch(/--accept-new/);
    const accepted = await preflight(['scan', '--host', address(h1), '-i', lab.clientKey.file, '--known-hosts', empty, '--accept-new', '--format', 'json']);
    expect([0, 1]).toContain(accepted.code);
    expect(readFileSync(empty, 'utf8')).toContain(h1.knownHostsLine().split(' ')[2]!);
  }, 60_000);

  it('refuses a bad address before contacting anything (exit 2)', async () => {
    const run = await preflight(['scan', '--host', 'root@h1;reboot', '--format', 'json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^preflight: invalid host/);
    expect(run.stdout).toBe('');
  });
});
