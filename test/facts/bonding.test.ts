import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBonding } from '../../src/facts/bonding.js';
import { fixture } from './support.js';

/** The probe prints every line of /proc/net/bonding/NAME prefixed with the file name (grep -H ""). */
function asProbeOutput(file: string, text: string): string {
  return text
    .split('\n')
    .map((line) => `${file}:${line}`)
    .join('\n');
}

describe('parseBonding on real captures', () => {
  it('reads a round-robin bond pasted plainly (name unknown)', () => {
    const { value, problems } = parseBonding(fixture('bonding/insights-bondinfo-1-round-robin.txt'));
    expect(problems).toEqual([]);
    expect(value).toEqual([
      {
        mode: 'balance-rr',
        modeDescription: 'load balancing (round-robin)',
        miiStatus: 'up',
        slaves: [
          { name: 'eno1', miiStatus: 'up', speedMbps: 1000, duplex: 'full', linkFailureCount: 0, permanentMac: '2c:44:fd:80:5c:f8' },
          { name: 'eno2', miiStatus: 'up', speedMbps: 1000, duplex: 'full', linkFailureCount: 0, permanentMac: '2c:44:fd:80:5c:f9' },
        ],
      },
    ]);
  });

  it('reads an active-backup bond with its active slave, as the probe prints it', () => {
    const text = asProbeOutput('/proc/net/bonding/bond0', fixture('bonding/insights-bondinfo-mode-5-active-backup.txt'));
    const { value, problems } = parseBonding(text);
    expect(problems).toEqual([]);
    expect(value).toHaveLength(1);
    expect(value[0]).toMatchObject({ name: 'bond0', mode: 'active-backup', activeSlave: 'enp17s0f0', miiStatus: 'up' });
    expect(value[0]!.primarySlave).toBeUndefined();
    expect(value[0]!.slaves.map((s) => [s.name, s.speedMbps])).toEqual([
      ['enp17s0f0', 10000],
      ['enp17s0f1', 10000],
    ]);
  });

  it('keeps two bonds of one probe output apart', () => {
    const text = [
      asProbeOutput('/proc/net/bonding/bond0', fixture('bonding/insights-bondinfo-1-round-robin.txt')),
      asProbeOutput('/proc/net/bonding/bond1', fixture('bonding/insights-bondinfo-mode-5-active-backup.txt')),
    ].join('\n');
    const { value } = parseBonding(text);
    expect(value.map((b) => [b.name, b.mode, b.slaves.length])).toEqual([
      ['bond0', 'balance-rr', 2],
      ['bond1', 'active-backup', 2],
    ]);
  });
});

describe('parseBonding edge cases (synthetic)', () => {
  it('reads 802.3ad, skips the indented LACP details and takes "Unknown" speed as null', () => {
    const text = [
      'Bonding Mode: IEEE 802.3ad Dynamic link aggregation',
      'MII Status: up',
      '',
      '802.3ad info',
      'Active Aggregator Info:',
      '\tAggregator ID: 1',
      '',
      'Slave Interface: eth0',
      'MII Status: down',
      'Speed: Unknown',
      'Duplex: Unknown',
      'details actor lacp pdu:',
      '    system priority: 65535',
    ].join('\n');
    const [bond] = parseBonding(text).value;
    expect(bond).toEqual({ mode: '802.3ad', modeDescription: 'IEEE 802.3ad Dynamic link aggregation', miiStatus: 'up', slaves: [{ name: 'eth0', miiStatus: 'down', speedMbps: null }] });
  });

  it('reports a mode it does not know', () => {
    const { value, problems } = parseBonding('/proc/net/bonding/bond0:Bonding Mode: reverse proximity hash combination mode\n');
    expect(value[0]).toEqual({ name: 'bond0', modeDescription: 'reverse proximity hash combination mode', slaves: [] });
    expect(problems).toEqual(['net.bonding: bonding mode of bond0 not recognised: "reverse proximity hash combination mode"']);
  });

  it('takes the first word of "Primary Slave"', () => {
    const [bond] = parseBonding('Bonding Mode: fault-tolerance (active-backup)\nPrimary Slave: em3 (primary_reselect failure)\n').value;
    expect(bond!.primarySlave).toBe('em3');
  });
});

describe('parseBonding never throws', () => {
  const lines = fc.constantFrom(
    '/proc/net/bonding/bond0:Bonding Mode: fault-tolerance (active-backup)',
    '/proc/net/bonding/bond0:Slave Interface: eth0',
    '/proc/net/bonding/bond0:Slave Interface:',
    '/proc/net/bonding/bond0:Speed: 1000 Mbps',
    '/proc/net/bonding/bond0:Speed: lots',
    '/proc/net/bonding/bond1:',
    'Bonding Mode: x',
    'Permanent HW addr: zz',
    ':',
  );
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => void parseBonding(s)));
  });
  it('on text made of bonding-like lines and noise', () => {
    fc.assert(fc.property(fc.array(fc.oneof(lines, fc.string({ maxLength: 30 })), { maxLength: 40 }), (parts) => void parseBonding(parts.join('\n'))));
  });
});
