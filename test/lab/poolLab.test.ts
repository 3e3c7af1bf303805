import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './netnsLab.js';
import { POOL, PoolLab, poolLabUnavailableReason } from './poolLab.js';

/**
 * The pool scan from the management computer of a two-host namespace lab: real sshd per host,
 * real A-link cables (veth), the CLI run with `ip netns exec mgmt`. Each pool rule is shown passing
 * in the healthy lab and failing in the matching broken variant.
 */

const why = poolLabUnavailableReason();
if (why && process.env.CI) throw new Error(`the pool lab must run in CI: ${why}`);

describe.skipIf(why !== undefined)('two-host pool lab (network namespaces, sshd per host)', () => {
  let lab: PoolLab;
  const timings: string[] = [];

  beforeAll(async () => {
    const t = performance.now();
    lab = await PoolLab.create();
    timings.push(`lab up ${Math.round(performance.now() - t)} ms`);
  }, 60_000);
  afterAll(async () => {
    const t = performance.now();
    await lab?.destroy();
    timings.push(`lab down ${Math.round(performance.now() - t)} ms`);
    expect(lab?.leftovers() ?? []).toEqual([]);
    // eslint-disable-next-line no-console
    console.log(`pool lab timings: ${timings.join(', ')}`);
  });

  it('a healthy two-host scan from the management computer: one report, both hosts reachable, pool findings', async () => {
    lab.reset();
    const scan = await lab.scan();
    timings.push(`healthy scan ${scan.durationMs} ms`);
    expect(scan.report.hosts.map((h) => [h.name, h.role, h.reachable])).toEqual([
      [POOL.hosts[0].management, 'master', true],
      [POOL.hosts[1].management, 'member', true],
    ]);
    for (const h of scan.report.hosts) expect(h.findings.length).toBeGreaterThan(20);
    expect(scan.pool('pool.host-count').status).toBe('pass');
    expect(scan.pool('pool.identical-cpus').status).toBe('pass');
    expect(scan.pool('pool.unique-ips').status, scan.pool('pool.unique-ips').message).toBe('pass');
    expect(scan.pool('pool.unique-ips').observed).toMatch(/on the wire, \d+ ARP probes, each address answered by one host only$/);
    expect(scan.pool('pool.alink-subnets').status, scan.pool('pool.alink-subnets').message).toBe('pass');
    // The active network tests: every pool rule that has something to test passes in the healthy lab.
    for (const rule of ['pool.isolation-ip', 'pool.management-access', 'pool.alink-health', 'pool.alink-pairing']) {
      const f = scan.pool(rule);
      expect(f.status, `${rule}: ${f.observed} / ${f.message}`).toBe('pass');
    }
    expect(scan.pool('pool.isolation-ip').observed).toContain(POOL.gateway);
    expect(scan.pool('pool.alink-health').observed).toMatch(/5\/5 received, loss 0%.*MTU 1500 passes unfragmented/);
    expect(scan.pool('pool.alink-pairing').observed).toContain(`reaches ${POOL.hosts[1].management}:eth1 (${lab.mac(1, 'eth1')})`);
    expect(scan.pool('pool.management-access').observed).toMatch(/ping answers.*TCP 22 open, 443 open, 8080 refused, 8081 refused/);
    // A direct-cabled pair needs no quorum service.
    expect(scan.pool('pool.quorum').status).toBe('skip');
    // The tests' results are evidence of the hosts (what --evidence-out and bundles keep).
    expect(scan.report.hosts.every((h) => h.reachable)).toBe(true);
  }, 120_000);

  it('crossed A-link cables fail pool.alink-pairing, naming the NIC that answers', async () => {
    lab.cableAlinks('crossed');
    try {
      const scan = await lab.scan();
      timings.push(`crossed scan ${scan.durationMs} ms`);
      const f = scan.pool('pool.alink-pairing');
      expect(f.status, f.observed).toBe('fail');
      expect(f.observed).toContain(`A-link 1 ${POOL.hosts[0].management}:eth1 reaches ${POOL.hosts[1].management}:eth2 (${lab.mac(1, 'eth2')}), not ${POOL.hosts[1].management}:eth1: the cables are crossed`);
      // Carrier alone cannot see it: every NIC has link.
      expect(scan.report.hosts[0]!.findings.find((x) => x.rule === 'network.carrier')!.status).not.toBe('fail');
    } finally {
      lab.cableAlinks('direct');
    }
  }, 120_000);

  it('a missing A-link cable fails pool.alink-health (no path) and pool.alink-pairing (does not reach its peer)', async () => {
    lab.reset();
    lab.pullAlink1();
    const scan = await lab.scan();
    timings.push(`missing-cable scan ${scan.durationMs} ms`);
    const health = scan.pool('pool.alink-health');
    expect(health.status, health.observed).toBe('fail');
    expect(health.observed).toMatch(new RegExp(`A-link 1 ${POOL.hosts[0].management.replace(/\./g, '\\.')}:eth1 -> .*: no path`));
    const pairing = scan.pool('pool.alink-pairing');
    expect(pairing.status).toBe('fail');
    expect(pairing.observed).toMatch(/does not reach its peer/);
  }, 120_000);

  it('an isolation IP nobody answers fails pool.isolation-ip for every host', async () => {
    lab.reset();
    lab.dropGateway();
    try {
      const scan = await lab.scan();
      timings.push(`no-gateway scan ${scan.durationMs} ms`);
      const f = scan.pool('pool.isolation-ip');
      expect(f.status, f.observed).toBe('fail');
      for (const h of POOL.hosts) expect(f.observed).toContain(`${h.management}: ${POOL.gateway} does not answer`);
    } finally {
      lab.reset();
    }
  }, 120_000);

  it('--isolation-ip names another address (here an unused one: fail), --no-network-tests turns the tests off', async () => {
    lab.reset();
    const scan = await lab.scan(['--isolation-ip', '198.51.100.99']);
    expect(scan.pool('pool.isolation-ip').status).toBe('fail');
    expect(scan.pool('pool.isolation-ip').observed).toContain('198.51.100.99 does not answer');
    const off = await lab.scan(['--no-network-tests']);
    expect(off.pool('pool.alink-pairing').status).toBe('error');
    expect(off.pool('pool.management-access').status).toBe('skip');
  }, 120_000);

  it('--plan: NIC roles by MAC, isolation IP and quorum computers from the site plan reach the rules', async () => {
    lab.reset();
    const [h1, h2] = POOL.hosts;
    const host = (h: (typeof POOL.hosts)[number], i: 0 | 1) =>
      [
        `  "${h.management}":`,
        '    nics:',
        `      - { nic: eth0, role: management, address: ${h.management}, subnet: 198.51.100.0/24, gateway: ${POOL.gateway} }`,
        // A-link 1 named by its MAC address, as a site whose interface names are not stable would.
        `      - { nic: "${lab.mac(i, 'eth1')}", role: alink1, address: ${h.alink1}, subnet: 10.91.1.0/24 }`,
        `      - { nic: eth2, role: alink2, address: ${h.alink2}, subnet: 10.91.2.0/24 }`,
      ].join('\n');
    const plan = (extra: string) => {
      const file = join(lab.ssh.dir, `plan-${Math.random().toString(16).slice(2)}.yaml`);
      writeFileSync(file, `${extra}hosts:\n${host(h1, 0)}\n${host(h2, 1)}\n`);
      return file;
    };
    // Switched A-links need quorum computers: the plan names the management computer and the gateway, both answer ping.
    const withQuorum = await lab.scan(['--plan', plan(`alinks: switched\nisolationIp: ${POOL.mgmtComputer}\nquorum:\n  preferred: { address: ${POOL.gateway} }\n  alternate: { address: ${POOL.mgmtComputer} }\n`)]);
    timings.push(`plan scan ${withQuorum.durationMs} ms`);
    // Both answer ping; they are not scanned, so UDP delivery is not proven (poolWireLab.test.ts proves it with scanned quorum computers).
    expect(withQuorum.pool('pool.quorum').status, withQuorum.pool('pool.quorum').observed).toBe('warn');
    expect(withQuorum.pool('pool.quorum').observed).toContain(`${POOL.hosts[0].management} -> ${POOL.gateway}: answers ping`);
    expect(withQuorum.pool('pool.isolation-ip').observed).toContain(`${POOL.mgmtComputer} answers`);
    expect(withQuorum.pool('pool.alink-pairing').status).toBe('pass');
    // The planned addresses are the hosts' own: expected vs found, row by row.
    const planned = withQuorum.pool('pool.planned-addresses');
    expect(planned.status, planned.observed).toBe('pass');
    expect(planned.observed).toContain(`${h1.management} ${lab.mac(0, 'eth1')} (alink1) = eth1: planned ${h1.alink1}/24, found ${h1.alink1}/24`);
    const carrier = withQuorum.report.hosts[0]!.findings.find((f) => f.rule === 'network.carrier')!;
    expect(carrier.expected).toMatch(/site plan/);
    // The same plan without quorum computers: required and missing.
    const without = await lab.scan(['--plan', plan('alinks: switched\n')]);
    expect(without.pool('pool.quorum').status).toBe('fail');
    expect(without.pool('pool.quorum').message).toMatch(/no quorum computer is planned/);
    // h2 moved to another address than the plan gives: pool.planned-addresses names planned and found.
    // (Deleting first: removing a primary address also removes the secondaries of its subnet.)
    run('ip', ['-n', lab.hostNs(1), 'addr', 'del', `${h2.alink2}/24`, 'dev', 'eth2']);
    run('ip', ['-n', lab.hostNs(1), 'addr', 'add', '10.91.2.9/24', 'dev', 'eth2']);
    try {
      const moved = await lab.scan(['--plan', plan(''), '--no-network-tests']);
      const f = moved.pool('pool.planned-addresses');
      expect(f.status, f.observed).toBe('fail');
      expect(f.message).toContain(`${h2.management} eth2 (alink2): planned ${h2.alink2}/24, found 10.91.2.9/24`);
    } finally {
      lab.reset();
    }
  }, 120_000);

  it('a duplicate IP fails pool.unique-ips, naming both holders', async () => {
    lab.reset();
    lab.duplicateProductionIp();
    const scan = await lab.scan();
    timings.push(`duplicate-ip scan ${scan.durationMs} ms`);
    const f = scan.pool('pool.unique-ips');
    expect(f.status).toBe('fail');
    expect(`${f.observed} ${f.message}`).toContain(POOL.hosts[0].production);
    expect(`${f.observed} ${f.message}`).toMatch(/198\.51\.100\.11/);
    expect(`${f.observed} ${f.message}`).toMatch(/198\.51\.100\.12/);
    // And on the wire: h1's duplicate address detection gets h2's eth3 answering.
    expect(f.observed).toContain(`on the wire, ${POOL.hosts[0].production}: ${POOL.hosts[0].management} holds it on eth3, and ${lab.mac(1, 'eth3')} (${POOL.hosts[1].management}:eth3) answered ARP for it`);
  }, 120_000);

  it('a DHCP host: the member\'s management address is a lease; network.static-ip fails for it alone, the pool is still judged', async () => {
    lab.reset();
    lab.leaseManagementAddress(1);
    try {
      const scan = await lab.scan(['--no-network-tests']);
      timings.push(`dhcp scan ${scan.durationMs} ms`);
      const staticIp = (i: 0 | 1) => scan.report.hosts[i]!.findings.find((f) => f.rule === 'network.static-ip')!;
      expect(staticIp(0).status, staticIp(0).observed).toBe('pass');
      expect(staticIp(1).status, staticIp(1).observed).toBe('fail');
      expect(staticIp(1).observed).toContain(`${POOL.hosts[1].management}/24 on eth0 is dynamic (it has a lease lifetime)`);
      expect(scan.pool('pool.unique-ips').status).toBe('pass');
    } finally {
      lab.reset();
    }
  }, 120_000);
});
