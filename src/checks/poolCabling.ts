import { z } from 'zod';
import { PORT_TABLE_EVIDENCE, portTableFromEvidence } from '../cables/loadPortTable.js';
import type { PortRow, PortVerdict } from '../cables/portTable.js';
import type { Status } from '../engine/types.js';
import type { HostFacts } from '../facts/schema.js';
import { hostPifs, nicNamed } from './hostNetwork.js';
import { whyMissing } from './missingFacts.js';
import { layoutNics, NicLayout } from './nicLayout.js';
import { hostLayout, joinNames, summarizeRows } from './poolNetTests.js';
import { unreachableText } from './poolHosts.js';
import type { HostContext, PoolCheck } from './types.js';

/**
 * pool.cabling: the port table that `preflight cables` proved by pulling each cable (scan --cables
 * FILE), judged against the hosts as the scan finds them now. The table is evidence (one item per
 * host, PORT_TABLE_EVIDENCE), so this stays a pure function and replays from a bundle. Rows are
 * keyed by MAC: when a MAC now sits on another interface name, the verdicts no longer describe
 * the NICs the layout names, and that is a failure of its own.
 */

const Params = z.object({ layout: NicLayout }).strict();
export type PoolCablingParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'skip', 'error'];

/** Verdicts that say the cable is wrong (fail) and those that only say it was not proven (warn). */
const BAD: ReadonlySet<PortVerdict> = new Set(['crossed', 'wrong-peer', 'no-change', 'carrier-not-back', 'no-carrier']);
const OPEN: ReadonlySet<PortVerdict> = new Set(['skipped', 'not-tested']);

/** A NIC of the host now, as identity: sysfs interfaces and XenServer PIFs alike. */
interface CurrentNic {
  name: string;
  mac?: string;
  pciSlot?: string;
  /** Enslaved to a bond: its sysfs address is the bond's, not its own. */
  bondSlave: boolean;
  /** Backed by a device (a bridge or OVS port of the same MAC is not). */
  physical: boolean;
}

/** Where a row of the table is now: the same name, another name (renamed), or on no NIC at all. */
type Whereabouts = { kind: 'same' } | { kind: 'renamed'; now: string; by: 'MAC' | 'PCI slot' } | { kind: 'gone' };

interface Line {
  status: Status;
  text: string;
}

const lower = (s: string | null | undefined) => s?.toLowerCase();

export const poolCabling: PoolCheck<PoolCablingParams> = {
  name: 'pool-cabling',
  scope: 'pool',
  description:
    "the port table of `preflight cables` (scan --cables FILE): every layout NIC of every scanned host was proven by unplugging its cable (verdict ok), and each row's MAC still belongs to the interface name the table gives it",
  params: Params,
  // The port table is an evidence item of its own (cables.port-table), not a probe; the current
  // NIC names and MACs come from sysfs, ip and the XenServer PIFs.
  probes: ['sys.net', 'ip.addr', 'xe.pif-list'],
  evaluate(ctx, { layout }) {
    const expected = `a port table (preflight cables --out FILE.json, given with --cables) in which every layout NIC of every host (${layoutNics(layout, layout.bondManagement)
      .map((n) => `${n.name} ${n.role}`)
      .join(', ')}) has verdict ok, and whose MAC addresses still belong to the same interface names`;
    const given = ctx.hosts.filter((h) => h.evidence?.evidence[PORT_TABLE_EVIDENCE] !== undefined);
    if (given.length === 0) {
      return {
        status: 'skip',
        observed: ctx.hosts.length === 0 ? 'no host was scanned' : 'no port table given',
        expected,
        message:
          ctx.hosts.length === 0
            ? 'No host was scanned.'
            : 'No port table was given: run "preflight cables" on the hosts (it pulls each cable with you and writes the table with --out ports.json), then scan with --cables ports.json.',
      };
    }
    const lines: Line[] = [];
    for (const h of ctx.hosts) lines.push(...judgeHost(h, layout));
    for (const u of ctx.unreachable) {
      lines.push({ status: 'error', text: `${u.host}: its NICs cannot be compared with the port table: ${unreachableText([u])}` });
    }
    const { observed, status, worstText: bad } = summarizeRows(lines);
    switch (status) {
      case 'fail':
        return {
          status,
          observed,
          expected,
          message: `${bad}. Fix the cabling the walkthrough found wrong (A-links run ${layout.alink1} to ${layout.alink1} and ${layout.alink2} to ${layout.alink2}, directly between the hosts), and where interface names changed, fix the NIC naming or the layout; then run "preflight cables" again and scan with the new table.`,
        };
      case 'error':
        return { status, observed, expected, message: `Cannot judge the cabling of every host: ${bad}.` };
      case 'warn':
        return {
          status,
          observed,
          expected,
          message: `The cabling is not proven everywhere: ${bad}. Run "preflight cables" for these hosts and ports (unplug each cable when asked) and scan again with the new table.`,
        };
      case 'skip':
        return { status, observed, expected, message: `Nothing to judge: ${bad}.` };
      default:
        return {
          status: 'pass',
          observed,
          expected,
          message: `Every layout NIC of ${joinNames(ctx.hosts.map((h) => h.host))} was proven by unplugging its cable, and each still has the name the port table gives it.`,
        };
    }
  },
};

function judgeHost(h: HostContext, ruleLayout: NicLayout): Line[] {
  const ev = h.evidence?.evidence[PORT_TABLE_EVIDENCE];
  if (!ev) return [{ status: 'warn', text: `${h.host}: not in the port table (the table was not given for this host)` }];
  const table = portTableFromEvidence(ev);
  if (typeof table === 'string') return [{ status: 'error', text: `${h.host}: ${table}` }];
  if (table.rows.length === 0) {
    const listed = table.hosts.map((x) => x.name);
    return [{ status: 'warn', text: `${h.host}: not in the port table (it lists ${listed.length ? joinNames(listed) : 'no host'}; hosts are matched by name)` }];
  }
  const current = currentNics(h.facts);
  if (current.length === 0) {
    return [{ status: 'error', text: `${h.host}: cannot compare the port table with the NICs now: ${whyMissing(h.facts, ['sys.net', 'xe.pif-list'])}` }];
  }
  const layout = hostLayout(h, ruleLayout);
  const lines: Line[] = [];
  const placed = table.rows.map((row) => ({ row, where: whereIs(row, current, table.rows) }));

  // Names drift: a row whose MAC (or PCI slot) is now on another interface describes another port.
  for (const { row, where } of placed) {
    if (where.kind === 'renamed') {
      lines.push({
        status: 'fail',
        text: `${h.host}: the port${labelText(row)} with ${where.by} ${where.by === 'MAC' ? row.mac : row.pciSlot} was ${row.device} in the port table and is ${where.now} now (interface names drift; the table's verdict for ${row.device} is about the NIC now called ${where.now})`,
      });
    }
  }

  const bonded = layout.bondManagement || isBondSlave(h.facts, layout.bondPartner) || placed.some((p) => p.where.kind === 'same' && p.row.role === 'bond' && p.row.device === layout.bondPartner);
  for (const port of layoutNics(layout, bonded)) {
    const mine = placed.find((p) => p.where.kind === 'same' && p.row.device === port.name);
    if (mine) {
      lines.push(judgeRow(h.host, port.role, mine.row));
      continue;
    }
    if (placed.some((p) => p.where.kind === 'renamed' && (p.where.now === port.name || p.row.device === port.name))) continue; // said above
    const gone = placed.find((p) => p.where.kind === 'gone' && p.row.device === port.name);
    const now = current.find((n) => n.name === port.name);
    if (gone) {
      lines.push({
        status: 'warn',
        text: `${h.host} ${port.name} (${port.role}): the port table's ${port.name}${labelText(gone.row)} had MAC ${gone.row.mac ?? 'unknown'}${gone.row.pciSlot ? ` (PCI ${gone.row.pciSlot})` : ''}, which no NIC of ${h.host} has now${now?.mac ? ` (${port.name} is ${now.mac})` : ''}: a NIC was replaced since the walkthrough`,
      });
      continue;
    }
    lines.push({ status: 'warn', text: `${h.host} ${port.name} (${port.role}): not in the port table${now ? '' : `, and ${h.host} has no ${port.name}`}` });
  }
  return lines;
}

function judgeRow(host: string, role: string, row: PortRow): Line {
  const name = `${host} ${row.device}${labelText(row)} (${role})`;
  const seen = `${row.verdict}: ${row.detail}`;
  if (BAD.has(row.verdict)) return { status: 'fail', text: `${name}: ${seen}` };
  if (OPEN.has(row.verdict)) return { status: 'warn', text: `${name}: ${row.verdict === 'skipped' ? 'skipped in the walkthrough' : 'not tested (the walkthrough ended before it)'}` };
  if (row.rehearsal?.verdict === 'failed') return { status: 'fail', text: `${name}: ok, but the failover rehearsal failed: ${row.rehearsal.detail}` };
  const peer = row.peer ? `, cabled to ${row.peer.host}:${row.peer.device}` : '';
  const rehearsal = row.rehearsal?.verdict === 'ok' ? ', failover rehearsed' : '';
  return { status: 'pass', text: `${name}: ok${peer}${rehearsal}` };
}

function labelText(row: PortRow): string {
  return row.label ? ` ("${row.label}")` : '';
}

/** The host's NICs now, from sysfs and (on XenServer) the PIFs; bonds, bridges, VLANs and lo have no port. */
function currentNics(facts: HostFacts): CurrentNic[] {
  const out: CurrentNic[] = [];
  for (const n of facts.nics ?? []) {
    if (n.kind === 'bond' || n.kind === 'bridge' || n.kind === 'vlan' || n.kind === 'loopback') continue;
    out.push({
      name: n.name,
      ...(n.mac ? { mac: n.mac } : {}),
      ...(n.pciSlot ? { pciSlot: n.pciSlot } : {}),
      bondSlave: isBondSlave(facts, n.name),
      physical: n.kind === 'physical',
    });
  }
  for (const p of hostPifs(facts)) {
    if (!p.device || p.bondMasterOf || (p.vlan !== undefined && p.vlan >= 0) || p.physical === false) continue;
    if (out.some((n) => n.name === p.device)) continue;
    out.push({ name: p.device, ...(p.mac ? { mac: p.mac } : {}), bondSlave: p.bondSlaveOf !== undefined, physical: true });
  }
  return out;
}

function isBondSlave(facts: HostFacts, name: string): boolean {
  const nic = nicNamed(facts, name);
  if (nic?.master !== undefined && nicNamed(facts, nic.master)?.kind === 'bond') return true;
  if (facts.nics?.some((n) => n.bondSlaves?.includes(name))) return true;
  return hostPifs(facts).some((p) => p.device === name && p.bondSlaveOf !== undefined);
}

/**
 * Where a row's port is now. By MAC first; a bond gives its slaves the bond's address and a
 * bridge takes its port's, so a MAC that several NICs share counts as found when one of them has
 * the row's name. Then by PCI slot,
 * when the slot names one port in the table and one NIC now (dual-port cards can share a slot).
 */
function whereIs(row: PortRow, current: readonly CurrentNic[], rows: readonly PortRow[]): Whereabouts {
  if (row.mac) {
    const holders = current.filter((n) => lower(n.mac) === lower(row.mac));
    if (holders.some((n) => n.name === row.device)) return { kind: 'same' };
    // A bridge or OVS port can share the NIC's MAC: the NIC with a device behind it is the port.
    const own = holders.filter((n) => !n.bondSlave);
    const port = own.length === 1 ? own[0] : own.filter((n) => n.physical).length === 1 ? own.find((n) => n.physical) : undefined;
    if (port) return { kind: 'renamed', now: port.name, by: 'MAC' };
  }
  if (row.pciSlot) {
    const slot = lower(row.pciSlot);
    const holders = current.filter((n) => lower(n.pciSlot) === slot);
    if (holders.some((n) => n.name === row.device)) return { kind: 'same' };
    if (holders.length === 1 && rows.filter((r) => lower(r.pciSlot) === slot).length === 1) return { kind: 'renamed', now: holders[0]!.name, by: 'PCI slot' };
  }
  // Not found by identity. A NIC of that name whose address a bond masks, or a row that carries
  // no identity at all, is taken by its name; otherwise the port is not on the host any more.
  const byName = current.find((n) => n.name === row.device);
  if (byName && (byName.bondSlave || (!row.mac && !row.pciSlot))) return { kind: 'same' };
  if (byName && row.mac && !byName.mac && !row.pciSlot) return { kind: 'same' };
  return { kind: 'gone' };
}
