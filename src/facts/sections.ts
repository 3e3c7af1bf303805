import { splitLines } from './textLines.js';

/**
 * Splits probe output framed as `==> NAME` blocks (the browser, plug-in and folder probes) into
 * sections. Lines before the first marker are returned under the name "" so nothing is lost.
 */
export interface Section {
  name: string;
  lines: string[];
}

export function splitSections(text: string, marker = /^==>\s?(.*?)(?:\s<==)?\s*$/): Section[] {
  const out: Section[] = [];
  let current: Section | undefined;
  for (const line of splitLines(text)) {
    const m = marker.exec(line);
    if (m) {
      current = { name: (m[1] ?? '').trim(), lines: [] };
      out.push(current);
      continue;
    }
    if (!current) {
      if (line.trim() === '') continue;
      current = { name: '', lines: [] };
      out.push(current);
    }
    current.lines.push(line);
  }
  return out;
}

/** `key: value` from a section line, or undefined. */
export function keyValue(line: string, key: string): string | undefined {
  const m = new RegExp(`^${key}:\\s?(.*)$`).exec(line);
  return m ? m[1]!.trim() : undefined;
}
