import { inertText } from './inertText.js';

/**
 * A plain-text table for the terminal: a header row and data rows, columns padded to their widest
 * cell and separated by two spaces (the last column is not padded). Cells come from hosts and
 * operators, so each is made inert (control characters shown as "?") before it is measured.
 */
export function alignColumns(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [head, ...rows].map((r) => r.map(inertText));
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  return cells.map((r) => `${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}\n`).join('');
}
