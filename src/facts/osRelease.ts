import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine, splitLines } from './textLines.js';

/**
 * /etc/os-release: shell-style KEY=value lines (os-release(5)). Values may be double-quoted (with
 * backslash escapes), single-quoted, or bare. Returns every key, unquoted.
 */
export function parseOsRelease(text: string): ParseResult<Record<string, string>> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  splitLines(text).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: not KEY=value: ${quoteLine(raw)}`);
      return;
    }
    const unquoted = unquote(m[2] as string);
    if (unquoted === undefined) {
      problems.push(`line ${i + 1}: unbalanced quotes: ${quoteLine(raw)}`);
      return;
    }
    values[m[1] as string] = unquoted;
  });
  if (Object.keys(values).length === 0 && problems.length === 0) problems.push('os-release is empty');
  return parsed(values, problems);
}

function unquote(v: string): string | undefined {
  if (v.startsWith('"')) {
    if (v.length < 2 || !v.endsWith('"') || v.endsWith('\\"') && !v.endsWith('\\\\"')) return undefined;
    return v.slice(1, -1).replace(/\\([\\"$`])/g, '$1');
  }
  if (v.startsWith("'")) {
    if (v.length < 2 || !v.endsWith("'")) return undefined;
    return v.slice(1, -1);
  }
  return v;
}

/** The one line of /etc/redhat-release, split into its parts where they can be told apart. */
export interface RedhatRelease {
  /** The whole line, trimmed: what a person would recognise. */
  line: string;
  /** Text before " release ", e.g. "XenServer", "CentOS". */
  product?: string;
  /** Version without the build suffix, e.g. "5.5.0". */
  version?: string;
  /** The part after the first "-" in the version word, e.g. "25727p" (XenServer build). */
  build?: string;
  /** The parenthesised word, e.g. "xenenterprise" or "Final". */
  variant?: string;
}

/** Parses e.g. "XenServer release 5.5.0-25727p (xenenterprise)" or "CentOS release 5.4 (Final)". */
export function parseRedhatRelease(text: string): ParseResult<RedhatRelease | undefined> {
  const line = splitLines(text)
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (line === undefined) return parsed(undefined, ['redhat-release is empty']);
  const value: RedhatRelease = { line };
  const m = /^(.*?)\s+release\s+(\S+)(?:\s+\(([^)]*)\))?/i.exec(line);
  if (!m) return parsed(value, [`no "release VERSION" in ${quoteLine(line)}`]);
  if ((m[1] as string) !== '') value.product = m[1] as string;
  const word = m[2] as string;
  const dash = word.indexOf('-');
  value.version = dash > 0 ? word.slice(0, dash) : word;
  if (dash > 0 && dash < word.length - 1) value.build = word.slice(dash + 1);
  if (m[3] !== undefined && m[3] !== '') value.variant = m[3];
  return parsed(value);
}
