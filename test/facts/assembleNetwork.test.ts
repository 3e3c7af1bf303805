import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/collect/evidence.js';
import { assembleNetwork } from '../../src/facts/assemble/network.js';
import { HostFacts, IpConfigFacts, NicFacts, RouteFacts, type XenServerFacts } from '../../src/facts/schema.js';
import { absent, evidence, evidenceSet, fixture } from './support.js';

/** The network part must fit HostFacts as buildHostFacts passes it on. */
function expectValid(network: ReturnType<typeof assembleNetwork>): void {
  const shape = HostFacts.pick({ nics: true, routes: true, ipConfig: true, dhcpClients: true, dns: true, problems: true });
  expect(() => shape.parse(network)).not.toThrow();
  for (const [key, value] of Object.entries(network)) expect(value, `${key} is present but undefined`).not.toBeUndefined();
}

const preflightVmHost = (): Record<string, Evidence> =>
  evidenceSet(
    evidence('sys.net', fixture('sys_net/preflight-vm-host.txt')),
    evidence('ip.addr', fixture('ip_json/preflight-vm-host-ip-j-addr.json')),
    evidence('ip.route', fixture('ip_route/preflight-vm-host.txt')),
    evidence('etc.resolv-conf', fixture('resolv_conf/preflight-vm-etc-resolv.conf')),
    evidence('ethtool', fixture('ethtool/preflight-vm-host-probe.txt')),
    evidence('proc.dhcp-clients', ''),
    absent('run.resolved-conf', '/run/systemd/resolve/resolv.conf: no such file'),
    absent('net.ifcfg', ''),
    absent('net.bonding', ''),
  );

describe('assembleNetwork on the preflight development VM', () => {
  const network = assembleNetwork(preflightVmHost(), undefined);

  it('merges sysfs, ip addr and ethtool into one NIC per interface, in ifindex order', () => {
    expect(network.problems).toEqual([]);
    expect(network.nics?.map((n) => `${n.name}:${n.kind}`)).toEqual(['lo:loopback', 'ifb0:virtual', 'ifb1:virtual', 'eth0:physical']);
  });

  it('gives eth0 its sysfs link state, its ethtool PCI slot and its ip addresses', () => {
    expect(network.nics?.find((n) => n.name === 'eth0')).toEqual({
      name: 'eth0',
      kind: 'physical',
      mac: '02:fc:00:00:00:01',
      driver: 'virtio_net',
      // sysfs links virtio2, not a PCI function: the slot comes from ethtool's bus-info.
      pciSlot: '0000:00:03.0',
      // sysfs says -1 and ethtool "Unknown!": the driver reports no speed.
      speedMbps: null,
      carrier: true,
      operstate: 'up',
      adminUp: true,
      mtu: 1400,
      addresses: [
        { family: 'inet', address: '192.0.2.2', prefixLength: 24, scope: 'global', label: 'eth0', dynamic: false },
        { family: 'inet6', address: 'fd00::2', prefixLength: 64, scope: 'global', dynamic: false },
        { family: 'inet6', address: 'fe80::fc:ff:fe00:1', prefixLength: 64, scope: 'link', dynamic: false },
      ],
    });
  });

  it('leaves the carrier of the downed ifb devices unreadable (null), not false', () => {
    expect(network.nics?.find((n) => n.name === 'ifb0')).toMatchObject({ carrier: null, adminUp: false, operstate: 'down', addresses: [] });
  });

  it('reads routes, DNS and an empty DHCP client list; no configuration source exists', () => {
    expect(network.routes).toEqual([
      { destination: 'default', gateway: '192.0.2.1', device: 'eth0' },
      { destination: '192.0.2.0/24', device: 'eth0', protocol: 'kernel' },
    ]);
    expect(network.dns).toEqual({ nameservers: ['10.255.255.53'], source: '/etc/resolv.conf' });
    expect(network.dhcpClients).toEqual([]);
    expect(network.ipConfig).toBeUndefined();
  });

  it('fits the HostFacts schema', () => expectValid(network));
});

describe('assembleNetwork on the preflight VM network-namespace lab', () => {
  const lab = (ipAddrFixture: string) =>
    assembleNetwork(
      evidenceSet(
        evidence('sys.net', fixture('sys_net/preflight-vm-netns-lab.txt')),
        evidence('ip.addr', fixture(ipAddrFixture)),
        evidence('ip.route', fixture('ip_route/preflight-vm-netns-lab.txt')),
      ),
      undefined,
    );

  it('keeps bridge membership, the bridge kind and the dynamic (leased) address', () => {
    const network = lab('ip_json/preflight-vm-netns-lab-ip-j-addr.json');
    expect(network.problems).toEqual([]);
    const byName = new Map(network.nics!.map((n) => [n.name, n]));
    expect(byName.get('br0')).toMatchObject({ kind: 'bridge', carrier: true, speedMbps: 10000 });
    expect(byName.get('veth1')).toMatchObject({ kind: 'virtual', master: 'br0', duplex: 'full' });
    expect(byName.get('veth2')).toMatchObject({ carrier: false, operstate: 'lowerlayerdown' });
    expect(byName.get('veth0')!.addresses.filter((a) => a.family === 'inet').map((a) => [a.address, a.dynamic])).toEqual([
      ['10.99.0.1', false],
      ['10.99.0.5', true],
    ]);
    expect(network.routes?.[0]).toEqual({ destination: 'default', gateway: '10.99.0.254', device: 'veth0', metric: 100 });
    expect(network.nics?.some((n) => n.kind === 'physical')).toBe(false);
    expectValid(network);
  });

  it('gives the same NICs from the text of `ip addr show` as from its JSON', () => {
    const fromJson = lab('ip_json/preflight-vm-netns-lab-ip-j-addr.json').nics!;
    const fromText = lab('ip_addr/preflight-vm-netns-lab-ip-addr.txt').nics!;
    // The text form prints no label on IPv6 lines and the JSON none either; both say dynamic for the lease.
    expect(fromText).toEqual(fromJson);
  });
});

describe('assembleNetwork on a XenServer-like Dom0 (synthetic PIFs, real ip addr capture)', () => {
  const xenserver: XenServerFacts = {
    installationUuid: 'host-a',
    pifs: [
      { uuid: 'p1', device: 'eth0', hostUuid: 'host-a', management: true, physical: true, ipConfigurationMode: 'Static', ip: '10.71.152.106', netmask: '255.255.248.0', gateway: '10.71.152.1', dns: ['10.71.0.2', '10.71.0.3'], vlan: -1 },
      { uuid: 'p2', device: 'eth1', hostUuid: 'host-a', physical: true, ipConfigurationMode: 'DHCP', vlan: -1 },
      { uuid: 'p3', device: 'eth0', hostUuid: 'host-a', ipConfigurationMode: 'DHCP', vlan: 57 },
      { uuid: 'p4', device: 'eth0', hostUuid: 'host-b', management: true, ipConfigurationMode: 'Static', ip: '10.71.152.107', netmask: '255.255.248.0' },
      { uuid: 'p5', device: 'eth4', hostUuid: 'host-a', physical: true, ipConfigurationMode: 'None', bondSlaveOf: 'bond-1' },
    ],
  };
  const network = assembleNetwork(
    evidenceSet(
      absent('sys.net', 'sys.net: failed'),
      evidence('ip.addr', fixture('ip_addr/xenapi-commit-dom0-xenbr0-static-forever.txt')),
      evidence('net.ifcfg', 'ifcfg-xenbr0:DEVICE=xenbr0\nifcfg-xenbr0:BOOTPROTO=none\nifcfg-xenbr0:IPADDR=10.71.152.106\nifcfg-xenbr0:NETMASK=255.255.248.0\n'),
    ),
    xenserver,
  );

  it('turns this host\'s untagged PIFs into configuration for the device and its xenbrN bridge', () => {
    expect(network.ipConfig).toEqual([
      { interface: 'eth0', method: 'static', source: 'xe:pif', address: '10.71.152.106/21', gateway: '10.71.152.1', dns: ['10.71.0.2', '10.71.0.3'] },
      { interface: 'xenbr0', method: 'static', source: 'xe:pif', address: '10.71.152.106/21', gateway: '10.71.152.1', dns: ['10.71.0.2', '10.71.0.3'] },
      { interface: 'eth1', method: 'dhcp', source: 'xe:pif' },
      { interface: 'xenbr1', method: 'dhcp', source: 'xe:pif' },
      { interface: 'eth4', method: 'none', source: 'xe:pif' },
      { interface: 'xenbr0', method: 'static', source: 'ifcfg:/etc/sysconfig/network-scripts/ifcfg-xenbr0', address: '10.71.152.106/21' },
    ]);
  });

  it('takes the NICs from ip addr alone and says their kind was inferred', () => {
    expect(network.nics).toEqual([
      {
        name: 'xenbr0',
        kind: 'bridge',
        mac: '18:a9:9b:23:e8:af',
        carrier: true,
        operstate: 'unknown',
        adminUp: true,
        mtu: 1500,
        addresses: [{ family: 'inet', address: '10.71.152.106', prefixLength: 21, scope: 'global', label: 'xenbr0', dynamic: false }],
      },
    ]);
    expect(network.problems).toEqual([
      { probe: 'sys.net', message: 'no interface was read from sysfs: the kind (physical, bridge, ...) of xenbr0 was inferred from "ip addr" and the interface names' },
    ]);
    expectValid(network);
  });
});

describe('assembleNetwork fills in from ip addr, ethtool and the bonding driver when sysfs is missing', () => {
  const bonding = [
    '/proc/net/bonding/bond0:Bonding Mode: fault-tolerance (active-backup)',
    '/proc/net/bonding/bond0:MII Status: down',
    '/proc/net/bonding/bond0:',
    '/proc/net/bonding/bond0:Slave Interface: eth0',
    '/proc/net/bonding/bond0:MII Status: down',
    '/proc/net/bonding/bond0:Speed: Unknown',
    '/proc/net/bonding/bond0:Permanent HW addr: f0:1f:af:0f:a4:0c',
  ].join('\n');
  const network = assembleNetwork(
    evidenceSet(evidence('ip.addr', fixture('ip_addr/glpi-ip-addr-eth0-nocarrier-bond0.txt')), evidence('net.bonding', bonding)),
    undefined,
  );
  const byName = new Map(network.nics!.map((n) => [n.name, n]));

  it('links the slave to its bond and reads NO-CARRIER on an up interface as no carrier', () => {
    expect(byName.get('bond0')).toMatchObject({ kind: 'bond', bondSlaves: ['eth0'], bondMode: 'active-backup', carrier: false });
    expect(byName.get('eth0')).toMatchObject({ kind: 'physical', master: 'bond0', carrier: false, speedMbps: null });
    expect(byName.get('wlan0')!.addresses.find((a) => a.address === '128.93.189.62')?.dynamic).toBe(true);
    // A bridge name is not a NIC name: without sysfs or ethtool it is not taken for a physical NIC.
    expect(byName.get('br0')!.kind).not.toBe('physical');
    expectValid(network);
  });
});

describe('assembleNetwork DNS', () => {
  it('replaces the systemd-resolved stub with the upstream servers of the same host', () => {
    const network = assembleNetwork(
      evidenceSet(
        evidence('etc.resolv-conf', fixture('resolv_conf/darclaw-lunar-stub-resolv.conf')),
        evidence('run.resolved-conf', fixture('resolv_conf/darclaw-lunar-run-resolved-resolv.conf')),
      ),
      undefined,
    );
    expect(network.dns).toEqual({
      nameservers: ['10.107.102.1'],
      source: '/run/systemd/resolve/resolv.conf (upstream servers of the stub 127.0.0.53 in /etc/resolv.conf)',
    });
    expect(network.nics).toBeUndefined();
    expectValid(network);
  });

  it('keeps the stub when the upstream file is missing, so the check can say so', () => {
    const network = assembleNetwork(
      evidenceSet(evidence('etc.resolv-conf', fixture('resolv_conf/darclaw-lunar-stub-resolv.conf')), absent('run.resolved-conf', 'no such file')),
      undefined,
    );
    expect(network.dns).toEqual({ nameservers: ['127.0.0.53'], source: '/etc/resolv.conf' });
  });

  it('ignores the upstream file when /etc/resolv.conf lists real servers', () => {
    const network = assembleNetwork(
      evidenceSet(
        evidence('etc.resolv-conf', fixture('resolv_conf/insights-resolvconf-puppet-search-options.txt')),
        evidence('run.resolved-conf', fixture('resolv_conf/dannis999-ubuntu2004-run-resolved-resolv.conf')),
      ),
      undefined,
    );
    expect(network.dns?.source).toBe('/etc/resolv.conf');
    expect(network.dns?.nameservers).toHaveLength(3);
  });
});

describe('assembleNetwork with nothing usable', () => {
  it('leaves every fact absent, and reports a truncated probe', () => {
    const network = assembleNetwork(evidenceSet(absent('sys.net'), absent('ip.addr'), evidence('ip.route', 'garbage line', { exitCode: 1 })), undefined);
    expect(network).toEqual({ problems: [] });
    const cut = assembleNetwork(evidenceSet(evidence('ip.route', 'default via 10.0.0.1 dev eth0\n10.0.0.0/2', { truncated: true })), undefined);
    expect(cut.problems.map((p) => p.probe)).toContain('ip.route');
  });

  it('never throws and always fits the schema, whatever the probes printed', () => {
    const ids = ['sys.net', 'ip.addr', 'ip.route', 'ethtool', 'net.bonding', 'etc.resolv-conf', 'run.resolved-conf', 'net.ifcfg', 'net.debian-interfaces', 'net.networkmanager', 'net.networkd', 'net.netplan', 'proc.dhcp-clients'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...ids), fc.string({ maxLength: 200 })), (outputs) => {
        const ev = evidenceSet(...Object.entries(outputs).map(([id, text]) => evidence(id, text)));
        const network = assembleNetwork(ev, { pifs: [{ uuid: 'u', device: 'eth0', ipConfigurationMode: 'weird', ip: '1.2.3.4', netmask: 'x' }] });
        for (const nic of network.nics ?? []) NicFacts.parse(nic);
        for (const r of network.routes ?? []) RouteFacts.parse(r);
        for (const c of network.ipConfig ?? []) IpConfigFacts.parse(c);
        expectValid(network);
      }),
      { numRuns: 200 },
    );
  });
});
