import { readFile } from 'node:fs/promises';
import { diffReports, renderDiffJson, renderDiffText, ReportIn } from '../bundle/diff.js';
import { looksLikeBundle, openBundle } from '../bundle/read.js';
import { replayBundle } from '../bundle/replay.js';
import { EXIT } from '../engine/evaluate.js';
import { InputError } from '../engine/inputError.js';
import { writeStdout } from './output.js';
import { resolveRuleOptions, warnProblems, type RuleOptions } from './report.js';

/**
 * `preflight diff OLD NEW`: each side a JSON report (`preflight scan --format json`, or a bundle's
 * report.json) or a bundle, which counts as the report `preflight report BUNDLE --format json`
 * gives: re-evaluated with today's rules (and --profile/--rules/--waivers/--skip).
 *
 * Exit codes: 0 when NEW has no failure that OLD did not have, 1 when it has (with --strict, any
 * new fail, warn or error), 2 bad input (including a bundle that does not match its manifest).
 */

export interface DiffOptions extends RuleOptions {
  format: 'text' | 'json';
  strict?: boolean;
}

export async function diffCommand(oldPath: string, newPath: string, opts: DiffOptions): Promise<number> {
  let rules: ReturnType<typeof resolveRuleOptions> | undefined;
  const ruleSet = () => (rules ??= resolveRuleOptions(opts));
  let damaged = false;

  const load = async (path: string): Promise<ReportIn> => {
    if (await looksLikeBundle(path)) {
      const bundle = await openBundle(path);
      try {
        const report = await replayBundle(bundle, ruleSet());
        if (warnProblems(bundle)) damaged = true;
        return ReportIn.parse(report);
      } finally {
        await bundle.close();
      }
    }
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(`${path}: ${code ? `cannot read: ${code}` : `neither a bundle nor a JSON report (${(err as Error).message.split('\n')[0]})`}`);
    }
    const parsed = ReportIn.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new InputError(`${path}: not a preflight JSON report: ${i.path.join('.') || '(root)'}: ${i.message}`);
    }
    return parsed.data;
  };

  const oldReport = await load(oldPath);
  const newReport = await load(newPath);
  const d = diffReports(oldReport, newReport, { old: oldPath, new: newPath });
  await writeStdout(opts.format === 'json' ? renderDiffJson(d) : renderDiffText(d));
  if (damaged) return EXIT.badInput;
  const worse = opts.strict ? d.newProblems > 0 || d.newFailures > 0 : d.newFailures > 0;
  return worse ? EXIT.failed : EXIT.ok;
}
