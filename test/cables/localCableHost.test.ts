import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ReachResult } from '../../src/cables/cableHost.js';
import {
  identifyInput,
  identifyResult,
  parseIdentifyOutput,
  parseReachOutput,
  reachInput,
  reachResult,
} from '../../src/cables/hostActions.js';
import { LocalCableHost } from '../../src/cables/localCableHost.js';
import type { CableTable } from '../../src/cables/table.js';
import type { CarrierEvent } from '../../src/cables/watch.js';
import { InputError } from '../../src/engine/inputError.js';
import { labUnavailableReason, NetnsLab, peerOf, PLAN, REPO_ROOT } from '../lab/netnsLab.js';

/**
 * LocalCableHost: input checks and the ethtool/ping readers (anywhere), then every call on real
 * veth interfaces in a namespace lab (root): the built code runs inside the lab's host namespace
 * through test/cables/localHostDriver.mjs. Build first: npx tsc -p tsconfig.json.
 */

const NONCE = 'abcdef0123456789abcdef01';

describe('identify and reach: inputs and what ethtool and ping print', () => {
  const host = new LocalCableHost({ name: 'vm' });

  it('refuses a malformed device, seconds or address before running anything', async () => {
    await expect(host.identify('eth0;reboot', 5)).rejects.toBeInstanceOf(InputError);
    await expect(host.identify('eth0', 0)).rejects.toThrow(/whole number from 1 to 300/);
    await expect(host.identify('eth0', 2.5)).rejects.toThrow(/whole number/);
    await expect(host.reach([{ address: '10.0.0.1; reboot' }])).rejects.toThrow(/not an IP address/);
    await expect(host.reach([{ address: '010.1.1.1' }])).rejects.toThrow(/not an IP address/);
    await expect(host.reach([{ address: '10.0.0.1', device: '-I' }])).rejects.toThrow(/not an interface name/);
    await expect(host.identify('-h', 5)).rejects.toThrow(/not an interface name/);
    await expect(host.reach([{ address: '10.0.0.1', device: 'a b' }])).rejects.toThrow(/not an interface name/);
    await expect(host.watch(['../x'], { signal: AbortSignal.abort(), onStart: () => undefined, onChange: () => undefined })).rejects.toThrow(/not an interface name/);
    expect(() => identifyInput('eth0', 301, NONCE)).toThrow(InputError);
    expect(() => reachInput([{ address: 'fe80::1%eth0' }], NONCE)).toThrow(/not an IP address/);
    expect(reachInput([{ address: '10.0.0.1', device: 'eth2' }, { address: '::1' }], NONCE)).toBe(`nonce ${NONCE}\nt 10.0.0.1 eth2\nt ::1\n`);
  });

  it('says plainly that a device does not exist (read from /sys only: nothing is run)', async () => {
    expect(await host.identify('pftnosuch0', 5)).toEqual({ ok: false, message: 'vm has no interface named pftnosuch0' });
    const [r] = await host.reach([{ address: '192.0.2.1', device: 'pftnosuch0' }]);
    expect(r).toEqual({ address: '192.0.2.1', device: 'pftnosuch0', ok: false, rttMs: null, message: 'vm has no interface named pftnosuch0' });
  });

  it('turns ethtool --identify outcomes into one plain line', () => {
    expect(identifyResult('h1', 'eth1', { kind: 'ran', exitCode: 0, output: '' })).toEqual({ ok: true });
    expect(identifyResult('h1', 'eth1', { kind: 'ran', exitCode: 255, output: 'Cannot identify NIC: Operation not supported\n' })).toEqual({
      ok: false,
      message: 'h1 eth1: its driver cannot blink the port LED (ethtool --identify: Operation not supported); find the port by pulling its cable',
    });
    expect(identifyResult('h1', 'eth1', { kind: 'no-ethtool' }).ok).toBe(false);
    expect(identifyResult('h1', 'eth1', { kind: 'no-ethtool' })).toMatchObject({ message: expect.stringMatching(/^ethtool is not installed on h1/) });
    expect(identifyResult('h1', 'eth1', { kind: 'ran', exitCode: 1, output: 'Cannot identify NIC: Device or resource busy\n' })).toEqual({
      ok: false,
      message: 'h1 eth1: ethtool --identify failed: Cannot identify NIC: Device or resource busy',
    });
  });

  it('reads the remote identify marker, and refuses output without it', () => {
    expect(parseIdentifyOutput(`Cannot identify NIC: Operation not supported\n\n@@pf-identify ${NONCE} rc 255\n`, NONCE)).toEqual({
      kind: 'ran',
      exitCode: 255,
      output: 'Cannot identify NIC: Operation not supported\n',
    });
    expect(parseIdentifyOutput(`@@pf-identify ${NONCE} no-device\n`, NONCE)).toEqual({ kind: 'no-device' });
    expect(parseIdentifyOutput(`@@pf-identify ${NONCE} no-ethtool\n`, NONCE)).toEqual({ kind: 'no-ethtool' });
    expect(parseIdentifyOutput(`@@pf-identify ffffffffffffffff rc 0\n`, NONCE)).toBeUndefined();
    expect(parseIdentifyOutput('', NONCE)).toBeUndefined();
  });

  const REPLIES = `PING 10.91.2.2 (10.91.2.2) from 10.91.2.1 eth2: 56(84) bytes of data.
64 bytes from 10.91.2.2: icmp_seq=1 ttl=64 time=0.091 ms
64 bytes from 10.91.2.2: icmp_seq=2 ttl=64 time=0.043 ms
64 bytes from 10.91.2.2: icmp_seq=3 ttl=64 time=0.050 ms

--- 10.91.2.2 ping statistics ---
3 packets transmitted, 3 received, 0% packet loss, time 405ms
rtt min/avg/max/mdev = 0.043/0.061/0.091/0.021 ms
`;
  const SILENCE = `PING 10.91.2.77 (10.91.2.77) from 10.91.2.1 eth2: 56(84) bytes of data.
From 10.91.2.1 icmp_seq=1 Destination Host Unreachable

--- 10.91.2.77 ping statistics ---
12 packets transmitted, 0 received, +3 errors, 100% packet loss, time 2846ms
`;

  it('takes the fastest reply of a ping, and says why not when there is none', () => {
    expect(reachResult({ address: '10.91.2.2', device: 'eth2' }, REPLIES, 0)).toEqual({ address: '10.91.2.2', device: 'eth2', ok: true, rttMs: 0.043 });
    expect(reachResult({ address: '10.91.2.77', device: 'eth2' }, SILENCE, 1)).toEqual({
      address: '10.91.2.77',
      device: 'eth2',
      ok: false,
      rttMs: null,
      message: 'no reply from 10.91.2.77 out of eth2 (12 sent, 0 received): destination host unreachable',
    });
    expect(reachResult({ address: '10.0.0.1', device: 'nope' }, 'ping: SO_BINDTODEVICE nope: No such device\n', 2)).toMatchObject({
      ok: false,
      message: 'ping 10.0.0.1 out of nope failed: ping: SO_BINDTODEVICE nope: No such device',
    });
    expect(reachResult({ address: '10.0.0.1' }, 'sh: 1: ping: not found\n', 127)).toMatchObject({ ok: false, message: 'ping is not installed on the host' });
  });

  it('splits the remote reach output per target; a cut-off target says so', () => {
    const out = `@@pf-reach ${NONCE} begin 0\n${REPLIES}\n@@pf-reach ${NONCE} end 0 0\n@@pf-reach ${NONCE} begin 1\nPING 10.91.2.77\n`;
    const r: ReachResult[] = parseReachOutput(out, NONCE, [{ address: '10.91.2.2', device: 'eth2' }, { address: '10.91.2.77' }]);
    expect(r[0]).toMatchObject({ ok: true, rttMs: 0.043 });
    expect(r[1]).toEqual({ address: '10.91.2.77', ok: false, rttMs: null, message: 'the ping did not finish (the connection was cut off)' });
  });
});

const why = labUnavailableReason();
if (why && process.env.CI) throw new Error(`the namespace lab must run in CI: ${why}`);
const DRIVER = join(REPO_ROOT, 'test/cables/localHostDriver.mjs');
/** `ip` by its full path: one test runs the driver with a PATH that finds nothing. */
const IP = spawnSync('sh', ['-c', 'command -v ip'], { encoding: 'utf8' }).stdout.trim() || 'ip';

describe.skipIf(why !== undefined)('LocalCableHost on veth in a namespace lab', () => {
  let lab: NetnsLab;
  const drive = <T>(req: object, env: NodeJS.ProcessEnv = process.env): T => {
    const r = spawnSync(IP, ['netns', 'exec', lab.host, process.execPath, DRIVER, JSON.stringify(req)], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 30_000, env });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (!line) throw new Error(`driver printed nothing (exit ${r.status}): ${r.stderr}`);
    return JSON.parse(line) as T;
  };

  beforeAll(() => {
    if (!existsSync(join(REPO_ROOT, 'dist/cables/localCableHost.js'))) throw new Error('dist/cables/localCableHost.js is missing: build first (npx tsc -p tsconfig.json)');
    lab = NetnsLab.create();
  });
  beforeEach(() => lab.reset());
  afterAll(() => {
    lab?.destroy();
    expect(lab?.leftovers() ?? []).toEqual([]);
  });

  it('readTable: the five veth NICs with MAC, driver, carrier, address and role; a pulled cable reads no carrier', () => {
    lab.setCable('eth1', false);
    const { table } = drive<{ table: CableTable }>({ op: 'table' });
    expect(table.host).toBe('lab');
    expect(table.nics.map((n) => [n.device, n.driver, n.carrier, n.role])).toEqual([
      ['eth0', 'veth', true, 'management'],
      ['eth1', 'veth', false, 'A-link 1'],
      ['eth2', 'veth', true, 'A-link 2'],
      ['eth3', 'veth', true, 'production'],
      ['eth4', 'veth', true, 'bond with eth0'],
    ]);
    expect(table.nics[0]!.ipv4).toEqual([PLAN.management.address]);
    expect(table.nics.every((n) => /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(n.mac ?? ''))).toBe(true);
  });

  it('watch: the first reading, then a pulled cable, its return and an admin-down NIC, in order; the interval option is used', async () => {
    const child = spawn('ip', ['netns', 'exec', lab.host, process.execPath, DRIVER, JSON.stringify({ op: 'watch', nics: ['eth1', 'eth2', 'eth4'], interval: 10 })], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const got: { at: number; msg: { start?: Record<string, boolean>; change?: CarrierEvent; end?: boolean } }[] = [];
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      const at = performance.now();
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const p of parts) if (p.trim()) got.push({ at, msg: JSON.parse(p) });
    });
    const exited = new Promise<number | null>((res) => child.once('close', (c) => res(c)));
    try {
      const waitFor = async (pred: (m: (typeof got)[number]['msg']) => boolean) => {
        const deadline = performance.now() + 5000;
        for (;;) {
          const hit = got.find((g) => pred(g.msg));
          if (hit) return hit;
          if (performance.now() > deadline) throw new Error(`not seen; got ${JSON.stringify(got.map((g) => g.msg))}`);
          await new Promise((r) => setTimeout(r, 2));
        }
      };
      expect((await waitFor((m) => m.start !== undefined)).msg.start).toEqual({ eth1: true, eth2: true, eth4: true });
      const t0 = performance.now();
      lab.ipSwitch('link', 'set', peerOf('eth1'), 'down');
      const pulled = await waitFor((m) => m.change?.nic === 'eth1' && m.change.carrier === false);
      lab.ipSwitch('link', 'set', peerOf('eth1'), 'up');
      await waitFor((m) => m.change?.nic === 'eth1' && m.change.carrier === true);
      lab.ipHost('link', 'set', 'eth4', 'down');
      await waitFor((m) => m.change?.nic === 'eth4' && m.change.carrier === false);
      expect(got.filter((g) => g.msg.change).map((g) => [g.msg.change!.host, g.msg.change!.nic, g.msg.change!.carrier])).toEqual([
        ['lab', 'eth1', false],
        ['lab', 'eth1', true],
        ['lab', 'eth4', false],
      ]);
      // 10 ms polling: well under the 50 ms default, with room for a loaded machine.
      expect(pulled.at - t0).toBeLessThan(200);
      child.stdin.end();
      expect(await exited).toBe(0);
      expect(got.at(-1)!.msg).toEqual({ end: true });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('identify on a veth says the driver cannot blink; a missing device and a missing ethtool say so', () => {
    expect(drive({ op: 'identify', device: 'eth1', seconds: 1 })).toEqual({
      identify: { ok: false, message: 'lab eth1: its driver cannot blink the port LED (ethtool --identify: Operation not supported); find the port by pulling its cable' },
    });
    expect(drive({ op: 'identify', device: 'eth9', seconds: 1 })).toEqual({ identify: { ok: false, message: 'lab has no interface named eth9' } });
    const noTools = drive<{ identify: { ok: boolean; message: string } }>({ op: 'identify', device: 'eth1', seconds: 1 }, { ...process.env, PATH: '/nonexistent' });
    expect(noTools.identify).toEqual({ ok: false, message: "ethtool is not installed on lab, so eth1's port LED cannot be blinked: find the port by pulling its cable" });
  });

  it('reach: the far end of a cable answers with a round-trip time; an address with no host, or a pulled cable, does not', () => {
    const far = PLAN.alink1.peerAddress.split('/')[0]!;
    const { reach } = drive<{ reach: ReachResult[] }>({
      op: 'reach',
      targets: [
        { address: far, device: 'eth1' },
        { address: far },
        { address: '203.0.113.20', device: 'eth1' },
      ],
    });
    expect(reach[0]).toMatchObject({ address: far, device: 'eth1', ok: true });
    expect(reach[0]!.rttMs).toBeGreaterThan(0);
    expect(reach[0]!.rttMs).toBeLessThan(100);
    expect(reach[1]).toMatchObject({ ok: true });
    expect(reach[2]).toMatchObject({ address: '203.0.113.20', ok: false, rttMs: null });
    expect(reach[2]!.message).toMatch(/^no reply from 203\.0\.113\.20 out of eth1/);
    lab.setCable('eth1', false);
    const pulled = drive<{ reach: ReachResult[] }>({ op: 'reach', targets: [{ address: far, device: 'eth1' }] });
    expect(pulled.reach[0]).toMatchObject({ ok: false });
  });
});
