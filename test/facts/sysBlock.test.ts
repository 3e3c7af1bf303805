import { describe, expect, it } from 'vitest';
import { busFromDeviceLink, parseSysBlock } from '../../src/facts/sysBlock.js';
import { fixture } from './support.js';

describe('parseSysBlock', () => {
  it('the preflight VM: one 256 GiB virtio disk is local; loop and zram devices are not', () => {
    const { value, problems } = parseSysBlock(fixture('disk/preflight-vm-sys-block.txt'));
    expect(problems).toEqual([]);
    const vda = value.find((d) => d.name === 'vda');
    expect(vda).toEqual({ name: 'vda', sizeBytes: 536870912 * 512, local: true, removable: false, rotational: true, readOnly: false, vendor: '0x1af4', bus: 'virtio' });
    expect(value.filter((d) => d.local).map((d) => d.name)).toEqual(['vda']);
    expect(value.find((d) => d.name === 'loop0')).toMatchObject({ sizeBytes: 0, local: false });
    expect(value.find((d) => d.name === 'zram0')?.local).toBe(false);
  });

  it('(synthetic) a physical server: SATA disk, HP Smart Array volume, USB stick, empty DVD drive', () => {
    const text = [
      'sda/size:976773168',
      'cciss!c0d0/size:286677120',
      'sdb/size:15633408',
      'sr0/size:0',
      'sda/removable:0',
      'sdb/removable:1',
      'sr0/removable:1',
      'sda/queue/rotational:1',
      'sda/device/model:ST3500418AS     ',
      'sda/device/vendor:ATA     ',
      'lrwxrwxrwx 1 root root 0 Nov 25 10:00 sda/device -> ../../../0:0:0:0',
      'lrwxrwxrwx 1 root root 0 Nov 25 10:00 sdb/device -> /sys/devices/pci0000:00/0000:00:1d.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0',
    ].join('\n');
    const { value, problems } = parseSysBlock(text);
    expect(problems).toEqual([]);
    expect(value.find((d) => d.name === 'sda')).toMatchObject({ sizeBytes: 976773168 * 512, model: 'ST3500418AS', vendor: 'ATA', bus: 'scsi', local: true, rotational: true });
    expect(value.find((d) => d.name === 'cciss!c0d0')).toMatchObject({ sizeBytes: 286677120 * 512, local: true });
    expect(value.find((d) => d.name === 'sdb')).toMatchObject({ bus: 'usb', removable: true, local: false });
    expect(value.find((d) => d.name === 'sr0')).toMatchObject({ sizeBytes: 0, local: false });
  });

  it('(synthetic) a device with a model but no size is reported, not listed', () => {
    const { value, problems } = parseSysBlock('sdc/device/model:Virtual disk\n');
    expect(value).toEqual([]);
    expect(problems).toEqual(['sdc: no size']);
  });
});

describe('busFromDeviceLink', () => {
  it.each([
    ['../../../virtio1', 'virtio'],
    ['../../nvme0', 'nvme'],
    ['../../../vbd-51712', 'xen'],
    ['../../../0:0:0:0', 'scsi'],
    ['/sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0', 'ata'],
    ['nowhere', undefined],
  ])('%s -> %s', (link, bus) => {
    expect(busFromDeviceLink(link)).toBe(bus);
  });
});
