import { PROBES } from '../collect/probes.js';
import { exitCodeFor } from '../engine/evaluate.js';
import { InputError } from '../engine/inputError.js';
import { applySiteFile, loadProfile } from '../engine/loadRules.js';
import { runScan, type ScanTarget } from '../engine/runScan.js';
import type { ResolvedRule } from '../engine/types.js';
import { loadWaivers } from '../engine/waivers.js';
import { loadPlan } from '../engine/plan.js';
import { parseIpLiteral } from '../collect/ipLiteral.js';
import { formatFromPath, renderReport, type ReportFormat } from '../report/formats.js';
import { askPassword } from './askPassword.js';
import { writeFileAtomic } from '../writeFileAtomic.js';
import { shouldUseColor, writeStdout } from './output.js';
import { scanProgress } from './scanProgress.js';
import { isRemoteScan, localTarget, remoteDestinations, remoteTargets, withPortTableEvidence, type TargetOptions } from './scanTargets.js';
import { loadPortTable } from '../cables/loadPortTable.js';

export interface ScanOptions extends TargetOptions {
  format: ReportFormat;
  out?: string[];
  profile: string;
  rules?: string;
  waivers?: string;
  skip?: string[];
  port?: number;
  askPass?: boolean;
  concurrency?: number;
  strict?: boolean;
  color: boolean;
  evidenceOut?: string;
  plan?: string;
  isolationIp?: string;
  /** false with --no-network-tests. */
  networkTests?: boolean;
  /** --cables FILE: the port table of `preflight cables`, judged by pool.cabling. */
  cables?: string;
}

export async function scanCommand(opts: ScanOptions): Promise<number> {
  // Everything the user gave us is validated before a single probe runs.
  const outputs = (opts.out ?? []).map((file) => {
    const format = formatFromPath(file);
    if (!format) throw new InputError(`--out ${file}: unknown extension, expected .txt, .json, .html or .xml (JUnit)`);
    return { file, format };
  });
  const profile = loadProfile(opts.profile);
  let rules: ResolvedRule[] = profile.rules;
  if (opts.rules) rules = applySiteFile(rules, opts.rules);
  if (opts.port !== undefined) rules = withEacPort(rules, opts.port);
  const ids = new Set(rules.map((r) => r.id));
  const skip = new Set((opts.skip ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));
  for (const id of skip) if (!ids.has(id)) throw new InputError(`--skip: unknown rule "${id}" (preflight rules list shows the ids)`);
  const waivers = opts.waivers ? loadWaivers(opts.waivers, ids) : undefined;
  const plan = opts.plan !== undefined ? loadPlan(opts.plan) : undefined;
  const isolationIp = opts.isolationIp !== undefined ? parseIpLiteral('--isolation-ip', opts.isolationIp) : undefined;
  const cables = opts.cables !== undefined ? loadPortTable(opts.cables) : undefined;

  const remote = isRemoteScan(opts);
  // Resolve every address (and refuse bad ones) before prompting or connecting.
  const destinations = remote ? remoteDestinations(opts) : [];
  const local = remote ? undefined : localTarget(PROBES, opts);
  if (!remote && (opts.askPass || opts.acceptNew || opts.identity?.length)) {
    throw new InputError('--ask-pass, --accept-new and --identity are for remote scans (--host or --inventory)');
  }
  let password: string | undefined;
  if (opts.askPass) {
    const first = destinations[0]!.destination;
    password = await askPassword(`${first.user}@${first.host}'s password${destinations.length > 1 ? ' (used for every host)' : ''}: `);
  }
  // After the prompt: the spinner must not draw over it.
  const progress = scanProgress(local ? [local.name] : destinations.map((d) => d.name));
  let targets: ScanTarget[];
  if (remote) {
    targets = remoteTargets(PROBES, opts, {
      ...(password !== undefined ? { password } : {}),
      onStage: (host, stage) => progress.stage(host, stage),
      onNote: (host, note) => progress.note(host, note),
    });
  } else {
    targets = [local!];
  }
  if (cables) targets = withPortTableEvidence(targets, cables, opts.cables!);
  let report, evidence;
  try {
    ({ report, evidence } = await runScan({
      profile: profile.name,
      rules,
      targets,
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      ...(plan ? { plan } : {}),
      ...(isolationIp !== undefined ? { isolationIp } : {}),
      networkTests: opts.networkTests !== false,
      evaluation: { skip, ...(waivers ? { waivers } : {}), today: new Date().toISOString().slice(0, 10) },
      onHostCollected: (t, error) => progress.done(t.name, error),
    }));
  } finally {
    progress.finish();
  }

  const color = shouldUseColor(opts.color);
  await writeStdout(await renderReport(report, opts.format, { color }));
  for (const o of outputs) {
    await writeFileAtomic(o.file, await renderReport(report, o.format, { color: false }));
    process.stderr.write(`preflight: wrote ${o.file}\n`);
  }
  if (opts.evidenceOut) await writeFileAtomic(opts.evidenceOut, JSON.stringify(Object.fromEntries(evidence), null, 2) + '\n');
  const unreachableHosts = report.hosts.filter((h) => !h.reachable).length;
  return exitCodeFor(report.summary, { strict: opts.strict === true, unreachableHosts });
}

/** `--port n` replaces the eAC port of every rule whose check takes one (ports.free, ports.firewall). */
function withEacPort(rules: readonly ResolvedRule[], port: number): ResolvedRule[] {
  return rules.map((r) => ('eacPort' in r.params ? { ...r, params: { ...r.params, eacPort: port } } : r));
}
