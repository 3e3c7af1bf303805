import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Obfuscator } from '../../src/bundle/obfuscate.js';

/**
 * --obfuscate on planted texts: the same value always gets the same placeholder (across texts, as
 * across files and hosts), subnets keep their shape, and nothing that is not personal (loopback,
 * netmasks, versions, UUIDs) is touched.
 */

const hostA = [
  'Linux xs1 2.6.32.43-0.4.1.xs1.8.0.835.170778xen #1 SMP x86_64',
  '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500',
  '    link/ether 00:25:90:ab:cd:ef brd ff:ff:ff:ff:ff:ff',
  '    inet 10.20.30.11/24 brd 10.20.30.255 scope global xenbr0',
  '    inet6 fe80::225:90ff:feab:cdef/64 scope link',
  '    inet6 2001:db8:20:30::11/64 scope global',
  'default via 10.20.30.1 dev xenbr0',
  '10.99.0.0/16 via 10.20.30.254 dev xenbr0',
  'search corp.example.com',
  'nameserver 10.20.30.53',
  'Dec  1 10:00:00 xs1 sshd[123]: Accepted publickey for alice from 10.20.30.50 port 51234 ssh2',
  'Dec  1 10:00:05 xs1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls',
  'bob:x:1001:1001:Bob:/home/bob:/bin/bash',
  'root:x:0:0:root:/root:/bin/bash',
  'uuid ( RO): 5efc236c-f137-4df7-9902-ba8fbf9a2ac2',
  'NETMASK=255.255.255.0',
  'lo: 127.0.0.1/8',
  'xs1.corp.example.com has address 10.20.30.11; ntp.corp.example.com is 10.20.30.123',
].join('\n');
const hostB = [
  'Linux xs2 2.6.32.43-0.4.1.xs1.8.0.835.170778xen #1 SMP x86_64',
  '    link/ether 00:25:90:AB:CD:F0 brd ff:ff:ff:ff:ff:ff',
  '    inet 10.20.30.12/24 brd 10.20.30.255 scope global xenbr0',
  'sys/class/net/eth1/address:00:25:90:ab:cd:ef',
  'peer xs1 (10.20.30.11) MAC 00-25-90-AB-CD-EF, A-link 192.168.77.2/30',
  'pool master xs1.corp.example.com, user alice',
].join('\n');

function build() {
  return Obfuscator.build({ hostNames: ['xs1', 'xs2'], users: ['alice'] }, [hostA, hostB]);
}

describe('obfuscate', () => {
  const o = build();
  const a = o.apply(hostA);
  const b = o.apply(hostB);
  const map = o.map('case.tar.gz');

  it('removes every planted address, MAC, host, domain and user', () => {
    for (const text of [a, b]) {
      for (const secret of ['10.20.30', '00:25:90', '00-25-90', 'xs1 ', 'xs2', 'corp.example.com', 'alice', 'bob', '2001:db8', 'feab:cdef', '192.168.77', '10.99.0.0']) {
        expect(text.toLowerCase(), secret).not.toContain(secret.toLowerCase());
      }
    }
  });

  it('gives the same value the same placeholder in every text (and host)', () => {
    const ip = map.ipv4['10.20.30.11']!;
    const mac = map.macs['00:25:90:ab:cd:ef']!;
    expect(a).toContain(`inet ${ip}/24`);
    expect(b).toContain(`peer ${map.hosts.xs1} (${ip})`);
    expect(a).toContain(`link/ether ${mac} `);
    expect(b).toContain(`address:${mac}`);
    // Separator and case follow the original.
    expect(b).toContain(`MAC ${mac.toUpperCase().replace(/:/g, '-')},`);
    expect(a).toContain(`for ${map.users.alice} from`);
    expect(b).toContain(`user ${map.users.alice}`);
    expect(a).toContain(`${map.hosts.xs1}.${map.domains['corp.example.com']} has address ${ip}`);
  });

  it('keeps subnet shape: same network, same obfuscated network; host part and broadcast kept', () => {
    const net = map.ipv4Networks['10.20.30.0/24']!;
    expect(net).toMatch(/^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.0\/24$/);
    const base = net.replace(/\.0\/24$/, '');
    expect(map.ipv4['10.20.30.11']).toBe(`${base}.11`);
    expect(map.ipv4['10.20.30.12']).toBe(`${base}.12`);
    expect(map.ipv4['10.20.30.1']).toBe(`${base}.1`);
    expect(map.ipv4['10.20.30.255']).toBe(`${base}.255`);
    // A different network gets a different block; a /30 keeps its size.
    expect(map.ipv4Networks['192.168.77.0/30']).toMatch(/\/30$/);
    expect(map.ipv4Networks['192.168.77.0/30']!.startsWith(base)).toBe(false);
  });

  it('MACs get the fixed prefix, numbered, and EUI-64 IPv6 ids follow the obfuscated MAC', () => {
    for (const v of Object.values(map.macs)) expect(v).toMatch(/^02:50:46:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
    const mac = map.macs['00:25:90:ab:cd:ef']!.split(':');
    // EUI-64 of 02:50:46:xx:yy:zz is 0050:46ff:fexx:yyzz (universal/local bit flipped back).
    expect(a).toContain(`inet6 fe80::50:46ff:fe${mac[3]}:${mac[4]}${mac[5]}/64 scope link`.replace(/:0+([0-9a-f])/g, ':$1'));
    expect(map.ipv6['2001:db8:20:30::11']).toMatch(/^fd50:4646:0:[0-9a-f]+::11$/);
  });

  it('keeps what identifies nobody: loopback, netmasks, broadcast MAC, versions, UUIDs, root', () => {
    expect(a).toContain('lo: 127.0.0.1/8');
    expect(a).toContain('NETMASK=255.255.255.0');
    expect(a).toContain('brd ff:ff:ff:ff:ff:ff');
    expect(a).toContain('2.6.32.43-0.4.1.xs1.8.0.835.170778xen');
    expect(a).toContain('uuid ( RO): 5efc236c-f137-4df7-9902-ba8fbf9a2ac2');
    expect(a).toContain('root:x:0:0:root:/root:/bin/bash');
    expect(a).toContain('USER=root');
  });

  it('is deterministic: the same evidence gives the same map', () => {
    const again = build();
    expect(again.apply(hostB)).toBe(b);
    expect(again.apply(hostA)).toBe(a);
    const { createdAt: _x, ...m1 } = map;
    const { createdAt: _y, ...m2 } = again.map('case.tar.gz');
    expect(m2).toEqual(m1);
  });

  it('names a scanned host hostN even when its name is an address nobody cares about', () => {
    const o2 = Obfuscator.build({ hostNames: [] }, ['nothing']);
    expect(o2.hostName('127.0.0.1:2201')).toMatch(/^host\d+$/);
    expect(o2.hostName('127.0.0.1:2201')).toBe(o2.hostName('127.0.0.1:2201'));
    expect(o2.hostName('127.0.0.1:2202')).not.toBe(o2.hostName('127.0.0.1:2201'));
  });

  it('never throws, and a known address never survives in random text', () => {
    const o3 = Obfuscator.build({ hostNames: ['xs-lab-01'], users: ['carol'] }, ['inet 172.16.5.9/20', 'link/ether 52:54:00:aa:bb:cc']);
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 }), (before, after) => {
        const out = o3.apply(`${before} 172.16.5.9 52:54:00:aa:bb:cc xs-lab-01 carol ${after}`);
        expect(typeof out).toBe('string');
        const tail = out.slice(0, out.length - after.length);
        for (const s of ['172.16.5.9', '52:54:00:aa:bb:cc', 'xs-lab-01', ' carol ']) {
          if (!before.includes(s.trim()) && !after.includes(s.trim())) expect(tail).not.toContain(s);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('stays fast on hostile input', () => {
    for (const h of ['1:'.repeat(200_000), 'a.'.repeat(200_000), '10.0.0.'.repeat(50_000), 'ab:'.repeat(200_000), 'xs1 '.repeat(100_000)]) {
      const start = performance.now();
      o.apply(h);
      expect(performance.now() - start).toBeLessThan(5000);
    }
  });
});
