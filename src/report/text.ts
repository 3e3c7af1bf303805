import pc from 'picocolors';
import type { Finding } from '../engine/types.js';
import type { HostReport, Report, Summary } from './schema.js';
import { displayStatus, formatDuration, formatTimestamp, sortForDisplay, type DisplayStatus } from './formats.js';

/**
 * The terminal report: per host, what to fix first, each with its remediation; a summary line last.
 * Colour is decided by the caller and is only ever decoration: every status also has a word.
 */

export interface TextOptions {
  /** ANSI colour; off unless asked for. */
  color?: boolean;
  /** Wrap width in columns (default 100). */
  width?: number;
}

type Colors = ReturnType<typeof pc.createColors>;

const LABEL: Record<DisplayStatus, string> = {
  fail: 'FAIL',
  warn: 'WARN',
  error: 'ERROR',
  waived: 'WAIVED',
  skip: 'SKIP',
  pass: 'PASS',
};
const INDENT = '  ';
const LABEL_WIDTH = 7; // "WAIVED" plus one space
const DETAIL = ' '.repeat(INDENT.length + LABEL_WIDTH);

export function renderText(report: Report, opts: TextOptions = {}): string {
  const c = pc.createColors(opts.color ?? false);
  const width = Math.max(40, opts.width ?? 100);
  const out: string[] = [];

  const tool = `preflight ${oneLine(report.tool.version)}`;
  const meta = `profile ${oneLine(report.profile)} · started ${oneLine(formatTimestamp(report.startedAt))} · took ${formatDuration(report.durationMs)}`;
  out.push(...emphasiseLead(wrap(`${tool} · ${meta}`, width, '', '  '), tool, c));

  for (const host of report.hosts) {
    out.push('', ...renderHost(host, c, width));
  }
  if (report.pool.findings.length > 0) {
    out.push('', c.bold('Pool'));
    out.push(...renderFindings(report.pool.findings, c, width));
  }
  out.push('', summaryLine(report.summary, c));
  return out.join('\n') + '\n';
}

/** "12 passed, 3 warnings, 2 failed, 1 skipped, 0 errors, 1 waived" (coloured only where non-zero). */
export function summaryLine(s: Summary, c: Colors = pc.createColors(false)): string {
  const part = (n: number, text: string, paint: (t: string) => string) => (n > 0 ? paint(text) : text);
  return [
    part(s.pass, `${s.pass} passed`, c.green),
    part(s.warn, `${s.warn} ${s.warn === 1 ? 'warning' : 'warnings'}`, c.yellow),
    part(s.fail, `${s.fail} failed`, (t) => c.bold(c.red(t))),
    `${s.skip} skipped`,
    part(s.error, `${s.error} ${s.error === 1 ? 'error' : 'errors'}`, c.magenta),
    part(s.waived, `${s.waived} waived`, c.cyan),
  ].join(', ');
}

function renderHost(host: HostReport, c: Colors, width: number): string[] {
  const name = oneLine(host.name);
  const where = `${oneLine(host.address)} · ${host.role}`;
  // The name leads the heading; a name too long to share a line gets lines of its own.
  const heading =
    name.length + 2 <= width / 2 ? wrap(where, width, `${name}  `, '  ') : [...wrap(name, width, '', ''), ...wrap(where, width, '  ', '  ')];
  const lines = emphasiseLead(heading, name, c);
  if (!host.reachable) {
    const reason = host.error !== undefined && host.error.trim() !== '' ? host.error : 'no reason given';
    lines.push(...wrap(`unreachable: ${clean(reason)}`, width, INDENT, INDENT + '  ').map((l) => c.red(l)));
  }
  if (host.reachable && host.findings.length === 0) lines.push(`${INDENT}${c.dim('no findings')}`);
  lines.push(...renderFindings(host.findings, c, width));
  return lines;
}

/** Findings in display order; a blank line sets off each one that has details, passes stay packed. */
function renderFindings(findings: readonly Finding[], c: Colors, width: number): string[] {
  const lines: string[] = [];
  let previousHadDetails = false;
  for (const f of sortForDisplay(findings)) {
    const block = renderFinding(f, c, width);
    if (lines.length > 0 && (previousHadDetails || block.length > 1)) lines.push('');
    lines.push(...block);
    previousHadDetails = block.length > 1;
  }
  return lines;
}

/** Bold `lead` at the start of the first line and dim the rest: headings wrap on plain text first. */
function emphasiseLead(lines: string[], lead: string, c: Colors): string[] {
  return lines.map((l, i) => (i === 0 && l.startsWith(lead) ? c.bold(lead) + c.dim(l.slice(lead.length)) : c.dim(l)));
}

function paintLabel(status: DisplayStatus, c: Colors): string {
  const text = LABEL[status].padEnd(LABEL_WIDTH);
  switch (status) {
    case 'fail':
      return c.bold(c.red(text));
    case 'warn':
      return c.bold(c.yellow(text));
    case 'error':
      return c.bold(c.magenta(text));
    case 'waived':
      return c.cyan(text);
    case 'skip':
      return c.dim(text);
    case 'pass':
      return c.green(text);
  }
}

function renderFinding(f: Finding, c: Colors, width: number): string[] {
  const status = displayStatus(f);
  // The head is wrapped on plain text, then the label and rule id are painted: widths stay true.
  const rule = oneLine(f.rule);
  const title = oneLine(f.title);
  // A rule id too long to share its line with the title gets lines of its own.
  const head =
    DETAIL.length + rule.length + 2 <= width - 20
      ? wrap(title, width, `${DETAIL}${rule}  `, DETAIL)
      : [...wrap(rule, width, DETAIL, DETAIL), ...wrap(title, width, DETAIL, DETAIL)];
  const first = head[0]!.slice(DETAIL.length);
  head[0] = INDENT + paintLabel(status, c) + (first.startsWith(rule) ? c.bold(rule) + first.slice(rule.length) : first);
  const lines = [...head];
  const detail = (label: string, text: string, paint: (t: string) => string = (t) => t) => {
    const prefix = `${DETAIL}${label}: `;
    for (const l of wrap(clean(text), width, prefix, DETAIL + ' '.repeat(label.length + 2))) lines.push(paint(l));
  };

  switch (f.status) {
    case 'pass':
      break;
    case 'skip':
      detail('skipped', reasonOf(f), c.dim);
      break;
    case 'error':
      detail('could not evaluate', reasonOf(f));
      break;
    case 'fail':
    case 'warn':
      if (f.message.trim() !== '' && f.message.trim() !== f.observed.trim()) detail('why', f.message);
      detail('observed', f.observed);
      detail('expected', f.expected);
      if (f.remediation.trim() !== '') detail('fix', f.remediation);
      if (f.reference.trim() !== '') detail('ref', f.reference, c.dim);
      break;
  }

  if (f.waiver !== undefined) {
    const until = f.waiver.expires !== undefined ? ` (until ${oneLine(f.waiver.expires)})` : '';
    if (f.waiver.expired) {
      const on = f.waiver.expires !== undefined ? ` on ${oneLine(f.waiver.expires)}` : '';
      detail('waiver expired', `${f.waiver.reason} (expired${on}; this finding counts as ${f.status} again)`, c.yellow);
    } else {
      detail('waived', `${f.waiver.reason}${until}; real result: ${f.status}`, c.cyan);
    }
  }
  return lines;
}

function reasonOf(f: Finding): string {
  const reason = f.message.trim() !== '' ? f.message : f.observed;
  return reason.trim() !== '' ? reason : 'no reason given';
}

// --- text hygiene -------------------------------------------------------------------------

/**
 * Report text comes from the scanned hosts; a host name or NIC name holding an escape sequence must
 * not be able to drive the operator's terminal. Control characters are shown, not obeyed.
 */
function clean(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A field that must stay on one line (names, ids, titles). */
function oneLine(s: string): string {
  return clean(s).replace(/\n+/g, ' ');
}

/**
 * Word-wraps each line of `text` to `width` columns. The first output line starts with
 * `firstPrefix`, the others with `restPrefix`; a line's own leading spaces (numbered steps,
 * commands) are kept and its continuation lines are indented to match. Over-long words are cut.
 */
export function wrap(text: string, width: number, firstPrefix: string, restPrefix: string): string[] {
  const out: string[] = [];
  const paragraphs = text.replace(/\s+$/, '').split('\n');
  for (const para of paragraphs) {
    // Leading spaces are kept for structure, but never so many that no text fits after them.
    const maxLead = Math.max(0, Math.floor((width - Math.max(firstPrefix.length, restPrefix.length)) / 2));
    const lead = /^ */.exec(para)![0].slice(0, maxLead);
    const words = para.trimStart().split(/ +/).filter((w) => w !== '');
    let line = (out.length === 0 ? firstPrefix : restPrefix) + lead;
    const hang = restPrefix + lead;
    let empty = true;
    for (let word of words) {
      for (;;) {
        const room = width - line.length - (empty ? 0 : 1);
        if (word.length <= room) {
          line += (empty ? '' : ' ') + word;
          empty = false;
          break;
        }
        if (!empty) {
          out.push(line);
          line = hang;
          empty = true;
          continue;
        }
        // A word longer than the whole line (a URL, a path): cut it.
        const take = Math.max(1, room);
        line += word.slice(0, take);
        word = word.slice(take);
        empty = false;
        if (word === '') break;
        out.push(line);
        line = hang;
        empty = true;
      }
    }
    out.push(empty ? line.trimEnd() : line);
  }
  return out.length > 0 ? out : [firstPrefix.trimEnd()];
}
