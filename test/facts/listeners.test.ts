import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseListeners, splitEndpoint } from '../../src/facts/listeners.js';
import { ListenerFacts } from '../../src/facts/schema.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/listeners/${name}`, import.meta.url), 'utf8');
const key = (l: ListenerFacts) => `${l.protocol} ${l.address.replace(/%.*$/, '')}:${l.port}`;

describe('parseListeners on real captures', () => {
  it('preflight-vm-ss.txt: UDP UNCONN sockets count, %lo is kept, [::1] loses its brackets, an unowned socket has no process', () => {
    const { value, problems } = parseListeners(fixture('preflight-vm-ss.txt'));
    expect(problems).toEqual([]);
    expect(value).toEqual([
      { protocol: 'udp', address: '127.0.0.1%lo', port: 12053, process: 'python3', pid: 6564 },
      { protocol: 'udp', address: '127.0.0.1', port: 12188, process: 'python3', pid: 6563 },
      { protocol: 'tcp', address: '127.0.0.1', port: 18080, process: 'python3', pid: 6385 },
      { protocol: 'tcp', address: '0.0.0.0', port: 2024 },
      { protocol: 'tcp', address: '::1', port: 18443, process: 'python3', pid: 6564 },
    ]);
  });

  it('preflight-vm-netstat.txt lists the same sockets as the ss capture taken with it', () => {
    const netstat = parseListeners(fixture('preflight-vm-netstat.txt'));
    const ss = parseListeners(fixture('preflight-vm-ss.txt'));
    expect(netstat.problems).toEqual([]);
    expect(netstat.value.map(key).sort()).toEqual(ss.value.map(key).sort());
    expect(netstat.value.find((l) => l.port === 2024)).toEqual({ protocol: 'tcp', address: '0.0.0.0', port: 2024 }); // "-": not ours to see
    expect(netstat.value.find((l) => l.port === 18443)).toEqual({ protocol: 'tcp', address: '::1', port: 18443, pid: 6564, process: 'python3' });
  });

  it('preflight-vm-netns-ports-ss.txt: the everRun ports held, dual-stack "*", IPv6-only "[::]" and a device-bound socket', () => {
    const { value, problems } = parseListeners(fixture('preflight-vm-netns-ports-ss.txt'));
    expect(problems).toEqual([]);
    expect(value).toHaveLength(7);
    const owner = { process: 'python3', pid: 7983 };
    expect(value).toContainEqual({ protocol: 'udp', address: '0.0.0.0', port: 2188, ...owner });
    expect(value).toContainEqual({ protocol: 'udp', address: '0.0.0.0%lo', port: 5405, ...owner });
    expect(value).toContainEqual({ protocol: 'udp', address: '::', port: 2189, ...owner });
    expect(value).toContainEqual({ protocol: 'tcp', address: '*', port: 8080, ...owner });
    expect(value).toContainEqual({ protocol: 'tcp', address: '::', port: 8081, ...owner });
    expect(value).toContainEqual({ protocol: 'tcp', address: '::1', port: 5900, ...owner });
    expect(value).toContainEqual({ protocol: 'tcp', address: '0.0.0.0', port: 443, ...owner });
  });

  it('preflight-vm-netns-ports-netstat.txt: same sockets; netstat prints ":::8080" for the dual-stack one and drops %lo', () => {
    const { value, problems } = parseListeners(fixture('preflight-vm-netns-ports-netstat.txt'));
    expect(problems).toEqual([]);
    expect(value.map((l) => `${l.protocol} ${l.address} ${l.port}`)).toEqual([
      'tcp 0.0.0.0 443',
      'tcp ::1 5900',
      'tcp :: 8080',
      'tcp :: 8081',
      'udp 0.0.0.0 2188',
      'udp 0.0.0.0 5405',
      'udp :: 2189',
    ]);
    expect(value.every((l) => l.pid === 7983 && l.process === 'python3')).toBe(true);
  });

  it('jc-ss-sudo-tulpen-ubuntu1804.out: 73 sockets (15 UDP), extra -e columns and shared sockets', () => {
    const { value, problems } = parseListeners(fixture('jc-ss-sudo-tulpen-ubuntu1804.out'));
    expect(problems).toEqual([]);
    expect(value).toHaveLength(73);
    expect(value.filter((l) => l.protocol === 'udp')).toHaveLength(15);
    expect(value[0]).toEqual({ protocol: 'udp', address: '0.0.0.0', port: 4789 }); // kernel VXLAN socket: no process
    expect(value).toContainEqual({ protocol: 'udp', address: '127.0.0.53%lo', port: 53, process: 'systemd-resolve', pid: 1117 });
    expect(value).toContainEqual({ protocol: 'udp', address: '0.0.0.0%virbr0', port: 67, process: 'dnsmasq', pid: 2783 });
    // Seven apache processes share port 80: the first one listed is reported.
    expect(value.filter((l) => l.port === 80)).toEqual([{ protocol: 'tcp', address: '0.0.0.0', port: 80, process: '/usr/sbin/apach', pid: 24795 }]);
    expect(value).toContainEqual({ protocol: 'tcp', address: '0.0.0.0', port: 8081, process: 'dockerd', pid: 2840 });
    expect(value.filter((l) => l.port === 68)).toHaveLength(2); // two dhclients on 0.0.0.0:68
  });

  it('jc-netstat-sudo-lnp-ubuntu1804.out: TCP/UDP rows only (raw6 and the UNIX section are skipped)', () => {
    const { value, problems } = parseListeners(fixture('jc-netstat-sudo-lnp-ubuntu1804.out'));
    expect(problems).toEqual([]);
    expect(value).toEqual([
      { protocol: 'tcp', address: '127.0.0.1', port: 42351, pid: 1112, process: 'containerd' },
      { protocol: 'tcp', address: '127.0.0.53', port: 53, pid: 885, process: 'systemd-resolve' },
      { protocol: 'tcp', address: '0.0.0.0', port: 22, pid: 1127, process: 'sshd' },
      { protocol: 'tcp', address: '::', port: 22, pid: 1127, process: 'sshd' },
      { protocol: 'udp', address: '127.0.0.53', port: 53, pid: 885, process: 'systemd-resolve' },
      { protocol: 'udp', address: '192.168.71.131', port: 68, pid: 867, process: 'systemd-network' },
    ]);
  });

  it('every listener of every capture satisfies the ListenerFacts schema', () => {
    for (const name of ['preflight-vm-ss.txt', 'preflight-vm-netstat.txt', 'preflight-vm-netns-ports-ss.txt', 'preflight-vm-netns-ports-netstat.txt', 'jc-ss-sudo-tulpen-ubuntu1804.out', 'jc-netstat-sudo-lnp-ubuntu1804.out']) {
      for (const l of parseListeners(fixture(name)).value) expect(() => ListenerFacts.parse(l)).not.toThrow();
    }
  });
});

describe('parseListeners on synthetic edge cases (hand-written)', () => {
  it('synthetic: old ss (iproute2 2.6.x) without pid= and without a Netid column', () => {
    const text = [
      'State      Recv-Q Send-Q      Local Address:Port        Peer Address:Port',
      'LISTEN     0      128                    :::22                    :::*      users:(("sshd",2114,4))',
      'LISTEN     0      128                     *:22                     *:*      users:(("sshd",2114,3))',
      'UNCONN     0      0                       *:2188                   *:*',
    ].join('\n');
    expect(parseListeners(text)).toEqual({
      value: [
        { protocol: 'tcp', address: '::', port: 22, process: 'sshd', pid: 2114 },
        { protocol: 'tcp', address: '*', port: 22, process: 'sshd', pid: 2114 },
        { protocol: 'udp', address: '*', port: 2188 },
      ],
      problems: [],
    });
  });

  it('synthetic: netstat run without root (note lines, "-" owners), CRLF line ends, a program name with a space', () => {
    const text = [
      '(Not all processes could be identified, non-owned process info',
      ' will not be shown, you would have to be root to see it all.)',
      'Active Internet connections (only servers)',
      'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name',
      'tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN      -',
      'udp        0      0 0.0.0.0:2188            0.0.0.0:*                           4242/tmux: server',
    ].join('\r\n');
    expect(parseListeners(text)).toEqual({
      value: [
        { protocol: 'tcp', address: '0.0.0.0', port: 8080 },
        { protocol: 'udp', address: '0.0.0.0', port: 2188, pid: 4242, process: 'tmux: server' },
      ],
      problems: [],
    });
  });

  it('synthetic: a link-local address bound to an interface, and lines that cannot be read become problems', () => {
    const text = [
      'Netid State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
      'udp   UNCONN 0      0      [fe80::1]%eth0:546         [::]:*',
      'tcp   LISTEN 0      128       0.0.0.0:ssh          0.0.0.0:*',
      'tcp   LISTEN 0      128       0.0.0.0:70000        0.0.0.0:*',
      'garbage here',
    ].join('\n');
    const { value, problems } = parseListeners(text);
    expect(value).toEqual([{ protocol: 'udp', address: 'fe80::1%eth0', port: 546 }]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('0.0.0.0:ssh');
  });

  it('synthetic: empty output is no listeners and no problem', () => {
    expect(parseListeners('')).toEqual({ value: [], problems: [] });
  });

  it('splitEndpoint reads every address spelling', () => {
    expect(splitEndpoint('0.0.0.0:2188')).toEqual({ address: '0.0.0.0', port: 2188 });
    expect(splitEndpoint('[::]:22')).toEqual({ address: '::', port: 22 });
    expect(splitEndpoint(':::22')).toEqual({ address: '::', port: 22 });
    expect(splitEndpoint('*:22')).toEqual({ address: '*', port: 22 });
    expect(splitEndpoint('[::ffff:127.0.0.1]:80')).toEqual({ address: '::ffff:127.0.0.1', port: 80 });
    expect(splitEndpoint('127.0.0.53%lo:53')).toEqual({ address: '127.0.0.53%lo', port: 53 });
    expect(splitEndpoint(':22')).toBeUndefined();
    expect(splitEndpoint('0.0.0.0:*')).toBeUndefined();
  });
});

describe('parseListeners properties', () => {
  const listenerWords = fc.constantFrom('tcp', 'udp', 'tcp6', 'udp6', 'LISTEN', 'UNCONN', '0', '128', '0.0.0.0:22', '[::]:8080', ':::2188', '*:*', 'users:(("a",pid=1,fd=3))', '12/sshd', '-', 'Netid', 'Proto', '\n', '%lo');

  it('never throws on arbitrary text, and whatever it returns fits the schema', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.array(listenerWords, { maxLength: 40 }).map((w) => w.join(' '))), (text) => {
        const { value, problems } = parseListeners(text);
        for (const l of value) expect(() => ListenerFacts.parse(l)).not.toThrow();
        expect(problems.length).toBeLessThanOrEqual(20);
      }),
      { numRuns: 500 },
    );
  });
});
