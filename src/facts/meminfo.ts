import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine, splitLines } from './textLines.js';

/** /proc/meminfo: sizes in bytes, counts (HugePages_*) as they are. */
export interface Meminfo {
  /** Every field: "kB" values converted to bytes, unit-less values kept as counts. */
  values: Record<string, number>;
  memTotalBytes?: number;
}

/** Parses /proc/meminfo ("MemTotal:        8009912 kB"). The kernel's "kB" means KiB. */
export function parseMeminfo(text: string): ParseResult<Meminfo> {
  const values: Record<string, number> = {};
  const problems: string[] = [];
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^\s*([^:\s][^:]*?)\s*:\s*(\d+)\s*(kB)?\s*$/i.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: not "Key: number [kB]": ${quoteLine(line)}`);
      return;
    }
    const n = Number(m[2]);
    values[m[1] as string] = m[3] !== undefined ? n * 1024 : n;
  });
  const value: Meminfo = { values };
  if (values['MemTotal'] !== undefined) value.memTotalBytes = values['MemTotal'];
  else problems.push('no MemTotal line');
  return parsed(value, problems);
}
