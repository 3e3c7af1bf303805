import { ABSOLUTE_PATH_PREFIX, splitConfigFiles } from './configFileOutput.js';
import { parsed, type ParseResult } from './parseResult.js';
import type { IpConfigFacts } from './schema.js';
import { quoteLine } from './textLines.js';

/**
 * Parser for probe `net.networkmanager`: NetworkManager keyfiles (INI) in
 * /etc/NetworkManager/system-connections. The probe greps only section headers and the
 * id/type/interface-name/method/address/gateway/dns keys (never secrets), each line prefixed with
 * its file name; a full keyfile pasted plainly parses too. `method`, `address1` and friends exist
 * in both [ipv4] and [ipv6], so the section decides which family a key belongs to.
 */

export interface NmIpSettings {
  /** auto, manual, disabled, link-local, shared, ... as written. */
  method?: string;
  /** address1=, address2=, ... (and the legacy addresses1=) with their prefix length. */
  addresses: string[];
  gateway?: string;
  dns: string[];
}

export interface NmConnection {
  file?: string;
  id?: string;
  type?: string;
  interfaceName?: string;
  /** controller= (master= in older files): the bond or bridge this profile is a port of. */
  controller?: string;
  ipv4?: NmIpSettings;
  ipv6?: NmIpSettings;
}

export function parseNetworkManager(text: string): ParseResult<NmConnection[]> {
  const problems: string[] = [];
  const complain = (m: string) => {
    if (problems.length < 20) problems.push(m);
  };
  const { files, stray } = splitConfigFiles(text, {
    isPrefixed: ABSOLUTE_PATH_PREFIX,
    // Profile file names may hold a colon: the name ends before a section header or a key.
    isContent: (content) => content === '' || /^(?:\[|#|;|\s*[\w.-]+\s*=)/.test(content),
  });
  for (const line of stray.slice(0, 3)) complain(`networkmanager: line without a file name: ${quoteLine(line)}`);

  const out: NmConnection[] = [];
  for (const f of files) {
    const conn: NmConnection = {};
    if (f.file !== undefined) conn.file = f.file;
    let section = '';
    let sawAnything = false;
    for (const raw of f.lines) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
      const header = /^\[(.+)\]$/.exec(line);
      if (header) {
        section = header[1]!.trim();
        if (section === 'ipv4') conn.ipv4 ??= { addresses: [], dns: [] };
        if (section === 'ipv6') conn.ipv6 ??= { addresses: [], dns: [] };
        sawAnything = true;
        continue;
      }
      const eq = line.indexOf('=');
      if (eq <= 0) {
        complain(`networkmanager: line not understood in ${f.file ?? 'the keyfile'}: ${quoteLine(raw)}`);
        continue;
      }
      sawAnything = true;
      const key = line.slice(0, eq).trim();
      const value = line.slice(eq + 1).trim();
      if (section === 'connection') readConnectionKey(conn, key, value);
      else if (section === 'ipv4' && conn.ipv4) readIpKey(conn.ipv4, key, value);
      else if (section === 'ipv6' && conn.ipv6) readIpKey(conn.ipv6, key, value);
    }
    if (sawAnything) out.push(conn);
  }
  return parsed(out, problems);
}

function readConnectionKey(conn: NmConnection, key: string, value: string): void {
  if (value === '') return;
  if (key === 'id') conn.id = value;
  else if (key === 'type') conn.type = value;
  else if (key === 'interface-name') conn.interfaceName = value;
  else if (key === 'controller' || key === 'master') conn.controller = value;
}

function readIpKey(ip: NmIpSettings, key: string, value: string): void {
  if (key === 'method') {
    if (value) ip.method = value;
    return;
  }
  if (key === 'gateway') {
    if (value) ip.gateway = value;
    return;
  }
  if (key === 'dns') {
    ip.dns.push(...value.split(/[;,]/).map((s) => s.trim()).filter((s) => s !== ''));
    return;
  }
  if (/^address(?:es)?\d*$/.test(key)) {
    // address1=192.168.0.5/24,192.168.0.1 (the gateway after the comma is the old per-address form);
    // legacy addresses1=192.168.0.5;24;192.168.0.1;
    const legacy = value.split(';').filter((s) => s !== '');
    if (legacy.length >= 2 && !value.includes('/')) {
      ip.addresses.push(`${legacy[0]}/${legacy[1]}`);
      if (legacy[2] && !ip.gateway && legacy[2] !== '0.0.0.0') ip.gateway = legacy[2];
      return;
    }
    const [address, gateway] = value.split(',').map((s) => s.trim());
    if (address) ip.addresses.push(address);
    if (gateway && !ip.gateway) ip.gateway = gateway;
  }
}

/** NetworkManager's ipv4.method, in preflight's terms. */
const METHODS = new Map<string, IpConfigFacts['method']>([
  ['manual', 'static'],
  ['auto', 'dhcp'],
  ['disabled', 'none'],
  ['link-local', 'none'],
]);

/**
 * The IPv4 addressing each profile configures, for HostFacts.ipConfig. Profiles bound to no
 * interface-name (matched by MAC instead, or free-floating) are left out: which interface they
 * configure is not in the files the probe reads.
 */
export function networkManagerIpConfig(connections: NmConnection[]): IpConfigFacts[] {
  const out: IpConfigFacts[] = [];
  for (const conn of connections) {
    if (conn.interfaceName === undefined) continue;
    let method: IpConfigFacts['method'];
    if (conn.ipv4?.method !== undefined) method = METHODS.get(conn.ipv4.method) ?? 'unknown';
    else if (conn.controller !== undefined) method = 'none'; // a bond or bridge port carries no address
    else method = 'unknown';
    const config: IpConfigFacts = {
      interface: conn.interfaceName,
      method,
      source: conn.file ? `networkmanager:${conn.file}` : 'networkmanager',
    };
    if (conn.ipv4?.addresses[0] !== undefined) config.address = conn.ipv4.addresses[0];
    if (conn.ipv4?.gateway !== undefined) config.gateway = conn.ipv4.gateway;
    if (conn.ipv4?.dns.length) config.dns = [...conn.ipv4.dns];
    out.push(config);
  }
  return out;
}
