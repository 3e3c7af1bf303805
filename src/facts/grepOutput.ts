import { splitLines } from './textLines.js';

/**
 * Reads the output of `grep -H` over several files: every line is `FILE:CONTENT`. Probes use it to
 * print many small files in one fork; this splits them back into per-file text.
 */

export interface GrepFile {
  file: string;
  lines: string[];
}

export interface GrepOutput {
  /** Files in the order they first appear, each with its lines (prefix removed). */
  files: GrepFile[];
  /** Lines that carry no `FILE:` prefix (error text, or output cut in the middle of a line). */
  unprefixed: string[];
}

/**
 * Splits `grep -H` output. `splitAt` finds where the file name ends; by default the first colon, which
 * is right when file names cannot contain one (sysfs interface names, /proc/net/bonding/bondN).
 * Parsers whose file names may hold a colon pass their own splitter that looks at the content side.
 */
export function splitGrepOutput(text: string, splitAt: (line: string) => number = (l) => l.indexOf(':')): GrepOutput {
  const byName = new Map<string, GrepFile>();
  const files: GrepFile[] = [];
  const unprefixed: string[] = [];
  for (const line of splitLines(text)) {
    const at = splitAt(line);
    if (at <= 0) {
      if (line.trim() !== '') unprefixed.push(line);
      continue;
    }
    const file = line.slice(0, at);
    let entry = byName.get(file);
    if (!entry) {
      entry = { file, lines: [] };
      byName.set(file, entry);
      files.push(entry);
    }
    entry.lines.push(line.slice(at + 1));
  }
  return { files, unprefixed };
}

/** The last path component: `/etc/netplan/50-cloud-init.yaml` -> `50-cloud-init.yaml`. */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}
