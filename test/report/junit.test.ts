import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { escapeXmlAttribute, escapeXmlText, renderJunit } from '../../src/report/junit.js';
import type { Report } from '../../src/report/schema.js';
import { launchChromium, skipBrowserTests } from './browser.js';
import { allFindings, loadSampleReport } from './sampleReport.js';
import { childrenNamed, parseXml, type XmlElement } from './xmlCheck.js';

const report = loadSampleReport();
const xml = renderJunit(report);
const root = parseXml(xml);
const suites = childrenNamed(root, 'testsuite');

const count = (suite: XmlElement, what: string) =>
  childrenNamed(suite, 'testcase').filter((c) => childrenNamed(c, what).length > 0).length;

/** A report whose every text field is hostile: markup, quotes, controls XML forbids, lone surrogates. */
function hostileReport(): Report {
  const nasty = 'a<b>&c"d\'e\u0000f\u0008g\u000bh\u001bi\ud800j\uffffk\r\nl\tm]]>n';
  const f = { ...report.hosts[0]!.findings[5]!, rule: nasty, title: nasty, observed: nasty, remediation: nasty, message: nasty };
  return {
    ...report,
    profile: nasty,
    hosts: [{ ...report.hosts[0]!, name: nasty, address: nasty, findings: [f, { ...f, status: 'skip' }, { ...f, status: 'warn' }] }],
    pool: { findings: [{ ...f, status: 'error' }] },
  };
}

describe('renderJunit', () => {
  it('is well-formed XML with the JUnit shape CI tools read', () => {
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(suites).toHaveLength(report.hosts.length + 1);
    for (const s of [root, ...suites]) {
      for (const a of ['name', 'tests', 'failures', 'errors', 'skipped', 'time']) expect(s.attributes[a], `${s.name}@${a}`).toBeDefined();
    }
    for (const s of suites) {
      for (const c of childrenNamed(s, 'testcase')) {
        expect(c.attributes.name).toBeTruthy();
        expect(c.attributes.classname).toMatch(/^preflight\./);
        expect(c.attributes.time).toBe('0');
      }
    }
  });

  it('names a suite per host with its role, and one for the pool', () => {
    expect(suites.map((s) => s.attributes.name)).toEqual(['xs-master (master)', '<img src=x onerror=alert(1)> (member)', 'pool']);
    expect(childrenNamed(suites[0]!, 'testcase')[0]!.attributes.classname).toBe('preflight.xs-master');
    expect(childrenNamed(suites[2]!, 'testcase')[0]!.attributes.classname).toBe('preflight.pool');
  });

  it('has one testcase per finding, named "<rule>: <title>"', () => {
    const names = suites.flatMap((s) => childrenNamed(s, 'testcase').map((c) => c.attributes.name));
    for (const f of allFindings(report)) expect(names).toContain(`${f.rule}: ${f.title}`);
  });

  it('keeps counts right on every suite and on the root', () => {
    let total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    for (const s of suites) {
      const actual = {
        tests: childrenNamed(s, 'testcase').length,
        failures: count(s, 'failure'),
        errors: count(s, 'error'),
        skipped: count(s, 'skipped'),
      };
      expect(s.attributes).toMatchObject(Object.fromEntries(Object.entries(actual).map(([k, v]) => [k, String(v)])));
      total = { tests: total.tests + actual.tests, failures: total.failures + actual.failures, errors: total.errors + actual.errors, skipped: total.skipped + actual.skipped };
    }
    // The sample: 12 + 2 findings, plus one error case for the unreachable member.
    expect(total).toEqual({ tests: 15, failures: 2, errors: 2, skipped: 2 });
    expect(root.attributes).toMatchObject({ tests: '15', failures: '2', errors: '2', skipped: '2', time: '6.843' });
  });

  const testcase = (rule: string) =>
    suites.flatMap((s) => childrenNamed(s, 'testcase')).find((c) => c.attributes.name!.startsWith(`${rule}: `))!;

  it('fails a failure with observed, expected and remediation in the body', () => {
    const failure = childrenNamed(testcase('host.static-ip'), 'failure')[0]!;
    expect(failure.attributes.type).toBe('fail');
    expect(failure.attributes.message).toContain('static IP addresses');
    expect(failure.text).toContain('observed: eth0 (management, xenbr0)');
    expect(failure.text).toContain('expected: a static IPv4 address');
    expect(failure.text).toContain('xe pif-reconfigure-ip uuid=<PIF uuid> mode=static');
  });

  it('passes a warning, noting it in system-out and properties', () => {
    const c = testcase('host.local-storage');
    expect(c.children.map((x) => x.name)).toEqual(['properties', 'system-out']);
    expect(childrenNamed(c, 'system-out')[0]!.text).toMatch(/^WARNING: Local storage is below/);
    const props = childrenNamed(childrenNamed(c, 'properties')[0]!, 'property').map((p) => [p.attributes.name, p.attributes.value]);
    expect(props).toContainEqual(['status', 'warn']);
    expect(props.find(([n]) => n === 'warning')?.[1]).toContain('Local storage');
  });

  it('reports an error as <error> and a skip as <skipped message=reason>', () => {
    expect(childrenNamed(testcase('host.management-bond'), 'error')[0]!.attributes.message).toContain('xe bond-list failed');
    expect(childrenNamed(testcase('host.quorum-ports'), 'skipped')[0]!.attributes.message).toContain('No quorum service computers');
  });

  it('passes a waived failure with the waiver in system-out; an expired waiver fails again', () => {
    const waived = testcase('host.nic-speed');
    expect(childrenNamed(waived, 'failure')).toHaveLength(0);
    expect(childrenNamed(waived, 'system-out')[0]!.text).toContain('WAIVED (real result: fail): production switch port upgrade booked as change CHG-1182 (until 2026-12-31)');
    const expired = testcase('host.firewall-ports');
    expect(childrenNamed(expired, 'failure')).toHaveLength(1);
    expect(childrenNamed(expired, 'system-out')[0]!.text).toContain('waiver expired: firewall change pending security review (expired 2026-10-31)');
  });

  it('turns an unreachable host into an error, not an empty green suite', () => {
    const cases = childrenNamed(suites[1]!, 'testcase');
    expect(cases).toHaveLength(1);
    expect(childrenNamed(cases[0]!, 'error')[0]!.attributes.message).toContain('unreachable: ssh root@10.20.0.12:22: connect ETIMEDOUT');
  });

  it('escapes markup in names', () => {
    expect(xml).toContain('name="&lt;img src=x onerror=alert(1)&gt; (member)"');
    expect(xml).not.toContain('<img');
  });

  it('escapes everything, and writes characters XML 1.0 forbids as visible text', () => {
    const out = renderJunit(hostileReport());
    const doc = parseXml(out);
    const suite = childrenNamed(doc, 'testsuite')[0]!;
    const name = childrenNamed(suite, 'testcase')[0]!.attributes.name!;
    expect(name).toBe('a<b>&c"d\'e\\x00f\\x08g\\x0bh\\x1bi\\ud800j\\uffffk\r\nl\tm]]>n: a<b>&c"d\'e\\x00f\\x08g\\x0bh\\x1bi\\ud800j\\uffffk\r\nl\tm]]>n');
    expect(suite.attributes).toMatchObject({ tests: '3', failures: '1', skipped: '1', errors: '0' });
    expect(escapeXmlText('<&>')).toBe('&lt;&amp;&gt;');
    expect(escapeXmlAttribute('"\'\n\t')).toBe('&quot;&apos;&#10;&#9;');
  });

  it('is well-formed whatever the strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const f = { ...report.hosts[0]!.findings[0]!, rule: a, title: b, message: a, observed: b };
        const r: Report = { ...report, profile: b, hosts: [{ ...report.hosts[1]!, name: a, error: b }], pool: { findings: [f, { ...f, status: 'fail' }] } };
        const doc = parseXml(renderJunit(r));
        expect(doc.attributes).toMatchObject({ tests: '3', failures: '1', errors: '1' });
      }),
      { numRuns: 300 },
    );
  });
});

describe.skipIf(skipBrowserTests)('renderJunit parsed by Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const parse = (doc: string) =>
    page.evaluate((text) => {
      const d = new DOMParser().parseFromString(text, 'application/xml');
      const err = d.getElementsByTagName('parsererror')[0];
      const suites = [...d.querySelectorAll('testsuites > testsuite')];
      return {
        error: err?.textContent ?? null,
        root: d.documentElement.nodeName,
        suites: suites.map((s) => ({
          name: s.getAttribute('name'),
          tests: Number(s.getAttribute('tests')),
          failures: Number(s.getAttribute('failures')),
          errors: Number(s.getAttribute('errors')),
          skipped: Number(s.getAttribute('skipped')),
          cases: s.querySelectorAll(':scope > testcase[name][classname]').length,
          failed: s.querySelectorAll(':scope > testcase > failure').length,
          errored: s.querySelectorAll(':scope > testcase > error').length,
          skippedCases: s.querySelectorAll(':scope > testcase > skipped').length,
        })),
      };
    }, doc);

  it('parses the sample without a parsererror and with consistent counts', async () => {
    const r = await parse(xml);
    expect(r.error).toBeNull();
    expect(r.root).toBe('testsuites');
    expect(r.suites.map((s) => s.name)).toEqual(['xs-master (master)', '<img src=x onerror=alert(1)> (member)', 'pool']);
    for (const s of r.suites) {
      expect(s.cases).toBe(s.tests);
      expect(s.failed).toBe(s.failures);
      expect(s.errored).toBe(s.errors);
      expect(s.skippedCases).toBe(s.skipped);
    }
  });

  it('parses a report full of hostile characters', async () => {
    const r = await parse(renderJunit(hostileReport()));
    expect(r.error).toBeNull();
    expect(r.suites[0]!.tests).toBe(3);
  });
});
