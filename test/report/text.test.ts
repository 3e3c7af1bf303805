import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderText, summaryLine, wrap } from '../../src/report/text.js';
import type { Report } from '../../src/report/schema.js';
import { loadSampleReport } from './sampleReport.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;
const report = loadSampleReport();
const plain = renderText(report, { color: false });
const lines = plain.split('\n');
const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle));

describe('renderText', () => {
  it('ends with the one-line summary from the report', () => {
    expect(lines.at(-2)).toBe('7 passed, 1 warning, 2 failed, 2 skipped, 1 error, 1 waived');
    expect(plain.endsWith('\n')).toBe(true);
  });

  it('starts with tool, profile, start time and duration', () => {
    expect(lines[0]).toBe('preflight 0.1.0 · profile everrun-6.0 · started 2026-11-25 09:14:03 UTC · took 6.8 s');
  });

  it('orders a host: failures, warnings, errors, waived, skips, passes', () => {
    const order = ['FAIL   host.static-ip', 'WARN   host.local-storage', 'ERROR  host.management-bond', 'WAIVED host.nic-speed', 'SKIP   host.quorum-ports', 'PASS   host.x64-cpu'].map(lineOf);
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // The expired waiver counts as a failure again, so it sits with the failures.
    expect(lineOf('FAIL   host.firewall-ports')).toBeLessThan(lineOf('WARN   host.local-storage'));
  });

  it('groups by host, then the pool', () => {
    expect(lineOf('xs-master  root@10.20.0.11:22 · master')).toBe(2);
    expect(lineOf('<img src=x onerror=alert(1)>  root@10.20.0.12:22 · member')).toBeGreaterThan(lineOf('PASS   host.alink-carrier'));
    expect(lineOf('Pool')).toBeGreaterThan(lineOf('unreachable: ssh root@10.20.0.12:22: connect ETIMEDOUT'));
    expect(lineOf('SKIP   pool.identical-cpus')).toBeGreaterThan(lineOf('Pool'));
  });

  it('shows observed, expected and the remediation under a failure, keeping its line structure', () => {
    const at = lineOf('FAIL   host.static-ip');
    const block = lines.slice(at, lineOf('FAIL   host.firewall-ports')).join('\n');
    expect(block).toContain('observed: eth0 (management, xenbr0) gets 10.20.0.11 from DHCP');
    expect(block).toContain('expected: a static IPv4 address on the management interface');
    expect(block).toMatch(/fix: Give the management interface the static address/);
    expect(block).toMatch(/\n {14} {2}1\. In XenCenter/);
    expect(block).toMatch(/\n {14}Or from the host console:/);
    expect(block).toContain('ref: everRun 6.0 Setup Guide');
  });

  it('marks waivers in force and expired ones', () => {
    expect(plain).toContain('waived: production switch port upgrade booked as change CHG-1182 (until 2026-12-31)');
    expect(plain).toMatch(/waiver expired: firewall change pending security review \(expired on 2026-10-31; this\s+finding counts as fail again\)/);
  });

  it('gives the reason for skips and errors, and one line per pass', () => {
    expect(plain).toContain('skipped: No quorum service computers in the inventory');
    expect(plain).toContain('could not evaluate: xe bond-list failed (exit status 1)');
    const pass = lineOf('PASS   host.x64-cpu');
    expect(lines[pass]).toBe('  PASS   host.x64-cpu  Processor is x64');
    expect(lines[pass + 1]).toMatch(/^ {2}PASS {3}host\.hw-virtualization/);
  });

  it('keeps every line within 100 columns', () => {
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(100);
    const narrow = renderText(report, { width: 60 });
    for (const l of narrow.split('\n').slice(0, -2)) expect(l.length, l).toBeLessThanOrEqual(60);
  });

  it('has no ANSI codes unless colour is asked for', () => {
    expect(plain).not.toMatch(ANSI);
    expect(renderText(report)).not.toMatch(ANSI);
    const coloured = renderText(report, { color: true });
    expect(coloured).toMatch(ANSI);
    // Colour is decoration only: without the escape codes the text is the same.
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('shows control characters from a host instead of sending them to the terminal', () => {
    const hostile: Report = {
      ...report,
      hosts: [{ ...report.hosts[0]!, name: 'evil\u001b[2J\u001b]0;pwned\u0007', findings: [{ ...report.hosts[0]!.findings[5]!, observed: 'a\u0000b\u009bc\r\nd' }] }],
    };
    const out = renderText(hostile, { color: false });
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('evil\\x1b[2J\\x1b]0;pwned\\x07');
  });

  it('never throws and never emits control characters, whatever the strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (a, b) => {
        const f = { ...report.hosts[0]!.findings[5]!, rule: a, title: b, observed: a, remediation: `${b}\n${a}` };
        const r: Report = { ...report, profile: a, hosts: [{ ...report.hosts[1]!, name: a, error: b }, { ...report.hosts[0]!, findings: [f] }] };
        const out = renderText(r, { width: 50 });
        // eslint-disable-next-line no-control-regex
        expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
        // Every line but the summary (one line by design) fits the width.
        for (const l of out.split('\n').slice(0, -2)) expect(l.length).toBeLessThanOrEqual(50);
      }),
      { numRuns: 300 },
    );
  });
});

describe('summaryLine', () => {
  it('spells out every count', () => {
    expect(summaryLine({ pass: 12, warn: 3, fail: 2, skip: 1, error: 0, waived: 1 })).toBe(
      '12 passed, 3 warnings, 2 failed, 1 skipped, 0 errors, 1 waived',
    );
  });
});

describe('wrap', () => {
  it('wraps at word boundaries with a hanging indent', () => {
    expect(wrap('aaa bbb ccc ddd', 9, '> ', '  ')).toEqual(['> aaa bbb', '  ccc ddd']);
  });
  it('keeps leading spaces of a line for its continuation lines', () => {
    expect(wrap('x\n  1. one two three', 12, '', '')).toEqual(['x', '  1. one two', '  three']);
  });
  it('cuts a word longer than the line', () => {
    const out = wrap('/a/very/long/path/that/cannot/break', 20, '', '');
    expect(out.join('')).toBe('/a/very/long/path/that/cannot/break');
    for (const l of out) expect(l.length).toBeLessThanOrEqual(20);
  });
  it('keeps blank lines between paragraphs', () => {
    expect(wrap('a\n\nb', 10, '- ', '  ')).toEqual(['- a', '', '  b']);
  });
});
