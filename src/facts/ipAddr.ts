import { parsed, type ParseResult } from './parseResult.js';
import type { AddressFacts } from './schema.js';
import { parseUint, quoteLine, splitLines } from './textLines.js';

/**
 * Parser for probe `ip.addr`: `ip -j addr show` where iproute2 knows JSON, the classic text of
 * `ip addr show` otherwise (XenServer 5.5/6.x Dom0). The format is told by the first non-space
 * character: `[` or `{` is JSON.
 */

export interface IpAddrInterface {
  name: string;
  ifindex?: number;
  /** The peer after `@` in `veth0@veth1` or `bond1.57@bond1` (JSON: `link`). */
  link?: string;
  /** Interface flags as printed: UP, LOWER_UP, NO-CARRIER, SLAVE, MASTER, ... */
  flags: string[];
  mtu?: number;
  master?: string;
  /** Operational state, e.g. UP, DOWN, UNKNOWN, LOWERLAYERDOWN. */
  state?: string;
  mac?: string;
  /** ether, loopback, none, ipip, ... */
  linkType?: string;
  addresses: AddressFacts[];
}

/** The kernel's "forever" lifetime (INFINITY_LIFE_TIME). */
const FOREVER = 4294967295;

export function parseIpAddr(text: string): ParseResult<IpAddrInterface[]> {
  const first = /\S/.exec(text)?.[0];
  if (first === '[' || first === '{') return parseIpAddrJson(text);
  return parseIpAddrText(text);
}

// --- JSON ------------------------------------------------------------------------------------

export function parseIpAddrJson(text: string): ParseResult<IpAddrInterface[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return parsed([], [`ip.addr: the JSON output could not be read (${e instanceof Error ? e.message : String(e)}); it may be truncated`]);
  }
  const items = Array.isArray(data) ? data : [data];
  const problems: string[] = [];
  const out: IpAddrInterface[] = [];
  for (const item of items) {
    if (!isRecord(item) || typeof item.ifname !== 'string' || item.ifname === '') {
      if (problems.length < 20) problems.push('ip.addr: a JSON entry has no interface name');
      continue;
    }
    const flags = Array.isArray(item.flags) ? item.flags.filter((f): f is string => typeof f === 'string') : [];
    const iface: IpAddrInterface = { name: item.ifname, flags, addresses: [] };
    if (typeof item.ifindex === 'number') iface.ifindex = item.ifindex;
    if (typeof item.link === 'string') iface.link = item.link;
    if (typeof item.mtu === 'number') iface.mtu = item.mtu;
    if (typeof item.master === 'string') iface.master = item.master;
    if (typeof item.operstate === 'string') iface.state = item.operstate;
    if (typeof item.address === 'string') iface.mac = item.address.toLowerCase();
    if (typeof item.link_type === 'string') iface.linkType = item.link_type;
    const infos = Array.isArray(item.addr_info) ? item.addr_info : [];
    for (const info of infos) {
      if (!isRecord(info)) continue;
      const family = info.family;
      if (family !== 'inet' && family !== 'inet6') continue;
      if (typeof info.local !== 'string' || typeof info.prefixlen !== 'number' || !Number.isInteger(info.prefixlen)) {
        if (problems.length < 20) problems.push(`ip.addr: an address of ${iface.name} has no local address or prefix length`);
        continue;
      }
      const valid = info.valid_life_time;
      const finite = typeof valid === 'number' && Number.isFinite(valid) && valid !== FOREVER;
      const address: AddressFacts = {
        family,
        address: info.local,
        prefixLength: info.prefixlen,
        dynamic: info.dynamic === true || finite,
      };
      if (typeof info.scope === 'string') address.scope = info.scope;
      if (typeof info.label === 'string') address.label = info.label;
      iface.addresses.push(address);
    }
    out.push(iface);
  }
  return parsed(out, problems);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

// --- classic text ----------------------------------------------------------------------------

/** `2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq master bond0 state UP ...` */
const HEADER = /^(\d+):\s+([^\s:@]+)(?:@([^\s:]+))?:\s+<([^>]*)>(.*)$/;
/** Words after an address that are flags, not the label. */
const ADDRESS_FLAGS = new Set([
  'secondary', 'temporary', 'dynamic', 'noprefixroute', 'mngtmpaddr', 'deprecated', 'tentative', 'permanent',
  'home', 'nodad', 'optimistic', 'dadfailed', 'autojoin', 'stable-privacy', 'primary',
]);
/** Keywords followed by one value. */
const ADDRESS_OPTIONS = new Set(['brd', 'peer', 'scope', 'metric', 'proto', 'any', 'broadcast']);

export function parseIpAddrText(text: string): ParseResult<IpAddrInterface[]> {
  const problems: string[] = [];
  const out: IpAddrInterface[] = [];
  let current: IpAddrInterface | undefined;
  const complain = (m: string) => {
    if (problems.length < 20) problems.push(m);
  };
  for (const raw of splitLines(text)) {
    if (raw.trim() === '') continue;
    const header = HEADER.exec(raw);
    if (header) {
      const [, index, name, link, flagText, rest] = header;
      current = { name: name!, ifindex: parseUint(index), flags: flagText!.split(',').filter((f) => f !== ''), addresses: [] };
      if (link) current.link = link;
      const words = rest!.trim().split(/\s+/);
      for (let i = 0; i < words.length - 1; i++) {
        const w = words[i];
        const v = words[i + 1]!;
        if (w === 'mtu') current.mtu = parseUint(v);
        else if (w === 'master') current.master = v;
        else if (w === 'state') current.state = v;
      }
      out.push(current);
      continue;
    }
    const line = raw.trim();
    if (!/^\s/.test(raw) || !current) {
      complain(`ip.addr: unexpected line ${quoteLine(raw)}`);
      continue;
    }
    const words = line.split(/\s+/);
    const head = words[0]!;
    if (head.startsWith('link/')) {
      current.linkType = head.slice(5);
      const mac = words[1];
      if (mac && /^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(mac)) current.mac = mac.toLowerCase();
      continue;
    }
    if (head === 'inet' || head === 'inet6') {
      const address = parseAddressLine(head, words.slice(1));
      if (address) current.addresses.push(address);
      else complain(`ip.addr: address line not understood for ${current.name}: ${quoteLine(line)}`);
      continue;
    }
    // valid_lft/preferred_lft, altname, vlan/bridge details: not needed.
  }
  return parsed(out, problems);
}

function parseAddressLine(family: 'inet' | 'inet6', words: string[]): AddressFacts | undefined {
  const local = words[0];
  if (!local) return undefined;
  let [address, prefix] = local.split('/');
  let peerPrefix: string | undefined;
  let scope: string | undefined;
  let dynamic = false;
  let label: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (ADDRESS_OPTIONS.has(w)) {
      const v = words[++i];
      if (w === 'scope') scope = v;
      if (w === 'peer' && v) peerPrefix = v.split('/')[1];
      continue;
    }
    if (w === 'dynamic') dynamic = true;
    if (ADDRESS_FLAGS.has(w)) continue;
    // The label closes an IPv4 address line; IPv6 lines have none.
    if (family === 'inet') label = w;
  }
  // "inet 192.168.41.6 peer 192.168.41.5/32": the prefix length is printed on the peer.
  prefix ??= peerPrefix ?? (family === 'inet' ? '32' : '128');
  const prefixLength = parseUint(prefix);
  if (!address || prefixLength === undefined) return undefined;
  const out: AddressFacts = { family, address, prefixLength, dynamic };
  if (scope) out.scope = scope;
  if (label) out.label = label;
  return out;
}
