import { hostname } from 'node:os';
import { NicLayout } from '../checks/nicLayout.js';
import type { Probe } from '../collect/evidence.js';
import { collectLocal } from '../collect/localTransport.js';
import { probeById } from '../collect/probes.js';
import { InputError } from '../engine/inputError.js';
import { loadProfile } from '../engine/loadRules.js';
import { buildHostFacts } from '../facts/buildHostFacts.js';
import type { HostFacts, NicFacts } from '../facts/schema.js';
import { naturalCompare, vethNames } from './watch.js';
import { alignColumns } from '../report/alignedColumns.js';
import { inertText } from '../report/inertText.js';

/**
 * The NIC table of `preflight cables` for this machine: what the scan already collects (the sys.net,
 * ip.addr and ethtool probes, through buildHostFacts) for every physical NIC and veth, with the role
 * the profile's layout expects of it. Rows are keyed by MAC and PCI slot, which survive renames;
 * the eth name is shown beside them.
 */

export const TABLE_PROBES = ['sys.net', 'ip.addr', 'ethtool'] as const;

export interface CableRow {
  mac: string | null;
  pciSlot: string | null;
  device: string;
  driver: string | null;
  speedMbps: number | null;
  /** Link detected now; false also when unreadable because the interface is administratively down (see adminUp). */
  carrier: boolean;
  adminUp: boolean | null;
  ipv4: string[];
  /** Role from the layout (management, A-link 1, A-link 2, production, bond with eth0), or null. */
  role: string | null;
}

export interface CableTable {
  host: string;
  collectedAt: string;
  profile: string;
  layout: NicLayout;
  nics: CableRow[];
  /** Layout NICs this machine does not have. */
  missing: { device: string; role: string }[];
  problems: string[];
}

/** The network.carrier rule's params.layout from a profile: the guide's eth0..eth4 roles. */
export function profileLayout(profile: string): NicLayout {
  const loaded = loadProfile(profile);
  const rule = loaded.rules.find((r) => r.id === 'network.carrier');
  if (!rule) throw new InputError(`profile ${profile}: no network.carrier rule, so no NIC layout to compare against`);
  const parsed = NicLayout.safeParse((rule.params as { layout?: unknown }).layout);
  if (!parsed.success) throw new InputError(`profile ${profile}: network.carrier params.layout: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** device -> role, in the guide's words. The bond partner always shows (its cable is checked like the others). */
export function layoutRoles(layout: NicLayout): Map<string, string> {
  return new Map([
    [layout.management, 'management'],
    [layout.alink1, 'A-link 1'],
    [layout.alink2, 'A-link 2'],
    [layout.production, 'production'],
    [layout.bondPartner, `bond with ${layout.management}`],
  ]);
}

/** Physical NICs, veth (the lab's cables), and whatever the layout names. */
export function isCableNic(n: NicFacts, roles: ReadonlyMap<string, string>, veth: ReadonlySet<string>): boolean {
  return n.kind === 'physical' || n.driver === 'veth' || veth.has(n.name) || roles.has(n.name);
}

/**
 * `veth`: names of veth interfaces (from `ip -d link`): the scan's ethtool probe reads only
 * interfaces with a bus device, so the facts know no driver for them.
 */
export function buildCableTable(
  facts: HostFacts,
  layout: NicLayout,
  meta: { host: string; collectedAt: string; profile: string },
  veth: ReadonlySet<string> = new Set(),
): CableTable {
  const roles = layoutRoles(layout);
  const nics = (facts.nics ?? [])
    .filter((n) => isCableNic(n, roles, veth))
    .sort((a, b) => naturalCompare(a.name, b.name))
    .map(
      (n): CableRow => ({
        mac: n.mac ?? null,
        pciSlot: n.pciSlot ?? null,
        device: n.name,
        driver: n.driver ?? (veth.has(n.name) ? 'veth' : null),
        speedMbps: n.speedMbps ?? null,
        carrier: n.carrier === true,
        adminUp: n.adminUp ?? null,
        ipv4: n.addresses.filter((a) => a.family === 'inet').map((a) => `${a.address}/${a.prefixLength}`),
        role: roles.get(n.name) ?? null,
      }),
    );
  const present = new Set(nics.map((r) => r.device));
  const missing = [...roles].filter(([dev]) => !present.has(dev)).map(([device, role]) => ({ device, role }));
  return { ...meta, layout, nics, missing, problems: facts.problems.map((p) => `${p.probe}: ${p.message}`) };
}

/** Runs the three probes on this machine and builds the table. */
export async function collectCableTable(profile: string): Promise<CableTable> {
  const layout = profileLayout(profile);
  const probes = TABLE_PROBES.map((id) => probeById(id)).filter((p): p is Probe => p !== undefined);
  const evidence = await collectLocal(probes, { inProcess: false });
  const facts = buildHostFacts(evidence);
  return buildCableTable(facts, layout, { host: hostname(), collectedAt: evidence.collectedAt, profile }, vethNames());
}

export function renderCableJson(t: CableTable): string {
  return `${JSON.stringify(t, null, 2)}\n`;
}

function carrierText(r: CableRow): string {
  if (r.carrier) return 'yes';
  return r.adminUp === false ? 'no (admin down)' : 'no';
}

function speedText(mbps: number | null): string {
  if (mbps === null) return '-';
  return mbps >= 1000 && mbps % 1000 === 0 ? `${mbps / 1000}G` : `${mbps}M`;
}

export function renderCableText(t: CableTable): string {
  const head = ['DEVICE', 'MAC', 'PCI', 'DRIVER', 'SPEED', 'CARRIER', 'IPV4', 'ROLE'];
  const rows = t.nics.map((r) => [
    r.device,
    r.mac ?? '-',
    r.pciSlot ?? '-',
    r.driver ?? '-',
    speedText(r.speedMbps),
    carrierText(r),
    r.ipv4.join(',') || '-',
    r.role ?? '-',
  ]);
  let out = `${inertText(t.host)}: ${t.nics.length} NIC${t.nics.length === 1 ? '' : 's'} (profile ${t.profile}, ${t.collectedAt})\n`;
  out += alignColumns(head, rows);
  for (const m of t.missing) out += `missing: ${m.device} (${m.role}) is not on this machine\n`;
  return out;
}

/**
 * Which interfaces are veth, for a host reached over SSH (vethNames() answers for this machine):
 * `ip -d link` names the link kind. JSON where iproute2 has it, one line per link otherwise.
 */
export const VETH_PROBE: Probe = {
  id: 'ip.link-kinds',
  description: 'the kind of every link (veth, bridge, bond, ...) from ip -d link',
  script: 'command -v ip >/dev/null 2>&1 || { echo "ip: not installed" >&2; exit 127; }; ip -j -d link show 2>/dev/null || ip -o -d link show',
  manual: 'ip -d link show',
  timeoutMs: 10_000,
  maxBytes: 1024 * 1024,
};

/** veth names from VETH_PROBE's output (either form); empty for anything else. */
export function parseVethNames(text: string): Set<string> {
  const out = new Set<string>();
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const links = JSON.parse(trimmed) as { ifname?: unknown; linkinfo?: { info_kind?: unknown } }[];
      for (const l of Array.isArray(links) ? links : []) {
        if (l && typeof l.ifname === 'string' && l.linkinfo?.info_kind === 'veth') out.add(l.ifname);
      }
    } catch {
      /* not JSON after all: no veth known */
    }
    return out;
  }
  for (const line of trimmed.split('\n')) {
    // "5: eth1@if4: <BROADCAST,...> ... \    link/ether ... \    veth addrgenmode ..."
    const m = /^\d+:\s+([^:@\s]+)(?:@\S+)?:/.exec(line);
    if (m && /\\\s+veth(?:\s|$)/.test(line)) out.add(m[1]!);
  }
  return out;
}
