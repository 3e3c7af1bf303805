import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffReports, renderDiffText, ReportIn } from '../../src/bundle/diff.js';
import { createBundle } from '../../src/bundle/create.js';
import { collectLocal } from '../../src/collect/localTransport.js';
import { PROBES } from '../../src/collect/probes.js';
import { loadProfile } from '../../src/engine/loadRules.js';
import type { Report } from '../../src/report/schema.js';
import { loadSampleReport } from '../report/sampleReport.js';
import { preflight, requireBuild, tempDir, unpack, cleanupTempDirs } from './helpers.js';

afterAll(cleanupTempDirs);

/**
 * `preflight diff OLD NEW` on two reports made from the sample report: a failure fixed, a new
 * failure, a failure that stays (warn -> fail counts as newly failing), a waiver, a host added;
 * in text and JSON, with the documented exit codes; and a bundle against its own report.json.
 */

const dir = tempDir('diff');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function clone(r: Report): Report {
  return JSON.parse(JSON.stringify(r));
}

/** OLD and NEW from the sample: the first failing finding fixed, the first passing one broken. */
function pair() {
  const old = loadSampleReport();
  const neu = clone(old);
  const host = neu.hosts.find((h) => h.findings.some((f) => f.status === 'fail') && h.findings.some((f) => f.status === 'pass'))!;
  const i = neu.hosts.indexOf(host);
  const failing = host.findings.find((f) => f.status === 'fail')!;
  const passing = host.findings.find((f) => f.status === 'pass')!;
  failing.status = 'pass';
  passing.status = 'fail';
  passing.message = 'now broken';
  neu.startedAt = '2026-12-01T10:00:00.000Z';
  return { old, neu, host: host.name, fixed: failing.rule, broken: passing.rule, index: i };
}

describe('diffReports', () => {
  it('sorts every host and rule into fixed, new and still failing', () => {
    const { old, neu, host, fixed, broken } = pair();
    const d = diffReports(ReportIn.parse(old), ReportIn.parse(neu), { old: 'old.json', new: 'new.json' });
    expect(d.fixed.map((e) => [e.host, e.rule, e.old, e.new])).toContainEqual([host, fixed, 'fail', 'pass']);
    expect(d.new_.map((e) => [e.host, e.rule, e.old, e.new, e.message])).toContainEqual([host, broken, 'pass', 'fail', 'now broken']);
    const problems = (r: Report) => [...r.hosts.flatMap((h) => h.findings.map((f) => ({ h: h.name, f }))), ...r.pool.findings.map((f) => ({ h: 'pool', f }))];
    const stillCount = problems(old).filter(({ h, f }) => {
      const n = problems(neu).find((x) => x.h === h && x.f.rule === f.rule)!.f;
      const bad = (s: typeof f) => ['fail', 'warn', 'error'].includes(s.status) && !(s.waiver && !s.waiver.expired);
      return bad(f) && bad(n);
    }).length;
    expect(d.stillFailing).toHaveLength(stillCount);
    expect(d.newFailures).toBe(1);
    expect(d.fixed).toHaveLength(1);
    expect(d.new_).toHaveLength(1);
  });

  it('a warning that became a failure is still failing, and counts as a new failure', () => {
    const old = loadSampleReport();
    const neu = clone(old);
    const h = neu.hosts[0]!;
    const f = h.findings.find((x) => x.status === 'pass')!;
    old.hosts[0]!.findings.find((x) => x.rule === f.rule)!.status = 'warn';
    f.status = 'fail';
    const d = diffReports(ReportIn.parse(old), ReportIn.parse(neu), { old: 'a', new: 'b' });
    expect(d.stillFailing.find((e) => e.rule === f.rule && e.host === h.name)).toMatchObject({ old: 'warn', new: 'fail' });
    expect(d.newFailures).toBe(1);
    expect(d.new_).toHaveLength(0);
  });

  it('a failure under a waiver in force is not a problem; a new host\'s failures are new; a removed host is not "fixed"', () => {
    const old = loadSampleReport();
    const neu = clone(old);
    const f = neu.hosts[0]!.findings.find((x) => x.status === 'fail')!;
    f.waiver = { reason: 'cable on order', expired: false };
    const extra = clone(old).hosts[0]!;
    extra.name = 'xs-new';
    neu.hosts.push(extra);
    old.hosts.push({ ...clone(old).hosts.at(-1)!, name: 'xs-gone' });
    const d = diffReports(ReportIn.parse(old), ReportIn.parse(neu), { old: 'a', new: 'b' });
    expect(d.fixed.find((e) => e.rule === f.rule && e.host === neu.hosts[0]!.name)).toMatchObject({ old: 'fail', new: 'waived' });
    expect(d.new_.filter((e) => e.host === 'xs-new').length).toBe(extra.findings.filter((x) => ['fail', 'warn', 'error'].includes(x.status) && !(x.waiver && !x.waiver.expired)).length);
    expect(d.hosts).toMatchObject({ onlyInOld: ['xs-gone'], onlyInNew: ['xs-new'] });
    expect(d.fixed.some((e) => e.host === 'xs-gone')).toBe(false);
    expect(d.notCompared.every((e) => e.host === 'xs-gone' && e.reason === 'host not in NEW')).toBe(true);
  });

  it('renders text with the three sections and a summary line', () => {
    const { old, neu, broken } = pair();
    const text = renderDiffText(diffReports(ReportIn.parse(old), ReportIn.parse(neu), { old: 'old.json', new: 'new.json' }));
    expect(text).toMatch(/^OLD: old\.json/);
    expect(text).toMatch(/^Fixed \(1\)$/m);
    expect(text).toMatch(/^New \(1\)$/m);
    expect(text).toMatch(/^Still failing \(\d+\)$/m);
    expect(text).toContain(broken);
    expect(text).toMatch(/1 fixed, 1 new \(1 new failures\), \d+ still failing\n$/);
  });
});

describe('preflight diff (CLI)', () => {
  beforeAll(() => requireBuild());

  it('exits 1 when something new failed, 0 the other way round (only fixes), JSON on request', () => {
    const { old, neu, broken, fixed } = pair();
    const a = join(dir, 'old.json');
    const b = join(dir, 'new.json');
    writeFileSync(a, JSON.stringify(old));
    writeFileSync(b, JSON.stringify(neu));
    const worse = preflight(['diff', a, b]);
    expect(worse.code, worse.stderr).toBe(1);
    expect(worse.stdout).toContain(broken);
    const json = preflight(['diff', a, b, '--format', 'json']);
    expect(json.code).toBe(1);
    const d = JSON.parse(json.stdout);
    expect(d.summary).toMatchObject({ fixed: 1, new: 1, newFailures: 1 });
    expect(d.new[0]).toMatchObject({ rule: broken, old: 'pass', new: 'fail' });
    expect(d.fixed[0]).toMatchObject({ rule: fixed, old: 'fail', new: 'pass' });
    expect(d.from.source).toBe(a);
    // Back again: what broke is now "fixed", what was fixed is "new".
    const back = preflight(['diff', b, a, '--format', 'json']);
    expect(back.code).toBe(1);
    // Nothing new at all: the same report twice.
    const same = preflight(['diff', a, a]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/0 fixed, 0 new \(0 new failures\)/);
  });

  it('--strict exits 1 for a new warning too', () => {
    const old = loadSampleReport();
    const neu = clone(old);
    neu.hosts[0]!.findings.find((x) => x.status === 'pass')!.status = 'warn';
    const a = join(dir, 'w-old.json');
    const b = join(dir, 'w-new.json');
    writeFileSync(a, JSON.stringify(old));
    writeFileSync(b, JSON.stringify(neu));
    expect(preflight(['diff', a, b]).code).toBe(0);
    expect(preflight(['diff', a, b, '--strict']).code).toBe(1);
  });

  it('refuses what is neither a report nor a bundle (exit 2, one line)', () => {
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"hello": 1}');
    const r = preflight(['diff', junk, junk]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not a preflight JSON report/);
    const missing = preflight(['diff', join(dir, 'nope.json'), junk]);
    expect(missing.code).toBe(2);
  });

  it('compares a bundle with a JSON report: a bundle and its own report.json differ in nothing', async () => {
    const profile = loadProfile('everrun-6.0');
    const res = await createBundle({
      out: join(dir, 'b.tar.gz'),
      targets: [{ name: 'me', address: 'local', role: 'master', transport: 'local', collect: () => collectLocal(PROBES) }],
      scanProbes: PROBES,
      supportProbes: [],
      maxFileBytes: 4096,
      obfuscate: false,
      secrets: [],
      profile: profile.name,
      rules: profile.rules,
    });
    const { files, root, dir: unpacked } = await unpack(res.archive);
    const reportJson = join(dir, 'b-report.json');
    writeFileSync(reportJson, files.get(`${root}/report.json`)!);
    rmSync(unpacked, { recursive: true, force: true });
    const r = preflight(['diff', res.archive, reportJson, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.summary).toMatchObject({ fixed: 0, new: 0, newFailures: 0 });
    expect(d.stillFailing.length).toBe(res.report.summary.fail + res.report.summary.warn + res.report.summary.error);
  });
});
