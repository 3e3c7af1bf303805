import { readFileSync, readdirSync } from 'node:fs';
import Handlebars from 'handlebars';
import type { Finding } from '../engine/types.js';
import type { HostFacts, NicFacts } from '../facts/schema.js';
import type { HostReport, Report } from './schema.js';
import {
  DISPLAY_ORDER,
  displayStatus,
  formatDuration,
  formatTimestamp,
  sortForDisplay,
  tallyFindings,
  type DisplayStatus,
} from './formats.js';

/**
 * The HTML report: one self-contained file (inline CSS, no scripts, no external URL) that reads
 * well on screen and on paper. All decisions about what to show are made here, in a plain view
 * model; the handlebars templates only lay it out, and they only use `{{ }}` (escaped) output.
 */

/** `templates/` at the package root: `src/report/` under vitest, `dist/report/` after tsc. */
const TEMPLATE_DIR = new URL('../../templates/', import.meta.url);
const PARTIAL_DIR = new URL('partials/', TEMPLATE_DIR);

export function renderHtml(report: Report): string {
  const hbs = Handlebars.create();
  for (const file of readdirSync(PARTIAL_DIR).filter((f) => f.endsWith('.hbs')).sort()) {
    hbs.registerPartial(file.slice(0, -'.hbs'.length), readFileSync(new URL(file, PARTIAL_DIR), 'utf8'));
  }
  // strict: a misspelt field in a template is an error, not a silently empty cell.
  // preventIndent: partials must not re-indent multi-line text shown with white-space: pre-wrap.
  const template = hbs.compile(readFileSync(new URL('report.hbs', TEMPLATE_DIR), 'utf8'), {
    strict: true,
    preventIndent: true,
  });
  return template(buildView(report));
}

// --- view model ---------------------------------------------------------------------------

const STATUS_LABEL: Record<DisplayStatus, string> = {
  fail: 'FAIL',
  warn: 'WARN',
  error: 'ERROR',
  waived: 'WAIVED',
  skip: 'SKIP',
  pass: 'PASS',
};

const SUMMARY_LABEL: Record<DisplayStatus, string> = {
  fail: 'Failed',
  warn: 'Warnings',
  error: 'Errors',
  waived: 'Waived',
  skip: 'Skipped',
  pass: 'Passed',
};

const GROUPS: { title: string; statuses: DisplayStatus[] }[] = [
  { title: 'Needs attention', statuses: ['fail', 'warn'] },
  { title: 'Could not be evaluated', statuses: ['error'] },
  { title: 'Waived and skipped', statuses: ['waived', 'skip'] },
  { title: 'Passed', statuses: ['pass'] },
];

interface Row {
  cells: Cell[];
}
interface Cell {
  text: string;
  /** Rendered in a monospace face (addresses, ids). */
  mono: boolean;
  /** A muted dash for "not known". */
  missing: boolean;
  /** A second, smaller line (where a value came from, a detail). */
  sub: string | null;
  /** Keep on one line (MACs, speeds). */
  nowrap: boolean;
}
interface Table {
  title: string;
  headers: string[];
  rows: Row[];
  empty: string | null;
  note: string | null;
}
interface KeyValueTable {
  title: string;
  rows: { key: string; value: Cell }[];
  note: string | null;
}

function buildView(report: Report) {
  const hosts = report.hosts.map((h, i) => hostView(h, `host-${i}`));
  const pool = sortForDisplay(report.pool.findings);
  return {
    title: `Preflight report: ${report.profile}`,
    toolName: report.tool.name,
    toolVersion: report.tool.version,
    profile: report.profile,
    schemaVersion: report.schemaVersion,
    startedAt: formatTimestamp(report.startedAt),
    startedAtIso: report.startedAt,
    duration: formatDuration(report.durationMs),
    hostCount: report.hosts.length,
    unreachableCount: report.hosts.filter((h) => !h.reachable).length,
    summary: DISPLAY_ORDER.map((s) => ({
      status: s,
      label: SUMMARY_LABEL[s],
      count: s === 'waived' ? report.summary.waived : report.summary[s],
    })),
    hosts,
    pool: {
      id: 'pool',
      findingCount: pool.length,
      groups: groupFindings(pool, 'pool'),
      tally: tallyView(pool),
    },
  };
}

function hostView(host: HostReport, id: string) {
  const sorted = sortForDisplay(host.findings);
  const f = host.facts;
  return {
    id,
    name: host.name,
    address: host.address,
    role: host.role,
    reachable: host.reachable,
    error: host.reachable ? null : (host.error ?? 'no reason given'),
    system: f ? systemLine(f) : null,
    findingCount: sorted.length,
    tally: tallyView(sorted),
    groups: groupFindings(sorted, id),
    facts: f ? factsView(f) : null,
  };
}

function tallyView(findings: readonly Finding[]) {
  const t = tallyFindings(findings);
  return DISPLAY_ORDER.filter((s) => t[s] > 0).map((s) => ({ status: s, label: STATUS_LABEL[s], count: t[s] }));
}

function groupFindings(findings: readonly Finding[], anchor: string) {
  return GROUPS.map((g) => ({
    title: g.title,
    findings: findings.filter((f) => g.statuses.includes(displayStatus(f))).map((f, i) => findingView(f, `${anchor}-${g.statuses[0]}-${i}`)),
  })).filter((g) => g.findings.length > 0);
}

function findingView(f: Finding, id: string) {
  const status = displayStatus(f);
  let waiver: { state: string; text: string } | null = null;
  if (f.waiver !== undefined) {
    const until = f.waiver.expires !== undefined ? ` (until ${f.waiver.expires})` : '';
    const file = f.waiver.file !== undefined ? ` [${f.waiver.file}]` : '';
    waiver = f.waiver.expired
      ? { state: 'expired', text: `Waiver expired${f.waiver.expires !== undefined ? ` on ${f.waiver.expires}` : ''}: ${f.waiver.reason}${file}. The finding counts as ${f.status} again.` }
      : { state: 'active', text: `Waived: ${f.waiver.reason}${until}${file}. Real result: ${f.status}.` };
  }
  return {
    id,
    status,
    label: STATUS_LABEL[status],
    compact: status === 'pass',
    rule: f.rule,
    title: f.title,
    severity: f.severity,
    observed: textOrNull(f.observed),
    expected: textOrNull(f.expected),
    message: textOrNull(f.message),
    reference: textOrNull(f.reference),
    remediation: status === 'pass' ? null : textOrNull(f.remediation),
    evidence: f.evidence.map((e) => ({ probe: e.probe, source: e.source, manual: e.manual })),
    waiver,
  };
}

function textOrNull(s: string): string | null {
  return s.trim() === '' ? null : s;
}

function systemLine(f: HostFacts): string | null {
  const parts: string[] = [];
  const xs = f.xenserver;
  if (xs?.productBrand !== undefined || xs?.productVersion !== undefined) {
    parts.push([xs.productBrand ?? 'XenServer', xs.productVersion, xs.buildNumber ? `build ${xs.buildNumber}` : undefined].filter(Boolean).join(' '));
  } else if (f.os.distribution !== undefined) {
    parts.push(f.os.distribution);
  }
  if (f.os.kernelRelease !== undefined) parts.push(`kernel ${f.os.kernelRelease}${f.os.machine ? ` (${f.os.machine})` : ''}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

// --- facts tables -------------------------------------------------------------------------

const cell = (value: string | number | undefined | null, mono = false, extra: { sub?: string; nowrap?: boolean } = {}): Cell =>
  value === undefined || value === null || value === ''
    ? { text: '—', mono: false, missing: true, sub: null, nowrap: false }
    : { text: String(value), mono, missing: false, sub: extra.sub ?? null, nowrap: extra.nowrap ?? false };

/** Bytes as GiB with the unit stated; small sizes keep two decimals so they do not read as zero. */
export function formatGiB(bytes: number | undefined): string | undefined {
  if (bytes === undefined || !Number.isFinite(bytes)) return undefined;
  const gib = bytes / 1024 ** 3;
  if (gib > 0 && gib < 0.01) return '< 0.01 GiB';
  return `${gib.toFixed(gib !== 0 && Math.abs(gib) < 1 ? 2 : 1)} GiB`;
}

const yesNo = (b: boolean | null | undefined, yes = 'yes', no = 'no'): string | undefined =>
  b === undefined || b === null ? undefined : b ? yes : no;

function mhz(value: number | undefined): string | undefined {
  return value === undefined ? undefined : value >= 1000 ? `${(value / 1000).toFixed(2)} GHz` : `${Math.round(value)} MHz`;
}

function factsView(f: HostFacts) {
  return {
    hostname: f.os.hostname ?? null,
    small: [cpuTable(f), memoryTable(f)],
    tables: [
      disksTable(f),
      filesystemsTable(f),
      storageTable(f),
      nicTable(f),
      routesTable(f),
      dnsTable(f),
      listenersTable(f),
    ],
    problems: f.problems.map((p) => ({ probe: p.probe, message: p.message })),
  };
}

function cpuTable(f: HostFacts): KeyValueTable {
  const c = f.cpu;
  const known = c.flags.length > 0;
  const flag = (name: string) => (known ? (c.flags.includes(name) ? 'yes' : 'no') : undefined);
  const fms = [c.family, c.model, c.stepping].some((v) => v !== undefined)
    ? [c.family, c.model, c.stepping].map((v) => (v === undefined ? '?' : String(v))).join(' / ')
    : undefined;
  const topology = [c.sockets, c.coresPerSocket, c.logicalCpus].some((v) => v !== undefined)
    ? `${c.sockets ?? '?'} sockets × ${c.coresPerSocket ?? '?'} cores, ${c.logicalCpus ?? '?'} logical CPUs`
    : undefined;
  const speed = [
    c.nominalMhz !== undefined ? `${mhz(c.nominalMhz)} rated` : undefined,
    c.maxMhz !== undefined ? `${mhz(c.maxMhz)} max` : undefined,
    c.currentMhz !== undefined ? `${mhz(c.currentMhz)} now` : undefined,
  ].filter(Boolean);
  const v = f.virtualization;
  const hvm = v.xenHvm !== undefined ? (v.xenHvm ? 'yes (hvm in Xen capabilities)' : 'no') : undefined;
  return {
    title: 'Processor',
    rows: [
      { key: 'Vendor', value: cell(c.vendor) },
      { key: 'Model', value: cell(c.modelName?.replace(/\s+/g, ' ')) },
      { key: 'Family / model / stepping', value: cell(fms, true) },
      { key: 'Topology', value: cell(topology) },
      { key: 'Speed', value: cell(speed.length > 0 ? speed.join(', ') : undefined) },
      { key: 'vmx (Intel VT-x)', value: cell(flag('vmx')) },
      { key: 'svm (AMD-V)', value: cell(flag('svm')) },
      { key: 'lm (64-bit)', value: cell(flag('lm')) },
      { key: 'hypervisor (runs virtualized)', value: cell(flag('hypervisor')) },
      { key: 'Xen HVM available', value: cell(hvm) },
      { key: 'Firmware setting', value: cell(v.firmware) },
    ],
    note: v.xenDom0 === true ? 'Xen control domain: the hypervisor hides vmx, svm and lm from Dom0, so virtualization is read from Xen.' : null,
  };
}

function memoryTable(f: HostFacts): KeyValueTable {
  const m = f.memory;
  const dimms =
    m.dimms !== undefined && m.dimms.length > 0
      ? `${m.dimms.length} × ${summariseDimms(m.dimms.map((d) => d.sizeBytes))}`
      : undefined;
  return {
    title: 'Memory',
    rows: [
      { key: 'MemTotal (kernel)', value: cell(formatGiB(m.memTotalBytes)) },
      { key: 'System RAM (iomem)', value: cell(formatGiB(m.systemRamBytes)) },
      { key: 'Installed modules (SMBIOS)', value: cell(formatGiB(m.dimmBytes)) },
      { key: 'Modules', value: cell(dimms) },
      { key: 'Seen by the hypervisor', value: cell(formatGiB(m.hypervisorTotalBytes)) },
    ],
    note: f.virtualization.xenDom0 === true ? 'In a Xen Dom0, MemTotal is only the control domain\'s share; the hypervisor total is the host\'s RAM.' : null,
  };
}

function summariseDimms(sizes: number[]): string {
  const distinct = [...new Set(sizes)];
  return distinct.length === 1 ? formatGiB(distinct[0])! : sizes.map((s) => formatGiB(s)).join(' + ');
}

function table(title: string, headers: string[], rows: Cell[][] | undefined, note: string | null = null): Table {
  return {
    title,
    headers,
    rows: (rows ?? []).map((cells) => ({ cells })),
    empty: rows === undefined ? 'not collected' : rows.length === 0 ? 'none found' : null,
    note,
  };
}

function disksTable(f: HostFacts): Table {
  return table(
    'Disks',
    ['Name', 'Size', 'Model', 'Bus', 'Local', 'Rotational', 'Removable'],
    f.disks?.map((d) => [
      cell(d.name, true),
      cell(formatGiB(d.sizeBytes)),
      cell([d.vendor, d.model].filter(Boolean).join(' ')),
      cell(d.bus),
      cell(yesNo(d.local)),
      cell(yesNo(d.rotational)),
      cell(yesNo(d.removable)),
    ]),
  );
}

function filesystemsTable(f: HostFacts): Table {
  return table(
    'File systems',
    ['Mount point', 'Source', 'Type', 'Size', 'Used', 'Available'],
    f.filesystems?.map((fs) => [
      cell(fs.mountpoint, true),
      cell(fs.source, true),
      cell(fs.fstype),
      cell(formatGiB(fs.sizeBytes)),
      cell(formatGiB(fs.usedBytes)),
      cell(formatGiB(fs.availableBytes)),
    ]),
  );
}

function storageTable(f: HostFacts): Table {
  return table(
    'Storage repositories',
    ['Name', 'Type', 'Content', 'Shared', 'Size', 'Used', 'UUID'],
    f.storageRepositories?.map((sr) => [
      cell(sr.nameLabel),
      cell(sr.type),
      cell(sr.contentType),
      cell(yesNo(sr.shared)),
      cell(formatGiB(sr.physicalSizeBytes)),
      cell(formatGiB(sr.physicalUtilisationBytes)),
      cell(sr.uuid, true),
    ]),
  );
}

/** How the interface gets its address: the configuration first, then XenServer's PIF, then the kernel's lease flag. */
function addressingMode(f: HostFacts, nic: NicFacts): Cell {
  const conf = f.ipConfig?.find((c) => c.interface === nic.name);
  if (conf !== undefined) {
    const method = { static: 'static', dhcp: 'DHCP', none: 'none', unknown: 'unknown' }[conf.method];
    return cell(method, false, { sub: [conf.address, conf.source].filter(Boolean).join(' · ') });
  }
  const pif = f.xenserver?.pifs?.find((p) => p.device === nic.name);
  if (pif?.ipConfigurationMode !== undefined) {
    return cell(pif.ipConfigurationMode, false, { sub: [pif.ip, 'xe:pif'].filter(Boolean).join(' · ') });
  }
  const v4 = nic.addresses.filter((a) => a.family === 'inet');
  if (v4.length > 0) return v4.some((a) => a.dynamic) ? cell('DHCP', false, { sub: 'dynamic lease' }) : cell('static', false, { sub: 'no lease' });
  return cell(undefined);
}

function nicTable(f: HostFacts): Table {
  return table(
    'Network interfaces',
    ['Name', 'Kind', 'MAC', 'Driver', 'PCI slot', 'Speed', 'Duplex', 'Link', 'Addresses', 'Mode', 'Master'],
    f.nics?.map((n) => [
      cell(n.name, true),
      cell(n.kind),
      cell(n.mac, true, { nowrap: true }),
      cell(n.driver),
      cell(n.pciSlot, true, { nowrap: true }),
      cell(n.speedMbps === null ? 'unknown' : n.speedMbps !== undefined ? `${n.speedMbps} Mb/s` : undefined, false, { nowrap: true }),
      cell(n.duplex),
      cell(n.carrier === null ? 'unreadable' : yesNo(n.carrier, 'up', 'no carrier'), false, { nowrap: true }),
      cell(n.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(', '), true),
      addressingMode(f, n),
      cell(n.master, true),
    ]),
  );
}

function routesTable(f: HostFacts): Table {
  return table(
    'Routes',
    ['Destination', 'Gateway', 'Device', 'Protocol', 'Metric'],
    f.routes?.map((r) => [cell(r.destination, true), cell(r.gateway, true), cell(r.device, true), cell(r.protocol), cell(r.metric)]),
  );
}

function dnsTable(f: HostFacts): Table {
  return table(
    'DNS servers',
    ['Name server', 'Source'],
    f.dns?.nameservers.map((ns) => [cell(ns, true), cell(f.dns!.source, true)]),
  );
}

function listenersTable(f: HostFacts): Table {
  return table(
    'Listening ports',
    ['Protocol', 'Address', 'Port', 'Process', 'PID'],
    f.listeners
      ?.slice()
      .sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port)
      .map((l) => [cell(l.protocol.toUpperCase()), cell(l.address, true), cell(l.port, true), cell(l.process), cell(l.pid)]),
  );
}
