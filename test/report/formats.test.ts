import { describe, expect, it } from 'vitest';
import {
  displayStatus,
  formatDuration,
  formatFromPath,
  formatTimestamp,
  renderReport,
  REPORT_FORMATS,
  sortForDisplay,
  tallyFindings,
} from '../../src/report/formats.js';
import { loadSampleReport } from './sampleReport.js';

describe('formatFromPath', () => {
  it.each([
    ['report.txt', 'text'],
    ['out/REPORT.TEXT', 'text'],
    ['r.json', 'json'],
    ['/tmp/a.b/report.html', 'html'],
    ['C:\\reports\\x.HTM', 'html'],
    ['junit.xml', 'junit'],
  ] as const)('%s -> %s', (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });

  it.each(['report', 'report.pdf', '.json', 'dir.json/report', ''])('%s -> undefined', (path) => {
    expect(formatFromPath(path)).toBeUndefined();
  });
});

describe('renderReport', () => {
  const report = loadSampleReport();

  it.each(REPORT_FORMATS)('renders %s', async (format) => {
    const out = await renderReport(report, format);
    expect(out.length).toBeGreaterThan(100);
    const start = { text: 'preflight 0.1.0', json: '{', html: '<!DOCTYPE html>', junit: '<?xml' }[format];
    expect(out.startsWith(start)).toBe(true);
  });

  it('passes colour to the text renderer only when asked', async () => {
    expect(await renderReport(report, 'text')).not.toContain('\u001b[');
    expect(await renderReport(report, 'text', { color: true })).toContain('\u001b[');
  });
});

describe('shared presentation', () => {
  const report = loadSampleReport();
  const findings = report.hosts[0]!.findings;

  it('classes a finding under a waiver in force as waived, an expired one under its status', () => {
    expect(displayStatus(findings.find((f) => f.rule === 'host.nic-speed')!)).toBe('waived');
    expect(displayStatus(findings.find((f) => f.rule === 'host.firewall-ports')!)).toBe('fail');
  });

  it('sorts stably: fail, warn, error, waived, skip, pass', () => {
    const order = sortForDisplay(findings).map((f) => displayStatus(f));
    expect(order).toEqual(['fail', 'fail', 'warn', 'error', 'waived', 'skip', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    expect(sortForDisplay(findings).filter((f) => f.status === 'pass').map((f) => f.rule)).toEqual(
      findings.filter((f) => f.status === 'pass').map((f) => f.rule),
    );
  });

  it('tallies by display class', () => {
    expect(tallyFindings(findings)).toEqual({ fail: 2, warn: 1, error: 1, waived: 1, skip: 1, pass: 6 });
  });

  it('formats durations and times for people', () => {
    expect(formatDuration(350)).toBe('350 ms');
    expect(formatDuration(6843)).toBe('6.8 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(Number.NaN)).toBe('unknown');
    expect(formatTimestamp('2026-11-25T09:14:03.412Z')).toBe('2026-11-25 09:14:03 UTC');
    expect(formatTimestamp('2026-11-25T10:14:03+01:00')).toBe('2026-11-25 09:14:03 UTC');
    expect(formatTimestamp('yesterday')).toBe('yesterday');
  });
});
