import { readFileSync } from 'node:fs';
import { Report } from '../../src/report/schema.js';

/** The hand-written sample report (see test/fixtures/reports/README.md), validated on load. */
export function loadSampleReport(): Report {
  const text = readFileSync(new URL('../fixtures/reports/sample-report.json', import.meta.url), 'utf8');
  return Report.parse(JSON.parse(text));
}

/** Every finding of the report, hosts first, then the pool. */
export function allFindings(report: Report) {
  return [...report.hosts.flatMap((h) => h.findings), ...report.pool.findings];
}
