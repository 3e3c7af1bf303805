import { parsed, type ParseResult } from './parseResult.js';
import type { FilesystemFacts } from './schema.js';
import { quoteLine, splitLines } from './textLines.js';

/**
 * Parses `df -P -k -T` (Filesystem Type 1024-blocks Used Available Capacity Mounted-on). Also reads
 * output without the Type column and other block sizes ("1K-blocks", "512-blocks"), taken from the
 * header. Mount points may contain spaces (they run to the end of the line); a source name is taken
 * as short as possible, so only a source containing spaces followed by a one-word type is ambiguous.
 * Without -P, df wraps a long source onto its own line: that line is joined with the next.
 */
export function parseDf(text: string): ParseResult<FilesystemFacts[]> {
  const problems: string[] = [];
  const out: FilesystemFacts[] = [];
  const lines = splitLines(text);
  let blockBytes = 1024;
  let withType = true;
  let pending: string | undefined;
  lines.forEach((raw, i) => {
    if (raw.trim() === '') return;
    if (/^Filesystem\s/.test(raw)) {
      withType = /\sType\s/.test(raw);
      const size = /\s(\d+)([KkMG])?-blocks\s/.exec(raw);
      if (size) blockBytes = Number(size[1]) * ({ K: 1024, k: 1024, M: 1024 ** 2, G: 1024 ** 3 }[size[2] ?? ''] ?? 1);
      return;
    }
    const line = pending !== undefined ? `${pending} ${raw.trim()}` : raw;
    pending = undefined;
    const re = withType
      ? /^(.+?)\s+(\S+)\s+(\d+|-)\s+(\d+|-)\s+(-?\d+|-)\s+(\d+%|-)\s+(.+)$/
      : /^(.+?)()\s+(\d+|-)\s+(\d+|-)\s+(-?\d+|-)\s+(\d+%|-)\s+(.+)$/;
    const m = re.exec(line);
    if (!m) {
      if (!/\s/.test(line.trim()) && i + 1 < lines.length && /^\s/.test(lines[i + 1] ?? '')) {
        pending = line.trim();
        return;
      }
      problems.push(`line ${i + 1}: not a df row: ${quoteLine(raw)}`);
      return;
    }
    const blocks = (s: string | undefined) => (s === undefined || s === '-' ? 0 : Number(s) * blockBytes);
    const fs: FilesystemFacts = {
      source: m[1] as string,
      sizeBytes: blocks(m[3]),
      usedBytes: blocks(m[4]),
      availableBytes: Math.max(0, blocks(m[5])),
      mountpoint: m[7] as string,
    };
    if (withType && m[2]) fs.fstype = m[2];
    out.push(fs);
  });
  if (pending !== undefined) problems.push(`a source name without its numbers at the end: ${quoteLine(pending)}`);
  return parsed(out, problems);
}
