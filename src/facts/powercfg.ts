import { parsed, type ParseResult } from './parseResult.js';
import { splitLines } from './textLines.js';

/**
 * Parsers for Windows `powercfg` (Vista and later; XP's powercfg prints another table and is not
 * read). Both outputs are localised, so the parsers lean on structure, GUIDs and hex values, and
 * use the English labels only where they exist.
 */

// --- powercfg /a ---------------------------------------------------------------------------------

/**
 *   The following sleep states are available on this system:
 *       Standby (S3)
 *       Hibernate
 *
 *   The following sleep states are not available on this system:
 *       Standby (S1)
 *           The system firmware does not support this standby state.
 *
 * Headings start at column 0, states are indented four spaces, reasons eight. The first heading
 * lists the available states and the second the unavailable ones, in every language, so that
 * order is what is relied on (an English heading is checked when present).
 */
export interface PowercfgAvailability {
  available: string[];
  unavailable: { state: string; reasons: string[] }[];
}

export function parsePowercfgAvailable(text: string): ParseResult<PowercfgAvailability> {
  const out: PowercfgAvailability = { available: [], unavailable: [] };
  const problems: string[] = [];
  let section: 'available' | 'unavailable' | undefined;
  let headings = 0;
  for (const line of splitLines(text)) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      headings++;
      if (/not available/i.test(line)) section = 'unavailable';
      else if (/available/i.test(line)) section = 'available';
      else section = headings === 1 ? 'available' : headings === 2 ? 'unavailable' : undefined;
      continue;
    }
    const indent = /^\s*/.exec(line)![0].replace(/\t/g, '    ').length;
    const value = line.trim();
    if (section === 'available' && indent <= 5) out.available.push(value);
    else if (section === 'unavailable') {
      if (indent <= 5) out.unavailable.push({ state: value, reasons: [] });
      else out.unavailable[out.unavailable.length - 1]?.reasons.push(value);
    }
  }
  if (headings === 0) problems.push('no "The following sleep states ..." headings');
  return parsed(out, problems);
}

/** standby (any S-state), hibernate, hybrid, fastStartup, or other. */
export function sleepStateKind(state: string): 'standby' | 'hibernate' | 'hybrid' | 'fastStartup' | 'other' {
  if (/hybrid/i.test(state)) return 'hybrid';
  if (/fast startup/i.test(state)) return 'fastStartup';
  if (/\(S[0-3]\b|standby/i.test(state)) return 'standby';
  if (/hibernat/i.test(state)) return 'hibernate';
  return 'other';
}

// --- powercfg /q -------------------------------------------------------------------------------

/**
 *   Power Scheme GUID: 381b4222-f694-41f0-9685-ff5bb260df2e  (Balanced)
 *     Subgroup GUID: 238c9fa8-0aad-41ed-83f4-97be242c8f20  (Sleep)
 *       Power Setting GUID: 29f6c1db-86da-48c5-9fdb-f2b67b1f44da  (Sleep after)
 *         GUID Alias: STANDBYIDLE
 *         Minimum Possible Setting: 0x00000000
 *         ...
 *       Current AC Power Setting Index: 0x00000000
 *       Current DC Power Setting Index: 0x00000708
 *
 * The two current indexes sit at the indentation of their "Power Setting GUID" line, deeper lines
 * are the setting's range and choices: so the AC and DC values are read by that position (AC
 * first) when the English labels are not there.
 */
export interface PowercfgSetting {
  guid: string;
  name?: string;
  alias?: string;
  subgroupGuid?: string;
  ac?: number;
  dc?: number;
}

export interface PowercfgQuery {
  schemeGuid?: string;
  schemeName?: string;
  settings: PowercfgSetting[];
}

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export const POWER_SETTING = {
  sleepAfter: '29f6c1db-86da-48c5-9fdb-f2b67b1f44da',
  hibernateAfter: '9d7815a6-7ee4-497e-8888-515a05f02364',
  allowHybridSleep: '94ac6d29-73ce-41a6-809f-6363ba21b47e',
} as const;

export function parsePowercfgQuery(text: string): ParseResult<PowercfgQuery> {
  const out: PowercfgQuery = { settings: [] };
  const problems: string[] = [];
  const settings: (PowercfgSetting & { indent: number; seen: number })[] = [];
  let subgroup: string | undefined;
  let setting: (PowercfgSetting & { indent: number; seen: number }) | undefined;
  const guidLine = new RegExp(`^(\\s*)[^:]*:\\s*(${GUID})(?:\\s+\\((.*)\\))?\\s*$`, 'i');
  let level = 0;
  for (const line of splitLines(text)) {
    if (line.trim() === '') continue;
    const g = guidLine.exec(line);
    if (g) {
      const indent = g[1]!.length;
      const guid = g[2]!.toLowerCase();
      const name = g[3]?.trim();
      // Scheme at column 0, subgroup at 2, setting at 4 (by structure, not by the localised label).
      if (indent === 0) {
        out.schemeGuid = guid;
        if (name) out.schemeName = name;
        level = 0;
      } else if (indent <= 2) {
        subgroup = guid;
        level = 1;
      } else {
        setting = { guid, ...(name ? { name } : {}), ...(subgroup ? { subgroupGuid: subgroup } : {}), indent, seen: 0 };
        settings.push(setting);
        level = 2;
      }
      continue;
    }
    if (level < 2 || !setting) continue;
    const alias = /^\s*GUID[- ]?Alias:\s*(\S+)\s*$/i.exec(line);
    if (alias) {
      setting.alias = alias[1]!;
      continue;
    }
    const hex = /^(\s*)(.*?):\s*(0x[0-9a-f]+)\s*$/i.exec(line);
    if (!hex) continue;
    const value = Number.parseInt(hex[3]!, 16);
    const label = hex[2]!;
    if (/Current AC Power Setting Index/i.test(label)) setting.ac = value;
    else if (/Current DC Power Setting Index/i.test(label)) setting.dc = value;
    else if (!/Possible|Setting Index|Minimum|Maximum|increment/i.test(label) && hex[1]!.length === setting.indent) {
      // A localised "current index" line: the first at the setting's own indentation is AC.
      if (setting.seen === 0) setting.ac = value;
      else if (setting.seen === 1) setting.dc = value;
      setting.seen++;
    }
  }
  if (!out.schemeGuid && settings.length === 0) problems.push('no power scheme or setting GUIDs');
  out.settings = settings.map(({ indent: _i, seen: _s, ...rest }) => rest);
  return parsed(out, problems);
}
