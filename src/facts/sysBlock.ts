import { parsed, type ParseResult } from './parseResult.js';
import type { DiskFacts } from './schema.js';
import { parseUint, quoteLine, splitLines } from './textLines.js';

const SECTOR_BYTES = 512;

/** Block devices that are never local disks, by kernel name. */
const NOT_A_DISK = /^(loop|ram|zram|sr|scd|fd|dm-|md|nbd)/;

/**
 * The bus a block device hangs off, read from its sysfs device link. A full path (as from
 * `readlink -f`) names the bus in a path segment. `ls -ld /sys/block/X/device` prints a relative
 * link, which is enough for virtio ("../../../virtio1"), NVMe ("../../nvme0"), MMC and Xen blkfront
 * ("../../../vbd-51712"); SATA, SAS and USB disks all show a SCSI address ("../../../0:0:0:0")
 * there, so they read as "scsi" (USB sticks are still caught by their removable flag).
 */
export function busFromDeviceLink(target: string): string | undefined {
  const segments = target.split('/');
  const has = (re: RegExp) => segments.some((s) => re.test(s));
  if (has(/^usb\d*$/) || has(/^\d+-\d+(?:\.\d+)*(?::\d+\.\d+)?$/)) return 'usb';
  if (has(/^ata\d+$/)) return 'ata';
  if (has(/^virtio\d+$/)) return 'virtio';
  if (has(/^nvme\d+$/) || has(/^nvme-subsys\d+$/)) return 'nvme';
  if (has(/^mmc\d+(?::[0-9a-f]+)?$/)) return 'mmc';
  if (has(/^vbd-\d+$/)) return 'xen';
  if (has(/^host\d+$/) || has(/^target\d+:\d+:\d+$/) || has(/^\d+:\d+:\d+:\d+$/)) return 'scsi';
  return undefined;
}

interface Raw {
  size?: number;
  removable?: boolean;
  ro?: boolean;
  rotational?: boolean;
  model?: string;
  vendor?: string;
  link?: string;
}

/**
 * Parses the `sys.block` probe: `grep -H` lines "sda/size:976773168" (512-byte sectors),
 * "sda/removable:0", "sda/ro:0", "sda/queue/rotational:1", "sda/device/model:ST1000DM003",
 * "sda/device/vendor:ATA     ", then `ls -ld` lines of the device links, ending in "sda/device -> TARGET".
 * Every block device is returned; `local` marks the locally attached disks.
 */
export function parseSysBlock(text: string): ParseResult<DiskFacts[]> {
  const problems: string[] = [];
  const byName = new Map<string, Raw>();
  const entry = (name: string) => {
    let r = byName.get(name);
    if (!r) {
      r = {};
      byName.set(name, r);
    }
    return r;
  };
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^([^\s/:]+)\/([a-z_/]+):(.*)$/.exec(line);
    if (!m) {
      const link = /(?:^|\s)([^\s/]+)(?:\/device)? -> (\S.*)$/.exec(line);
      if (link) entry(link[1] as string).link = (link[2] as string).trim();
      else problems.push(`line ${i + 1}: not "dev/attribute:value" or a device link: ${quoteLine(line)}`);
      return;
    }
    const r = entry(m[1] as string);
    const attr = m[2] as string;
    const raw = m[3] as string;
    const flag = () => {
      const n = parseUint(raw);
      if (n === undefined) problems.push(`line ${i + 1}: ${attr} is not a number: ${quoteLine(line)}`);
      return n === undefined ? undefined : n !== 0;
    };
    if (attr === 'size') {
      const n = parseUint(raw);
      if (n === undefined) problems.push(`line ${i + 1}: size is not a number: ${quoteLine(line)}`);
      else r.size = n * SECTOR_BYTES;
    } else if (attr === 'removable') setFlag(r, 'removable', flag());
    else if (attr === 'ro') setFlag(r, 'ro', flag());
    else if (attr === 'queue/rotational') setFlag(r, 'rotational', flag());
    else if (attr === 'device/model') r.model = raw.trim();
    else if (attr === 'device/vendor') r.vendor = raw.trim();
  });

  const disks: DiskFacts[] = [];
  for (const [name, r] of byName) {
    if (r.size === undefined) {
      // A device link or model without a size line is not enough to call it a disk.
      problems.push(`${name}: no size`);
      continue;
    }
    const bus = r.link !== undefined ? busFromDeviceLink(r.link) : undefined;
    const disk: DiskFacts = {
      name,
      sizeBytes: r.size,
      // Empty card readers and optical drives without media have size 0: nothing to install on.
      local: !NOT_A_DISK.test(name) && r.removable !== true && bus !== 'usb' && r.size > 0,
    };
    if (r.removable !== undefined) disk.removable = r.removable;
    if (r.rotational !== undefined) disk.rotational = r.rotational;
    if (r.ro !== undefined) disk.readOnly = r.ro;
    if (r.model) disk.model = r.model;
    if (r.vendor) disk.vendor = r.vendor;
    if (bus !== undefined) disk.bus = bus;
    disks.push(disk);
  }
  return parsed(disks, problems);
}

function setFlag(r: Raw, key: 'removable' | 'ro' | 'rotational', v: boolean | undefined): void {
  if (v !== undefined) r[key] = v;
}
