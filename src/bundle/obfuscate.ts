import ipaddr from 'ipaddr.js';

/**
 * `--obfuscate`: IP addresses, host names, MAC addresses and user names are replaced by stable
 * placeholders, the same across every file and every host of the bundle, as `sos clean` does:
 *
 *  - IPv4 keeps its subnet shape. Networks are learned from every `a.b.c.d/len` in the evidence
 *    (addresses and routes; /16 to /32); an address outside all of them counts as its /24. Each
 *    outermost network gets a fresh block of the same size in 100.64.0.0/10, and everything inside
 *    keeps its offset: the same network maps to the same network, .1 stays .1, a broadcast stays
 *    the broadcast, a gateway stays in its subnet. Loopback, 0/8, link-local, multicast, reserved
 *    (netmasks such as 255.255.255.0) are kept. A dotted quad glued to a version (2.6.32.43-0.7)
 *    is kept.
 *  - IPv6: each /64 prefix maps to fd50:4646:0:N::/64 (link-local fe80:: stays fe80::); an EUI-64
 *    interface id is rebuilt from the obfuscated MAC, other interface ids above 0xffff are numbered.
 *    ::, ::1, multicast are kept; ::ffff:a.b.c.d maps its IPv4 part.
 *  - MACs: 02:50:46:xx:yy:zz (a locally administered prefix), numbered; all-zero, broadcast and
 *    multicast MACs are kept. Separator and case are kept.
 *  - Host names: the scanned hosts' names, their `uname -n`, the XenServer host names, HOSTNAME=
 *    and the DNS domains (resolv.conf search/domain, the FQDNs of those hosts): hostN, domainN.example;
 *    any name under a known domain becomes hostN.domainM.example.
 *  - User names: the SSH user, passwd-style lines with uid >= 1000, and the users sshd, PAM and
 *    sudo log lines name: userN. root and system accounts are kept.
 *
 * Numbers are given in sorted order of the originals, so the same evidence always gives the same
 * map. The map (original -> placeholder) goes to a separate file, never into the bundle.
 */

export interface ObfuscationMap {
  format: 'preflight-bundle-map';
  formatVersion: '1.0.0';
  createdAt: string;
  /** The archive this map belongs to (base name). */
  bundle: string;
  hosts: Record<string, string>;
  domains: Record<string, string>;
  ipv4Networks: Record<string, string>;
  ipv4: Record<string, string>;
  ipv6: Record<string, string>;
  macs: Record<string, string>;
  users: Record<string, string>;
}

export interface ObfuscationSeeds {
  /** Host names and FQDNs known to be names of the scanned hosts (targets, uname, xe, HOSTNAME=). */
  hostNames?: readonly string[];
  /** DNS domains (resolv.conf search/domain). */
  domains?: readonly string[];
  /** User names (the SSH user). */
  users?: readonly string[];
}

const STOP_HOSTS = new Set([
  'localhost', 'localhost.localdomain', 'localdomain', 'local', 'master', 'slave', 'member', 'quorum', 'management', 'pool',
  'xenserver', 'dom0', 'host', 'server', 'none', 'unknown', 'default', 'root', '(none)', 'example', 'invalid',
]);
const STOP_USERS = new Set([
  'root', 'nobody', 'daemon', 'bin', 'sys', 'adm', 'lp', 'sync', 'shutdown', 'halt', 'mail', 'operator', 'games', 'ftp', 'sshd',
  'ntp', 'dbus', 'messagebus', 'postfix', 'rpc', 'rpcuser', 'nfsnobody', 'apache', 'mysql', 'uucp', 'man', 'news', 'proxy',
  'backup', 'list', 'irc', 'gnats', 'syslog', 'unknown', 'invalid', 'user', 'admin', 'www-data', 'polkitd', 'chrony', 'tss',
  'avahi', 'colord', 'rtkit', 'pulse', 'saned', 'usbmux', 'dnsmasq', 'xen', 'xapi', 'qemu', 'from', 'for', 'the', 'with',
]);
const USER_NAME = /^[a-z_][a-z0-9_.-]{1,31}$/;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

// --- patterns (all linear: bounded quantifiers or maximal runs) --------------------------------

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`(?<![0-9A-Za-z_.])${OCTET}(?:\\.${OCTET}){3}(?![0-9A-Za-z_]|\\.\\d)`, 'g');
const IPV4_CIDR = new RegExp(`(?<![0-9A-Za-z_.])(${OCTET}(?:\\.${OCTET}){3})\\/(\\d{1,2})(?!\\d)`, 'g');
const MAC = /(?<![0-9A-Fa-f])(?<![:-][0-9A-Fa-f]{2}[:-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![0-9A-Fa-f])(?![:-][0-9A-Fa-f])/g;
const IPV6_RUN = /[0-9A-Fa-f:.]+(?:%[0-9A-Za-z_.-]+)?/g;
const NAME_RUN = /[A-Za-z0-9_.-]+/g;
/** A DNS name is at most 253 characters: longer runs are not names (and would cost time). */
const MAX_NAME = 255;
const PASSWD_LINE = /^([a-z_][a-z0-9_.-]{0,31}):[^:\n]*:(\d{1,10}):\d{1,10}:[^:\n]*:[^:\n]*:[^:\n]*$/gm;
const LOG_USERS: RegExp[] = [
  /\bAccepted [\w/-]+ for (\S+) from\b/g,
  /\bFailed [\w/-]+ for (?:invalid user )?(\S+) from\b/g,
  /\b[Ii]nvalid user (\S+) from\b/g,
  /\bsession (?:opened|closed) for user ([a-z_][a-z0-9_.-]{0,31})/g,
  /\bsudo:\s+(\S+) : /g,
  /\/home\/([a-z_][a-z0-9_.-]{0,31})(?=[/\s'":]|$)/gm,
];

const u32 = (o: number[]) => ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const maskOf = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
const parseV4 = (s: string) => u32(s.split('.').map(Number));

/** Addresses that identify nobody: kept as they are. */
function keepV4(n: number): boolean {
  const a = n >>> 24;
  return a === 0 || a === 127 || a >= 224 || (n & 0xffff0000) >>> 0 === 0xa9fe0000;
}

/** A dotted quad that is the start of a version string (2.6.32.43-0.7.1), not an address. */
const DASH_IPV4 = new RegExp(`^-${OCTET}(?:\\.${OCTET}){3}(?![0-9.])`);
function versionLike(text: string, end: number): boolean {
  if (text[end] !== '-') return false;
  return !DASH_IPV4.test(text.slice(end, end + 18));
}

interface Net {
  base: number;
  prefix: number;
}

interface Span {
  start: number;
  end: number;
  replacement: string;
}

const V4_POOL_START = 0x64400000; // 100.64.0.0/10
const V4_POOL_END = 0x64800000;

export class Obfuscator {
  private readonly hostNames = new Set<string>();
  private readonly domainNames = new Set<string>();
  private readonly userNames = new Set<string>();
  private readonly macSet = new Set<string>();
  private readonly v6Prefixes = new Set<string>();
  private readonly v6Iids = new Set<string>();
  private readonly v4Nets = new Map<string, Net>();
  private readonly v4Addresses = new Set<number>();

  private readonly hostMap = new Map<string, string>();
  private readonly domainMap = new Map<string, string>();
  private readonly userMap = new Map<string, string>();
  private readonly macMap = new Map<string, string>();
  private readonly v6PrefixMap = new Map<string, string>();
  private readonly v6IidMap = new Map<string, string>();
  /** Outermost networks, sorted, with their obfuscated base. */
  private outer: { net: Net; to: number }[] = [];
  private v4Cursor = V4_POOL_START;

  private readonly used = {
    hosts: new Map<string, string>(),
    domains: new Map<string, string>(),
    ipv4: new Map<string, string>(),
    ipv4Networks: new Map<string, string>(),
    ipv6: new Map<string, string>(),
    macs: new Map<string, string>(),
    users: new Map<string, string>(),
  };

  /** Learns from every text first (so numbering does not depend on file order), then maps. */
  static build(seeds: ObfuscationSeeds, texts: readonly string[]): Obfuscator {
    const o = new Obfuscator();
    for (const h of seeds.hostNames ?? []) o.learnHostName(h);
    for (const d of seeds.domains ?? []) o.learnDomain(d);
    for (const u of seeds.users ?? []) o.learnUser(u);
    for (const t of texts) o.learnText(t);
    // Names under a known domain, now that the domains are known.
    for (const t of texts) o.learnNamesUnderDomains(t);
    o.finalize();
    return o;
  }

  // --- learning -------------------------------------------------------------------------------

  learnHostName(raw: string): void {
    const name = raw.trim().toLowerCase().replace(/\.$/, '');
    if (!name || STOP_HOSTS.has(name) || ipaddr.isValid(name) || !/^[a-z0-9.-]+$/.test(name)) return;
    const labels = name.split('.');
    if (!labels.every((l) => HOST_LABEL.test(l))) return;
    if (labels.length === 1) {
      if (name.length >= 2 && !/^\d+$/.test(name)) this.hostNames.add(name);
      return;
    }
    if (!STOP_HOSTS.has(labels[0]!)) this.hostNames.add(labels[0]!);
    this.learnDomain(labels.slice(1).join('.'));
  }

  learnDomain(raw: string): void {
    const d = raw.trim().toLowerCase().replace(/\.$/, '');
    const labels = d.split('.');
    if (labels.length < 2 || STOP_HOSTS.has(d) || !labels.every((l) => HOST_LABEL.test(l)) || !/^[a-z]{2,63}$/.test(labels.at(-1)!)) return;
    if (d.endsWith('.example') || d.endsWith('.invalid') || d === 'in-addr.arpa' || d.endsWith('.arpa')) return;
    this.domainNames.add(d);
  }

  learnUser(raw: string): void {
    const u = raw.trim();
    if (USER_NAME.test(u) && !STOP_USERS.has(u) && !u.startsWith('systemd-') && !u.startsWith('_')) this.userNames.add(u);
  }

  private learnText(text: string): void {
    for (const m of text.matchAll(IPV4_CIDR)) {
      const prefix = Number(m[2]);
      const addr = parseV4(m[1]!);
      if (prefix < 16 || prefix > 32 || keepV4(addr)) continue;
      const base = (addr & maskOf(prefix)) >>> 0;
      this.v4Nets.set(`${base}/${prefix}`, { base, prefix });
    }
    for (const m of text.matchAll(IPV4)) {
      const end = m.index + m[0].length;
      if (versionLike(text, end)) continue;
      const n = parseV4(m[0]);
      if (!keepV4(n)) this.v4Addresses.add(n);
    }
    for (const m of text.matchAll(MAC)) {
      const mac = m[0].toLowerCase().replace(/-/g, ':');
      if (!keepMac(mac)) this.macSet.add(mac);
    }
    for (const c of ipv6Candidates(text)) this.learnV6(c.address);
    for (const m of text.matchAll(PASSWD_LINE)) {
      const uid = Number(m[2]);
      if (uid >= 1000 && uid !== 65534 && uid !== 4294967294) this.learnUser(m[1]!);
    }
    for (const re of LOG_USERS) for (const m of text.matchAll(re)) this.learnUser(m[1]!);
    // FQDNs whose first label is a known host name reveal its domain.
    for (const m of text.matchAll(NAME_RUN)) {
      if (m[0].length > MAX_NAME) continue;
      const labels = trimRun(m[0]).toLowerCase().split('.');
      if (labels.length >= 3 && this.hostNames.has(labels[0]!) && /^[a-z]{2,63}$/.test(labels.at(-1)!)) this.learnDomain(labels.slice(1).join('.'));
    }
  }

  private learnNamesUnderDomains(text: string): void {
    if (this.domainNames.size === 0) return;
    for (const m of text.matchAll(NAME_RUN)) {
      if (m[0].length > MAX_NAME) continue;
      const split = this.splitUnderDomain(trimRun(m[0]).toLowerCase());
      if (split && split.prefix) this.hostNames.add(split.prefix);
    }
  }

  private learnV6(addr: ipaddr.IPv6): void {
    const kind = v6Kind(addr);
    if (kind === 'keep' || kind === 'mapped-v4') return;
    const p = addr.parts;
    if (kind === 'global') this.v6Prefixes.add(prefixKey(p));
    if (isEui64(p)) this.macSet.add(macFromEui64(p));
    else if (!smallIid(p)) this.v6Iids.add(iidKey(p));
  }

  /** Numbers every learned value in sorted order and lays out the IPv4 networks. */
  private finalize(): void {
    const number = (set: Set<string>, map: Map<string, string>, make: (i: number) => string) =>
      [...set].sort().forEach((v, i) => map.set(v, make(i + 1)));
    number(this.hostNames, this.hostMap, (i) => `host${i}`);
    number(this.domainNames, this.domainMap, (i) => `domain${i}.example`);
    number(this.userNames, this.userMap, (i) => `user${i}`);
    number(this.macSet, this.macMap, (i) => `02:50:46:${hex2(i >> 16)}:${hex2(i >> 8)}:${hex2(i)}`);
    number(this.v6Prefixes, this.v6PrefixMap, (i) => `fd50:4646:0:${(i & 0xffff).toString(16)}`);
    number(this.v6Iids, this.v6IidMap, (i) => `1000:0:${((i >>> 16) & 0xffff).toString(16)}:${(i & 0xffff).toString(16)}`);

    // Candidate networks: the learned ones plus the /24 of every address none of them holds.
    const nets = [...this.v4Nets.values()];
    for (const a of this.v4Addresses) {
      if (!nets.some((n) => ((a & maskOf(n.prefix)) >>> 0) === n.base)) {
        const base = (a & maskOf(24)) >>> 0;
        if (!nets.some((n) => n.base === base && n.prefix === 24)) nets.push({ base, prefix: 24 });
      }
    }
    // Outermost ones only (CIDR blocks are nested or disjoint); inner ones keep their offset.
    const outer = nets.filter((n) => !nets.some((o) => o !== n && o.prefix < n.prefix && ((n.base & maskOf(o.prefix)) >>> 0) === o.base));
    const unique = [...new Map(outer.map((n) => [`${n.base}/${n.prefix}`, n])).values()].sort((a, b) => a.base - b.base || a.prefix - b.prefix);
    this.outer = unique.map((net) => ({ net, to: this.allocate(net.prefix) }));
  }

  private allocate(prefix: number): number {
    const size = 2 ** (32 - prefix);
    let at = Math.ceil(this.v4Cursor / size) * size;
    if (at + size > V4_POOL_END) at = V4_POOL_START; // out of room (millions of addresses): reuse, never fail
    this.v4Cursor = at + size;
    return at >>> 0;
  }

  // --- mapping --------------------------------------------------------------------------------

  private mapV4(n: number): string {
    const original = dotted(n);
    let hit = this.outer.find((o) => ((n & maskOf(o.net.prefix)) >>> 0) === o.net.base);
    if (!hit) {
      // An address seen only now (not in the learned texts): its /24, allocated on first use.
      const net = { base: (n & maskOf(24)) >>> 0, prefix: 24 };
      hit = { net, to: this.allocate(24) };
      this.outer.push(hit);
    }
    const hostBits = (n & ~maskOf(hit.net.prefix)) >>> 0;
    const out = dotted((hit.to | hostBits) >>> 0);
    this.used.ipv4.set(original, out);
    this.used.ipv4Networks.set(`${dotted(hit.net.base)}/${hit.net.prefix}`, `${dotted(hit.to)}/${hit.net.prefix}`);
    return out;
  }

  private mapMac(original: string): string {
    const key = original.toLowerCase().replace(/-/g, ':');
    if (keepMac(key)) return original;
    let to = this.macMap.get(key);
    if (!to) {
      const i = this.macMap.size + 1;
      to = `02:50:46:${hex2(i >> 16)}:${hex2(i >> 8)}:${hex2(i)}`;
      this.macMap.set(key, to);
    }
    this.used.macs.set(key, to);
    const sep = original[2] === '-' ? '-' : ':';
    const shaped = to.replace(/:/g, sep);
    return original === original.toUpperCase() && /[A-F]/.test(original) ? shaped.toUpperCase() : shaped;
  }

  private mapV6(addr: ipaddr.IPv6, original: string): string {
    const kind = v6Kind(addr);
    if (kind === 'keep') return original;
    const p = addr.parts;
    let out: number[];
    if (kind === 'mapped-v4') {
      const v4 = ((p[6]! << 16) | p[7]!) >>> 0;
      if (keepV4(v4)) return original;
      const mapped = parseV4(this.mapV4(v4));
      out = [0, 0, 0, 0, 0, 0xffff, mapped >>> 16, mapped & 0xffff];
    } else {
      let head: number[];
      if (kind === 'link-local') head = p.slice(0, 4);
      else {
        const key = prefixKey(p);
        let to = this.v6PrefixMap.get(key);
        if (!to) {
          to = `fd50:4646:0:${((this.v6PrefixMap.size + 1) & 0xffff).toString(16)}`;
          this.v6PrefixMap.set(key, to);
        }
        head = to.split(':').map((h) => parseInt(h, 16));
      }
      let tail: number[];
      if (isEui64(p)) tail = eui64FromMac(this.mapMac(macFromEui64(p)));
      else if (smallIid(p)) tail = p.slice(4);
      else {
        const key = iidKey(p);
        let to = this.v6IidMap.get(key);
        if (!to) {
          const i = this.v6IidMap.size + 1;
          to = `1000:0:${((i >>> 16) & 0xffff).toString(16)}:${(i & 0xffff).toString(16)}`;
          this.v6IidMap.set(key, to);
        }
        tail = to.split(':').map((h) => parseInt(h, 16));
      }
      out = [...head, ...tail];
    }
    const text = new ipaddr.IPv6(out).toRFC5952String();
    if (text !== addr.toRFC5952String()) this.used.ipv6.set(addr.toRFC5952String(), text);
    return text;
  }

  private hostFor(name: string): string {
    let to = this.hostMap.get(name);
    if (!to) {
      to = `host${this.hostMap.size + 1}`;
      this.hostMap.set(name, to);
    }
    this.used.hosts.set(name, to);
    return to;
  }

  private domainFor(name: string): string {
    let to = this.domainMap.get(name);
    if (!to) {
      to = `domain${this.domainMap.size + 1}.example`;
      this.domainMap.set(name, to);
    }
    this.used.domains.set(name, to);
    return to;
  }

  /** `prefix.domain` when the name ends in a known domain (prefix empty for the domain itself). */
  private splitUnderDomain(lower: string): { prefix: string; domain: string } | undefined {
    if (this.domainNames.size === 0 && this.domainMap.size === 0) return undefined;
    const labels = lower.split('.');
    for (let i = 0; i < labels.length - 1; i++) {
      const domain = labels.slice(i).join('.');
      if (this.domainNames.has(domain)) {
        const prefix = labels.slice(0, i).join('.');
        if (prefix === '' || prefix.split('.').every((l) => HOST_LABEL.test(l))) return { prefix, domain };
        return undefined;
      }
    }
    return undefined;
  }

  private nameReplacement(run: string): string | undefined {
    const lower = run.toLowerCase();
    // User names are matched regardless of case, so a passwd full name "Bob" goes with user bob.
    if (this.userNames.has(lower)) {
      const to = this.userMap.get(lower)!;
      this.used.users.set(lower, to);
      return to;
    }
    if (this.hostNames.has(lower)) return this.hostFor(lower);
    const split = this.splitUnderDomain(lower);
    if (split) return split.prefix ? `${this.hostFor(split.prefix)}.${this.domainFor(split.domain)}` : this.domainFor(split.domain);
    const labels = lower.split('.');
    if (labels.length >= 3 && this.hostNames.has(labels[0]!) && /^[a-z]{2,63}$/.test(labels.at(-1)!)) {
      return `${this.hostFor(labels[0]!)}.${run.slice(labels[0]!.length + 1)}`;
    }
    return undefined;
  }

  /** The text with every known address, MAC, host, domain and user replaced. Never throws. */
  apply(text: string): string {
    if (!text) return text;
    const spans: Span[] = [];
    try {
      for (const m of text.matchAll(MAC)) spans.push({ start: m.index, end: m.index + m[0].length, replacement: this.mapMac(m[0]) });
      for (const c of ipv6Candidates(text)) spans.push({ start: c.start, end: c.end, replacement: this.mapV6(c.address, c.text) });
      for (const m of text.matchAll(IPV4)) {
        const end = m.index + m[0].length;
        if (versionLike(text, end)) continue;
        const n = parseV4(m[0]);
        if (!keepV4(n)) spans.push({ start: m.index, end, replacement: this.mapV4(n) });
      }
      for (const m of text.matchAll(NAME_RUN)) {
        if (m[0].length > MAX_NAME) continue;
        const run = trimRun(m[0]);
        if (!/[A-Za-z]/.test(run)) continue;
        const to = this.nameReplacement(run);
        if (to === undefined) continue;
        const start = m.index + m[0].indexOf(run);
        spans.push({ start, end: start + run.length, replacement: to });
      }
    } catch {
      // A bug in one matcher must not leave the text half done: fall through with what was found.
    }
    if (spans.length === 0) return text;
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    let out = '';
    let at = 0;
    for (const s of spans) {
      if (s.start < at) continue; // overlaps a span already taken (earlier, or longer at the same start)
      out += text.slice(at, s.start) + s.replacement;
      at = s.end;
    }
    return out + text.slice(at);
  }

  /**
   * A scanned host's name in the bundle: its obfuscated form, or a fresh hostN when obfuscation
   * changes nothing in it (e.g. a name that is a loopback address with a port).
   */
  hostName(name: string): string {
    const out = this.apply(name);
    if (out !== name) return out;
    return this.hostFor(name.toLowerCase());
  }

  /** What was replaced, original -> placeholder, for the map file. */
  map(bundle: string): ObfuscationMap {
    const obj = (m: Map<string, string>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)));
    return {
      format: 'preflight-bundle-map',
      formatVersion: '1.0.0',
      createdAt: new Date().toISOString(),
      bundle,
      hosts: obj(this.used.hosts),
      domains: obj(this.used.domains),
      ipv4Networks: obj(this.used.ipv4Networks),
      ipv4: obj(this.used.ipv4),
      ipv6: obj(this.used.ipv6),
      macs: obj(this.used.macs),
      users: obj(this.used.users),
    };
  }
}

// --- helpers ----------------------------------------------------------------------------------

function hex2(n: number): string {
  return (n & 255).toString(16).padStart(2, '0');
}

function keepMac(mac: string): boolean {
  if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return true;
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1; // multicast
}

/** A run of name characters without the dots and dashes a sentence or a list puts around it. */
function trimRun(run: string): string {
  return run.replace(/[.-]+$/, '').replace(/^[.-]+/, '');
}

type V6Kind = 'keep' | 'mapped-v4' | 'link-local' | 'global';

function v6Kind(addr: ipaddr.IPv6): V6Kind {
  const range = addr.range();
  if (range === 'unspecified' || range === 'loopback' || range === 'multicast') return 'keep';
  if (addr.isIPv4MappedAddress()) return 'mapped-v4';
  if (range === 'linkLocal') return 'link-local';
  return 'global';
}

const prefixKey = (p: number[]) => p.slice(0, 4).map((x) => x.toString(16)).join(':');
const iidKey = (p: number[]) => p.slice(4).map((x) => x.toString(16)).join(':');
const smallIid = (p: number[]) => p[4] === 0 && p[5] === 0 && p[6] === 0;
const isEui64 = (p: number[]) => (p[5]! & 0xff) === 0xff && p[6]! >> 8 === 0xfe;

function macFromEui64(p: number[]): string {
  const b = [(p[4]! >> 8) ^ 0x02, p[4]! & 0xff, p[5]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff];
  return b.map(hex2).join(':');
}

function eui64FromMac(mac: string): number[] {
  const b = mac.split(/[:-]/).map((h) => parseInt(h, 16));
  return [(((b[0]! ^ 0x02) << 8) | b[1]!) & 0xffff, (b[2]! << 8) | 0xff, 0xfe00 | b[3]!, (b[4]! << 8) | b[5]!];
}

interface V6Candidate {
  start: number;
  end: number;
  text: string;
  address: ipaddr.IPv6;
}

/** IPv6 addresses in a text: maximal runs of hex, ':' and '.', checked by ipaddr.js. */
function ipv6Candidates(text: string): V6Candidate[] {
  const out: V6Candidate[] = [];
  for (const m of text.matchAll(IPV6_RUN)) {
    const run = m[0];
    // An address is at most 45 characters (plus a zone); longer runs are hex dumps, not addresses.
    if (run.length > 80 || run.indexOf(':') === run.lastIndexOf(':')) continue; // also: fewer than two colons
    const zoneAt = run.indexOf('%');
    const body = zoneAt >= 0 ? run.slice(0, zoneAt) : run;
    const tries: [number, number][] = [[0, body.length]];
    const trimmed = body.replace(/[.:]+$/, '');
    if (trimmed.length !== body.length) tries.push([0, trimmed.length]);
    if (body.startsWith(':') && !body.startsWith('::')) {
      tries.push([1, body.length]);
      if (trimmed.length !== body.length) tries.push([1, trimmed.length]);
    }
    for (const [from, to] of tries) {
      const candidate = body.slice(from, to);
      if (!ipaddr.IPv6.isValid(candidate)) continue;
      const start = m.index + from;
      const before = text[start - 1];
      if (before !== undefined && /[A-Za-z0-9_]/.test(before)) break;
      const after = text[m.index + (to === body.length ? run.length : to)];
      if (after !== undefined && /[G-Zg-z_]/.test(after)) break;
      const end = m.index + (to === body.length ? body.length : to);
      out.push({ start, end, text: candidate, address: ipaddr.IPv6.parse(candidate) });
      break;
    }
  }
  return out;
}
