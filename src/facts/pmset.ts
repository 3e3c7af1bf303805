import { parsed, type ParseResult } from './parseResult.js';
import { splitLines } from './textLines.js';

/**
 * Parser for probe `macos.pmset`: `pmset -g`.
 *
 *   System-wide power settings:
 *    SleepDisabled          0
 *   Currently in use:
 *    standby              1
 *    Sleep On Power Button 1
 *    sleep                1 (sleep prevented by sharingd, coreaudiod)
 *    hibernatemode        3
 *
 * Settings are " name value [(note)]"; names may contain spaces. Older releases print
 * "Active Profiles:" before "Currently in use:". Settings are kept per section heading.
 */
export interface PmsetSetting {
  value: string;
  note?: string;
}

export interface Pmset {
  /** "System-wide power settings" (SleepDisabled). */
  systemWide: Record<string, PmsetSetting>;
  /** "Currently in use". */
  inUse: Record<string, PmsetSetting>;
}

export function parsePmset(text: string): ParseResult<Pmset> {
  const out: Pmset = { systemWide: {}, inUse: {} };
  const problems: string[] = [];
  let section: Record<string, PmsetSetting> | undefined;
  let headings = 0;
  for (const line of splitLines(text)) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      headings++;
      section = /^System-wide/i.test(line) ? out.systemWide : /^Currently in use/i.test(line) ? out.inUse : undefined;
      continue;
    }
    if (!section) continue;
    const m = /^\s+(.+?)\s+(\S+)(?:\s+\((.*)\))?\s*$/.exec(line);
    if (!m) continue;
    section[m[1]!] = { value: m[2]!, ...(m[3] ? { note: m[3] } : {}) };
  }
  if (headings === 0) problems.push('no "Currently in use:" section');
  return parsed(out, problems);
}
