import { parsed, type ParseResult } from './parseResult.js';
import { parseDecimal, quoteLine, splitLines } from './textLines.js';

/** One object of `xe *-list params=all`: field name -> value as printed (maps and sets unparsed). */
export type XeRecord = Record<string, string>;

/**
 * A field line: "key ( RO): value", "key (MRW): a: 1; b: 2", "key (SRO): x; y",
 * "key ( RO) [DEPRECATED]: value", with any indentation and spacing before the colon
 * ("uuid ( RO)                : ..." aligns the first field of each record).
 */
const FIELD = /^\s*([^\s(][^(]*?)\s*\(\s*(?:RO|RW|MRO|MRW|SRO|SRW)\s*\)(?:\s*\[DEPRECATED\])?\s*:\s?(.*)$/;

/** A shell prompt or an echoed xe command line, as found in pasted sessions. */
const COMMAND = /^\s*(?:\S*[#$>]\s*)?xe\s+[a-z][a-z0-9-]*(?:\s|$)/;
/** Markdown fences and similar decoration around pasted output. */
const FENCE = /^\s*(?:```|~~~)/;

/**
 * Parses the generic `xe` record format: records separated by blank lines, one "key (MODE): value"
 * field per line. Also accepts CRLF line ends, leading indentation, prompts and echoed commands,
 * and markdown fences (all seen in pasted examples). A repeated key starts a new record even without
 * a blank line. With `params=all` every record starts with its uuid, so a chunk without a uuid whose
 * fields are all new is the rest of the previous record, split by a page or a paste: it is merged back.
 */
export function parseXeRecords(text: string): ParseResult<XeRecord[]> {
  const problems: string[] = [];
  // Each chunk remembers whether only blank lines and fences separate it from the chunk before.
  const chunks: { record: XeRecord; adjacent: boolean }[] = [];
  let current: XeRecord | undefined;
  let interrupted = true;
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '' || FENCE.test(line)) {
      current = undefined;
      return;
    }
    const m = FIELD.exec(line);
    if (!m) {
      current = undefined;
      interrupted = true;
      if (!COMMAND.test(line)) problems.push(`line ${i + 1}: not an xe field "key ( RO): value": ${quoteLine(line)}`);
      return;
    }
    const key = m[1] as string;
    if (current === undefined || key in current) {
      current = {};
      chunks.push({ record: current, adjacent: !interrupted });
      interrupted = false;
    }
    current[key] = (m[2] as string).trimEnd();
  });

  const records: XeRecord[] = [];
  for (const { record, adjacent } of chunks) {
    const prev = records[records.length - 1];
    if (adjacent && prev !== undefined && !('uuid' in record) && 'uuid' in prev && Object.keys(record).every((k) => !(k in prev))) {
      Object.assign(prev, record);
      problems.push(`fields ${Object.keys(record).join(', ')} follow a blank line without a uuid: read as the rest of record ${prev['uuid']}`);
      continue;
    }
    records.push(record);
  }
  return parsed(records, problems);
}

/**
 * A map field ("product_version: 5.5.0; build_number: 25727p") as an object. Keys may themselves
 * contain colons ("xs:main: XenServer Pack, version 6.5.0"), so each entry splits at its first ": ".
 */
export function xeMap(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === undefined) return out;
  for (const entry of value.split(/;\s*/)) {
    if (entry.trim() === '') continue;
    const at = entry.indexOf(': ');
    if (at < 0) {
      const bare = entry.trim().replace(/:$/, '');
      if (bare !== '') out[bare] = '';
      continue;
    }
    out[entry.slice(0, at).trim()] = entry.slice(at + 2).trim();
  }
  return out;
}

/** A set field ("xen-3.0-x86_64; hvm-3.0-x86_64; ") as a list, empty entries dropped. */
export function xeSet(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** "true" / "false" as printed by xe; anything else is unknown. */
export function xeBool(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

/** A numeric field ("1073336320", "-1"); "<expensive field>", "<unknown>" or "" are unknown. */
export function xeNumber(value: string | undefined): number | undefined {
  return parseDecimal(value);
}

/**
 * A text field, trimmed; "" and xe's placeholders ("<not in database>", "<unknown>",
 * "<expensive field>", "<shared>") are unknown.
 */
export function xeText(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' || /^<[^<>]*>$/.test(v) ? undefined : v;
}
