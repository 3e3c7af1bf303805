import { formatBytes } from '../bundle/create.js';
import type { FileRecord, Manifest } from '../bundle/manifest.js';
import { openBundle, type OpenedBundle } from '../bundle/read.js';
import { replayBundle } from '../bundle/replay.js';
import { EXIT, exitCodeFor, type EvaluationOptions } from '../engine/evaluate.js';
import { InputError } from '../engine/inputError.js';
import { applySiteFile, loadProfile } from '../engine/loadRules.js';
import type { ResolvedRule } from '../engine/types.js';
import { loadWaivers } from '../engine/waivers.js';
import { formatFromPath, renderReport, type ReportFormat } from '../report/formats.js';
import type { Report } from '../report/schema.js';
import { writeFileAtomic } from '../writeFileAtomic.js';
import { shouldUseColor, writeStdout } from './output.js';

/**
 * `preflight report BUNDLE`: re-evaluates a support bundle (a .tar.gz or an unpacked folder)
 * through today's parsers and rules, or lists what is inside (--list).
 *
 * Exit codes: as `preflight scan` (0 no failure, 1 a rule failed, 3 a host of the bundle had not
 * been collected), 2 for bad input: a refused archive, a damaged manifest or evidence file, and
 * also a bundle whose files do not match the manifest's checksums. In that last case the report
 * (or listing) is still printed, so it can be looked at, with one warning line per mismatch.
 */

export interface RuleOptions {
  profile: string;
  rules?: string;
  waivers?: string;
  skip?: string[];
}

export interface ReportOptions extends RuleOptions {
  format: ReportFormat;
  out?: string[];
  strict?: boolean;
  color: boolean;
  list?: boolean;
}

/** Profile + site file + --skip + waivers, validated (the same rules as `preflight scan`). */
export function resolveRuleOptions(opts: RuleOptions): { profile: string; rules: ResolvedRule[]; evaluation: EvaluationOptions } {
  const profile = loadProfile(opts.profile);
  let rules: ResolvedRule[] = profile.rules;
  if (opts.rules) rules = applySiteFile(rules, opts.rules);
  const ids = new Set(rules.map((r) => r.id));
  const skip = new Set((opts.skip ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));
  for (const id of skip) if (!ids.has(id)) throw new InputError(`--skip: unknown rule "${id}" (preflight rules list shows the ids)`);
  const waivers = opts.waivers ? loadWaivers(opts.waivers, ids) : undefined;
  return { profile: profile.name, rules, evaluation: { skip, ...(waivers ? { waivers } : {}), today: new Date().toISOString().slice(0, 10) } };
}

/** One warning line per checksum problem (at most 20), and whether there were any. */
export function warnProblems(b: OpenedBundle, stream: NodeJS.WritableStream = process.stderr): boolean {
  for (const w of b.warnings.slice(0, 20)) stream.write(`preflight: warning: ${b.source}: ${w}\n`);
  if (b.problems.length === 0) return false;
  for (const p of b.problems.slice(0, 20)) stream.write(`preflight: warning: ${b.source}: ${p}\n`);
  if (b.problems.length > 20) stream.write(`preflight: warning: ${b.source}: ... and ${b.problems.length - 20} more\n`);
  stream.write(`preflight: ${b.source} does not match its manifest (${b.problems.length} problem${b.problems.length === 1 ? '' : 's'}); exit code 2\n`);
  return true;
}

export async function reportCommand(path: string, opts: ReportOptions): Promise<number> {
  const outputs = (opts.out ?? []).map((file) => {
    const format = formatFromPath(file);
    if (!format) throw new InputError(`--out ${file}: unknown extension, expected .txt, .json, .html or .xml (JUnit)`);
    return { file, format };
  });
  if (opts.list && (outputs.length || opts.rules || opts.waivers || opts.skip?.length)) {
    throw new InputError('--list shows what is inside the bundle; --out, --rules, --waivers and --skip are for the report');
  }
  if (opts.list && opts.format !== 'text' && opts.format !== 'json') throw new InputError('--list prints text or JSON (--format text|json)');
  const ruleSet = opts.list ? undefined : resolveRuleOptions(opts);

  const bundle = await openBundle(path);
  try {
    if (opts.list) {
      await writeStdout(opts.format === 'json' ? listJson(bundle) : listText(bundle));
      return warnProblems(bundle) ? EXIT.badInput : EXIT.ok;
    }
    const report = await replayBundle(bundle, ruleSet!);
    const color = shouldUseColor(opts.color);
    await writeStdout(await renderReport(report, opts.format, { color }));
    for (const o of outputs) {
      await writeFileAtomic(o.file, await renderReport(report, o.format, { color: false }));
      process.stderr.write(`preflight: wrote ${o.file}\n`);
    }
    if (warnProblems(bundle)) return EXIT.badInput;
    return exitCode(report, opts.strict === true);
  } finally {
    await bundle.close();
  }
}

function exitCode(report: Report, strict: boolean): number {
  return exitCodeFor(report.summary, { strict, unreachableHosts: report.hosts.filter((h) => !h.reachable).length });
}

// --- --list -----------------------------------------------------------------------------------

const inert = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

function counts(c: FileRecord['redactions']): string {
  return Object.entries(c)
    .map(([k, n]) => `${k} x${n}`)
    .join(', ');
}

function listText(b: OpenedBundle): string {
  const m: Manifest = b.manifest;
  const lines: string[] = [];
  const extra = [m.caseId !== undefined ? `case ${inert(m.caseId)}` : '', m.label !== undefined ? `"${inert(m.label)}"` : ''].filter(Boolean).join(', ');
  lines.push(`${b.source}: preflight bundle ${m.formatVersion}, made by preflight ${m.tool.version} on ${m.createdAt}${extra ? ` (${extra})` : ''}`);
  lines.push(
    `profile ${m.profile}; per-file cap ${formatBytes(m.options.maxFileBytes)}; obfuscated: ${m.options.obfuscated ? 'yes' : 'no'}; redacted: ${m.redactions.total}${m.redactions.total ? ` (${counts(m.redactions.byKind)})` : ''}`,
  );
  if (!m.replay.identical) lines.push(`replay: ${m.replay.differences.length} rule(s) read differently from the stored evidence than in the live scan`);
  lines.push('', 'hosts:');
  for (const h of m.hosts) {
    const tally: Record<string, number> = {};
    for (const i of h.items) tally[i.status] = (tally[i.status] ?? 0) + 1;
    const what = h.collected
      ? `${h.items.length} items (${Object.entries(tally)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')})`
      : `NOT COLLECTED: ${inert(h.error ?? 'unknown error')}`;
    lines.push(`  ${inert(h.name)}  ${h.role}  ${h.transport}  ${inert(h.address)}  ${what}`);
  }
  lines.push('', 'files:  (T truncated, P may hold personal data)');
  const sizes = m.files.map((f) => formatBytes(f.size));
  const w = Math.max(...sizes.map((s) => s.length), 4);
  m.files.forEach((f, i) => {
    const flags = `${f.truncated ? 'T' : '-'}${f.personalData ? 'P' : '-'}`;
    const red = counts(f.redactions);
    lines.push(`  ${sizes[i]!.padStart(w)}  ${flags}  ${inert(f.path)}${red ? `  [redacted: ${red}]` : ''}`);
  });
  const total = m.files.reduce((n, f) => n + f.size, 0);
  lines.push(`  ${m.files.length} files, ${formatBytes(total)} uncompressed`, '');
  lines.push(b.problems.length === 0 ? `checksums: all ${b.checked} files match the manifest` : `checksums: ${b.problems.length} problem(s), see the warnings on stderr`);
  return lines.join('\n') + '\n';
}

function listJson(b: OpenedBundle): string {
  const m = b.manifest;
  return (
    JSON.stringify(
      {
        source: b.source,
        formatVersion: m.formatVersion,
        tool: m.tool,
        createdAt: m.createdAt,
        ...(m.caseId !== undefined ? { caseId: m.caseId } : {}),
        ...(m.label !== undefined ? { label: m.label } : {}),
        options: m.options,
        redactions: m.redactions,
        hosts: m.hosts.map((h) => ({ name: h.name, role: h.role, transport: h.transport, address: h.address, collected: h.collected, ...(h.error ? { error: h.error } : {}), items: h.items.length })),
        files: m.files.map((f) => ({ path: f.path, size: f.size, truncated: f.truncated, personalData: f.personalData, redactions: f.redactions })),
        checksums: { checked: b.checked, problems: b.problems },
        warnings: b.warnings,
      },
      null,
      2,
    ) + '\n'
  );
}
