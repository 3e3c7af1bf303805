import { parseDf } from './df.js';
import { parsed, type ParseResult } from './parseResult.js';
import type { FilesystemFacts } from './schema.js';
import { splitLines } from './textLines.js';

/**
 * Parser for probe `macos.df`: BSD `df -P -k` (POSIX columns, read by parseDf). Plain macOS `df`
 * adds three inode columns (iused, ifree, %iused) before "Mounted on" and counts 512-byte blocks;
 * those columns are dropped here so such output reads the same way.
 */
export function parseBsdDf(text: string): ParseResult<FilesystemFacts[]> {
  const lines = splitLines(text);
  const header = lines.find((l) => /^Filesystem\s/.test(l));
  if (!header || !/\siused\s/.test(header)) return parseDf(text);
  const rows = lines.map((l) => {
    if (l === header) return l.replace(/\s+iused\s+ifree\s+%iused/, '');
    return l.replace(/(\s(?:\d+%|-))\s+\d+\s+\d+\s+(?:\d+%|-)(\s+\/)/, '$1$2');
  });
  const result = parseDf(rows.join('\n'));
  return parsed(result.value, result.problems);
}
