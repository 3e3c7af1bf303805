import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './netnsLab.js';
import { POOL, PoolLab, poolLabUnavailableReason } from './poolLab.js';

/**
 * The pool tests that need traffic on the wire between more machines than the two hosts: the
 * quorum service's UDP ports proven with preflight's short-lived listeners (two quorum computers
 * scanned with --role quorum), the listener always stopped (also when the scan is interrupted), and
 * a duplicate address that only the wire shows (a machine that is not scanned answers ARP for it).
 */

const why = poolLabUnavailableReason();
if (why && process.env.CI) throw new Error(`the pool lab must run in CI: ${why}`);

/** What the UDP prober and arping look like in a process list; nothing else of a scan runs in the namespaces. */
const PROBER = /python3? -c import errno, select|arping|\bping\b/;

describe.skipIf(why !== undefined)('pool lab on the wire: quorum UDP probes, ARP duplicates', () => {
  let lab: PoolLab;
  const timings: string[] = [];

  beforeAll(async () => {
    const t = performance.now();
    lab = await PoolLab.create();
    await lab.addQuorumComputers();
    scannedQuorum = planFile([POOL.quorum[0].address, POOL.quorum[1].address]);
    timings.push(`lab up (with quorum computers) ${Math.round(performance.now() - t)} ms`);
  }, 60_000);
  afterAll(async () => {
    await lab?.destroy();
    expect(lab?.leftovers() ?? []).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(`pool wire lab timings: ${timings.join(', ')}`);
  });

  const planFile = (quorum: readonly [string, string]) => {
    const file = join(lab.ssh.dir, `plan-${Math.random().toString(16).slice(2)}.yaml`);
    const hosts = POOL.hosts.map((h) => `  "${h.management}":\n    nics:\n      - { nic: eth0, role: management }`).join('\n');
    writeFileSync(file, `alinks: switched\nquorum:\n  preferred: { address: ${quorum[0]} }\n  alternate: { address: ${quorum[1]} }\nhosts:\n${hosts}\n`);
    return file;
  };
  let scannedQuorum = '';
  const leftoverProbers = () => lab.processes().filter((p) => PROBER.test(p.cmd));
  const quorumPortsBound = () => ['h1', 'h2', 'q1', 'q2'].flatMap((m) => lab.udpListeners(m as 'h1').split('\n').filter((l) => /:(2188|2189)\b/.test(l)).map((l) => `${m}: ${l.trim()}`));

  it('quorum computers scanned with --role quorum: UDP 2189 and 2188 proven open both ways by the listeners, which are gone afterwards', async () => {
    lab.reset();
    const scan = await lab.scan(['--plan', scannedQuorum], { quorum: true });
    timings.push(`quorum scan ${scan.durationMs} ms`);
    expect(scan.report.hosts.map((h) => [h.name, h.role, h.reachable])).toEqual([
      [POOL.hosts[0].management, 'master', true],
      [POOL.hosts[1].management, 'member', true],
      [POOL.quorum[0].address, 'quorum', true],
      [POOL.quorum[1].address, 'quorum', true],
    ]);
    const f = scan.pool('pool.quorum');
    expect(f.status, `${f.observed}\n${f.message}`).toBe('pass');
    for (const h of POOL.hosts) {
      for (const q of POOL.quorum) {
        expect(f.observed).toContain(`${h.management} -> ${q.address} UDP 2189: open (the datagram arrived at ${q.address})`);
        expect(f.observed).toContain(`${q.address} -> ${h.management} UDP 2188: open (the datagram arrived at ${h.management})`);
      }
    }
    // The quorum computers are not pool hosts: still two hosts.
    expect(scan.pool('pool.host-count').status).toBe('pass');
    expect(leftoverProbers()).toEqual([]);
    expect(quorumPortsBound()).toEqual([]);
  }, 120_000);

  it('a firewall dropping UDP 2189 on q1 is "filtered", one rejecting UDP 2188 on h2 is "rejected": fail', async () => {
    lab.reset();
    lab.firewall('q1', ['-p', 'udp', '--dport', '2189', '-j', 'DROP']);
    lab.firewall('h2', ['-p', 'udp', '--dport', '2188', '-j', 'REJECT']);
    try {
      const scan = await lab.scan(['--plan', scannedQuorum], { quorum: true });
      timings.push(`quorum firewalled scan ${scan.durationMs} ms`);
      const f = scan.pool('pool.quorum');
      expect(f.status, f.observed).toBe('fail');
      const [h1, h2] = POOL.hosts;
      const [q1, q2] = POOL.quorum;
      expect(f.message).toContain(`${h1.management} -> ${q1.address} UDP 2189: filtered (preflight listened on ${q1.address}, nothing arrived)`);
      expect(f.message).toContain(`${q2.address} -> ${h2.management} UDP 2188: rejected (ICMP port unreachable although preflight listened on ${h2.management}`);
      // The other directions still pass.
      expect(f.observed).toContain(`${h1.management} -> ${q2.address} UDP 2189: open`);
      expect(f.observed).toContain(`${q1.address} -> ${h1.management} UDP 2188: open`);
    } finally {
      lab.clearFirewalls();
    }
    expect(leftoverProbers()).toEqual([]);
  }, 120_000);

  it('quorum computers that are not scanned: ICMP port unreachable is "refused", and the rule warns that delivery is not proven', async () => {
    lab.reset();
    // The gateway and the management computer run nothing on 2189: the kernel answers port unreachable.
    const scan = await lab.scan(['--plan', planFile([POOL.gateway, POOL.mgmtComputer])]);
    const f = scan.pool('pool.quorum');
    expect(f.status, f.observed).toBe('warn');
    expect(f.observed).toContain(`${POOL.hosts[0].management} -> ${POOL.gateway} UDP 2189: refused (ICMP port unreachable`);
    expect(f.observed).toContain(`${POOL.gateway} -> ${POOL.hosts[0].management} UDP 2188: not tested (scan the quorum computer too`);
    expect(f.message).toMatch(/UDP is not proven/);
  }, 120_000);

  it('an interrupted scan (SIGINT while the listeners run) leaves no listener, prober or bound port in any namespace', async () => {
    lab.reset();
    // Slow the UDP test down so that it is surely running when the signal comes: q1 drops everything on 2189.
    lab.firewall('q1', ['-p', 'udp', '--dport', '2189', '-j', 'DROP']);
    try {
      const child = lab.spawnScan(['--plan', scannedQuorum], { quorum: true });
      const exited = new Promise<number | null>((res) => child.once('close', (code) => res(code)));
      const deadline = Date.now() + 60_000;
      let seen: ReturnType<PoolLab['processes']> = [];
      while (Date.now() < deadline) {
        seen = lab.processes().filter((p) => /python3? -c import errno, select/.test(p.cmd));
        if (seen.length > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen.length, 'the UDP prober was seen running').toBeGreaterThan(0);
      expect(quorumPortsBound().length).toBeGreaterThan(0);
      const t = performance.now();
      child.kill('SIGINT');
      await exited;
      // Everything stops by itself: sshd closes the sessions, the prober's heartbeat write fails.
      let left = leftoverProbers();
      while (left.length > 0 && performance.now() - t < 5000) {
        await new Promise((r) => setTimeout(r, 50));
        left = leftoverProbers();
      }
      timings.push(`probers gone ${Math.round(performance.now() - t)} ms after SIGINT (${seen.length} were running)`);
      expect(left).toEqual([]);
      expect(performance.now() - t).toBeLessThan(3000);
      expect(quorumPortsBound()).toEqual([]);
    } finally {
      lab.clearFirewalls();
    }
  }, 120_000);

  it('a duplicate address only the wire shows: a machine that is not scanned holds h1\'s production address; pool.unique-ips fails naming both MACs', async () => {
    lab.reset();
    const [h1, h2] = POOL.hosts;
    lab.addIntruder(h1.production);
    try {
      const scan = await lab.scan();
      timings.push(`intruder scan ${scan.durationMs} ms`);
      const f = scan.pool('pool.unique-ips');
      expect(f.status, f.observed).toBe('fail');
      const stranger = lab.macIn('x', 'eth0');
      const h1eth3 = lab.mac(0, 'eth3');
      // Not in any scanned host's configuration: only the ARP answers show it.
      expect(f.observed).not.toMatch(/is held by/);
      expect(f.observed).toContain(`on the wire, ${h1.production}: ${h1.management} holds it on eth3, and ${stranger} (not a NIC of a scanned host) answered ARP for it (${h1.management}: arping -D -I eth3)`);
      expect(f.observed).toMatch(new RegExp(`(${h1eth3} \\(${h1.management}:eth3\\) and ${stranger}|${stranger} \\(not a NIC of a scanned host\\) and ${h1eth3} \\(${h1.management}:eth3\\)) answered ARP for it \\(${h2.management}: arping -I eth3\\)`));
    } finally {
      lab.quietIntruder();
    }
    // Healthy again: the same scan passes, with the wire checked from both hosts.
    const again = await lab.scan();
    const g = again.pool('pool.unique-ips');
    expect(g.status, g.observed).toBe('pass');
    expect(g.observed).toMatch(/on the wire, \d+ ARP probes, each address answered by one host only$/);
  }, 120_000);

  it('a bundle records --plan and --isolation-ip: `preflight report BUNDLE` replays to the same pool findings', async () => {
    lab.reset();
    const [h1, h2] = POOL.hosts;
    // A plan whose isolation IP the --isolation-ip option overrides, with addresses (pool.planned-addresses) and quorum computers.
    const plan = join(lab.ssh.dir, 'bundle-plan.yaml');
    writeFileSync(
      plan,
      [
        'alinks: switched',
        `isolationIp: ${POOL.gateway}`,
        `quorum:\n  preferred: { address: ${POOL.gateway} }\n  alternate: { address: ${POOL.mgmtComputer} }`,
        'hosts:',
        ...[h1, h2].map((h) => `  "${h.management}":\n    nics:\n      - { nic: eth0, role: management, address: ${h.management}, subnet: 198.51.100.0/24, gateway: ${POOL.gateway} }`),
        '',
      ].join('\n'),
    );
    const out = join(lab.ssh.dir, 'case-plan.tar.gz');
    const made = await lab.cli(['bundle', ...lab.scanArgs().slice(1), '--out', out, '--plan', plan, '--isolation-ip', POOL.mgmtComputer]);
    expect(made.status, made.stderr).toBe(0);
    const replayed = await lab.cli(['report', out, '--format', 'json']);
    expect([0, 1], replayed.stderr).toContain(replayed.status);
    const report = JSON.parse(replayed.stdout) as { pool: { findings: { rule: string; status: string; observed: string }[] } };
    const byRule = (r: typeof report) => Object.fromEntries(r.pool.findings.map((f) => [f.rule, `${f.status}: ${f.observed}`]));
    const pool = byRule(report);
    // The plan and the option reached the rules in the replay.
    expect(pool['pool.isolation-ip']).toMatch(new RegExp(`^pass: .*${POOL.mgmtComputer.replace(/\./g, '\\.')} answers`));
    expect(pool['pool.planned-addresses']).toMatch(/^pass: /);
    expect(pool['pool.quorum']).toMatch(/^warn: required \(switched A-links \(site plan\)\)/);
    // What the bundle holds: the plan as written, the option in the manifest, a replay identical to the live scan.
    const manifest = JSON.parse(run('tar', ['-xzf', out, '-O', '--wildcards', '*/manifest.json'])) as { plan?: string; options: { isolationIp?: string }; replay: { identical: boolean; differences: unknown[] } };
    expect(manifest.plan).toBe('pool/plan.yaml');
    expect(manifest.options.isolationIp).toBe(POOL.mgmtComputer);
    expect(manifest.replay.differences).toEqual([]);
    expect(run('tar', ['-xzf', out, '-O', '--wildcards', '*/pool/plan.yaml'])).toBe(readFileSync(plan, 'utf8'));
    const live = await lab.scan(['--plan', plan, '--isolation-ip', POOL.mgmtComputer]);
    const liveStatuses = Object.fromEntries(live.report.pool.findings.map((f) => [f.rule, f.status]));
    expect(Object.fromEntries(report.pool.findings.map((f) => [f.rule, f.status]))).toEqual(liveStatuses);
  }, 180_000);
});
