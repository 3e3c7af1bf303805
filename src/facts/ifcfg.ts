import { splitConfigFiles } from './configFileOutput.js';
import { baseName } from './grepOutput.js';
import { ipv4InSubnet, readPrefixLength, splitCidr } from './ipv4Address.js';
import { parsed, type ParseResult } from './parseResult.js';
import type { IpConfigFacts } from './schema.js';
import { quoteLine } from './textLines.js';

/**
 * Parser for probe `net.ifcfg`: Red Hat style interface files, as `grep -H ""` prints them from
 * /etc/sysconfig/network-scripts (`ifcfg-eth0:BOOTPROTO=none`, relative names because the probe
 * `cd`s there), followed by /etc/sysconfig/network with its absolute path. XenServer's Dom0 uses the
 * same files. A single ifcfg file pasted plainly parses too (its interface then comes from DEVICE).
 */

export const NETWORK_SCRIPTS_DIR = '/etc/sysconfig/network-scripts';
const GLOBAL_NETWORK_FILE = '/etc/sysconfig/network';

export interface IfcfgInterface {
  /** Absolute path of the file; absent for plain text. */
  file?: string;
  /** DEVICE, or the name after `ifcfg-`; absent when neither is known. */
  interface?: string;
  /** BOOTPROTO as written (lower case); absent when the file has none. */
  bootproto?: string;
  method: IpConfigFacts['method'];
  /** IPADDR and IPADDRn, with their prefix length when PREFIX(n) or NETMASK(n) gives one. */
  addresses: string[];
  gateway?: string;
  /** DNS1, DNS2, ... in order. */
  dns: string[];
  type?: string;
  /** MASTER= (bond) of a bond slave. */
  master?: string;
  slave?: boolean;
  /** BRIDGE= the bridge this interface is a port of. */
  bridge?: string;
  onBoot?: boolean;
}

export interface IfcfgResult {
  interfaces: IfcfgInterface[];
  /** GATEWAY and GATEWAYDEV from /etc/sysconfig/network, which apply to every interface. */
  network?: { gateway?: string; gatewayDevice?: string };
}

/** Backup copies the initscripts ignore (is_ignored_file in network-functions). */
const IGNORED_FILE = /(~|\.bak|\.old|\.orig|\.rpmnew|\.rpmorig|\.rpmsave)$/;
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

export function parseIfcfg(text: string): ParseResult<IfcfgResult> {
  const problems: string[] = [];
  const complain = (m: string) => {
    if (problems.length < 20) problems.push(m);
  };
  const { files, stray } = splitConfigFiles(text, {
    isPrefixed: (line) => /^(?:ifcfg-[^\s:]*|\/[^:]*):/.test(line),
    // `ifcfg-eth0:1:IPADDR=...`: the file name ends at the colon before a plausible line.
    isContent: (content) => content === '' || /^(?:\s|#|(?:export\s+)?[A-Za-z_][A-Za-z0-9_]*=)/.test(content),
  });
  for (const line of stray.slice(0, 3)) complain(`net.ifcfg: line without a file name: ${quoteLine(line)}`);

  const result: IfcfgResult = { interfaces: [] };
  for (const f of files) {
    const path = f.file === undefined ? undefined : f.file.startsWith('/') ? f.file : `${NETWORK_SCRIPTS_DIR}/${f.file}`;
    if (path !== undefined && IGNORED_FILE.test(path)) continue;
    const values = readAssignments(f.lines, path ?? 'the file', complain);
    if (path === GLOBAL_NETWORK_FILE) {
      const network: NonNullable<IfcfgResult['network']> = {};
      if (values.GATEWAY) network.gateway = values.GATEWAY;
      if (values.GATEWAYDEV) network.gatewayDevice = values.GATEWAYDEV;
      result.network = network;
      continue;
    }
    if (path !== undefined && !baseName(path).startsWith('ifcfg-')) continue;
    result.interfaces.push(readInterface(values, path, complain));
  }
  if (result.network?.gateway) applyGlobalGateway(result.interfaces, result.network);
  return parsed(result, problems);
}

function readInterface(values: Record<string, string>, path: string | undefined, complain: (m: string) => void): IfcfgInterface {
  const fromName = path === undefined ? undefined : baseName(path).slice('ifcfg-'.length) || undefined;
  const name = values.DEVICE || fromName;
  const iface: IfcfgInterface = { method: 'unknown', addresses: [], dns: [] };
  if (path !== undefined) iface.file = path;
  if (name !== undefined) iface.interface = name;
  else complain('net.ifcfg: an interface file has neither DEVICE nor a file name');
  const who = name ?? path ?? 'the interface';

  // IPADDR pairs with PREFIX/NETMASK, IPADDRn with PREFIXn/NETMASKn.
  const indexes = ['', ...Object.keys(values).flatMap((k) => (/^IPADDR\d+$/.test(k) ? [k.slice(6)] : [])).sort((a, b) => Number(a) - Number(b))];
  for (const n of indexes) {
    const address = values[`IPADDR${n}`];
    if (!address) continue;
    const prefixText = values[`PREFIX${n}`] || values[`NETMASK${n}`] || undefined;
    const prefix = readPrefixLength(prefixText);
    if (prefixText !== undefined && prefix === undefined) complain(`net.ifcfg: prefix or netmask of ${who} not understood: ${quoteLine(prefixText)}`);
    const { address: bare } = splitCidr(address);
    iface.addresses.push(prefix === undefined ? address : `${bare}/${prefix}`);
  }
  const gateway = values.GATEWAY || values.GATEWAY0;
  if (gateway) iface.gateway = gateway;
  iface.dns = Object.keys(values)
    .flatMap((k) => (/^DNS\d+$/.test(k) && values[k] ? [[Number(k.slice(3)), values[k]!] as const] : []))
    .sort((a, b) => a[0] - b[0])
    .map(([, v]) => v);
  if (values.TYPE) iface.type = values.TYPE;
  if (values.MASTER) iface.master = values.MASTER;
  if (values.SLAVE) iface.slave = /^y(es)?$/i.test(values.SLAVE);
  if (values.BRIDGE) iface.bridge = values.BRIDGE;
  if (values.ONBOOT) iface.onBoot = /^y(es)?$/i.test(values.ONBOOT);

  const bootproto = values.BOOTPROTO?.toLowerCase();
  if (bootproto !== undefined) iface.bootproto = bootproto;
  if (bootproto === 'dhcp' || bootproto === 'bootp') iface.method = 'dhcp';
  else if (bootproto === undefined || bootproto === '' || bootproto === 'none' || bootproto === 'static') {
    // No BOOTPROTO means none to the initscripts: the address, if any, is fixed.
    iface.method = iface.addresses.length > 0 ? 'static' : 'none';
  } else iface.method = 'unknown';
  return iface;
}

/**
 * GATEWAY in /etc/sysconfig/network is the default gateway of the interface named by GATEWAYDEV,
 * or else of the one whose subnet holds it; an interface's own GATEWAY takes precedence.
 */
function applyGlobalGateway(interfaces: IfcfgInterface[], network: NonNullable<IfcfgResult['network']>): void {
  const gateway = network.gateway!;
  for (const iface of interfaces) {
    if (iface.gateway !== undefined || iface.method !== 'static') continue;
    const named = network.gatewayDevice !== undefined && network.gatewayDevice === iface.interface;
    const onSubnet =
      network.gatewayDevice === undefined &&
      iface.addresses.some((a) => {
        const { address, prefix } = splitCidr(a);
        return prefix !== undefined && ipv4InSubnet(gateway, address, prefix);
      });
    if (named || onSubnet) iface.gateway = gateway;
  }
}

/** The IPv4 addressing each file configures, for HostFacts.ipConfig (files without an interface name are left out). */
export function ifcfgIpConfig(result: IfcfgResult): IpConfigFacts[] {
  const out: IpConfigFacts[] = [];
  for (const iface of result.interfaces) {
    if (iface.interface === undefined) continue;
    const config: IpConfigFacts = { interface: iface.interface, method: iface.method, source: iface.file ? `ifcfg:${iface.file}` : 'ifcfg' };
    if (iface.addresses[0] !== undefined) config.address = iface.addresses[0];
    if (iface.gateway !== undefined) config.gateway = iface.gateway;
    if (iface.dns.length) config.dns = [...iface.dns];
    out.push(config);
  }
  return out;
}

/** KEY=value lines with shell quoting; comments and blank lines skipped. */
function readAssignments(lines: string[], where: string, complain: (m: string) => void): Record<string, string> {
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = ASSIGNMENT.exec(line);
    if (!m) {
      complain(`net.ifcfg: line not understood in ${where}: ${quoteLine(line)}`);
      continue;
    }
    values[m[1]!.toUpperCase()] = shellWord(m[2]!);
  }
  return values;
}

/** The first shell word of a value: quotes removed, backslash escapes resolved, a trailing comment dropped. */
export function shellWord(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      out += end < 0 ? text.slice(i + 1) : text.slice(i + 1, end);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) i++;
        out += text[i];
        i++;
      }
      i++;
    } else if (c === '\\' && i + 1 < text.length) {
      out += text[i + 1];
      i += 2;
    } else if (/\s/.test(c)) break;
    else {
      out += c;
      i++;
    }
  }
  return out;
}
