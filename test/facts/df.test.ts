import { describe, expect, it } from 'vitest';
import { parseDf } from '../../src/facts/df.js';
import { fixture } from './support.js';

const KiB = 1024;

describe('parseDf', () => {
  it('df -P -T (glpi): types, 1024-blocks, mount points', () => {
    const { value, problems } = parseDf(fixture('disk/glpi-df-PT-linux.txt'));
    expect(problems).toEqual([]);
    expect(value).toHaveLength(3);
    expect(value[0]).toEqual({ source: '/dev/sda5', fstype: 'ext4', sizeBytes: 12396968 * KiB, usedBytes: 5081936 * KiB, availableBytes: 6685288 * KiB, mountpoint: '/' });
    expect(value.map((f) => f.fstype)).toEqual(['ext4', 'fuseblk', 'crypt']);
    expect(value[1]?.mountpoint).toBe('/media/windows');
  });

  it('plain df (jc, CentOS 7.7): no Type column, "1K-blocks" header, LVM root', () => {
    const { value, problems } = parseDf(fixture('disk/jc-df-centos77.txt'));
    expect(problems).toEqual([]);
    expect(value).toHaveLength(7);
    const root = value.find((f) => f.mountpoint === '/');
    expect(root).toEqual({ source: '/dev/mapper/centos-root', sizeBytes: 17811456 * KiB, usedBytes: 1805580 * KiB, availableBytes: 16005876 * KiB, mountpoint: '/' });
    expect(root?.fstype).toBeUndefined();
  });

  it('the preflight VM, exactly as the probe runs it (df -P -k -T)', () => {
    const { value, problems } = parseDf(fixture('disk/preflight-vm-df.txt'));
    expect(problems).toEqual([]);
    expect(value.find((f) => f.mountpoint === '/')).toEqual({
      source: '/dev/vda',
      fstype: 'ext4',
      sizeBytes: 264212084 * KiB,
      usedBytes: 23330276 * KiB,
      availableBytes: 83060636 * KiB,
      mountpoint: '/',
    });
  });

  it('(synthetic) a mount point with spaces and a wrapped long source (df without -P)', () => {
    const text = [
      'Filesystem     Type 1024-blocks  Used Available Capacity Mounted on',
      '/dev/sdb1      vfat     1000    10       990       1% /media/USB STICK',
      '/dev/mapper/VolGroup00-LogVol00',
      '               ext3  4031680 1843388  1980196      49% /',
    ].join('\n');
    const { value, problems } = parseDf(text);
    expect(problems).toEqual([]);
    expect(value.map((f) => [f.source, f.mountpoint, f.sizeBytes])).toEqual([
      ['/dev/sdb1', '/media/USB STICK', 1000 * KiB],
      ['/dev/mapper/VolGroup00-LogVol00', '/', 4031680 * KiB],
    ]);
  });
});
