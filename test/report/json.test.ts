import { describe, expect, it } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { Report } from '../../src/report/schema.js';
import { allFindings, loadSampleReport } from './sampleReport.js';

const report = loadSampleReport();

describe('sample-report.json fixture', () => {
  it('validates and its summary agrees with its findings', () => {
    const findings = allFindings(report);
    const inForce = (f: (typeof findings)[number]) => f.waiver !== undefined && !f.waiver.expired;
    const count = (s: string) => findings.filter((f) => !inForce(f) && f.status === s).length;
    expect(report.summary).toEqual({
      pass: count('pass'),
      warn: count('warn'),
      fail: count('fail'),
      skip: count('skip'),
      error: count('error'),
      waived: findings.filter(inForce).length,
    });
    expect(new Set(findings.map((f) => displayKey(f))).size).toBeGreaterThanOrEqual(6);
  });
});

function displayKey(f: ReturnType<typeof allFindings>[number]): string {
  return f.waiver === undefined ? f.status : f.waiver.expired ? `${f.status}+expired` : 'waived';
}

describe('renderJson', () => {
  const json = renderJson(report);

  it('round-trips and the schema accepts it', () => {
    expect(json.endsWith('}\n')).toBe(true);
    const back = JSON.parse(json) as unknown;
    expect(Report.parse(back)).toEqual(report);
    expect(back).toEqual(report);
  });

  it('is indented by two spaces', () => {
    expect(json.split('\n')[1]).toBe('  "schemaVersion": "1.0.0",');
  });

  it('writes keys in schema order, whatever order the report was built in', () => {
    // Reverse every object's keys except the `probes` map, a record whose order is its own (probe order).
    const shuffled = JSON.parse(JSON.stringify(report), (k, v: unknown) =>
      k !== 'probes' && v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as Report;
    expect(Object.keys(shuffled)[0]).toBe('summary');
    expect(renderJson(shuffled)).toBe(json);
    expect(Object.keys(JSON.parse(json) as object)).toEqual(Object.keys(Report.shape));
  });

  it('refuses a report that does not match the published schema', () => {
    const bad = { ...report, summary: { ...report.summary, pass: 'seven' } } as unknown as Report;
    expect(() => renderJson(bad)).toThrow(/summary\.pass/);
  });
});
