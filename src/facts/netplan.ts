import { parseDocument } from 'yaml';
import { ABSOLUTE_PATH_PREFIX, splitConfigFiles } from './configFileOutput.js';
import { selectInterfaces, type KnownInterface } from './interfaceMatch.js';
import { parsed, type ParseResult } from './parseResult.js';
import type { IpConfigFacts } from './schema.js';
import { quoteLine } from './textLines.js';

/**
 * Parser for probe `net.netplan`: /etc/netplan/*.yaml as `grep -H ''` prints them (lines naming
 * passwords or keys already removed by the probe), or one YAML file pasted plainly. Each file is
 * parsed on its own; a file that is not valid YAML is reported and skipped, the others still count.
 * Definitions of the same interface in several files are merged in file order, later files winning
 * for single values and adding to lists.
 */

export type NetplanKind = 'ethernet' | 'bond' | 'bridge' | 'vlan' | 'wifi';

export interface NetplanInterface {
  /** The last file that defined it. */
  file?: string;
  /** The key under ethernets:/bonds:/...; an interface name unless `match:` is used. */
  id: string;
  kind: NetplanKind;
  setName?: string;
  matchName?: string;
  matchMac?: string;
  dhcp4?: boolean;
  addresses: string[];
  /** gateway4, or the `via` of a default route. */
  gateway4?: string;
  nameservers: string[];
  /** interfaces: of a bond or bridge. */
  members: string[];
  bondMode?: string;
}

const SECTIONS: [string, NetplanKind][] = [
  ['ethernets', 'ethernet'],
  ['bonds', 'bond'],
  ['bridges', 'bridge'],
  ['vlans', 'vlan'],
  ['wifis', 'wifi'],
];

export function parseNetplan(text: string): ParseResult<NetplanInterface[]> {
  const problems: string[] = [];
  const complain = (m: string) => {
    if (problems.length < 20) problems.push(m);
  };
  const { files, stray } = splitConfigFiles(text, { isPrefixed: ABSOLUTE_PATH_PREFIX });
  for (const line of stray.slice(0, 3)) complain(`netplan: line without a file name: ${quoteLine(line)}`);

  const merged = new Map<string, NetplanInterface>();
  for (const f of files) {
    const where = f.file ?? 'the YAML';
    const data = readYaml(f.lines.join('\n'), where, complain);
    if (data === undefined) continue;
    const network = isRecord(data) ? data.network : undefined;
    if (network === undefined || network === null) continue;
    if (!isRecord(network)) {
      complain(`netplan: "network" in ${where} is not a mapping`);
      continue;
    }
    for (const [section, kind] of SECTIONS) {
      const defs = network[section];
      if (defs === undefined || defs === null) continue;
      if (!isRecord(defs)) {
        complain(`netplan: "${section}" in ${where} is not a mapping`);
        continue;
      }
      for (const [id, def] of Object.entries(defs)) {
        const read = readDefinition(id, kind, def, f.file, where, complain);
        const key = `${kind}:${id}`;
        const before = merged.get(key);
        merged.set(key, before ? mergeDefinitions(before, read) : read);
      }
    }
  }
  return parsed([...merged.values()], problems);
}

function readYaml(text: string, where: string, complain: (m: string) => void): unknown {
  try {
    const doc = parseDocument(text, { prettyErrors: false });
    if (doc.errors.length > 0) {
      complain(`netplan: ${where} is not valid YAML (${firstLine(doc.errors[0]!.message)}); it was skipped`);
      return undefined;
    }
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (e) {
    complain(`netplan: ${where} could not be read (${firstLine(e instanceof Error ? e.message : String(e))}); it was skipped`);
    return undefined;
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').slice(0, 120);
}

function readDefinition(
  id: string,
  kind: NetplanKind,
  def: unknown,
  file: string | undefined,
  where: string,
  complain: (m: string) => void,
): NetplanInterface {
  const out: NetplanInterface = { id, kind, addresses: [], nameservers: [], members: [] };
  if (file !== undefined) out.file = file;
  if (def === null || def === undefined) return out;
  if (!isRecord(def)) {
    complain(`netplan: the definition of ${id} in ${where} is not a mapping`);
    return out;
  }
  if (typeof def['set-name'] === 'string') out.setName = def['set-name'];
  if (isRecord(def.match)) {
    if (typeof def.match.name === 'string') out.matchName = def.match.name;
    if (typeof def.match.macaddress === 'string') out.matchMac = def.match.macaddress.toLowerCase();
  }
  const dhcp4 = yamlBool(def.dhcp4);
  if (dhcp4 !== undefined) out.dhcp4 = dhcp4;
  else if (def.dhcp4 !== undefined) complain(`netplan: dhcp4 of ${id} in ${where} is not a boolean`);
  if (Array.isArray(def.addresses)) {
    for (const a of def.addresses) {
      // Newer netplan allows `- 10.0.0.1/24: {lifetime: 0}`.
      if (typeof a === 'string') out.addresses.push(a);
      else if (isRecord(a)) out.addresses.push(...Object.keys(a));
    }
  }
  if (typeof def.gateway4 === 'string') out.gateway4 = def.gateway4;
  if (Array.isArray(def.routes)) {
    for (const r of def.routes) {
      if (!isRecord(r) || typeof r.via !== 'string' || r.via.includes(':')) continue;
      if (r.to === 'default' || r.to === '0.0.0.0/0') out.gateway4 ??= r.via;
    }
  }
  if (isRecord(def.nameservers) && Array.isArray(def.nameservers.addresses)) {
    out.nameservers = def.nameservers.addresses.filter((a): a is string => typeof a === 'string');
  }
  if (Array.isArray(def.interfaces)) out.members = def.interfaces.filter((i): i is string => typeof i === 'string');
  if (isRecord(def.parameters) && typeof def.parameters.mode === 'string') out.bondMode = def.parameters.mode;
  return out;
}

function mergeDefinitions(before: NetplanInterface, later: NetplanInterface): NetplanInterface {
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return {
    ...before,
    ...dropUndefined({ file: later.file, setName: later.setName, matchName: later.matchName, matchMac: later.matchMac, dhcp4: later.dhcp4, gateway4: later.gateway4, bondMode: later.bondMode }),
    addresses: union(before.addresses, later.addresses),
    nameservers: union(before.nameservers, later.nameservers),
    members: union(before.members, later.members),
  };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** netplan reads YAML 1.1 booleans: yes/no, on/off, true/false (the yaml package gives 1.2, so strings). */
function yamlBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v !== 'string') return undefined;
  if (/^(true|yes|on|y)$/i.test(v)) return true;
  if (/^(false|no|off|n)$/i.test(v)) return false;
  return undefined;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The IPv4 addressing each definition configures, for HostFacts.ipConfig. A definition that uses
 * `match:` names its interface by set-name, or by the host's interfaces its name glob or MAC selects.
 */
export function netplanIpConfig(interfaces: NetplanInterface[], known: KnownInterface[]): IpConfigFacts[] {
  const out: IpConfigFacts[] = [];
  for (const def of interfaces) {
    let names: string[];
    if (def.setName !== undefined) names = [def.setName];
    else if (def.matchName !== undefined || def.matchMac !== undefined) {
      names = selectInterfaces({ ...(def.matchName ? { names: [def.matchName] } : {}), ...(def.matchMac ? { macs: [def.matchMac] } : {}) }, known);
    } else names = [def.id];
    const v4 = def.addresses.filter((a) => !a.includes(':'));
    const method: IpConfigFacts['method'] = def.dhcp4 === true ? 'dhcp' : v4.length > 0 ? 'static' : 'none';
    for (const name of names) {
      const config: IpConfigFacts = { interface: name, method, source: def.file ? `netplan:${def.file}` : 'netplan' };
      if (v4[0] !== undefined) config.address = v4[0];
      if (def.gateway4 !== undefined) config.gateway = def.gateway4;
      if (def.nameservers.length) config.dns = [...def.nameservers];
      out.push(config);
    }
  }
  return out;
}
