import { parsed, type ParseResult } from './parseResult.js';
import type { NicFacts } from './schema.js';
import { parseUint, quoteLine, splitLines } from './textLines.js';

/**
 * Parser for probe `sys.net`: `grep -s -H .` over /sys/class/net/<iface>/<attribute> (run from
 * /sys/class/net, so lines read `eth0/carrier:1`), followed by `ls -ld` of the `device`, `master`
 * and `brport` links. sysfs is the authority for link state: it needs no extra tool and is the same
 * on a XenServer 5.5 Dom0 and a current distribution.
 */

export type NicKind = NicFacts['kind'];

export interface SysNetInterface {
  name: string;
  mac?: string;
  operstate?: string;
  /** null when the carrier file could not be read: the kernel refuses while the interface is down. */
  carrier: boolean | null;
  /** null when the driver reports no speed (-1, or the file is missing or unreadable). */
  speedMbps: number | null;
  duplex?: string;
  mtu?: number;
  /** ARPHRD type: 1 ethernet, 772 loopback. */
  type?: number;
  flags?: number;
  /** IFF_UP (0x1) from `flags`: the interface is administratively up. */
  adminUp?: boolean;
  ifindex?: number;
  iflink?: number;
  /** DEVTYPE from the interface's uevent: bridge, bond, vlan, wlan, ... */
  devtype?: string;
  driver?: string;
  /** vendor:device in lower case, e.g. 8086:10d3. */
  pciId?: string;
  pciSlot?: string;
  /** There is a `device` link: the interface is backed by a bus device (PCI, virtio, Xen vif, ...). */
  hasDevice: boolean;
  /** Where the `device` link points, e.g. ../../../0000:02:00.0. */
  deviceTarget?: string;
  master?: string;
  /** There is a `brport` directory: the interface is a bridge port. */
  bridgePort: boolean;
  bondSlaves?: string[];
  /** The first word of bonding/mode, e.g. active-backup (the file reads "active-backup 1"). */
  bondMode?: string;
  physPortName?: string;
  carrierChanges?: number;
  kind: NicKind;
}

/** Drivers that bind a `device` link to something that is not a NIC in the box. */
const VIRTUAL_DRIVER = /^(vif|vif-.*|veth|tun|tap|netback|xen-netback|vhost.*)$/;
/** Names of software interfaces, for when the driver is unknown. */
const VIRTUAL_NAME = /^(veth|vif|tap|tun|ifb|dummy|docker|ovs-system|vnet|virbr\d+-nic|macvtap|gre|gretap|erspan|ip6?tnl|sit|ip_vti|ip6_vti|ip6gre|teql|nlmon|wg)/;
/** A PCI address, as found in PCI_SLOT_NAME, a device link target or ethtool's bus-info. */
export const PCI_ADDRESS = /\b([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])\b/i;
/** Drivers print SPEED_UNKNOWN as -1; some old ones print 65535 or the unsigned form of -1. */
const UNKNOWN_SPEEDS = new Set([65535, 4294967295]);

const LINK_LINE = /(?:^|\s)([^\s/]+)\/(device|master|brport)(?:\s+->\s+(\S.*))?$/;

interface Draft extends Omit<SysNetInterface, 'kind' | 'carrier' | 'speedMbps'> {
  carrierText?: string;
  speedText?: string;
  bondingSeen: boolean;
}

export function parseSysNet(text: string): ParseResult<SysNetInterface[]> {
  const problems: string[] = [];
  const drafts = new Map<string, Draft>();
  const draft = (name: string): Draft => {
    let d = drafts.get(name);
    if (!d) {
      d = { name, hasDevice: false, bridgePort: false, bondingSeen: false };
      drafts.set(name, d);
    }
    return d;
  };
  const complain = (message: string) => {
    if (problems.length < 20) problems.push(message);
  };

  for (const line of splitLines(text)) {
    if (line.trim() === '') continue;
    const link = /^[dlrwxst-]{10}/.test(line) ? LINK_LINE.exec(line) : null;
    if (link) {
      const [, name, what, target] = link;
      const d = draft(name!);
      if (what === 'device') {
        d.hasDevice = true;
        if (target) d.deviceTarget = target.trim();
      } else if (what === 'master') {
        const m = target ? /([^/\s]+)\s*$/.exec(target) : null;
        if (m) d.master = m[1];
      } else d.bridgePort = true;
      continue;
    }
    const colon = line.indexOf(':');
    const path = colon > 0 ? line.slice(0, colon) : '';
    const value = colon > 0 ? line.slice(colon + 1).trim() : '';
    const slash = path.indexOf('/');
    if (slash <= 0) {
      complain(`sys.net: unexpected line ${quoteLine(line)}`);
      continue;
    }
    const name = path.slice(0, slash);
    const attr = path.slice(slash + 1);
    if (/\s/.test(name)) {
      complain(`sys.net: unexpected line ${quoteLine(line)}`);
      continue;
    }
    const d = draft(name);
    switch (attr) {
      case 'address':
        d.mac = value.toLowerCase();
        break;
      case 'operstate':
        d.operstate = value;
        break;
      case 'carrier':
        d.carrierText = value;
        break;
      case 'speed':
        d.speedText = value;
        break;
      case 'duplex':
        d.duplex = value;
        break;
      case 'mtu':
        d.mtu = parseUint(value);
        break;
      case 'type':
        d.type = parseUint(value);
        break;
      case 'flags': {
        const flags = /^0x[0-9a-f]+$/i.test(value) ? Number.parseInt(value.slice(2), 16) : undefined;
        if (flags === undefined || !Number.isSafeInteger(flags)) complain(`sys.net: ${name}/flags is not a hex number: ${quoteLine(value)}`);
        else {
          d.flags = flags;
          d.adminUp = (flags & 0x1) === 0x1;
        }
        break;
      }
      case 'ifindex':
        d.ifindex = parseUint(value);
        break;
      case 'iflink':
        d.iflink = parseUint(value);
        break;
      case 'uevent': {
        const kv = splitKeyValue(value);
        if (kv?.[0] === 'DEVTYPE') d.devtype = kv[1];
        break;
      }
      case 'device/uevent': {
        const kv = splitKeyValue(value);
        if (!kv) break;
        if (kv[0] === 'DRIVER') d.driver = kv[1];
        else if (kv[0] === 'PCI_ID') d.pciId = kv[1].toLowerCase();
        else if (kv[0] === 'PCI_SLOT_NAME') d.pciSlot = kv[1].toLowerCase();
        break;
      }
      case 'bonding/slaves':
        d.bondingSeen = true;
        d.bondSlaves = value.split(/\s+/).filter((s) => s !== '');
        break;
      case 'bonding/mode':
        d.bondingSeen = true;
        d.bondMode = value.split(/\s+/)[0] || undefined;
        break;
      case 'phys_port_name':
        d.physPortName = value;
        break;
      case 'carrier_changes':
        d.carrierChanges = parseUint(value);
        break;
      default:
        // Attributes a newer probe may add: ignore rather than complain.
        break;
    }
  }

  const out: SysNetInterface[] = [];
  for (const d of drafts.values()) {
    const { carrierText, speedText, bondingSeen, ...rest } = d;
    let carrier: boolean | null = null;
    if (carrierText === '1') carrier = true;
    else if (carrierText === '0') carrier = false;
    else if (carrierText !== undefined) complain(`sys.net: ${d.name}/carrier is neither 0 nor 1: ${quoteLine(carrierText)}`);
    let speedMbps: number | null = null;
    if (speedText !== undefined && !/^-\d+$/.test(speedText)) {
      const n = parseUint(speedText);
      if (n === undefined) complain(`sys.net: ${d.name}/speed is not a number: ${quoteLine(speedText)}`);
      else if (n > 0 && !UNKNOWN_SPEEDS.has(n)) speedMbps = n;
    }
    if (!rest.pciSlot && rest.deviceTarget) {
      const m = PCI_ADDRESS.exec(rest.deviceTarget);
      if (m) rest.pciSlot = m[1]!.toLowerCase();
    }
    const iface: SysNetInterface = { ...rest, carrier, speedMbps, kind: 'virtual' };
    iface.kind = classifyNic(iface, bondingSeen);
    out.push(dropUndefined(iface));
  }
  return parsed(out, problems);
}

/**
 * What an interface is. Order matters: a bond or bridge is never "physical" even when it has a
 * driver, and a NIC is physical only when a bus device backs it with a real (non-virtual) driver.
 */
export function classifyNic(i: Pick<SysNetInterface, 'name' | 'type' | 'devtype' | 'driver' | 'hasDevice'>, bonding = false): NicKind {
  if (i.type === 772 || i.name === 'lo') return 'loopback';
  if (bonding || i.devtype === 'bond') return 'bond';
  if (i.devtype === 'bridge' || /^(xenbr|virbr)\d/.test(i.name)) return 'bridge';
  if (i.devtype === 'vlan' || (!i.hasDevice && i.name.includes('.'))) return 'vlan';
  if (i.hasDevice && !(i.driver && VIRTUAL_DRIVER.test(i.driver)) && !VIRTUAL_NAME.test(i.name)) return 'physical';
  return 'virtual';
}

function splitKeyValue(s: string): [string, string] | undefined {
  const eq = s.indexOf('=');
  return eq > 0 ? [s.slice(0, eq), s.slice(eq + 1)] : undefined;
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
