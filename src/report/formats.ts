import type { Finding } from '../engine/types.js';
import type { Report } from './schema.js';

/**
 * The report formats, how an output path picks one, and the one entry point that renders any of
 * them. Also the few presentation rules every format shares (how a finding is classed and ordered
 * for display), so the terminal, the HTML page and the JUnit file never disagree.
 */

export type ReportFormat = 'text' | 'json' | 'html' | 'junit';

export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'html', 'junit'];

export interface RenderOptions {
  /** ANSI colour in the text format; the CLI decides (TTY, NO_COLOR, FORCE_COLOR). Ignored by other formats. */
  color?: boolean;
}

const FORMAT_BY_EXTENSION: Record<string, ReportFormat> = {
  txt: 'text',
  text: 'text',
  json: 'json',
  html: 'html',
  htm: 'html',
  xml: 'junit',
};

/** The format an output file name implies, or undefined when its extension says nothing we know. */
export function formatFromPath(path: string): ReportFormat | undefined {
  const base = path.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return undefined; // no extension, or a dot file such as ".json"
  return FORMAT_BY_EXTENSION[base.slice(dot + 1).toLowerCase()];
}

/**
 * Renders a report in the given format. Renderer modules are imported on demand so that a plain
 * `preflight scan` never loads handlebars or the XML writer.
 */
export async function renderReport(report: Report, format: ReportFormat, opts: RenderOptions = {}): Promise<string> {
  switch (format) {
    case 'text':
      return (await import('./text.js')).renderText(report, { color: opts.color ?? false });
    case 'json':
      return (await import('./json.js')).renderJson(report);
    case 'html':
      return (await import('./html.js')).renderHtml(report);
    case 'junit':
      return (await import('./junit.js')).renderJunit(report);
    default: {
      const never: never = format;
      throw new Error(`unknown report format: ${String(never)}`);
    }
  }
}

// --- shared presentation --------------------------------------------------------------------

/** A finding's status as shown to people: a waiver in force puts it in its own class. */
export type DisplayStatus = 'fail' | 'warn' | 'error' | 'waived' | 'skip' | 'pass';

/** Order within a host: what needs action first, then what could not be judged, then the good news. */
export const DISPLAY_ORDER: readonly DisplayStatus[] = ['fail', 'warn', 'error', 'waived', 'skip', 'pass'];

/** True when a waiver applies; an expired waiver does not, and the finding counts under its status. */
export function isWaived(finding: Finding): boolean {
  return finding.waiver !== undefined && !finding.waiver.expired;
}

export function displayStatus(finding: Finding): DisplayStatus {
  return isWaived(finding) ? 'waived' : finding.status;
}

/** Findings in display order; findings of the same class keep the order the engine gave them. */
export function sortForDisplay(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding) => DISPLAY_ORDER.indexOf(displayStatus(f));
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map(({ f }) => f);
}

/** Tally of findings by display class (per host; the report-wide numbers come from `report.summary`). */
export function tallyFindings(findings: readonly Finding[]): Record<DisplayStatus, number> {
  const tally: Record<DisplayStatus, number> = { fail: 0, warn: 0, error: 0, waived: 0, skip: 0, pass: 0 };
  for (const f of findings) tally[displayStatus(f)] += 1;
  return tally;
}

/** "4.2 s", "2 min 05 s": a duration people read at a glance. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  const min = Math.floor(whole / 60);
  return `${min} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** "2026-11-25 09:14:03 UTC" from an ISO-8601 time; anything unparseable is shown as given. */
export function formatTimestamp(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
