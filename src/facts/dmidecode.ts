import { parsed, type ParseResult } from './parseResult.js';
import { parseUint, quoteLine, splitLines } from './textLines.js';

/** One SMBIOS structure as dmidecode prints it: its type, title and top-level "Key: Value" fields. */
interface DmiRecord {
  type?: number;
  title?: string;
  fields: Map<string, string>;
}

/**
 * Splits dmidecode output into records. Each starts at "Handle 0x0004, DMI type 4, 40 bytes"
 * (dmidecode 2.7+) or "Handle 0x0004" followed by "\tDMI type 4, 40 bytes." (2.6 and older).
 * Fields are "Key: Value" lines indented one level (tab or spaces); deeper lines (flag lists,
 * characteristics) are list items and are skipped.
 */
function dmiRecords(text: string): DmiRecord[] {
  const records: DmiRecord[] = [];
  let current: DmiRecord | undefined;
  let fieldIndent: number | undefined;
  for (const line of splitLines(text)) {
    const handle = /^Handle\s+0x[0-9A-Fa-f]+(?:,\s*DMI type\s+(\d+))?/.exec(line);
    if (handle) {
      current = { fields: new Map() };
      if (handle[1] !== undefined) current.type = Number(handle[1]);
      fieldIndent = undefined;
      records.push(current);
      continue;
    }
    if (current === undefined) continue;
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    const oldType = /^\s+DMI type\s+(\d+),/.exec(line);
    if (oldType && current.type === undefined) {
      current.type = Number(oldType[1]);
      continue;
    }
    const indent = (/^\s*/.exec(line) as RegExpExecArray)[0].replace(/\t/g, '        ').length;
    const kv = /^\s*([^:]+?):\s?(.*)$/.exec(line);
    if (current.title === undefined && !kv) {
      current.title = line.trim();
      continue;
    }
    if (!kv) continue;
    // The first field fixes the field indentation; anything deeper is a list item.
    fieldIndent ??= indent;
    if (indent > fieldIndent) continue;
    const key = (kv[1] as string).trim();
    if (!current.fields.has(key)) current.fields.set(key, (kv[2] as string).trim());
  }
  return records;
}

function recordsOfType(text: string, type: number, title: string): DmiRecord[] {
  return dmiRecords(text).filter((r) => r.type === type || (r.type === undefined && r.title === title));
}

/** dmidecode's own preamble lines, printed even when it finds no table. */
const PREAMBLE = /^(#.*|SMBIOS .*present\.?|Getting SMBIOS data from .*|Scanning \/dev\/mem for entry point\.?|No SMBIOS nor DMI entry point found.*|\d+ structures occupying .*|Table at .*|Invalid entry length.*|\s*)$/i;

/**
 * A problem for text that is neither records nor dmidecode's preamble. No records of the wanted
 * type is not a problem in itself: VMs often have no SMBIOS memory table at all.
 */
function unrecognised(text: string): string[] {
  if (/^Handle\s+0x/m.test(text)) return [];
  const stray = splitLines(text).find((l) => !PREAMBLE.test(l));
  return stray === undefined ? [] : [`not dmidecode output: ${quoteLine(stray)}`];
}

const UNIT_BYTES: Record<string, number> = { bytes: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** "4096 MB", "8 GB", "512 kB" -> bytes; "No Module Installed", "Unknown" -> undefined. */
export function dmiSizeBytes(text: string | undefined): number | undefined {
  const m = /^(\d+)\s*(bytes|[kKMGT]B)\b/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  return Number(m[1]) * (UNIT_BYTES[(m[2] as string).toLowerCase()] as number);
}

/** "3000 MHz" -> 3000; "Unknown" -> undefined. */
function mhz(text: string | undefined): number | undefined {
  const m = /^(\d+)\s*MHz\b/i.exec(text?.trim() ?? '');
  return m ? Number(m[1]) : undefined;
}

/** A memory slot (SMBIOS type 17). */
export interface DmiMemoryDevice {
  locator: string;
  bankLocator?: string;
  /** Undefined for an empty slot or an unreadable size. */
  sizeBytes?: number;
  installed: boolean;
}

/** Installed memory modules from `dmidecode -t 17`. */
export interface DmiMemory {
  devices: DmiMemoryDevice[];
  /** Sum of the installed modules; undefined when no module size could be read. */
  totalBytes?: number;
}

/**
 * Parses `dmidecode -t 17` (or a full dump: other types are ignored). Empty slots say
 * "Size: No Module Installed"; old firmware sometimes says "Size: 0 MB" for the same thing.
 */
export function parseDmidecodeMemory(text: string): ParseResult<DmiMemory> {
  const problems: string[] = [];
  const devices: DmiMemoryDevice[] = [];
  for (const r of recordsOfType(text, 17, 'Memory Device')) {
    const size = r.fields.get('Size');
    const locator = r.fields.get('Locator') ?? `slot ${devices.length + 1}`;
    const bytes = dmiSizeBytes(size);
    const empty = size === undefined || /no module installed|not installed/i.test(size) || bytes === 0;
    const device: DmiMemoryDevice = { locator, installed: !empty };
    const bank = r.fields.get('Bank Locator');
    if (bank !== undefined && bank !== '') device.bankLocator = bank;
    if (bytes !== undefined && bytes > 0) device.sizeBytes = bytes;
    else if (!empty) problems.push(`memory device ${JSON.stringify(locator)}: unreadable size ${JSON.stringify(size)}`);
    devices.push(device);
  }
  const sizes = devices.map((d) => d.sizeBytes).filter((b): b is number => b !== undefined);
  const value: DmiMemory = { devices };
  if (sizes.length > 0) value.totalBytes = sizes.reduce((a, b) => a + b, 0);
  problems.push(...unrecognised(text));
  return parsed(value, problems);
}

/** A processor socket (SMBIOS type 4). */
export interface DmiProcessor {
  socket?: string;
  manufacturer?: string;
  /** The processor's name, e.g. "Intel(R) Xeon(R) CPU E5540 @ 2.53GHz". */
  version?: string;
  /** "Max Speed": often the fastest CPU the socket or board supports, not this CPU's. */
  maxSpeedMhz?: number;
  /** "Current Speed": the speed the firmware set for this CPU at boot (its rated speed, usually). */
  currentSpeedMhz?: number;
  coreCount?: number;
  coreEnabled?: number;
  threadCount?: number;
  populated: boolean;
  /** The status text, e.g. "Populated, Enabled", "Populated, Disabled By BIOS", "Unpopulated". */
  status?: string;
}

/** Parses `dmidecode -t 4` (or a full dump). */
export function parseDmidecodeProcessor(text: string): ParseResult<DmiProcessor[]> {
  const problems: string[] = [];
  const out: DmiProcessor[] = [];
  for (const r of recordsOfType(text, 4, 'Processor Information')) {
    const f = (k: string) => {
      const v = r.fields.get(k);
      return v === undefined || v === '' || /^(not specified|unknown|none)$/i.test(v) ? undefined : v;
    };
    const status = f('Status');
    // Old firmware omits Status; a socket with a named CPU is then taken as populated.
    const p: DmiProcessor = { populated: status !== undefined ? /^populated/i.test(status) : f('Version') !== undefined };
    const set = <K extends keyof DmiProcessor>(k: K, v: DmiProcessor[K] | undefined) => {
      if (v !== undefined) p[k] = v;
    };
    set('socket', f('Socket Designation'));
    set('manufacturer', f('Manufacturer'));
    set('version', f('Version'));
    set('maxSpeedMhz', mhz(f('Max Speed')));
    set('currentSpeedMhz', mhz(f('Current Speed')));
    set('coreCount', parseUint(f('Core Count')));
    set('coreEnabled', parseUint(f('Core Enabled')));
    set('threadCount', parseUint(f('Thread Count')));
    set('status', status);
    out.push(p);
  }
  problems.push(...unrecognised(text));
  return parsed(out, problems);
}
