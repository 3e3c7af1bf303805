import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { NETWORK_TEST_SCRIPT, neighbourOf, networkTestInput, parseNetworkTests, parsePing } from '../../src/collect/networkTests.js';

/** The exercise phase's remote script: parameters as data, parsing of its output. */

const tests = { isolationIp: '10.0.0.1', alinks: [{ link: 1 as const, dev: 'eth1', peer: '10.10.1.2' }], quorum: [] };

describe('networkTestInput', () => {
  it('sends validated key=value lines only', () => {
    expect(networkTestInput(tests, 'abcdef0123456789')).toBe('nonce=abcdef0123456789\nisolation=10.0.0.1\nalink1.dev=eth1\nalink1.peer=10.10.1.2\n');
  });

  it.each([
    ['an address with a shell command', { ...tests, isolationIp: '10.0.0.1;reboot' }],
    ['an octal-looking address ping would read differently', { ...tests, isolationIp: '010.0.0.1' }],
    ['a host name', { ...tests, isolationIp: 'gateway.example' }],
    ['an interface name with a space', { ...tests, alinks: [{ link: 1 as const, dev: 'eth1 -f', peer: '10.10.1.2' }] }],
    ['a newline smuggling another key', { ...tests, alinks: [{ link: 1 as const, dev: 'eth1\nisolation=1.2.3.4', peer: '10.10.1.2' }] }],
  ])('refuses %s', (_what, bad) => {
    expect(() => networkTestInput(bad, 'abcdef0123456789')).toThrow();
  });
});

describe('the script', () => {
  it('is POSIX sh (dash parses it) and ignores values with characters outside [0-9A-Za-z.:_-]', () => {
    execFileSync('sh', ['-n', '-c', NETWORK_TEST_SCRIPT]);
    // A hostile value on stdin is dropped by the script itself (defence in depth): nothing runs for it.
    const out = execFileSync('sh', ['-c', NETWORK_TEST_SCRIPT], { input: 'nonce=abcdef0123456789\nisolation=$(touch /tmp/pwned)\n', encoding: 'utf8' });
    expect(out).toBe('@@preflight-net abcdef0123456789 done\n');
  });
});

describe('parsing', () => {
  it('splits the output into evidence per test, and marks tests without an end as cut off', () => {
    const n = 'abcdef0123456789';
    const out = [`@@preflight-net ${n} begin net.ping.isolation`, 'PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.', '', `@@preflight-net ${n} end net.ping.isolation 0`, `@@preflight-net ${n} begin net.ping.alink1`, 'PING 10.10.1.2'].join('\n');
    const ev = parseNetworkTests(out, n, tests, 900);
    expect(ev['net.ping.isolation']).toMatchObject({ exitCode: 0, stdout: 'PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.\n', source: 'ping -n -c 3 -i 0.2 -W 1 -w 3 10.0.0.1' });
    expect(ev['net.ping.alink1']!.error).toMatch(/did not finish/);
    expect(ev['net.neigh.alink1']!.error).toMatch(/did not finish/);
  });

  it('reads iputils ping summaries, including DF refusals', () => {
    expect(parsePing('PING 10.10.1.2 (10.10.1.2) 1472(1500) bytes of data.\n\n--- 10.10.1.2 ping statistics ---\n5 packets transmitted, 5 received, 0% packet loss, time 811ms\nrtt min/avg/max/mdev = 0.030/0.052/0.081/0.017 ms\n')).toEqual({
      target: '10.10.1.2',
      transmitted: 5,
      received: 5,
      lossPercent: 0,
      rttAvgMs: 0.052,
      rttMaxMs: 0.081,
      tooBig: false,
    });
    expect(parsePing('PING 10.10.1.2 (10.10.1.2) 1472(1500) bytes of data.\nping: local error: message too long, mtu=1400\n--- x ---\n5 packets transmitted, 0 received, +5 errors, 100% packet loss\n')).toMatchObject({ received: 0, tooBig: true });
    expect(parsePing('ping: SO_BINDTODEVICE eth9: No such device\n')).toMatchObject({ problem: 'ping: SO_BINDTODEVICE eth9: No such device' });
  });

  it('finds the neighbour entry of an address', () => {
    const text = '10.10.1.2 lladdr 02:00:00:02:00:01 REACHABLE\n10.10.1.20 FAILED\n';
    expect(neighbourOf(text, '10.10.1.2')).toEqual({ mac: '02:00:00:02:00:01', state: 'REACHABLE' });
    expect(neighbourOf(text, '10.10.1.20')).toEqual({ state: 'FAILED' });
    expect(neighbourOf(text, '10.10.1.3')).toBeUndefined();
  });
});
