import type { CheckCase } from '../caseTable.js';
import { absent, defaultRoute, failed, hostFacts, inet, ipConfig, linkedNic, nic, pif, xenserver } from '../hostFacts.js';

/** A XenServer 5.5 host: eth0 bridged by xenbr0, which holds the management address. */
function xenHost(mode: string | undefined, extra: { dynamic?: boolean; dhcpClients?: string[] } = {}) {
  return hostFacts({
    nics: [linkedNic('eth0', { master: 'xenbr0' }), nic('xenbr0', { kind: 'bridge', addresses: [inet('10.0.0.11', 24, { dynamic: extra.dynamic ?? false })] })],
    routes: [defaultRoute('10.0.0.1', 'xenbr0')],
    xenserver: xenserver({ managementInterface: 'xenbr0', pifs: [pif('eth0', { management: true, ip: '10.0.0.11', ...(mode ? { ipConfigurationMode: mode } : {}) })] }),
    ...(extra.dhcpClients ? { dhcpClients: extra.dhcpClients } : {}),
  });
}

/** A plain Linux host with its address on eth0. */
function linuxHost(over: { dynamic?: boolean; config?: ReturnType<typeof ipConfig>[]; dhcpClients?: string[] } = {}) {
  return hostFacts({
    nics: [linkedNic('eth0', { addresses: [inet('192.168.1.20', 24, { dynamic: over.dynamic ?? false })] }), linkedNic('eth1')],
    routes: [defaultRoute('192.168.1.1', 'eth0')],
    ...(over.config ? { ipConfig: over.config } : {}),
    ...(over.dhcpClients ? { dhcpClients: over.dhcpClients } : {}),
  });
}

export const cases: CheckCase[] = [
  {
    name: "pass: XenServer management PIF in Static mode, address on xenbr0",
    facts: xenHost('Static'),
    status: 'pass',
    observed: /management interface eth0 \(found from the XenServer PIF with management=true; address on xenbr0\): 10\.0\.0\.11\/24 permanent; the management PIF's IP configuration mode is Static/,
  },
  {
    name: 'fail: XenServer management PIF in DHCP mode',
    facts: xenHost('DHCP'),
    status: 'fail',
    observed: /the management PIF's IP configuration mode is DHCP/,
    message: /uses DHCP.*xe pif-reconfigure-ip uuid=PIF mode=static/,
  },
  {
    name: 'pass: ifcfg-eth0 with BOOTPROTO=none and IPADDR (CentOS)',
    facts: linuxHost({ config: [ipConfig('eth0', 'static', 'ifcfg:/etc/sysconfig/network-scripts/ifcfg-eth0', { address: '192.168.1.20' })], dhcpClients: [] }),
    status: 'pass',
    observed: /ifcfg:\/etc\/sysconfig\/network-scripts\/ifcfg-eth0 configures it static/,
  },
  {
    name: 'fail: ifcfg-eth0 with BOOTPROTO=dhcp',
    facts: linuxHost({ config: [ipConfig('eth0', 'dhcp', 'ifcfg:/etc/sysconfig/network-scripts/ifcfg-eth0')] }),
    status: 'fail',
    observed: /ifcfg-eth0 says DHCP for eth0/,
  },
  {
    // NetworkManager/networkd DHCP leases show up as dynamic addresses with a finite valid_lft.
    name: 'fail: the address is dynamic (valid_lft 86017sec) though no configuration was found',
    facts: linuxHost({ dynamic: true }),
    status: 'fail',
    observed: /192\.168\.1\.20\/24 on eth0 is dynamic \(it has a lease lifetime\)/,
  },
  {
    // CentOS 5's dhclient adds addresses without a lifetime: only the running client gives it away.
    name: 'fail: a permanent address, but dhclient runs for eth0 (old dhclient)',
    facts: linuxHost({ dhcpClients: ['/sbin/dhclient -1 -q -lf /var/lib/dhclient/dhclient-eth0.leases -pf /var/run/dhclient-eth0.pid eth0'] }),
    status: 'fail',
    observed: /a DHCP client runs for it: \/sbin\/dhclient .* eth0/,
  },
  {
    // PIF record without its mode (older xe output): the client on the bridge gives DHCP away.
    name: 'fail: a DHCP client for xenbr0 counts for the management NIC eth0 it bridges',
    facts: xenHost(undefined, { dhcpClients: ['dhclient -pf /var/run/dhclient-xenbr0.pid xenbr0'] }),
    status: 'fail',
    observed: /a DHCP client runs for it: dhclient .* xenbr0/,
  },
  {
    // NetworkManager's internal DHCP client is no process of its own and its address may look
    // permanent to old tools, but it marks the routes it installs (seen in the lab, `proto dhcp`).
    name: 'fail: the default route via eth0 was installed by DHCP',
    facts: hostFacts({ ...linuxHost({ dhcpClients: [] }), routes: [{ ...defaultRoute('192.168.1.1', 'eth0'), protocol: 'dhcp' }] }),
    status: 'fail',
    observed: /the default route via eth0 was installed by DHCP \(proto dhcp\)/,
  },
  {
    // A client for the VLAN eth0.100 or for eth1 says nothing about eth0.
    name: 'pass: DHCP clients for eth0.100 and eth1 do not count for eth0',
    facts: linuxHost({ dhcpClients: ['dhclient -v eth0.100', '/sbin/dhclient eth1'] }),
    status: 'pass',
    observed: /no DHCP client serves it/,
  },
  {
    name: 'pass: no configuration file, permanent address, no DHCP client running',
    facts: linuxHost({ dhcpClients: [] }),
    status: 'pass',
    message: /its address is permanent \(valid_lft forever\) and no DHCP client serves it/,
  },
  {
    name: 'pass: no configuration and the process list unreadable: says what it could not check',
    facts: hostFacts({ ...linuxHost(), probes: { 'proc.dhcp-clients': failed('ps: not installed') } }),
    status: 'pass',
    observed: /the running DHCP clients could not be listed \(ps failed: ps: not installed\)/,
    message: /ps -ef \| grep dhc/,
  },
  {
    name: 'error: the management interface has no IPv4 address',
    facts: hostFacts({ nics: [linkedNic('eth0')], routes: [defaultRoute('192.168.1.1', 'eth0')], dhcpClients: [] }),
    status: 'error',
    message: /Cannot judge the management address: eth0 has no IPv4 address/,
  },
  {
    // sysfs listed the NICs but `ip addr` failed: absence of addresses proves nothing.
    name: 'error: NICs from sysfs, but ip addr failed',
    facts: hostFacts({ nics: [linkedNic('eth0')], routes: [defaultRoute('192.168.1.1', 'eth0')], dhcpClients: [], probes: { 'ip.addr': failed('Cannot open netlink socket: Permission denied') } }),
    status: 'error',
    message: /the addresses could not be read \(ip failed: Cannot open netlink socket: Permission denied \(run as root\)\)/,
  },
  {
    name: 'error: addresses not known',
    facts: hostFacts({ probes: { 'ip.addr': absent('ip: not installed'), 'sys.net': absent() } }),
    status: 'error',
    observed: /addresses not known/,
    message: /ip: not installed/,
  },
];
