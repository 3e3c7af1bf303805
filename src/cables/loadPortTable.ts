import { readFileSync } from 'node:fs';
import type { Evidence } from '../collect/evidence.js';
import { InputError, locatedMessage } from '../engine/inputError.js';
import { parseYamlText, validateWith, type YamlSource } from '../engine/yamlFile.js';
import { PORT_TABLE_FORMAT, PortTable, type PortRow } from './portTable.js';

/**
 * Reading a port table back (`preflight scan --cables FILE`), and carrying it into the scan as
 * evidence: each scanned host gets its own rows as one evidence item, so the pool.cabling rule
 * stays a pure function of evidence and facts, and `--evidence-out` and support bundles replay it.
 */

/** The evidence item that holds a host's rows of the port table (not a probe: nothing runs on the host). */
export const PORT_TABLE_EVIDENCE = 'cables.port-table';

/** Reads and validates a port table file; bad input is a one-line InputError naming file:line:col. */
export function loadPortTable(file: string): PortTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (code ?? (err as Error).message);
    throw new InputError(`${file}: ${why}, expected a port table (JSON written by "preflight cables --out FILE.json")`);
  }
  return parsePortTable(text, file);
}

/** The text of a port table file; `file` names it in messages. */
export function parsePortTable(text: string, file: string): PortTable {
  const body = text.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    // Node's messages differ between versions and often give no position: find it ourselves.
    const at = jsonSyntaxError(body);
    const before = body.slice(0, at.offset);
    const line = before.split('\n').length;
    const col = at.offset - (before.lastIndexOf('\n') + 1) + 1;
    throw new InputError(locatedMessage(file, line, col, `not valid JSON (${at.expected}): expected a port table written by "preflight cables --out FILE.json"`));
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(locatedMessage(file, 1, 1, `expected a port table (a JSON object with "format": "${PORT_TABLE_FORMAT}"), got ${Array.isArray(data) ? 'a list' : data === null ? 'null' : `a ${typeof data}`}`));
  }
  const valid = PortTable.safeParse(data);
  if (valid.success) return valid.data;
  // JSON is YAML: the YAML reader points the schema error at the line of the offending value (and
  // where it cannot read the text, the message goes without a line).
  let src: YamlSource;
  try {
    src = { ...parseYamlText(file, body), data };
  } catch {
    src = { file, data, positionOf: () => undefined };
  }
  return validateWith(src, PortTable);
}

/**
 * Where a JSON text stops being JSON, and what was expected there: a small scanner that follows
 * the grammar of RFC 8259 only far enough to point at the first error (JSON.parse decides).
 */
/** A character quoted for a one-line message; nothing a terminal would obey. */
function shown(ch: string): string {
  return JSON.stringify(ch).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function jsonSyntaxError(text: string): { offset: number; expected: string } {
  let i = 0;
  class Stop {
    constructor(readonly offset: number, readonly expected: string) {}
  }
  const fail = (expected: string): never => {
    throw new Stop(i, i >= text.length ? `${expected}, found the end of the file` : `${expected}, found ${shown(text[i]!)}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail(`expected ${word}`);
      i++;
    }
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('expected the closing quote of a string');
      const ch = text[i]!;
      if (ch === '"') return void i++;
      if (ch < ' ') fail('expected the closing quote of a string (a line break or control character must be escaped)');
      if (ch === '\\') {
        i++;
        const e = text[i];
        if (e === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? '')) (i += k), fail('expected four hex digits after \\u');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail('expected an escape such as \\n or \\"');
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail('expected a value');
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key in double quotes');
        string();
        ws();
        if (text[i] !== ':') fail("expected ':' after the key");
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail("expected ',' or '}'");
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail("expected ',' or ']'");
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return number();
    fail('expected a value');
  };
  try {
    value();
    ws();
    if (i < text.length) fail('expected the end of the file after the value');
  } catch (err) {
    if (err instanceof Stop) return { offset: err.offset, expected: err.expected };
    throw err;
  }
  // JSON.parse refused what the scanner accepts (should not happen): point at the start.
  return { offset: 0, expected: 'expected JSON' };
}

// --- the table as scan evidence ---------------------------------------------------------------

/** Host names are matched as DNS names are: without regard to case. */
export function sameHostName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The rows of one host. */
export function rowsOfHost(table: PortTable, host: string): PortRow[] {
  return table.rows.filter((r) => sameHostName(r.host, host));
}

/**
 * The evidence item for one scanned host: the table with only that host's rows (and the full host
 * list, so the rule can say which hosts the table does describe). A host the table does not name
 * gets an item with no rows: "given, but not in the table" is then told from "no --cables".
 */
export function portTableEvidence(table: PortTable, host: string, file: string): Evidence {
  const slice: PortTable = { ...table, rows: rowsOfHost(table, host) };
  return {
    probe: PORT_TABLE_EVIDENCE,
    source: `preflight scan --cables ${file}`,
    stdout: JSON.stringify(slice, null, 2) + '\n',
    stderr: '',
    exitCode: 0,
    durationMs: 0,
    truncated: false,
  };
}

/** The host's port table from its evidence item, or why it cannot be read (a damaged bundle). */
export function portTableFromEvidence(ev: Evidence): PortTable | string {
  if (ev.error !== undefined) return ev.error;
  let data: unknown;
  try {
    data = JSON.parse(ev.stdout);
  } catch (err) {
    return `the stored port table is not valid JSON (${(err as Error).message})`;
  }
  const parsed = PortTable.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `the stored port table does not match ${PORT_TABLE_FORMAT} (${issue.path.join('.') || '(root)'}: ${issue.message})`;
  }
  return parsed.data;
}
