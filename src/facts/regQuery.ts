import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine, splitLines } from './textLines.js';

/**
 * Parser for `reg query KEY [/s] [/v NAME]` output (Windows XP and later), as the Windows probes
 * concatenate it:
 *
 *   HKEY_LOCAL_MACHINE\SOFTWARE\Clients\StartMenuInternet
 *       (Default)    REG_SZ    IEXPLORE.EXE
 *
 *   HKEY_LOCAL_MACHINE\SOFTWARE\Clients\StartMenuInternet\Firefox-308046B0AF4A39CB\Capabilities
 *       ApplicationIcon    REG_SZ    C:\Program Files\Mozilla Firefox\firefox.exe,0
 *
 * A value line is four spaces, the name, four spaces, the REG_ type, four spaces and the data (the
 * data may be empty; names may contain single spaces). The unnamed default value is printed as
 * "(Default)" in English and localised elsewhere ("(Standard)"): any name in parentheses is taken
 * as the default value and stored under the empty name. "End of search" lines and blank lines are
 * skipped; reg's errors go to stderr. The same key may appear twice (two queries): values merge.
 */

export interface RegValue {
  type: string;
  data: string;
}

export interface RegKey {
  /** Full path as printed, HKEY_LOCAL_MACHINE\... (case kept). */
  path: string;
  /** Values by name; the default value under "". */
  values: Map<string, RegValue>;
}

export function parseRegQuery(text: string): ParseResult<RegKey[]> {
  const keys = new Map<string, RegKey>();
  const problems: string[] = [];
  let current: RegKey | undefined;
  for (const line of splitLines(text)) {
    if (line.trim() === '' || /^End of search/i.test(line.trim())) continue;
    if (/^HKEY_[A-Z_]+(\\|$)/.test(line)) {
      const path = line.trim();
      const id = path.toLowerCase();
      current = keys.get(id) ?? { path, values: new Map() };
      keys.set(id, current);
      continue;
    }
    const m = /^ {4}(.*?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/.exec(line);
    if (m && current) {
      const name = /^\(.*\)$/.test(m[1]!) ? '' : m[1]!;
      current.values.set(name, { type: m[2]!, data: m[3] ?? '' });
      continue;
    }
    if (problems.length < 20) problems.push(`unexpected line ${quoteLine(line)}`);
  }
  return parsed([...keys.values()], problems);
}

/** The key at `path` (case-insensitive, HKLM/HKCU abbreviations accepted). */
export function regKey(keys: readonly RegKey[], path: string): RegKey | undefined {
  const want = expandHive(path).toLowerCase();
  return keys.find((k) => k.path.toLowerCase() === want);
}

/** The subkeys directly below `path`. */
export function regChildren(keys: readonly RegKey[], path: string): RegKey[] {
  const prefix = `${expandHive(path).toLowerCase()}\\`;
  return keys.filter((k) => k.path.toLowerCase().startsWith(prefix) && !k.path.slice(prefix.length).includes('\\'));
}

/** A string value of a key ("" = default value), or undefined. */
export function regString(key: RegKey | undefined, name: string): string | undefined {
  const v = key?.values.get(name);
  return v && /^REG_(EXPAND_)?SZ$/.test(v.type) && v.data.trim() !== '' ? v.data.trim() : undefined;
}

/** A REG_DWORD value ("0x1"), or undefined. */
export function regDword(key: RegKey | undefined, name: string): number | undefined {
  const v = key?.values.get(name);
  if (!v || v.type !== 'REG_DWORD') return undefined;
  const n = Number.parseInt(v.data.trim(), 16);
  return Number.isFinite(n) ? n : undefined;
}

function expandHive(path: string): string {
  return path.replace(/^HKLM\\/i, 'HKEY_LOCAL_MACHINE\\').replace(/^HKCU\\/i, 'HKEY_CURRENT_USER\\');
}
