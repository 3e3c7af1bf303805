import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ifcfgIpConfig, parseIfcfg, shellWord } from '../../src/facts/ifcfg.js';
import { fixture } from './support.js';

/** The probe runs `grep -H "" ifcfg-*` inside /etc/sysconfig/network-scripts: relative names. */
function asProbeOutput(file: string, text: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `${file}:${line}`)
    .join('\n');
}

describe('parseIfcfg on real captures', () => {
  it('reads BOOTPROTO=none with IPADDR/PREFIX as static', () => {
    const { value, problems } = parseIfcfg(fixture('ifcfg/gwenlei-ifcfg-eth0-bootproto-none-static.txt'));
    expect(problems).toEqual([]);
    expect(value.interfaces).toEqual([
      { interface: 'eth0', bootproto: 'none', method: 'static', addresses: ['192.168.56.11/24'], dns: [], type: 'Ethernet', onBoot: true },
    ]);
  });

  it('reads the gateway', () => {
    const [iface] = parseIfcfg(fixture('ifcfg/gwenlei-ifcfg-eth1-bootproto-none-gateway.txt')).value.interfaces;
    expect(iface).toMatchObject({ interface: 'eth1', method: 'static', addresses: ['10.0.2.11/24'], gateway: '10.0.2.1' });
  });

  it('reads indexed IPADDR0/IPADDR1 with PREFIX0/PREFIX1', () => {
    const [iface] = parseIfcfg(fixture('ifcfg/gwenlei-ifcfg-eth3-ipaddr0-ipaddr1-mtu9000.txt')).value.interfaces;
    expect(iface).toMatchObject({ interface: 'eth3', method: 'static', addresses: ['10.10.100.11/24', '10.10.101.11/24'] });
  });

  it('reads a bond with NETMASK and a quoted BONDING_OPTS', () => {
    const { value, problems } = parseIfcfg(fixture('ifcfg/insights-ifcfg-bond0-static-bonding-opts.txt'));
    expect(problems).toEqual([]);
    expect(value.interfaces).toEqual([{ interface: 'bond0', bootproto: 'none', method: 'static', addresses: ['10.11.96.172/22'], dns: [], onBoot: true }]);
  });

  it('reads several files as the probe prints them, with their full paths', () => {
    const text = [
      asProbeOutput('ifcfg-eth0', fixture('ifcfg/gwenlei-ifcfg-eth0-bootproto-none-static.txt')),
      asProbeOutput('ifcfg-eth1', fixture('ifcfg/gwenlei-ifcfg-eth1-bootproto-none-gateway.txt')),
    ].join('\n');
    const { value, problems } = parseIfcfg(text);
    expect(problems).toEqual([]);
    expect(ifcfgIpConfig(value)).toEqual([
      { interface: 'eth0', method: 'static', source: 'ifcfg:/etc/sysconfig/network-scripts/ifcfg-eth0', address: '192.168.56.11/24' },
      { interface: 'eth1', method: 'static', source: 'ifcfg:/etc/sysconfig/network-scripts/ifcfg-eth1', address: '10.0.2.11/24', gateway: '10.0.2.1' },
    ]);
  });
});

describe('parseIfcfg edge cases (synthetic, in the probe\'s layout)', () => {
  it('reads a XenServer-style DHCP bridge and its port, alias files and the global gateway', () => {
    const text = [
      'ifcfg-eth0:DEVICE=eth0',
      'ifcfg-eth0:ONBOOT=yes',
      'ifcfg-eth0:BRIDGE=xenbr0',
      'ifcfg-xenbr0:XEMANAGED=yes',
      'ifcfg-xenbr0:DEVICE=xenbr0',
      'ifcfg-xenbr0:BOOTPROTO=dhcp',
      'ifcfg-xenbr0:PERSISTENT_DHCLIENT=yes',
      'ifcfg-eth1:1:IPADDR="192.168.7.10"',
      "ifcfg-eth1:1:NETMASK='255.255.255.0'",
      'ifcfg-eth1:1:',
      'ifcfg-eth1:1:# an alias',
      'ifcfg-eth2.bak:BOOTPROTO=dhcp',
      '/etc/sysconfig/network:NETWORKING=yes',
      '/etc/sysconfig/network:GATEWAY=192.168.7.1',
    ].join('\n');
    const { value, problems } = parseIfcfg(text);
    expect(problems).toEqual([]);
    expect(value.network).toEqual({ gateway: '192.168.7.1' });
    expect(ifcfgIpConfig(value)).toEqual([
      { interface: 'eth0', method: 'none', source: 'ifcfg:/etc/sysconfig/network-scripts/ifcfg-eth0' },
      { interface: 'xenbr0', method: 'dhcp', source: 'ifcfg:/etc/sysconfig/network-scripts/ifcfg-xenbr0' },
      // No DEVICE: the name comes from the file; the global gateway lies in its subnet.
      { interface: 'eth1:1', method: 'static', source: 'ifcfg:/etc/sysconfig/network-scripts/ifcfg-eth1:1', address: '192.168.7.10/24', gateway: '192.168.7.1' },
    ]);
    expect(value.interfaces[0]).toMatchObject({ bridge: 'xenbr0' });
  });

  it('applies GATEWAYDEV to the named device only', () => {
    const text = [
      'ifcfg-eth0:IPADDR=10.0.0.5',
      'ifcfg-eth0:PREFIX=24',
      'ifcfg-eth1:IPADDR=10.1.0.5',
      'ifcfg-eth1:PREFIX=24',
      '/etc/sysconfig/network:GATEWAY=10.9.9.9',
      '/etc/sysconfig/network:GATEWAYDEV=eth1',
    ].join('\n');
    const gateways = parseIfcfg(text).value.interfaces.map((i) => [i.interface, i.gateway]);
    expect(gateways).toEqual([
      ['eth0', undefined],
      ['eth1', '10.9.9.9'],
    ]);
  });

  it('reads DNS1..n in order, bond slaves and bootp', () => {
    const text = ['DEVICE=eth4', 'BOOTPROTO=bootp', 'DNS2=10.0.0.3', 'DNS1=10.0.0.2', 'MASTER=bond0', 'SLAVE=yes', 'DNS10=10.0.0.9'].join('\n');
    expect(parseIfcfg(text).value.interfaces).toEqual([
      { interface: 'eth4', bootproto: 'bootp', method: 'dhcp', addresses: [], dns: ['10.0.0.2', '10.0.0.3', '10.0.0.9'], master: 'bond0', slave: true },
    ]);
  });

  it('reports lines that are not assignments and a netmask it cannot read', () => {
    const { value, problems } = parseIfcfg('DEVICE=eth0\nIPADDR=10.0.0.1\nNETMASK=255.0.255.0\nthis is not shell\n');
    expect(value.interfaces[0]!.addresses).toEqual(['10.0.0.1']);
    expect(problems).toEqual(['net.ifcfg: line not understood in the file: "this is not shell"', 'net.ifcfg: prefix or netmask of eth0 not understood: "255.0.255.0"']);
  });

  it('removes shell quoting the way the initscripts see it', () => {
    expect(shellWord('"System eth0"')).toBe('System eth0');
    expect(shellWord("'a b'c")).toBe('a bc');
    expect(shellWord('dhcp # comment')).toBe('dhcp');
    expect(shellWord('"say \\"hi\\""')).toBe('say "hi"');
  });
});

describe('parseIfcfg never throws', () => {
  const lines = fc.constantFrom(
    'ifcfg-eth0:DEVICE=eth0',
    'ifcfg-eth0:1:IPADDR=10.0.0.1',
    'ifcfg-eth0:PREFIX=99',
    'ifcfg-eth0:NETMASK=255.255.255.0',
    'ifcfg-eth0:BOOTPROTO="dhcp',
    "ifcfg-eth0:NAME='unterminated",
    'ifcfg-eth0:DNS1=',
    '/etc/sysconfig/network:GATEWAY=10.0.0.1',
    '/etc/sysconfig/network:GATEWAYDEV=',
    'IPADDR0=1.2.3.4',
    'IPADDR99999999999999999999=1',
    '__proto__=x',
    'constructor=y',
  );
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => void ifcfgIpConfig(parseIfcfg(s).value)));
  });
  it('on text made of ifcfg-like lines and noise', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(lines, fc.string({ maxLength: 30 })), { maxLength: 40 }), (parts) => {
        const r = parseIfcfg(parts.join('\n'));
        ifcfgIpConfig(r.value);
        expect(r.problems.length).toBeLessThanOrEqual(20);
      }),
    );
  });
});
