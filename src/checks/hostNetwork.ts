import type { AddressFacts, HostFacts, NicFacts, PifFacts, RouteFacts } from '../facts/schema.js';

/**
 * Read-only helpers over a host's network facts, shared by the network checks: which interfaces
 * belong together (bond slaves, bridge ports, XenServer bond PIFs, the xenbrN naming convention),
 * and where an interface's IPv4 address actually sits.
 */

export function nicNamed(facts: HostFacts, name: string): NicFacts | undefined {
  return facts.nics?.find((n) => n.name === name);
}

/** PIFs of this host only: `xe pif-list` lists every host of the pool. */
export function hostPifs(facts: HostFacts): PifFacts[] {
  const xs = facts.xenserver;
  if (!xs?.pifs) return [];
  return xs.pifs.filter((p) => {
    if (p.hostUuid && xs.installationUuid) return p.hostUuid === xs.installationUuid;
    if (p.hostName && xs.hostName) return p.hostName === xs.hostName;
    return true;
  });
}

/** The untagged PIF of a device (VLAN PIFs share the device name). */
export function pifForDevice(facts: HostFacts, device: string): PifFacts | undefined {
  const pifs = hostPifs(facts).filter((p) => p.device === device);
  return pifs.find((p) => p.vlan === undefined || p.vlan < 0) ?? pifs[0];
}

export function ipv4(nic: NicFacts | undefined): AddressFacts[] {
  return nic ? nic.addresses.filter((a) => a.family === 'inet') : [];
}

export function isDefaultRoute(r: RouteFacts): boolean {
  return r.destination === 'default' || r.destination === '0.0.0.0/0';
}

/**
 * Every interface below `name`: bond slaves, bridge ports, slaves of a XenServer bond PIF, and
 * their own members. When nothing is known, the XenServer convention "xenbrN bridges ethN"
 * (guide, Chapter 3) stands in, because Open vSwitch bridges leave no sysfs trace.
 */
export function membersOf(facts: HostFacts, name: string, seen: Set<string> = new Set()): string[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const direct = new Set<string>();
  for (const n of facts.nics ?? []) if (n.master === name) direct.add(n.name);
  for (const s of nicNamed(facts, name)?.bondSlaves ?? []) direct.add(s);
  const bondPif = hostPifs(facts).find((p) => p.device === name && p.bondMasterOf);
  if (bondPif) {
    for (const p of hostPifs(facts)) if (p.bondSlaveOf === bondPif.bondMasterOf && p.device) direct.add(p.device);
  }
  const conventional = /^xenbr(\d+)$/.exec(name);
  if (direct.size === 0 && conventional) direct.add(`eth${conventional[1]}`);
  const all: string[] = [];
  for (const d of direct) {
    if (d === name || seen.has(d)) continue;
    all.push(d, ...membersOf(facts, d, seen));
  }
  return [...new Set(all)];
}

/** Interfaces above `name`: its bond, then that bond's bridge (sysfs masters, or xenbrN for ethN). */
export function mastersOf(facts: HostFacts, name: string): string[] {
  const out: string[] = [];
  let current = name;
  for (let i = 0; i < 4; i++) {
    const master = nicNamed(facts, current)?.master;
    if (!master || out.includes(master) || master === name) break;
    out.push(master);
    current = master;
  }
  const eth = /^eth(\d+)$/.exec(name);
  if (out.length === 0 && eth && nicNamed(facts, `xenbr${eth[1]}`)) out.push(`xenbr${eth[1]}`);
  return out;
}

/** Two names stand for the same network path: equal, or one is a member of the other. */
export function samePath(facts: HostFacts, a: string, b: string): boolean {
  return a === b || membersOf(facts, a).includes(b) || membersOf(facts, b).includes(a);
}

/** The interface that carries `name`'s IPv4 address: itself, or the bond or bridge above it. */
export function addressHolder(facts: HostFacts, name: string): NicFacts | undefined {
  for (const candidate of [name, ...mastersOf(facts, name)]) {
    const nic = nicNamed(facts, candidate);
    if (ipv4(nic).length) return nic;
  }
  return undefined;
}

/** Physical NICs: from sysfs, or (when sysfs was unreadable) the host's physical PIFs. */
export function physicalNicNames(facts: HostFacts): string[] | undefined {
  if (facts.nics) return facts.nics.filter((n) => n.kind === 'physical').map((n) => n.name);
  const pifs = hostPifs(facts).filter((p) => p.physical && p.device);
  return pifs.length ? [...new Set(pifs.map((p) => p.device!))] : undefined;
}

/** Sorts eth2 before eth10. */
export function byName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
