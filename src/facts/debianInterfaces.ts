import { ABSOLUTE_PATH_PREFIX, splitConfigFiles } from './configFileOutput.js';
import { readPrefixLength, splitCidr } from './ipv4Address.js';
import { parsed, type ParseResult } from './parseResult.js';
import type { IpConfigFacts } from './schema.js';
import { quoteLine } from './textLines.js';

/**
 * Parser for probe `net.debian-interfaces`: ifupdown's /etc/network/interfaces and interfaces.d/*,
 * as `grep -H ""` prints them, or one file pasted plainly. Each `iface NAME FAMILY METHOD` stanza
 * owns the option lines after it (indentation is customary, not required) until the next stanza.
 */

export interface DebianIface {
  file?: string;
  name: string;
  /** inet, inet6, ...; absent in ifupdown2's short `iface eth0` form. */
  family?: string;
  /** static, dhcp, manual, loopback, ... as written. */
  method?: string;
  /** Named on an `auto` or `allow-*` line. */
  auto: boolean;
  /** With its prefix length when the address or netmask gives one. */
  address?: string;
  gateway?: string;
  dnsNameservers: string[];
  bondSlaves?: string[];
  bondMaster?: string;
  bridgePorts?: string[];
}

/** Keywords that start a new stanza; any other line belongs to the stanza above it. */
const STANZA = /^(iface|mapping|auto|allow-[\w-]+|source|source-directory|source-dir|no-auto-down|no-scripts|rename|template)$/;

export function parseDebianInterfaces(text: string): ParseResult<DebianIface[]> {
  const problems: string[] = [];
  const complain = (m: string) => {
    if (problems.length < 20) problems.push(m);
  };
  const { files, stray } = splitConfigFiles(text, { isPrefixed: ABSOLUTE_PATH_PREFIX });
  for (const line of stray.slice(0, 3)) complain(`interfaces: line without a file name: ${quoteLine(line)}`);

  const stanzas: { iface: DebianIface; netmask?: string }[] = [];
  const autoNames = new Set<string>();
  for (const f of files) {
    let current: (typeof stanzas)[number] | undefined;
    let inMapping = false;
    for (const raw of f.lines) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const words = line.split(/\s+/);
      const keyword = words[0]!;
      if (STANZA.test(keyword)) {
        current = undefined;
        inMapping = keyword === 'mapping';
        if (keyword === 'auto' || keyword.startsWith('allow-')) for (const n of words.slice(1)) autoNames.add(n);
        if (keyword === 'iface') {
          const name = words[1];
          if (!name) {
            complain(`interfaces: iface line without a name: ${quoteLine(raw)}`);
            continue;
          }
          const iface: DebianIface = { name, auto: false, dnsNameservers: [] };
          if (f.file !== undefined) iface.file = f.file;
          if (words[2]) iface.family = words[2];
          if (words[3]) iface.method = words[3];
          current = { iface };
          stanzas.push(current);
        }
        continue;
      }
      if (inMapping) continue;
      if (!current) {
        complain(`interfaces: option outside an iface stanza: ${quoteLine(raw)}`);
        continue;
      }
      readOption(current, keyword.replace(/_/g, '-'), words.slice(1));
    }
  }

  const out: DebianIface[] = [];
  for (const { iface, netmask } of stanzas) {
    iface.auto = autoNames.has(iface.name);
    if (iface.address !== undefined && netmask !== undefined && splitCidr(iface.address).prefix === undefined) {
      const prefix = readPrefixLength(netmask);
      if (prefix === undefined) complain(`interfaces: netmask of ${iface.name} not understood: ${quoteLine(netmask)}`);
      else iface.address = `${iface.address}/${prefix}`;
    }
    out.push(iface);
  }
  return parsed(out, problems);
}

function readOption(stanza: { iface: DebianIface; netmask?: string }, option: string, values: string[]): void {
  const { iface } = stanza;
  const first = values[0];
  switch (option) {
    case 'address':
      // ifupdown2 allows several address lines; the first is the primary.
      if (first && iface.address === undefined) iface.address = first;
      break;
    case 'netmask':
      if (first) stanza.netmask = first;
      break;
    case 'gateway':
      if (first) iface.gateway = first;
      break;
    case 'dns-nameservers':
      iface.dnsNameservers.push(...values);
      break;
    case 'bond-slaves':
    case 'slaves':
      if (first && first !== 'none') iface.bondSlaves = values;
      break;
    case 'bond-master':
      if (first) iface.bondMaster = first;
      break;
    case 'bridge-ports':
      if (first && first !== 'none') iface.bridgePorts = values;
      break;
    default:
      break;
  }
}

/**
 * The IPv4 addressing each stanza configures, for HostFacts.ipConfig. Other families say nothing
 * about IPv4, and loopback is not a choice an operator makes, so those stanzas are left out.
 */
export function debianIpConfig(ifaces: DebianIface[]): IpConfigFacts[] {
  const out: IpConfigFacts[] = [];
  for (const iface of ifaces) {
    const method = ipv4Method(iface);
    if (method === undefined) continue;
    const config: IpConfigFacts = { interface: iface.name, method, source: iface.file ? `ifupdown:${iface.file}` : 'ifupdown' };
    if (iface.address !== undefined) config.address = iface.address;
    if (iface.gateway !== undefined) config.gateway = iface.gateway;
    if (iface.dnsNameservers.length) config.dns = [...iface.dnsNameservers];
    out.push(config);
  }
  return out;
}

function ipv4Method(iface: DebianIface): IpConfigFacts['method'] | undefined {
  if (iface.family !== undefined && iface.family !== 'inet') return undefined;
  switch (iface.method) {
    case 'loopback':
      return undefined;
    case 'static':
      return 'static';
    case 'dhcp':
    case 'bootp':
      return 'dhcp';
    case 'manual':
    case 'ipv4ll':
      return 'none';
    case undefined:
      // ifupdown2's bare `iface eth0` with an address line is a static configuration.
      return iface.address !== undefined && !iface.address.includes(':') ? 'static' : 'unknown';
    default:
      return 'unknown';
  }
}
