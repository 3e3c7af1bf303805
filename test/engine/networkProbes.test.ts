import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { NETWORK_TEST_SCRIPT, networkTestInput, parseArpProbe, parseNetworkTests, parseUdpProbe, type HostNetworkTests } from '../../src/collect/networkTests.js';
import { planArp, planNetworkTests, type ExerciseHost } from '../../src/engine/exercise.js';
import { hostFacts, inet, linkedNic, defaultRoute } from '../checks/hostFacts.js';

/**
 * The exercise phase's UDP and ARP probes: what each machine is asked to do (planNetworkTests),
 * their parameters as data, the real script's UDP prober on loopback, and the parsers.
 */

const host = (name: string, role: ExerciseHost['role'], nics: { dev: string; address: string; prefix?: number }[]): ExerciseHost => ({
  name,
  role,
  facts: hostFacts({ nics: nics.map((n) => linkedNic(n.dev, { addresses: [inet(n.address, n.prefix ?? 24)] })), routes: [defaultRoute('10.0.0.1', 'eth0')] }),
});

const h1 = host('h1', 'master', [
  { dev: 'eth0', address: '10.0.0.11' },
  { dev: 'eth1', address: '10.10.1.1' },
]);
const h2 = host('h2', 'member', [
  { dev: 'eth0', address: '10.0.0.12' },
  { dev: 'eth1', address: '10.10.1.2' },
]);
const q1 = host('q1', 'quorum', [{ dev: 'eth0', address: '10.0.0.21' }]);
const quorumPlan = { alinks: 'switched' as const, quorum: { preferred: { address: '10.0.0.21', port: 2189 }, alternate: { address: '10.0.0.22', port: 2189 } } };

describe('planNetworkTests: UDP and ARP', () => {
  let n = 0;
  const token = () => `${(++n).toString(16).padStart(8, '0')}`;

  it('hosts send to both quorum servers and listen on 2188; the scanned quorum computer listens on 2189 and sends to each host', () => {
    n = 0;
    const tests = planNetworkTests([h1, h2, q1], [], quorumPlan, { token });
    const t1 = tests.get('h1')!;
    expect(t1.udp).toEqual({ nonce: '00000001', listenPort: 2188, expect: 1, send: [{ token: '00000002', address: '10.0.0.21', port: 2189 }, { token: '00000003', address: '10.0.0.22', port: 2189 }] });
    expect(tests.get('q1')).toEqual({ alinks: [], quorum: [], udp: { nonce: '00000001', listenPort: 2189, expect: 2, send: [{ token: '00000006', address: '10.0.0.11', port: 2188 }, { token: '00000007', address: '10.0.0.12', port: 2188 }] } });
  });

  it('without a scanned quorum computer the hosts only send (nothing to listen for); without quorum servers no UDP at all', () => {
    const tests = planNetworkTests([h1, h2], [], quorumPlan, { token });
    expect(tests.get('h1')!.udp).toMatchObject({ expect: 0 });
    expect(tests.get('h1')!.udp!.listenPort).toBeUndefined();
    expect(planNetworkTests([h1, h2], [], undefined).get('h1')!.udp).toBeUndefined();
  });

  it('ARP: duplicate address detection for own addresses, broadcast requests for the others on the NIC of their subnet', () => {
    const other = host('h3', 'member', [{ dev: 'eth0', address: '192.168.9.3' }]);
    expect(planArp(h1, [h1, h2, other])).toEqual({
      dad: [
        { address: '10.0.0.11', dev: 'eth0' },
        { address: '10.10.1.1', dev: 'eth1' },
      ],
      // 192.168.9.3 is on no subnet of h1: not asked.
      ask: [
        { address: '10.0.0.12', dev: 'eth0' },
        { address: '10.10.1.2', dev: 'eth1' },
      ],
    });
  });

  it('every value goes on stdin as validated data; a token or port that is not one is refused', () => {
    const base: HostNetworkTests = { alinks: [], quorum: [], udp: { nonce: 'abcdef01', listenPort: 2188, expect: 1, send: [{ token: '0123abcd', address: '10.0.0.21', port: 2189 }] }, arp: { dad: [{ address: '10.0.0.11', dev: 'eth0' }], ask: [] } };
    expect(networkTestInput(base, 'abcdef0123456789')).toBe('nonce=abcdef0123456789\nudp.nonce=abcdef01\nudp.listen=2188\nudp.expect=1\nudp.send=0123abcd_10.0.0.21_2189\narp.dad=10.0.0.11_eth0\n');
    expect(() => networkTestInput({ ...base, udp: { ...base.udp!, send: [{ token: 'x;reboot', address: '10.0.0.21', port: 2189 }] } }, 'abcdef0123456789')).toThrow(/token/);
    expect(() => networkTestInput({ ...base, udp: { ...base.udp!, listenPort: 70000 } }, 'abcdef0123456789')).toThrow(/port/);
    expect(() => networkTestInput({ ...base, arp: { dad: [{ address: '2001:db8::1', dev: 'eth0' }], ask: [] } }, 'abcdef0123456789')).toThrow(/IPv4/);
    expect(() => networkTestInput({ ...base, arp: { dad: [{ address: '10.0.0.1', dev: 'eth0 -f' }], ask: [] } }, 'abcdef0123456789')).toThrow(/interface/);
  });
});

const hasPython = spawnSync('sh', ['-c', 'PATH=/usr/sbin:/sbin:/usr/bin:/bin command -v python3 || command -v python']).status === 0;

describe.skipIf(!hasPython)('the UDP prober of the real script, on loopback', () => {
  it('listens, receives and acknowledges its own datagram (open), and hears ICMP port-unreachable from a closed port (refused)', () => {
    const port = 42000 + Math.floor(Math.random() * 1000);
    const tests: HostNetworkTests = {
      alinks: [],
      quorum: [],
      udp: { nonce: 'abcdef0123', listenPort: port, expect: 1, send: [{ token: 'aaaa0001', address: '127.0.0.1', port }, { token: 'aaaa0002', address: '127.0.0.1', port: port + 1000 }] },
    };
    const nonce = 'fedcba9876543210';
    const started = Date.now();
    const out = execFileSync('sh', ['-c', NETWORK_TEST_SCRIPT], { input: networkTestInput(tests, nonce), encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
    const ev = parseNetworkTests(out, nonce, tests, Date.now() - started)['net.udp']!;
    const r = parseUdpProbe(ev.stdout);
    expect(r).toMatchObject({ listen: { port, bound: true }, finished: true });
    expect(r.got).toEqual([{ token: 'aaaa0001', from: '127.0.0.1' }]);
    expect(r.sent.map((s) => [s.token, s.state])).toEqual([
      ['aaaa0001', 'open'],
      ['aaaa0002', 'refused'],
    ]);
    // The stderr heartbeat never reaches the framed output.
    expect(ev.stdout).not.toMatch(/^\.+/m);
    // Bounded: the send window (4 s) plus slack.
    expect(Date.now() - started).toBeLessThan(8000);
  }, 15_000);

  it('says so when the port is in use', () => {
    const port = 43000 + Math.floor(Math.random() * 1000);
    // Another process holds the port for the prober's whole run.
    const held = execFileSync('sh', [
      '-c',
      `python3 -c "import socket,subprocess,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('', ${port})); p=subprocess.run(['sh','-c',sys.argv[1]], input=sys.argv[2], capture_output=True, text=True); sys.stdout.write(p.stdout)" "$0" "$1"`,
      NETWORK_TEST_SCRIPT,
      networkTestInput({ alinks: [], quorum: [], udp: { nonce: 'abcdef0123', listenPort: port, expect: 1, send: [] } }, 'fedcba9876543210'),
    ], { encoding: 'utf8' });
    const r = parseUdpProbe(parseNetworkTests(held, 'fedcba9876543210', { alinks: [], quorum: [], udp: { nonce: 'abcdef0123', listenPort: port, expect: 1, send: [] } }, 0)['net.udp']!.stdout);
    expect(r.listen).toMatchObject({ port, bound: false });
    expect(r.listen!.reason).toMatch(/in use/i);
  }, 15_000);
});

describe('parsers', () => {
  it('reads arping answers per probe, lower-casing MACs, and a missing arping', () => {
    const text = [
      'dad 10.0.0.11 eth0 ARPING 10.0.0.11 from 0.0.0.0 eth0',
      'ask 10.0.0.12 eth0 ARPING 10.0.0.12 from 10.0.0.11 eth0',
      'ask 10.0.0.12 eth0 Unicast reply from 10.0.0.12 [CA:4F:42:A7:9C:B3]  0.544ms',
      'ask 10.0.0.12 eth0 Unicast reply from 10.0.0.12 [DE:E8:1F:BA:2E:86]  0.565ms',
      'dad 10.0.0.11 eth0 Received 0 response(s)',
      'ask 10.9.9.9 eth7 arping: unknown iface eth7',
    ].join('\n');
    expect(parseArpProbe(text).probes).toEqual([
      { kind: 'dad', address: '10.0.0.11', dev: 'eth0', macs: [] },
      { kind: 'ask', address: '10.0.0.12', dev: 'eth0', macs: ['ca:4f:42:a7:9c:b3', 'de:e8:1f:ba:2e:86'] },
      { kind: 'ask', address: '10.9.9.9', dev: 'eth7', macs: [], problem: 'arping: unknown iface eth7' },
    ]);
    expect(parseArpProbe('no arping on this host\n')).toEqual({ missing: 'no arping on this host', probes: [] });
  });

  it('reads the UDP prober, and a run cut off before its end line', () => {
    expect(parseUdpProbe('python python3\nlisten 2189 bound\ngot 0a0b0c0d 10.0.0.11 40000\nsend 01020304 10.0.0.21 2189 error:Network_is_unreachable\nend 1\n')).toEqual({
      listen: { port: 2189, bound: true },
      got: [{ token: '0a0b0c0d', from: '10.0.0.11' }],
      sent: [{ token: '01020304', address: '10.0.0.21', port: 2189, state: 'error', reason: 'Network is unreachable' }],
      finished: true,
    });
    expect(parseUdpProbe('python python\nlisten 2188 bound\n').finished).toBe(false);
  });
});
