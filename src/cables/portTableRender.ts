import { InputError } from '../engine/inputError.js';
import { writeFileAtomic } from '../writeFileAtomic.js';
import { PortTable, roleText, type PortRow, type PortVerdict } from './portTable.js';

/**
 * The port table as a file people and tools read: Markdown, CSV, JSON (the contract itself) or a
 * self-contained HTML page, picked by the extension of `--out`. Labels, host names and details
 * come from hosts and the operator, so in every format they are data, never markup: no HTML, no
 * Markdown structure, no spreadsheet formula, no terminal escape sequence can come through.
 */

export type PortTableFormat = 'markdown' | 'csv' | 'json' | 'html';

const FORMAT_BY_EXTENSION: Record<string, PortTableFormat> = {
  md: 'markdown',
  markdown: 'markdown',
  csv: 'csv',
  json: 'json',
  html: 'html',
  htm: 'html',
};

/** The extensions `--out` accepts, as shown in messages. */
export const PORT_TABLE_EXTENSIONS: readonly string[] = ['.md', '.csv', '.json', '.html'];

/** The format an output path asks for; an unknown extension is bad input (exit 2). */
export function portTableFormatFor(path: string): PortTableFormat {
  const base = path.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const format = dot > 0 ? FORMAT_BY_EXTENSION[base.slice(dot + 1).toLowerCase()] : undefined;
  if (!format) throw new InputError(`--out ${path}: unknown extension for a port table, expected ${PORT_TABLE_EXTENSIONS.join(', ')}`);
  return format;
}

/** Validates the table, renders it in the format of `path` and writes it atomically (never half a file). */
export async function writePortTable(path: string, table: PortTable): Promise<void> {
  const format = portTableFormatFor(path);
  await writeFileAtomic(path, await renderPortTable(table, format));
}

/** Renders a port table; it is validated with the schema first (a table that breaks the contract is a bug, never written). */
export async function renderPortTable(table: PortTable, format: PortTableFormat): Promise<string> {
  const checked = validTable(table);
  switch (format) {
    case 'json':
      return jsonText(checked);
    case 'markdown':
      return renderMarkdown(checked);
    case 'csv':
      return renderCsv(checked);
    case 'html':
      return renderHtml(checked);
    default: {
      const never: never = format;
      throw new Error(`unknown port table format: ${String(never)}`);
    }
  }
}

function validTable(table: PortTable): PortTable {
  const r = PortTable.safeParse(table);
  if (!r.success) {
    const where = r.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`internal error: the port table does not match its contract (${where})`);
  }
  return r.data;
}

// --- cells shared by the formats ------------------------------------------------------------

/** Column headings, in order: the same in Markdown, CSV and HTML. */
export const PORT_TABLE_COLUMNS = ['host', 'device', 'MAC', 'PCI', 'driver', 'speed', 'label', 'role', 'peer', 'verdict', 'detail', 'rehearsal'] as const;

/**
 * Text from a host or the operator made visible and single-line: control characters (terminal
 * escapes, C1 codes) and bidirectional overrides (which reorder what a reader sees) are shown as
 * \xNN / \uNNNN, line breaks and tabs become spaces.
 */
export function visibleText(s: string): string {
  return s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function speedText(mbps: number | null): string {
  if (mbps === null) return '';
  return mbps >= 1000 && mbps % 1000 === 0 ? `${mbps / 1000} Gb/s` : `${mbps} Mb/s`;
}

/** The management NIC of the row's host, for "bond with eth0". */
function managementOf(table: PortTable, host: string): string {
  return table.rows.find((r) => r.host === host && r.role === 'management')?.device ?? 'eth0';
}

function rehearsalText(row: PortRow): string {
  return row.rehearsal ? `${row.rehearsal.verdict}: ${row.rehearsal.detail}` : '';
}

/** One row's cells as plain (not yet escaped) strings, in PORT_TABLE_COLUMNS order. */
function cellsOf(table: PortTable, row: PortRow): string[] {
  return [
    row.host,
    row.device,
    row.mac ?? '',
    row.pciSlot ?? '',
    row.driver ?? '',
    speedText(row.speedMbps),
    row.label ?? '',
    row.role ? roleText(row.role, managementOf(table, row.host)) : '',
    row.peer ? `${row.peer.host}:${row.peer.device}` : '',
    row.verdict,
    row.detail,
    rehearsalText(row),
  ].map(visibleText);
}

function headerLine(table: PortTable): string {
  const hosts = table.hosts.map((h) => (h.address && h.address !== h.name ? `${h.name} (${h.address})` : h.name)).join(', ');
  return visibleText(`${table.format} · profile ${table.profile} · created ${table.createdAt} · hosts: ${hosts || 'none'} · ${table.rows.length} ports`);
}

// --- JSON ---------------------------------------------------------------------------------

/**
 * The contract, pretty-printed. JSON.stringify escapes C0 controls but leaves DEL, the C1 codes
 * (U+009B is an 8-bit CSI to many terminals) and bidi overrides raw; they are written as \uNNNN
 * escapes, which parse back to the same strings, so `cat ports.json` cannot drive a terminal.
 */
function jsonText(table: PortTable): string {
  return (
    JSON.stringify(table, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`) +
    '\n'
  );
}

// --- Markdown -------------------------------------------------------------------------------

/**
 * A GFM table. Every character that can start Markdown or HTML structure inside a cell is
 * backslash-escaped (CommonMark allows it for any ASCII punctuation), so a label such as
 * "a | b" stays in its cell and "<img onerror=...>" or "[x](javascript:...)" stays text. The
 * "@", the colon of "scheme://" and the dot of "www." are escaped too, against GFM's bare-URL
 * and e-mail autolinks; other colons and dots (MACs, PCI slots) are left readable.
 */
export function markdownCell(s: string): string {
  const escaped = visibleText(s)
    .replace(/[\\`*_[\]<>|&~!@]/g, (ch) => `\\${ch}`)
    .replace(/:(?=\/)/g, '\\:')
    .replace(/\b(www)\./gi, '$1\\.');
  return escaped === '' ? ' ' : escaped;
}

function renderMarkdown(table: PortTable): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const out = [
    '# Port table',
    '',
    markdownCell(headerLine(table)),
    '',
    line(PORT_TABLE_COLUMNS),
    line(PORT_TABLE_COLUMNS.map(() => '---')),
    ...table.rows.map((r) => line(cellsOf(table, r).map(markdownCell))),
  ];
  return out.join('\n') + '\n';
}

// --- CSV ------------------------------------------------------------------------------------

/**
 * One RFC 4180 field. A text cell a spreadsheet would read as a formula (=, +, -, @, also after
 * leading blanks, and their full-width forms) gets a leading apostrophe, as OWASP recommends:
 * spreadsheets show the text and do not evaluate it.
 */
export function csvField(s: string): string {
  const guarded = /^[\s]*[=+\-@\uff1d\uff0b\uff0d\uff20]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

function renderCsv(table: PortTable): string {
  // The speed column stays a plain number here, for sorting and sums in a spreadsheet.
  const header = ['host', 'device', 'mac', 'pci_slot', 'driver', 'speed_mbps', 'label', 'role', 'peer', 'verdict', 'detail', 'rehearsal'];
  const rows = table.rows.map((r) => {
    const cells = cellsOf(table, r);
    cells[5] = r.speedMbps === null ? '' : String(r.speedMbps);
    return cells;
  });
  // CRLF line ends, as RFC 4180 says.
  return [header, ...rows].map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}

// --- HTML -----------------------------------------------------------------------------------

/** `templates/` at the package root: `src/cables/` under vitest, `dist/cables/` after tsc. */
const TEMPLATE = new URL('../../templates/cables.hbs', import.meta.url);

const VERDICT_CLASS: Record<PortVerdict, 'ok' | 'bad' | 'open'> = {
  ok: 'ok',
  crossed: 'bad',
  'wrong-peer': 'bad',
  'no-change': 'bad',
  'carrier-not-back': 'bad',
  'no-carrier': 'bad',
  skipped: 'open',
  'not-tested': 'open',
};

/** Per column: device, MAC, PCI and peer in a monospace face; the verdict cell coloured. */
const HTML_CELL_CLASS: readonly string[] = ['', 'mono', 'mono', 'mono', '', '', '', '', 'mono', 'verdict', '', ''];

async function renderHtml(table: PortTable): Promise<string> {
  // Handlebars only loads when an HTML file is asked for.
  const [{ default: Handlebars }, { readFileSync }] = await Promise.all([import('handlebars'), import('node:fs')]);
  const hbs = Handlebars.create();
  // strict: a misspelt field is an error; the template only uses {{ }} (escaped) output.
  const template = hbs.compile(readFileSync(TEMPLATE, 'utf8'), { strict: true });
  const tally = (cls: 'ok' | 'bad' | 'open') => table.rows.filter((r) => VERDICT_CLASS[r.verdict] === cls).length;
  return template({
    title: 'Port table',
    format: table.format,
    profile: visibleText(table.profile),
    createdAt: visibleText(table.createdAt),
    hosts: table.hosts.map((h) => ({ name: visibleText(h.name), address: visibleText(h.address) })),
    columns: PORT_TABLE_COLUMNS,
    counts: { ok: tally('ok'), bad: tally('bad'), open: tally('open'), total: table.rows.length },
    rows: table.rows.map((r) => ({
      verdictClass: VERDICT_CLASS[r.verdict],
      cells: cellsOf(table, r).map((text, i) => ({ text, cls: HTML_CELL_CLASS[i] ?? '' })),
    })),
  });
}
