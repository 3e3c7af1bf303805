/**
 * Small text helpers shared by the fact parsers. Probe output may come from a bundle edited on
 * Windows (CRLF), from old tools (CR), or be cut off anywhere, so nothing here assumes clean input.
 */

/** Splits text into lines on LF, CRLF or lone CR; a trailing newline does not add an empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A non-negative decimal integer, or undefined (no sign, no exponent, no trailing junk). */
export function parseUint(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A finite decimal number such as "2599.998" or "-1", or undefined. */
export function parseDecimal(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!/^-?\d+(?:\.\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** Shortens a line for use in a problem message, so garbage input cannot make huge messages. */
export function quoteLine(line: string, max = 80): string {
  const printable = line.replace(/[\u0000-\u001f\u007f]/g, '?');
  return JSON.stringify(printable.length > max ? `${printable.slice(0, max)}…` : printable);
}
