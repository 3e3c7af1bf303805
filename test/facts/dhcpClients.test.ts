import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDhcpClients } from '../../src/facts/dhcpClients.js';
import { fixture } from './support.js';

describe('parseDhcpClients', () => {
  it('reads a real `ps -ef` line of NetworkManager\'s dhclient on ens33', () => {
    expect(parseDhcpClients(fixture('dhcp_clients/jc-ps-ef-centos77-dhclient-line.txt'))).toEqual({
      value: [
        '/sbin/dhclient -d -q -sf /usr/libexec/nm-dhcp-helper -pf /var/run/dhclient-ens33.pid -lf /var/lib/NetworkManager/dhclient-d92ece08-9e02-47d5-b2d2-92c80e155744-ens33.lease -cf /var/lib/NetworkManager/dhclient-ens33.conf ens33',
      ],
      problems: [],
    });
  });

  it('reads the probe\'s `pid args` lines (synthetic, in the probe\'s layout)', () => {
    const text = '  812 /sbin/dhclient -1 -v -pf /run/dhclient.eth0.pid -lf /var/lib/dhcp/dhclient.eth0.leases eth0\n 1020 dhcpcd: [master] [ip4] [ip6]\n';
    expect(parseDhcpClients(text).value).toEqual(['/sbin/dhclient -1 -v -pf /run/dhclient.eth0.pid -lf /var/lib/dhcp/dhclient.eth0.leases eth0', 'dhcpcd: [master] [ip4] [ip6]']);
  });

  it('keeps only DHCP clients from a full `ps -ef` listing and skips its header', () => {
    const text = [
      'UID         PID   PPID  C STIME TTY          TIME CMD',
      'root        865      1  0 Oct25 ?        00:00:03 /usr/sbin/NetworkManager --no-daemon',
      fixture('dhcp_clients/jc-ps-ef-centos77-dhclient-line.txt').trimEnd(),
    ].join('\n');
    const { value, problems } = parseDhcpClients(text);
    expect(problems).toEqual([]);
    expect(value).toHaveLength(1);
    expect(value[0]).toMatch(/^\/sbin\/dhclient .* ens33$/);
  });

  it('reports lines in neither form', () => {
    expect(parseDhcpClients('dhclient eth0\n').problems).toEqual(['proc.dhcp-clients: line not understood: "dhclient eth0"']);
  });

  it('never throws', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => void parseDhcpClients(s)));
    const lines = fc.constantFrom('  1 dhclient eth0', 'root 1 0 0 Oct25 ? 00:00:00 udhcpc -i eth0', 'UID PID', '12');
    fc.assert(fc.property(fc.array(fc.oneof(lines, fc.string({ maxLength: 30 })), { maxLength: 30 }), (parts) => void parseDhcpClients(parts.join('\n'))));
  });
});
