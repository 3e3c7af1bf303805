import { parsed, type ParseResult } from './parseResult.js';
import { splitLines } from './textLines.js';

/**
 * Parser for BSD/macOS `sysctl NAME...` and `sysctl -a` output: "name: value" per line (values may
 * be empty or contain ": "). Lines without a dotted name (continuations of multi-line values) are
 * ignored.
 */
export function parseSysctl(text: string): ParseResult<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const line of splitLines(text)) {
    const m = /^([a-zA-Z0-9_]+(?:\.[a-zA-Z0-9_]+)+):\s?(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return parsed(out, Object.keys(out).length ? [] : ['no "name: value" lines']);
}
