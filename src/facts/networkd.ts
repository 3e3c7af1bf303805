import { ABSOLUTE_PATH_PREFIX, splitConfigFiles } from './configFileOutput.js';
import { baseName } from './grepOutput.js';
import { selectInterfaces, type KnownInterface } from './interfaceMatch.js';
import { parsed, type ParseResult } from './parseResult.js';
import type { IpConfigFacts } from './schema.js';
import { quoteLine } from './textLines.js';

/**
 * Parser for probe `net.networkd`: systemd-networkd .network files from /etc/systemd/network and
 * /run/systemd/network, as `grep -s -H ""` prints them, or one file pasted plainly. Only what tells
 * how an interface is addressed is kept: [Match] Name=/MACAddress=, [Network] DHCP=, Address=,
 * Gateway=, DNS=, Bond=, Bridge=, [Address] Address= and [Route] Gateway= of a default route.
 */

export interface NetworkdFile {
  file?: string;
  /** Name= patterns (globs allowed). */
  matchNames: string[];
  matchMacs: string[];
  /** The [Match] section names other conditions (Type=, Driver=, Path=, a negated Name=, ...). */
  otherMatch: boolean;
  /** DHCP= as written. */
  dhcp?: string;
  addresses: string[];
  gateways: string[];
  dns: string[];
  bond?: string;
  bridge?: string;
}

/** DHCP= values that turn the IPv4 DHCP client on. */
const DHCP_V4 = /^(yes|true|on|1|ipv4|both|v4)$/i;

export function parseNetworkd(text: string): ParseResult<NetworkdFile[]> {
  const problems: string[] = [];
  const complain = (m: string) => {
    if (problems.length < 20) problems.push(m);
  };
  const { files, stray } = splitConfigFiles(text, { isPrefixed: ABSOLUTE_PATH_PREFIX });
  for (const line of stray.slice(0, 3)) complain(`networkd: line without a file name: ${quoteLine(line)}`);

  const out: NetworkdFile[] = [];
  for (const f of files) {
    const nf: NetworkdFile = { matchNames: [], matchMacs: [], otherMatch: false, addresses: [], gateways: [], dns: [] };
    if (f.file !== undefined) nf.file = f.file;
    let section = '';
    let routeDestination: string | undefined;
    let routeGateway: string | undefined;
    const closeRoute = () => {
      if (section === 'Route' && routeGateway && isDefaultDestination(routeDestination)) nf.gateways.push(routeGateway);
      routeDestination = undefined;
      routeGateway = undefined;
    };
    for (const raw of f.lines) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
      const header = /^\[(.+)\]$/.exec(line);
      if (header) {
        closeRoute();
        section = header[1]!.trim();
        continue;
      }
      const eq = line.indexOf('=');
      if (eq <= 0) {
        complain(`networkd: line not understood in ${f.file ?? 'the file'}: ${quoteLine(raw)}`);
        continue;
      }
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      const words = value.split(/\s+/).filter((w) => w !== '');
      if (section === 'Match') {
        if (key === 'Name') {
          // A negated list ("!eth0 eth1") matches everything else: not a name list preflight can use.
          if (words.some((w) => w.startsWith('!'))) nf.otherMatch = true;
          else if (words.length === 0) nf.matchNames = [];
          else nf.matchNames.push(...words);
        } else if (key === 'MACAddress' || key === 'PermanentMACAddress') nf.matchMacs.push(...words.map((w) => w.toLowerCase()));
        else nf.otherMatch = true;
      } else if (section === 'Network') {
        // An empty assignment resets a list setting.
        if (key === 'DHCP') nf.dhcp = value;
        else if (key === 'Address') nf.addresses = words.length ? [...nf.addresses, ...words] : [];
        else if (key === 'Gateway') nf.gateways = words.length ? [...nf.gateways, ...words.filter((w) => !w.startsWith('_'))] : [];
        else if (key === 'DNS') nf.dns = words.length ? [...nf.dns, ...words] : [];
        else if (key === 'Bond' && value) nf.bond = value;
        else if (key === 'Bridge' && value) nf.bridge = value;
      } else if (section === 'Address') {
        if (key === 'Address' && words[0]) nf.addresses.push(words[0]);
      } else if (section === 'Route') {
        // Gateway=_dhcp4 / _ipv6ra name a gateway learnt at run time, not a configured one.
        if (key === 'Gateway' && words[0] && !words[0].startsWith('_')) routeGateway = words[0];
        else if (key === 'Destination') routeDestination = words[0];
      }
    }
    closeRoute();
    out.push(nf);
  }
  return parsed(out, problems);
}

/** Files in the order networkd reads them: by file name; a file in /etc hides one of the same name in /run. */
function effectiveFiles(files: NetworkdFile[]): NetworkdFile[] {
  const byName = new Map<string, NetworkdFile>();
  const unnamed: NetworkdFile[] = [];
  for (const f of files) {
    if (f.file === undefined) {
      unnamed.push(f);
      continue;
    }
    const name = baseName(f.file);
    const seen = byName.get(name);
    if (!seen || (!seen.file!.startsWith('/etc/') && f.file.startsWith('/etc/'))) byName.set(name, f);
  }
  const named = [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f);
  return [...named, ...unnamed];
}

function isDefaultDestination(destination: string | undefined): boolean {
  return destination === undefined || destination === '0.0.0.0/0' || destination === '::/0';
}

function isIpv4(address: string): boolean {
  return !address.includes(':');
}

/**
 * The IPv4 addressing each interface gets, for HostFacts.ipConfig. networkd applies the first
 * .network file, in file-name order, whose [Match] fits an interface; Name globs and MAC addresses
 * are resolved against the interfaces the host has. Files with conditions preflight does not
 * evaluate (Type=, Driver=, ...) are left out rather than guessed at.
 */
export function networkdIpConfig(files: NetworkdFile[], known: KnownInterface[]): IpConfigFacts[] {
  const ordered = effectiveFiles(files);
  const claimed = new Set<string>();
  const out: IpConfigFacts[] = [];
  for (const nf of ordered) {
    if (nf.otherMatch || (nf.matchNames.length === 0 && nf.matchMacs.length === 0)) continue;
    const names = selectInterfaces({ names: nf.matchNames, macs: nf.matchMacs }, known);
    const v4 = nf.addresses.filter(isIpv4);
    let method: IpConfigFacts['method'];
    if (nf.dhcp !== undefined && DHCP_V4.test(nf.dhcp)) method = 'dhcp';
    else if (v4.length > 0) method = 'static';
    else method = 'none';
    for (const name of names) {
      if (claimed.has(name)) continue;
      claimed.add(name);
      const config: IpConfigFacts = { interface: name, method, source: nf.file ? `networkd:${nf.file}` : 'networkd' };
      if (v4[0] !== undefined) config.address = v4[0];
      const gateway = nf.gateways.find(isIpv4);
      if (gateway !== undefined) config.gateway = gateway;
      if (nf.dns.length) config.dns = [...nf.dns];
      out.push(config);
    }
  }
  return out;
}
