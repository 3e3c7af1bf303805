import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { debianIpConfig, parseDebianInterfaces } from '../../src/facts/debianInterfaces.js';
import { globToRegExp, selectInterfaces } from '../../src/facts/interfaceMatch.js';
import { netplanIpConfig, parseNetplan } from '../../src/facts/netplan.js';
import { networkdIpConfig, parseNetworkd } from '../../src/facts/networkd.js';
import { networkManagerIpConfig, parseNetworkManager } from '../../src/facts/networkManager.js';
import { fixture } from './support.js';

/** What `grep -H ''` prints for one file. */
function asProbeOutput(file: string, text: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `${file}:${line}`)
    .join('\n');
}

describe('parseDebianInterfaces', () => {
  it('reads a static eth0 with netmask, gateway and DNS servers', () => {
    const { value, problems } = parseDebianInterfaces(fixture('debian_interfaces/igknighted-ubuntu-static-dns-nameservers.txt'));
    expect(problems).toEqual([]);
    expect(value).toEqual([
      { name: 'lo', family: 'inet', method: 'loopback', auto: true, dnsNameservers: [] },
      { name: 'eth0', family: 'inet', method: 'static', auto: true, address: '192.168.0.16/24', gateway: '192.168.0.1', dnsNameservers: ['8.8.8.8', '8.8.4.4'] },
    ]);
    expect(debianIpConfig(value)).toEqual([
      { interface: 'eth0', method: 'static', source: 'ifupdown', address: '192.168.0.16/24', gateway: '192.168.0.1', dns: ['8.8.8.8', '8.8.4.4'] },
    ]);
  });

  it('reads space-indented options and leaves the loopback stanza out of ipConfig', () => {
    const text = asProbeOutput('/etc/network/interfaces', fixture('debian_interfaces/joekun-debian-static-eth0-gateway.txt'));
    const { value, problems } = parseDebianInterfaces(text);
    expect(problems).toEqual([]);
    expect(debianIpConfig(value)).toEqual([
      { interface: 'eth0', method: 'static', source: 'ifupdown:/etc/network/interfaces', address: '10.0.0.100/24', gateway: '10.0.0.1' },
    ]);
  });

  it('reads a Proxmox host: DHCP on the bridge vmbr0, manual ports, bridge-ports', () => {
    const { value, problems } = parseDebianInterfaces(fixture('debian_interfaces/hackinthebox-proxmox-dhcp-bridges-manual.txt'));
    expect(problems).toEqual([]);
    const vmbr0 = value.find((i) => i.name === 'vmbr0');
    expect(vmbr0).toEqual({ name: 'vmbr0', family: 'inet', method: 'dhcp', auto: true, dnsNameservers: [], bridgePorts: ['eno1'] });
    expect(value.find((i) => i.name === 'eno1')?.auto).toBe(true); // allow-hotplug
    expect(value.find((i) => i.name === 'enp3s0f0')?.auto).toBe(false);
    expect(debianIpConfig(value).map((c) => `${c.interface}:${c.method}`)).toEqual([
      'eno1:dhcp',
      'enp3s0f0:none',
      'enp3s0f1:none',
      'enp4s0f0:none',
      'enp4s0f1:none',
      'vmbr0:dhcp',
      'vmbr1:none',
      'vmbr2:none',
      'vmbr3:none',
      'vmbr4:none',
    ]);
  });

  it('keeps IPv6 stanzas out of the IPv4 configuration and reports stray options (synthetic)', () => {
    const text = ['address 10.0.0.9', 'iface eth0 inet6 dhcp', 'auto bond0', 'iface bond0 inet static', 'address 10.1.1.1/16', 'bond_slaves eth0 eth4', 'bond-mode active-backup'].join('\n');
    const { value, problems } = parseDebianInterfaces(text);
    expect(problems).toEqual(['interfaces: option outside an iface stanza: "address 10.0.0.9"']);
    expect(value[1]).toMatchObject({ name: 'bond0', address: '10.1.1.1/16', bondSlaves: ['eth0', 'eth4'] });
    expect(debianIpConfig(value)).toEqual([{ interface: 'bond0', method: 'static', source: 'ifupdown', address: '10.1.1.1/16' }]);
  });
});

describe('parseNetworkManager', () => {
  it('reads a full keyfile: the [ipv4] and [ipv6] keys stay apart', () => {
    const { value, problems } = parseNetworkManager(fixture('networkmanager/nm-keyfile-test-write-wired.txt'));
    expect(problems).toEqual([]);
    expect(value).toEqual([
      {
        id: 'Work Wired',
        type: 'ethernet',
        ipv4: { method: 'manual', addresses: ['192.168.0.5/24', '1.2.3.4/8'], gateway: '192.168.0.1', dns: ['4.2.2.1', '4.2.2.2'] },
        ipv6: { method: 'manual', addresses: ['abcd::beef/64', 'dcba::beef/56'], dns: ['1::cafe', '2::cafe'] },
      },
    ]);
    // No interface-name: the profile is bound by MAC, which the probe does not read.
    expect(networkManagerIpConfig(value)).toEqual([]);
  });

  it('reads a bridge port without an [ipv4] section', () => {
    expect(parseNetworkManager(fixture('networkmanager/nm-keyfile-test-minimal-slave-1.txt')).value).toEqual([{ type: '802-3-ethernet', controller: 'br0' }]);
  });

  it('reads the probe\'s filtered grep output, file names with spaces and colons included', () => {
    const dir = '/etc/NetworkManager/system-connections';
    const text = [
      `${dir}/Wired connection 1.nmconnection:[connection]`,
      `${dir}/Wired connection 1.nmconnection:id=Wired connection 1`,
      `${dir}/Wired connection 1.nmconnection:type=ethernet`,
      `${dir}/Wired connection 1.nmconnection:interface-name=enp1s0`,
      `${dir}/Wired connection 1.nmconnection:[ipv4]`,
      `${dir}/Wired connection 1.nmconnection:method=auto`,
      `${dir}/Wired connection 1.nmconnection:[ipv6]`,
      `${dir}/Wired connection 1.nmconnection:method=manual`,
      `${dir}/mgmt:a.nmconnection:[connection]`,
      `${dir}/mgmt:a.nmconnection:interface-name=eth0`,
      `${dir}/mgmt:a.nmconnection:[ipv4]`,
      `${dir}/mgmt:a.nmconnection:address1=10.0.0.5/24`,
      `${dir}/mgmt:a.nmconnection:gateway=10.0.0.1`,
      `${dir}/mgmt:a.nmconnection:dns=10.0.0.2;10.0.0.3;`,
      `${dir}/mgmt:a.nmconnection:method=manual`,
      `${dir}/off.nmconnection:[connection]`,
      `${dir}/off.nmconnection:interface-name=eth9`,
      `${dir}/off.nmconnection:[ipv4]`,
      `${dir}/off.nmconnection:method=disabled`,
    ].join('\n');
    const { value, problems } = parseNetworkManager(text);
    expect(problems).toEqual([]);
    expect(networkManagerIpConfig(value)).toEqual([
      { interface: 'enp1s0', method: 'dhcp', source: `networkmanager:${dir}/Wired connection 1.nmconnection` },
      { interface: 'eth0', method: 'static', source: `networkmanager:${dir}/mgmt:a.nmconnection`, address: '10.0.0.5/24', gateway: '10.0.0.1', dns: ['10.0.0.2', '10.0.0.3'] },
      { interface: 'eth9', method: 'none', source: `networkmanager:${dir}/off.nmconnection` },
    ]);
  });

  it('reads the legacy addresses1=ip;prefix;gateway; form (synthetic)', () => {
    const [conn] = parseNetworkManager('[connection]\ninterface-name=eth0\n[ipv4]\nmethod=manual\naddresses1=192.168.1.5;24;192.168.1.1;\n').value;
    expect(conn!.ipv4).toEqual({ method: 'manual', addresses: ['192.168.1.5/24'], gateway: '192.168.1.1', dns: [] });
  });
});

describe('parseNetworkd', () => {
  it('reads a static address with a gateway', () => {
    const { value, problems } = parseNetworkd(fixture('networkd/systemd-25-gateway-static.network'));
    expect(problems).toEqual([]);
    expect(networkdIpConfig(value, [])).toEqual([{ interface: 'dummy98', method: 'static', source: 'networkd', address: '149.10.124.58/28', gateway: '149.10.124.59' }]);
  });

  it('reads DNS= next to a static address', () => {
    expect(networkdIpConfig(parseNetworkd(fixture('networkd/systemd-24-search-domain.network')).value, [])).toEqual([
      { interface: 'dummy98', method: 'static', source: 'networkd', address: '192.168.42.100/24', dns: ['192.168.42.1'] },
    ]);
  });

  it('says DHCP for DHCP=ipv4 even with an extra static address, and ignores [Route] Gateway=_dhcp4', () => {
    const text = asProbeOutput('/etc/systemd/network/25-dhcp-client-ipv4-only.network', fixture('networkd/systemd-25-dhcp-client-ipv4-only.network'));
    const { value, problems } = parseNetworkd(text);
    expect(problems).toEqual([]);
    expect(value[0]).toMatchObject({ dhcp: 'ipv4', addresses: ['192.168.5.250'], gateways: [] });
    expect(networkdIpConfig(value, [])).toEqual([
      { interface: 'veth99', method: 'dhcp', source: 'networkd:/etc/systemd/network/25-dhcp-client-ipv4-only.network', address: '192.168.5.250' },
    ]);
  });

  it('resolves Name globs against the host\'s interfaces; the first file by name wins (synthetic)', () => {
    const text = [
      '/etc/systemd/network/20-wired.network:[Match]',
      '/etc/systemd/network/20-wired.network:Name=en*',
      '/etc/systemd/network/20-wired.network:[Network]',
      '/etc/systemd/network/20-wired.network:DHCP=yes',
      '/run/systemd/network/10-mgmt.network:[Match]',
      '/run/systemd/network/10-mgmt.network:MACAddress=52:54:00:AA:BB:CC',
      '/run/systemd/network/10-mgmt.network:[Network]',
      '/run/systemd/network/10-mgmt.network:Address=10.0.0.5/24',
      '/run/systemd/network/10-mgmt.network:[Route]',
      '/run/systemd/network/10-mgmt.network:Gateway=10.0.0.1',
      '/etc/systemd/network/30-typed.network:[Match]',
      '/etc/systemd/network/30-typed.network:Type=ether',
    ].join('\n');
    const known = [{ name: 'enp1s0', mac: '52:54:00:aa:bb:cc' }, { name: 'enp2s0' }, { name: 'lo' }];
    expect(networkdIpConfig(parseNetworkd(text).value, known)).toEqual([
      { interface: 'enp1s0', method: 'static', source: 'networkd:/run/systemd/network/10-mgmt.network', address: '10.0.0.5/24', gateway: '10.0.0.1' },
      { interface: 'enp2s0', method: 'dhcp', source: 'networkd:/etc/systemd/network/20-wired.network' },
    ]);
  });
});

describe('parseNetplan', () => {
  it('reads static addresses, gateway4 and nameservers', () => {
    const { value, problems } = parseNetplan(fixture('netplan/netplan-examples-static.yaml'));
    expect(problems).toEqual([]);
    expect(netplanIpConfig(value, [])).toEqual([
      { interface: 'enp3s0', method: 'static', source: 'netplan', address: '10.10.10.2/24', gateway: '10.10.10.1', dns: ['10.10.10.1', '1.1.1.1'] },
    ]);
  });

  it('reads a DHCP bond over two ethernets ("dhcp4: yes" is YAML 1.1 true)', () => {
    const text = asProbeOutput('/etc/netplan/01-bond.yaml', fixture('netplan/netplan-examples-bonding.yaml'));
    const { value, problems } = parseNetplan(text);
    expect(problems).toEqual([]);
    expect(value.find((d) => d.id === 'bond0')).toMatchObject({ kind: 'bond', dhcp4: true, members: ['enp3s0', 'enp4s0'], bondMode: 'active-backup' });
    expect(netplanIpConfig(value, []).map((c) => `${c.interface}:${c.method}:${c.source}`)).toEqual([
      'enp3s0:none:netplan:/etc/netplan/01-bond.yaml',
      'enp4s0:none:netplan:/etc/netplan/01-bond.yaml',
      'bond0:dhcp:netplan:/etc/netplan/01-bond.yaml',
    ]);
  });

  it('names a matched interface by set-name', () => {
    const { value, problems } = parseNetplan(fixture('netplan/matsuu-isucon11q-50-cloud-init.yaml'));
    expect(problems).toEqual([]);
    expect(value[0]).toMatchObject({ id: 'ens5', setName: 'ens5', matchMac: '0a:ba:2e:a0:d9:b7', dhcp4: true });
    expect(netplanIpConfig(value, [])).toEqual([{ interface: 'ens5', method: 'dhcp', source: 'netplan' }]);
  });

  it('reports a file that is not YAML and still reads the others (synthetic)', () => {
    const text = [
      '/etc/netplan/00-broken.yaml:network:',
      '/etc/netplan/00-broken.yaml:  ethernets: [unclosed',
      asProbeOutput('/etc/netplan/50-cloud-init.yaml', fixture('netplan/matsuu-isucon11q-50-cloud-init.yaml')),
    ].join('\n');
    const { value, problems } = parseNetplan(text);
    expect(value.map((d) => d.id)).toEqual(['ens5']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^netplan: \/etc\/netplan\/00-broken\.yaml is not valid YAML \(.+\); it was skipped$/);
  });

  it('merges files in order and resolves match-by-MAC against the host (synthetic)', () => {
    const text = [
      '/etc/netplan/01-a.yaml:network:',
      '/etc/netplan/01-a.yaml:  ethernets:',
      '/etc/netplan/01-a.yaml:    mgmt:',
      '/etc/netplan/01-a.yaml:      match: {macaddress: "52:54:00:12:34:56"}',
      '/etc/netplan/01-a.yaml:      dhcp4: true',
      '/etc/netplan/02-b.yaml:network:',
      '/etc/netplan/02-b.yaml:  ethernets:',
      '/etc/netplan/02-b.yaml:    mgmt:',
      '/etc/netplan/02-b.yaml:      dhcp4: no',
      '/etc/netplan/02-b.yaml:      addresses: [192.0.2.10/24]',
      '/etc/netplan/02-b.yaml:      routes: [{to: default, via: 192.0.2.1}]',
    ].join('\n');
    const { value, problems } = parseNetplan(text);
    expect(problems).toEqual([]);
    expect(netplanIpConfig(value, [{ name: 'eth0', mac: '52:54:00:12:34:56' }, { name: 'eth1', mac: '52:54:00:00:00:01' }])).toEqual([
      { interface: 'eth0', method: 'static', source: 'netplan:/etc/netplan/02-b.yaml', address: '192.0.2.10/24', gateway: '192.0.2.1' },
    ]);
  });
});

describe('selectInterfaces', () => {
  const known = [{ name: 'eth0', mac: 'aa:bb:cc:dd:ee:01' }, { name: 'eth1', mac: 'aa:bb:cc:dd:ee:02' }, { name: 'enp3s0' }];
  it('keeps literal names, expands globs, and needs both name and MAC when both are given', () => {
    expect(selectInterfaces({ names: ['bond0'] }, known)).toEqual(['bond0']);
    expect(selectInterfaces({ names: ['eth*'] }, known)).toEqual(['eth0', 'eth1']);
    expect(selectInterfaces({ names: ['en[ps]3s?'] }, known)).toEqual(['enp3s0']);
    expect(selectInterfaces({ macs: ['AA:BB:CC:DD:EE:02'] }, known)).toEqual(['eth1']);
    expect(selectInterfaces({ names: ['eth0'], macs: ['aa:bb:cc:dd:ee:02'] }, known)).toEqual([]);
    expect(selectInterfaces({ names: ['[z-a]*'] }, known)).toEqual([]);
  });
  it('turns globs into anchored expressions', () => {
    expect(globToRegExp('eth[!0]').test('eth1')).toBe(true);
    expect(globToRegExp('eth[!0]').test('eth0')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('configuration parsers never throw', () => {
  const parsers = {
    debian: (s: string) => debianIpConfig(parseDebianInterfaces(s).value),
    networkManager: (s: string) => networkManagerIpConfig(parseNetworkManager(s).value),
    networkd: (s: string) => networkdIpConfig(parseNetworkd(s).value, [{ name: 'eth0', mac: '00:11:22:33:44:55' }]),
    netplan: (s: string) => netplanIpConfig(parseNetplan(s).value, [{ name: 'eth0', mac: '00:11:22:33:44:55' }]),
  };
  const lines = fc.constantFrom(
    'iface eth0 inet static',
    'iface',
    'address 10.0.0.1',
    'netmask 255.255.0',
    'mapping eth0',
    '/etc/network/interfaces:auto eth0',
    '[connection]',
    '[ipv4]',
    'interface-name=eth0',
    'method=manual',
    'address1=10.0.0.1/24,10.0.0.254',
    'addresses1=;;;',
    '=',
    '[Match]',
    'Name=en* !eth0',
    'Name=[',
    'MACAddress=00:11:22:33:44:55',
    '[Network]',
    'DHCP=yes',
    'Address=',
    '[Route]',
    'Gateway=10.0.0.1',
    '/etc/netplan/a.yaml:network:',
    '/etc/netplan/a.yaml:  ethernets:',
    '/etc/netplan/a.yaml:    eth0: {dhcp4: yes, addresses: [{10.0.0.1/24: {}}]}',
    '/etc/netplan/a.yaml:    x: &a [*a]',
    'network: {ethernets: {e: {match: {name: "e[z-a]"}}}}',
    'network: 5',
    '  bonds:',
    '    - x',
  );
  for (const [name, run] of Object.entries(parsers)) {
    it(`${name}: on arbitrary strings and on format-like lines`, () => {
      fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => void run(s)));
      fc.assert(fc.property(fc.array(fc.oneof(lines, fc.string({ maxLength: 30 })), { maxLength: 30 }), (parts) => void run(parts.join('\n'))));
    });
  }
});
