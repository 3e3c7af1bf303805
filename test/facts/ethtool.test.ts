import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEthtool } from '../../src/facts/ethtool.js';
import { fixture } from './support.js';

describe('parseEthtool on real captures', () => {
  it('reads the probe output of the preflight VM: virtio NIC with no speed, link up', () => {
    const { value, problems } = parseEthtool(fixture('ethtool/preflight-vm-host-probe.txt'));
    expect(problems).toEqual([]);
    expect(value).toEqual([
      {
        name: 'eth0',
        speedMbps: null,
        autoNegotiation: false,
        port: 'Other',
        linkDetected: true,
        driver: 'virtio_net',
        driverVersion: '1.0.0',
        busInfo: '0000:00:03.0',
        pciSlot: '0000:00:03.0',
      },
    ]);
  });

  it('reads a plain `ethtool enp0s3`: 1000 Mb/s full duplex, link detected', () => {
    const { value, problems } = parseEthtool(fixture('ethtool/jc-ethtool-enp0s3-1000-full-link-yes.txt'));
    expect(problems).toEqual([]);
    expect(value).toEqual([{ name: 'enp0s3', speedMbps: 1000, duplex: 'full', port: 'Twisted Pair', autoNegotiation: true, linkDetected: true }]);
  });

  it('reads a 40 Gb/s fibre NIC indented with spaces', () => {
    const [nic] = parseEthtool(fixture('ethtool/jc-ethtool-enp1s0-40g-fibre.txt')).value;
    expect(nic).toMatchObject({ name: 'enp1s0', speedMbps: 40000, duplex: 'full', autoNegotiation: false, port: 'FIBRE', linkDetected: true });
  });

  it('takes the negotiated speed, not the link partner\'s advertised modes', () => {
    const [nic] = parseEthtool(fixture('ethtool/jc-ethtool-eth0-100mb-link-partner.txt')).value;
    expect(nic).toMatchObject({ name: 'eth0', speedMbps: 100, duplex: 'full', linkDetected: true });
  });

  it('copes with message-level lines indented by spaces among tab-indented ones', () => {
    const { value, problems } = parseEthtool(fixture('ethtool/ethtool-upstream-commit-eth0-1000-mixed-indent.txt'));
    expect(problems).toEqual([]);
    expect(value).toEqual([{ name: 'eth0', speedMbps: 1000, duplex: 'full', autoNegotiation: true, port: 'Twisted Pair', linkDetected: true }]);
  });
});

describe('parseEthtool on probe sections (synthetic, in the probe\'s layout)', () => {
  it('keeps interfaces apart and reports one ethtool could not query', () => {
    const text = [
      '==> eth0 <==',
      'Settings for eth0:',
      '\tSpeed: 1000Mb/s',
      '\tDuplex: Full',
      '\tLink detected: yes',
      '--- driver',
      'driver: e1000e',
      'bus-info: 0000:02:00.0',
      '==> eth1 <==',
      'Cannot get device settings: No such device',
      '--- driver',
      'Cannot get driver information: No such device',
    ].join('\n');
    const { value, problems } = parseEthtool(text);
    expect(value).toEqual([
      { name: 'eth0', speedMbps: 1000, duplex: 'full', linkDetected: true, driver: 'e1000e', busInfo: '0000:02:00.0', pciSlot: '0000:02:00.0' },
      { name: 'eth1' },
    ]);
    expect(problems).toEqual(['ethtool: nothing readable for eth1: "Cannot get device settings: No such device"']);
  });

  it('treats the 65535 of old drivers as an unknown speed', () => {
    expect(parseEthtool('Settings for eth2:\n\tSpeed: 65535Mb/s\n\tDuplex: Unknown! (255)\n').value).toEqual([{ name: 'eth2', speedMbps: null }]);
  });

  it('reads a bare `ethtool -i` output', () => {
    expect(parseEthtool('driver: bnx2\nversion: 2.0.2\nfirmware-version: 5.0.11 NCSI 2.0.5\nbus-info: 0000:01:00.1\n').value).toEqual([
      { driver: 'bnx2', driverVersion: '2.0.2', firmwareVersion: '5.0.11 NCSI 2.0.5', busInfo: '0000:01:00.1', pciSlot: '0000:01:00.1' },
    ]);
  });

  it('complains about a speed it cannot read', () => {
    const { value, problems } = parseEthtool('Settings for eth0:\n\tSpeed: fast\n\tLink detected: no\n');
    expect(value).toEqual([{ name: 'eth0', linkDetected: false }]);
    expect(problems).toEqual(['ethtool: speed of eth0 not understood: "fast"']);
  });
});

describe('parseEthtool never throws', () => {
  const lines = fc.constantFrom(
    '==> eth0 <==',
    '==>  <==',
    '--- driver',
    'Settings for eth0:',
    'Settings for :',
    '\tSpeed: 1000Mb/s',
    '\tSpeed: Unknown!',
    '\tSpeed: 99999999999999999999Mb/s',
    '\tDuplex: Full',
    '\tLink detected: maybe',
    'driver: e1000',
    'bus-info: 0000:00:19.0',
    'bus-info:',
    ':',
    '',
  );

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const r = parseEthtool(s);
        expect(Array.isArray(r.value)).toBe(true);
      }),
    );
  });

  it('on text made of ethtool-like lines and noise', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(lines, fc.string({ maxLength: 30 })), { maxLength: 40 }), (parts) => {
        const r = parseEthtool(parts.join('\n'));
        expect(r.problems.length).toBeLessThanOrEqual(20);
      }),
    );
  });
});
