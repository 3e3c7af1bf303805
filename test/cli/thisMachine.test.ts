import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The verdicts of a real scan of the machine the tests run on, checked against what Node and the
 * kernel say independently (not through preflight's own parsers). Whatever the machine, a verdict
 * must agree with these readings.
 */

const BIN = join(process.cwd(), 'bin/preflight.js');

function scan(...args: string[]): any {
  const r = spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', ...args], { encoding: 'utf8', timeout: 60_000 });
  expect([0, 1], r.stderr).toContain(r.status);
  return JSON.parse(r.stdout);
}

const report = scan();
const host = report.hosts[0];
const facts = host.facts;
const finding = (id: string, r = report) => r.hosts[0].findings.find((f: { rule: string }) => f.rule === id);
const cpuFlags = (/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').trim().split(/\s+/);

describe('facts agree with independent readings of this machine', () => {
  it('logical CPUs', () => expect(facts.cpu.logicalCpus).toBe(cpus().length));

  it('memory: installed memory is at least the kernel total and within a firmware reserve of it', () => {
    const installed = facts.memory.dimmBytes ?? facts.memory.systemRamBytes ?? facts.memory.memTotalBytes;
    expect(facts.memory.memTotalBytes).toBe(totalmem());
    expect(installed).toBeGreaterThanOrEqual(totalmem());
    expect(installed).toBeLessThan(totalmem() * 1.25);
  });

  it('every interface in /sys/class/net is a NIC fact, with its MAC', () => {
    const names = readdirSync('/sys/class/net');
    expect(facts.nics.map((n: { name: string }) => n.name).sort()).toEqual([...names].sort());
    for (const name of names) {
      const mac = readFileSync(`/sys/class/net/${name}/address`, 'utf8').trim();
      expect(facts.nics.find((n: { name: string }) => n.name === name).mac, name).toBe(mac);
    }
  });

  it('the nameservers of /etc/resolv.conf', () => {
    const servers = [...readFileSync('/etc/resolv.conf', 'utf8').matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]);
    if (!servers.every((s) => s!.startsWith('127.'))) expect(facts.dns.nameservers).toEqual(servers);
  });
});

describe('verdicts agree with this machine', () => {
  it('cpu.x64 passes exactly when the CPU has long mode', () => {
    expect(finding('cpu.x64').status).toBe(cpuFlags.includes('lm') ? 'pass' : 'fail');
  });

  it('cpu.vendor fails exactly when the CPU is not Intel', () => {
    const vendor = /^vendor_id\s*:\s*(\S+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
    expect(finding('cpu.vendor').status).toBe(vendor === 'GenuineIntel' ? 'pass' : 'fail');
  });

  it('cpu.virtualization does not pass without vmx/svm in the flags (outside a Xen Dom0)', () => {
    if (!existsSync('/proc/xen') && !cpuFlags.includes('vmx') && !cpuFlags.includes('svm')) {
      expect(finding('cpu.virtualization').status).not.toBe('pass');
    }
  });

  it('the xenserver rules skip exactly when this is not XenServer', () => {
    const xen = existsSync('/etc/xensource-inventory');
    for (const id of ['xenserver.version', 'xenserver.updates', 'xenserver.pool']) {
      expect(finding(id).status === 'skip', id).toBe(!xen);
    }
  });

  it('network.dns warns with one server, passes with two or more', () => {
    const n = facts.dns?.nameservers.filter((s: string) => !s.startsWith('127.')).length ?? 0;
    expect(finding('network.dns').status).toBe(n >= 2 ? 'pass' : n === 1 ? 'warn' : 'fail');
  });
});

describe('ports.free sees real listeners (on loopback only)', () => {
  it('fails naming the process when TCP 8080 and UDP 2188 are taken, and follows --port', async () => {
    const tcp = createServer();
    const udp = createSocket('udp4');
    const tcpUp = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(8080, '127.0.0.1', () => resolve(true));
    });
    const udpUp = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(2188, '127.0.0.1', () => resolve(true));
    });
    try {
      // When another program already holds a port the scan sees it all the same: the rule must fail.
      const taken = scan();
      const f = finding('ports.free', taken);
      expect(f.status).toBe('fail');
      expect(f.observed).toMatch(/TCP 8080/);
      expect(f.observed).toMatch(/UDP 2188/);
      if (tcpUp && udpUp) expect(f.observed).toMatch(/node/);
      // With the eAC moved to 18080/18081 (--port), TCP 8080 is no longer this rule's business.
      const moved = finding('ports.free', scan('--port', '18080'));
      expect(moved.observed).not.toMatch(/TCP 8080/);
      expect(moved.expected).toMatch(/18080/);
      expect(moved.observed).toMatch(/UDP 2188/);
    } finally {
      tcp.close();
      udp.close();
    }
  });
});
