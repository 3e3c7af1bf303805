import { splitGrepOutput, type GrepFile } from './grepOutput.js';
import { splitLines } from './textLines.js';

/**
 * Config-file probes (net.ifcfg, net.netplan, net.networkd, ...) print many files in one fork with
 * `grep -H ''`, so every line reads `PATH:CONTENT`. Fixtures and hand-made bundles often hold one
 * file pasted plainly instead. This tells the two apart and splits the grep form back into files.
 */

export interface ConfigFileText {
  /** The path as the probe printed it; undefined when the text is a single file pasted plainly. */
  file?: string;
  lines: string[];
}

export interface ConfigFileSplit {
  files: ConfigFileText[];
  /** Lines of grep output that carry no `PATH:` prefix (error text, or a line cut at the size limit). */
  stray: string[];
}

export interface ConfigFileFormat {
  /** True when a line starts with a file name and a colon the way the probe prints it. */
  isPrefixed: (line: string) => boolean;
  /**
   * True when the text after a colon can be a line of the format. Used to step over colons inside
   * file names (`ifcfg-eth0:1`, a NetworkManager profile named "a:b"); without it the first colon splits.
   */
  isContent?: (content: string) => boolean;
}

/** An absolute path followed by a colon: what `grep -H '' /etc/...` prints. */
export const ABSOLUTE_PATH_PREFIX = (line: string): boolean => /^\/[^:]*:/.test(line);

/** Colons tried before giving up on `isContent` (bounds the work on a long line full of colons). */
const MAX_COLONS_TRIED = 16;

export function splitConfigFiles(text: string, format: ConfigFileFormat): ConfigFileSplit {
  const lines = splitLines(text);
  const first = lines.find((l) => l.trim() !== '');
  if (first === undefined) return { files: [], stray: [] };
  // Decided once, from the first line: a file's own content never starts with its path.
  if (!format.isPrefixed(first)) return { files: [{ lines }], stray: [] };
  const isContent = format.isContent;
  const splitAt = isContent ? (line: string) => contentColon(line, isContent) : undefined;
  const out = splitGrepOutput(text, splitAt);
  return { files: out.files.map((f: GrepFile) => ({ file: f.file, lines: f.lines })), stray: out.unprefixed };
}

function contentColon(line: string, isContent: (content: string) => boolean): number {
  const first = line.indexOf(':');
  let at = first;
  for (let tried = 0; at > 0 && tried < MAX_COLONS_TRIED; tried++) {
    if (isContent(line.slice(at + 1))) return at;
    at = line.indexOf(':', at + 1);
  }
  return first;
}
