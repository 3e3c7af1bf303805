import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonSyntaxError, loadPortTable, parsePortTable, portTableEvidence, portTableFromEvidence, PORT_TABLE_EVIDENCE } from '../../src/cables/loadPortTable.js';
import { PORT_TABLE_FORMAT, type PortTable } from '../../src/cables/portTable.js';
import { renderPortTable } from '../../src/cables/portTableRender.js';
import { inputError } from '../support/inputError.js';

/**
 * Reading a port table back: the JSON the walkthrough writes loads unchanged; anything else is a
 * one-line error naming file:line:column and what was expected, and through the CLI exit 2.
 */

const TABLE: PortTable = {
  format: PORT_TABLE_FORMAT,
  createdAt: '2026-11-25T12:10:00.000Z',
  profile: 'everrun-6.0',
  hosts: [
    { name: 'h1', address: 'root@10.0.0.11' },
    { name: 'H2', address: 'root@10.0.0.12' },
  ],
  rows: [
    {
      host: 'h1',
      device: 'eth1',
      mac: '02:00:00:01:00:01',
      pciSlot: '0000:03:00.0',
      driver: 'e1000e',
      speedMbps: 1000,
      label: 'slot 2 port 1',
      role: 'alink1',
      peer: { host: 'H2', device: 'eth1', mac: '02:00:00:02:00:01' },
      verdict: 'ok',
      detail: 'h1 eth1 and H2 eth1 lost carrier together',
      observedAt: '2026-11-25T12:01:00.000Z',
      rehearsal: { verdict: 'ok', detail: 'pulled eth1; H2 still answered over eth2', checkedAt: '2026-11-25T12:05:00.000Z' },
    },
    {
      host: 'h2',
      device: 'eth1',
      mac: '02:00:00:02:00:01',
      pciSlot: null,
      driver: null,
      speedMbps: null,
      label: null,
      role: null,
      peer: null,
      verdict: 'not-tested',
      detail: 'the walkthrough ended before it',
      observedAt: null,
      rehearsal: null,
    },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'pft-load-ports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const pretty = JSON.stringify(TABLE, null, 2);

describe('loadPortTable', () => {
  it('reads what the JSON renderer writes, unchanged (a byte-order mark is ignored)', async () => {
    expect(loadPortTable(file('ok.json', await renderPortTable(TABLE, 'json')))).toEqual(TABLE);
    expect(loadPortTable(file('bom.json', `\uFEFF${pretty}`))).toEqual(TABLE);
  });

  it('a JSON syntax error names the line and column where parsing stopped', () => {
    // Line 4 loses its trailing comma: the parser stops at the start of line 5.
    const lines = pretty.split('\n');
    lines[3] = lines[3]!.replace(/,$/, '');
    const path = file('syntax.json', lines.join('\n'));
    const message = inputError(() => loadPortTable(path));
    expect(message).toMatch(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:3: not valid JSON \\(.+\\): expected a port table`));
  });

  it('a truncated file points past its last character', () => {
    const text = pretty.slice(0, 200);
    const message = inputError(() => parsePortTable(text, 'cut.json'));
    expect(message).toMatch(new RegExp(`^cut\\.json:${text.split('\n').length}:\\d+: not valid JSON`));
  });

  it('a schema error names the path, its line and what was expected', () => {
    const text = pretty.replace('"verdict": "not-tested"', '"verdict": "fine"');
    const line = text.split('\n').findIndex((l) => l.includes('"fine"')) + 1;
    const message = inputError(() => parsePortTable(text, 'bad.json'));
    expect(message).toBe(`bad.json:${line}:18: rows[1].verdict: expected one of "ok", "crossed", "wrong-peer", "no-change", "carrier-not-back", "no-carrier", "skipped", "not-tested"`);
  });

  it('a missing field and an unknown key are named', () => {
    const { detail: _, ...noDetail } = TABLE.rows[0]!;
    expect(inputError(() => parsePortTable(JSON.stringify({ ...TABLE, rows: [noDetail] }, null, 2), 'p.json'))).toMatch(/^p\.json:\d+:\d+: rows\[0\]\.detail: expected string \(missing\)$/);
    expect(inputError(() => parsePortTable(JSON.stringify({ ...TABLE, extra: 1 }, null, 2), 'p.json'))).toMatch(/^p\.json:1:1: unknown key "extra"$/);
  });

  it('another file format is refused by its format field', () => {
    expect(inputError(() => parsePortTable(JSON.stringify({ ...TABLE, format: 'preflight-port-table/2' }), 'v2.json'))).toMatch(/^v2\.json:1:\d+: format: expected one of "preflight-port-table\/1"$/);
    expect(inputError(() => parsePortTable('[1, 2]', 'list.json'))).toMatch(/^list\.json:1:1: expected a port table .*got a list$/);
  });

  it('a missing file or a directory is a one-line error', () => {
    expect(inputError(() => loadPortTable(join(dir, 'nope.json')))).toMatch(/nope\.json: no such file, expected a port table/);
    mkdirSync(join(dir, 'adir.json'));
    expect(inputError(() => loadPortTable(join(dir, 'adir.json')))).toMatch(/adir\.json: is a directory/);
  });
});

describe('the table as scan evidence', () => {
  it("each host's item holds only its rows (names matched without regard to case), and reads back", () => {
    const ev = portTableEvidence(TABLE, 'H1', 'ports.json');
    expect(ev.probe).toBe(PORT_TABLE_EVIDENCE);
    expect(ev.exitCode).toBe(0);
    const back = portTableFromEvidence(ev);
    expect(back).toEqual({ ...TABLE, rows: [TABLE.rows[0]] });
    expect(portTableFromEvidence(portTableEvidence(TABLE, 'h2', 'ports.json'))).toEqual({ ...TABLE, rows: [TABLE.rows[1]] });
    expect(portTableFromEvidence(portTableEvidence(TABLE, 'h3', 'ports.json'))).toEqual({ ...TABLE, rows: [] });
  });

  it('a damaged item says why instead of throwing', () => {
    const ev = portTableEvidence(TABLE, 'h1', 'ports.json');
    expect(portTableFromEvidence({ ...ev, stdout: '{' })).toMatch(/^the stored port table is not valid JSON/);
    expect(portTableFromEvidence({ ...ev, stdout: '{"format":"x"}' })).toMatch(/^the stored port table does not match preflight-port-table\/1 \(format: /);
  });
});

// The built CLI (npx tsc -p tsconfig.json first): bad --cables input is exit 2 with one line on
// stderr, before any probe runs.
const BIN = join(process.cwd(), 'bin/preflight.js');
function scanWithCables(path: string) {
  return spawnSync(process.execPath, [BIN, 'scan', '--format', 'json', '--cables', path], { encoding: 'utf8', timeout: 60_000 });
}

describe('preflight scan --cables with a bad file', () => {
  it.each([
    ['a JSON syntax error', 'syntax2.json', '{\n  "format": "preflight-port-table/1",\n  "rows": [,]\n}\n', /^preflight: .*syntax2\.json:3:12: not valid JSON \(.+\): expected a port table written by "preflight cables --out FILE\.json"$/],
    ['a schema error', 'schema2.json', pretty.replace('"speedMbps": 1000', '"speedMbps": "fast"'), /^preflight: .*schema2\.json:\d+:20: rows\[0\]\.speedMbps: expected number, got the string "fast"$/],
    ['a missing file', undefined, '', /^preflight: .*absent\.json: no such file, expected a port table/],
  ])('%s: exit 2, one line, no stack trace', (_, name, text, pattern) => {
    const path = name ? file(name, text) : join(dir, 'absent.json');
    const r = scanWithCables(path);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('jsonSyntaxError points at the first error', () => {
  it.each([
    ['{"a": 1,}', 8, `expected a key in double quotes, found "}"`],
    ['{"a" 1}', 5, `expected ':' after the key, found "1"`],
    ['[1 2]', 3, `expected ',' or ']', found "2"`],
    ['{"a": tru}', 9, 'expected true, found "}"'],
    ['{"a": "x\ny"}', 8, 'expected the closing quote of a string (a line break or control character must be escaped), found "\\n"'],
    ['{"a": "\\q"}', 8, 'expected an escape such as \\n or \\", found "q"'],
    ['{"a": 01}', 7, `expected ',' or '}', found "1"`],
    ['{} {}', 3, 'expected the end of the file after the value, found "{"'],
    ['{"a": [', 7, 'expected a value, found the end of the file'],
    ['{"a": "\u009b"', 9, 'expected \',\' or \'}\', found the end of the file'],
  ])('%j', (text, offset, expected) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxError(text)).toEqual({ offset, expected });
  });
});
