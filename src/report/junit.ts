import type { Finding } from '../engine/types.js';
import type { HostReport, Report } from './schema.js';
import { displayStatus, sortForDisplay } from './formats.js';

/**
 * JUnit XML for CI dashboards (Jenkins, GitLab): one <testsuite> per host and one for the pool,
 * one <testcase> per finding. Only a failure the operator must act on fails the build; warnings
 * and waived failures pass and say so in <system-out>, so a dashboard shows them without turning red.
 *
 * Preflight does not time individual rules; a testcase's time is 0 and a suite's time is the scan's
 * duration (hosts are scanned in the same run, so their times overlap rather than add up).
 */
export function renderJunit(report: Report): string {
  const seconds = formatSeconds(report.durationMs);
  const suites: Suite[] = [
    ...report.hosts.map((h) => hostSuite(h)),
    { name: 'pool', classname: 'preflight.pool', cases: sortForDisplay(report.pool.findings).map((f) => findingCase(f, 'preflight.pool')) },
  ];

  const total = sumCounts(suites.map((s) => countCases(s.cases)));
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(
    `<testsuites name="preflight ${attr(report.profile)}" ${countAttrs(total)} time="${seconds}" timestamp="${attr(report.startedAt)}">`,
  );
  suites.forEach((suite, id) => {
    const counts = countCases(suite.cases);
    out.push(
      `  <testsuite name="${attr(suite.name)}" id="${id}" package="preflight" ${countAttrs(counts)} time="${seconds}" timestamp="${attr(report.startedAt)}">`,
    );
    out.push('    <properties>');
    out.push(property('preflight.version', report.tool.version, 6));
    out.push(property('preflight.profile', report.profile, 6));
    if (suite.host !== undefined) {
      out.push(property('host.address', suite.host.address, 6));
      out.push(property('host.role', suite.host.role, 6));
      out.push(property('host.reachable', String(suite.host.reachable), 6));
    }
    out.push('    </properties>');
    for (const c of suite.cases) out.push(c.xml);
    out.push('  </testsuite>');
  });
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

interface Case {
  outcome: 'passed' | 'failure' | 'error' | 'skipped';
  xml: string;
}

interface Suite {
  name: string;
  classname: string;
  host?: HostReport;
  cases: Case[];
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function hostSuite(host: HostReport): Suite {
  const classname = classnameFor(host.name);
  const cases = sortForDisplay(host.findings).map((f) => findingCase(f, classname));
  if (!host.reachable) {
    // A host that could not be scanned must not look like a clean host with no findings.
    const reason = host.error ?? 'no reason given';
    cases.unshift({
      outcome: 'error',
      xml: [
        `    <testcase classname="${attr(classname)}" name="scan: host could not be scanned" time="0">`,
        `      <error message="${attr(`unreachable: ${reason}`)}" type="unreachable">${text(`${host.address}: ${reason}`)}</error>`,
        '    </testcase>',
      ].join('\n'),
    });
  }
  return { name: `${host.name} (${host.role})`, classname, host, cases };
}

/**
 * `preflight.<host>`: CI tools read dots in a classname as package levels, so the dots of a host
 * name (xs1.example.com) become underscores and each host stays one node in the tree.
 */
function classnameFor(hostName: string): string {
  return `preflight.${hostName.replace(/\./g, '_')}`;
}

function findingCase(f: Finding, classname: string): Case {
  const status = displayStatus(f);
  const lines: string[] = [`    <testcase classname="${attr(classname)}" name="${attr(`${f.rule}: ${f.title}`)}" time="0">`];
  const props: [string, string][] = [
    ['status', f.status],
    ['severity', f.severity],
  ];
  if (f.status === 'warn') props.push(['warning', f.message || f.observed]);
  if (f.waiver !== undefined) {
    props.push(['waiver.reason', f.waiver.reason]);
    if (f.waiver.expires !== undefined) props.push(['waiver.expires', f.waiver.expires]);
    props.push(['waiver.expired', String(f.waiver.expired)]);
  }
  lines.push('      <properties>');
  for (const [k, v] of props) lines.push(property(k, v, 8));
  lines.push('      </properties>');

  let outcome: Case['outcome'] = 'passed';
  const systemOut: string[] = [];
  if (status === 'fail') {
    outcome = 'failure';
    lines.push(`      <failure message="${attr(f.message || f.observed || f.title)}" type="fail">${text(details(f))}</failure>`);
  } else if (status === 'error') {
    outcome = 'error';
    lines.push(`      <error message="${attr(f.message || 'could not evaluate')}" type="error">${text(details(f))}</error>`);
  } else if (status === 'skip') {
    outcome = 'skipped';
    lines.push(`      <skipped message="${attr(f.message || 'skipped')}"/>`);
  } else if (status === 'waived') {
    systemOut.push(`WAIVED (real result: ${f.status}): ${waiverText(f)}`, '', details(f));
  } else if (status === 'warn') {
    systemOut.push(`WARNING: ${f.message || f.observed}`, '', details(f));
  } else {
    systemOut.push(`passed: ${f.observed || f.title}`);
  }
  if (f.waiver?.expired === true) systemOut.unshift(`waiver expired: ${waiverText(f)}; the finding counts as ${f.status}`);
  if (systemOut.length > 0) lines.push(`      <system-out>${text(systemOut.join('\n'))}</system-out>`);
  lines.push('    </testcase>');
  return { outcome, xml: lines.join('\n') };
}

function waiverText(f: Finding): string {
  const w = f.waiver!;
  const when = w.expires === undefined ? '' : w.expired ? ` (expired ${w.expires})` : ` (until ${w.expires})`;
  return `${w.reason}${when}${w.file !== undefined ? ` [${w.file}]` : ''}`;
}

/** The body of a failure: what was seen, what was wanted, and what to do. */
function details(f: Finding): string {
  const parts = [`observed: ${f.observed || '(nothing)'}`, `expected: ${f.expected}`];
  if (f.message !== '') parts.push(`message: ${f.message}`);
  if (f.remediation !== '') parts.push('', 'remediation:', f.remediation);
  if (f.reference !== '') parts.push('', `reference: ${f.reference}`);
  if (f.evidence.length > 0) parts.push('', 'evidence:', ...f.evidence.map((e) => `  ${e.probe}: ${e.manual}`));
  return parts.join('\n');
}

function countCases(cases: readonly Case[]): Counts {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome === 'failure').length,
    errors: cases.filter((c) => c.outcome === 'error').length,
    skipped: cases.filter((c) => c.outcome === 'skipped').length,
  };
}

function sumCounts(all: readonly Counts[]): Counts {
  return all.reduce(
    (a, b) => ({ tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors, skipped: a.skipped + b.skipped }),
    { tests: 0, failures: 0, errors: 0, skipped: 0 },
  );
}

function countAttrs(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}"`;
}

function property(name: string, value: string, indent: number): string {
  return `${' '.repeat(indent)}<property name="${attr(name)}" value="${attr(value)}"/>`;
}

function formatSeconds(ms: number): string {
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(3) : '0';
}

// --- XML escaping -------------------------------------------------------------------------

/**
 * Characters XML 1.0 forbids outright (most C0 controls, U+FFFE/U+FFFF, lone surrogates) cannot be
 * escaped as character references either; they are written as visible text (`\x1b`) instead.
 */
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Element text: markup escaped; CR kept as a reference so parsers do not fold it into LF. */
export function escapeXmlText(s: string): string {
  return s
    .replace(NOT_XML_CHAR, visible)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Attribute values: also quotes, and tabs/newlines as references (parsers normalise raw ones to spaces). */
export function escapeXmlAttribute(s: string): string {
  return escapeXmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

const text = escapeXmlText;
const attr = escapeXmlAttribute;
