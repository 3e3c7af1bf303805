import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { InputError } from './inputError.js';
import { located, parseYamlText, readYamlFile, validateWith, type YamlSource } from './yamlFile.js';

/**
 * The site plan (`--plan FILE`): what the site intends, so the report can show expected against
 * found and the pool rules use the site's layout instead of the guide's default (eth0..eth4).
 * Per host (by the name used with --host or in the inventory): which NIC, by interface name or
 * MAC, has which role, and the intended address, subnet and gateway; for the pool: the quorum
 * servers, the isolation IP and whether the A-links are direct cables or switched.
 *
 * The zod schema checks shapes and syntax; loadPlan then checks what a schema cannot say (one
 * role per NIC, an address inside its subnet, no address planned twice), with file:line:col.
 */

export const NicRole = z.enum(['management', 'alink1', 'alink2', 'production', 'bond']);
export type NicRole = z.infer<typeof NicRole>;

const QUORUM_PORT = 2189;
const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;
// Linux interface names: 1..15 bytes, no whitespace, "/" or ":" (so a MAC can never be a name).
const IFNAME = /^[^\s/:]{1,15}$/;

/** A string check whose message quotes the refused value. */
const checked = (ok: (s: string) => boolean, expected: string) =>
  z.string().refine(ok, { error: (issue) => `expected ${expected}, got ${JSON.stringify(issue.input)}` });

const NicId = checked(
  (s) => MAC.test(s) || (IFNAME.test(s) && s !== '.' && s !== '..'),
  'an interface name (eth1: up to 15 characters, no spaces, "/" or ":") or a MAC address (00:1b:21:3a:4f:10)',
);
const IpAddress = checked((s) => parseIp(s) !== undefined, 'an IPv4 or IPv6 address such as 10.0.0.11');
const Subnet = checked((s) => parseCidr(s) !== undefined, 'a subnet in CIDR form such as 10.0.0.0/24');

const PORT_RANGE = 'expected a port number 1..65535';
const Port = z.number().int().min(1, PORT_RANGE).max(65535, PORT_RANGE);

export const PlannedNicEntry = z
  .object({
    nic: NicId.describe('interface name (eth1) or MAC address (00:1b:21:3a:4f:10)'),
    role: NicRole.describe('management, alink1, alink2, production, or bond (a member bonded with another NIC)'),
    address: IpAddress.optional().describe('intended static address of this NIC'),
    subnet: Subnet.optional().describe('its subnet, CIDR (10.0.0.0/24); required with address'),
    gateway: IpAddress.optional().describe('default gateway on this subnet (management NIC)'),
    bondWith: z.enum(['management', 'production']).optional().describe("role bond only: the NIC it is bonded with (default management, the guide's eth0+eth4 bond)"),
  })
  .strict();

export const PlannedHostEntry = z
  .object({
    nics: z.array(PlannedNicEntry).min(1).describe('the NICs this host uses, each with its role'),
  })
  .strict();

export const QuorumServerEntry = z
  .object({
    address: IpAddress.describe('IP address of the quorum service computer'),
    port: Port.optional().describe(`UDP port of the quorum service (default ${QUORUM_PORT})`),
  })
  .strict();

export const PlanFile = z
  .object({
    alinks: z.enum(['direct', 'switched']).optional().describe('A-links as direct cables between two hosts, or through switches'),
    isolationIp: IpAddress.optional().describe("address every host must reach (default: the management subnet's gateway)"),
    quorum: z
      .object({ preferred: QuorumServerEntry, alternate: QuorumServerEntry.optional() })
      .strict()
      .optional()
      .describe('quorum service computers: required with more than two hosts, switched A-links or several sites'),
    hosts: z
      .record(z.string(), PlannedHostEntry)
      .refine((h) => Object.keys(h).length > 0, 'expected at least one host: an empty plan asserts nothing')
      .describe('per host, by the name used with --host or in the inventory'),
  })
  .strict();

export interface PlannedNic {
  /** as written for a name (eth1); lower-case colon form for a MAC */
  nic: string;
  match: 'name' | 'mac';
  role: NicRole;
  /** normalised address (IPv6 compressed) */
  address?: string;
  /** normalised network/prefix, e.g. 10.0.0.0/24 */
  subnet?: string;
  gateway?: string;
  /** role bond only: the role of the NIC it is bonded with */
  bondWith?: 'management' | 'production';
}

export interface PlannedHost {
  name: string;
  nics: PlannedNic[];
}

export interface QuorumServer {
  address: string;
  port: number;
}

export interface SitePlan {
  file: string;
  /** absent: the plan does not say (the guide's two-host layout uses direct cables) */
  alinks?: 'direct' | 'switched';
  isolationIp?: string;
  quorum?: { preferred: QuorumServer; alternate?: QuorumServer };
  /** in file order */
  hosts: PlannedHost[];
}

export function loadPlan(file: string): SitePlan {
  return planFrom(readYamlFile(file));
}

/** A plan from its text (a support bundle stores the plan a scan used); `file` names it in messages. */
export function parsePlan(file: string, text: string): SitePlan {
  return planFrom(parseYamlText(file, text));
}

function planFrom(src: YamlSource): SitePlan {
  const file = src.file;
  const data = validateWith(src, PlanFile);
  const refuse = (path: PropertyKey[], message: string) => new InputError(located(src, path, message));

  const addressOwners = new Map<string, string>();
  const hosts = Object.entries(data.hosts).map(([name, entry]): PlannedHost => {
    if (/[\s\x00-\x1f\x7f]/.test(name) || name === '') {
      throw refuse(['hosts', name], `host name ${JSON.stringify(name)} is empty or contains whitespace: use the name given with --host or in the inventory`);
    }
    const nics = entry.nics.map((n, i) => planNic(src, n, ['hosts', name, 'nics', i]));
    checkNicRoles(src, name, nics);
    nics.forEach((n, i) => {
      if (n.address === undefined) return;
      const owner = `host "${name}" ${n.nic}`;
      const first = addressOwners.get(n.address);
      if (first) throw refuse(['hosts', name, 'nics', i, 'address'], `address ${n.address} is planned twice: for ${first} and for ${owner}`);
      addressOwners.set(n.address, owner);
    });
    return { name, nics };
  });

  const plan: SitePlan = { file, hosts };
  if (data.alinks) plan.alinks = data.alinks;
  if (data.isolationIp) plan.isolationIp = parseIp(data.isolationIp)!.toString();
  if (data.quorum) {
    const server = (q: z.infer<typeof QuorumServerEntry>): QuorumServer => ({ address: parseIp(q.address)!.toString(), port: q.port ?? QUORUM_PORT });
    const preferred = server(data.quorum.preferred);
    plan.quorum = { preferred };
    if (data.quorum.alternate) {
      const alternate = server(data.quorum.alternate);
      if (alternate.address === preferred.address && alternate.port === preferred.port) {
        throw refuse(['quorum', 'alternate'], `the alternate quorum server is the preferred one (${preferred.address} port ${preferred.port}): give two different computers`);
      }
      plan.quorum.alternate = alternate;
    }
  }
  return plan;
}

function planNic(src: YamlSource, n: z.infer<typeof PlannedNicEntry>, path: PropertyKey[]): PlannedNic {
  const refuse = (key: string, message: string) => new InputError(located(src, [...path, key], message));
  const isMac = MAC.test(n.nic);
  const nic: PlannedNic = { nic: isMac ? n.nic.toLowerCase().replace(/-/g, ':') : n.nic, match: isMac ? 'mac' : 'name', role: n.role };

  if (n.role === 'bond') {
    for (const key of ['address', 'subnet', 'gateway'] as const) {
      if (n[key] !== undefined) throw refuse(key, `NIC ${nic.nic} is a bond member (role bond): its ${key} belongs on the ${n.bondWith ?? 'management'} NIC it is bonded with`);
    }
    nic.bondWith = n.bondWith ?? 'management';
    return nic;
  }
  if (n.bondWith !== undefined) throw refuse('bondWith', `bondWith is for NICs with role bond; NIC ${nic.nic} has role ${n.role}`);

  const subnet = n.subnet === undefined ? undefined : parseCidr(n.subnet)!;
  if (subnet) {
    const network = networkAddress(subnet);
    if (network.toString() !== subnet[0].toString()) {
      throw refuse('subnet', `subnet ${n.subnet} has host bits set: did you mean ${network.toString()}/${subnet[1]}?`);
    }
    nic.subnet = `${network.toString()}/${subnet[1]}`;
  }
  const inSubnet = (key: 'address' | 'gateway', text: string): string => {
    const ip = parseIp(text)!;
    if (!subnet) throw refuse(key, `${key} ${ip.toString()} of NIC ${nic.nic} needs the subnet it is in (subnet: NETWORK/PREFIX)`);
    if (ip.kind() !== subnet[0].kind() || !ip.match(subnet)) throw refuse(key, `${key} ${ip.toString()} is outside its subnet ${nic.subnet}`);
    if (ip.kind() === 'ipv4' && subnet[1] <= 30) {
      if (ip.toString() === nic.subnet!.split('/')[0]) throw refuse(key, `${key} ${ip.toString()} is the network address of ${nic.subnet}, not a host address`);
      if (ip.toString() === ipaddr.IPv4.broadcastAddressFromCIDR(nic.subnet!).toString()) {
        throw refuse(key, `${key} ${ip.toString()} is the broadcast address of ${nic.subnet}, not a host address`);
      }
    }
    return ip.toString();
  };
  if (n.address !== undefined) nic.address = inSubnet('address', n.address);
  if (n.gateway !== undefined) {
    nic.gateway = inSubnet('gateway', n.gateway);
    if (nic.gateway === nic.address) throw refuse('gateway', `gateway ${nic.gateway} is the NIC's own address`);
  }
  return nic;
}

/** One role per NIC, one NIC per role (bond members excepted), and a bond needs its partner. */
function checkNicRoles(src: YamlSource, host: string, nics: PlannedNic[]): void {
  const at = (i: number, key: string) => ['hosts', host, 'nics', i, key];
  const byNic = new Map<string, number>();
  const byRole = new Map<NicRole, number>();
  nics.forEach((n, i) => {
    // Names are compared as written (Linux names are case-sensitive); MACs are already normalised.
    const key = n.nic;
    const first = byNic.get(key);
    if (first !== undefined) {
      throw new InputError(located(src, at(i, 'nic'), `NIC ${n.nic} of host "${host}" is given two roles: ${nics[first]!.role} (nics[${first}]) and ${n.role}`));
    }
    byNic.set(key, i);
    if (n.role === 'bond') return;
    const sameRole = byRole.get(n.role);
    if (sameRole !== undefined) {
      throw new InputError(located(src, at(i, 'role'), `host "${host}" has two ${n.role} NICs: ${nics[sameRole]!.nic} (nics[${sameRole}]) and ${n.nic}`));
    }
    byRole.set(n.role, i);
  });
  nics.forEach((n, i) => {
    if (n.role === 'bond' && !byRole.has(n.bondWith!)) {
      throw new InputError(located(src, at(i, 'role'), `bond member ${n.nic} is bonded with the ${n.bondWith} NIC, but host "${host}" has no NIC with role ${n.bondWith}`));
    }
  });
}

/** A dotted-quad IPv4 (no octal or short forms) or an IPv6 address without a zone. */
function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (text.includes(':')) return !text.includes('%') && ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : undefined;
  return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : undefined;
}

function parseCidr(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  const m = /^([^/]+)\/([0-9]{1,3})$/.exec(text);
  if (!m) return undefined;
  const ip = parseIp(m[1]!);
  const prefix = Number(m[2]);
  if (!ip || prefix > (ip.kind() === 'ipv4' ? 32 : 128)) return undefined;
  return [ip, prefix];
}

function networkAddress([ip, prefix]: [ipaddr.IPv4 | ipaddr.IPv6, number]): ipaddr.IPv4 | ipaddr.IPv6 {
  const cidr = `${ip.toString()}/${prefix}`;
  return ip.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
}
