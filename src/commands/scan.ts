import { hostname } from 'node:os';
import { collectLocal } from '../collect/localTransport.js';
import { PROBES } from '../collect/probes.js';
import { exitCodeFor } from '../engine/evaluate.js';
import { InputError } from '../engine/inputError.js';
import { applySiteFile, loadProfile } from '../engine/loadRules.js';
import { runScan, type ScanTarget } from '../engine/runScan.js';
import type { ResolvedRule, Role } from '../engine/types.js';
import { loadWaivers } from '../engine/waivers.js';
import { formatFromPath, renderReport, type ReportFormat } from '../report/formats.js';
import { shouldUseColor, writeFileAtomic, writeStdout } from './output.js';

export interface ScanOptions {
  format: ReportFormat;
  out?: string[];
  profile: string;
  rules?: string;
  waivers?: string;
  skip?: string[];
  role: Role;
  port?: number;
  timeout?: number;
  strict?: boolean;
  color: boolean;
  evidenceOut?: string;
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

  const local: ScanTarget = {
    name: hostname(),
    address: 'local',
    role: opts.role,
    collect: () => collectLocal(PROBES, opts.timeout !== undefined ? { timeoutMs: opts.timeout * 1000 } : {}),
  };
  const progress = process.stderr.isTTY;
  if (progress) process.stderr.write(`preflight: scanning ${local.name} (${PROBES.length} probes)…\n`);
  const { report, evidence } = await runScan({
    profile: profile.name,
    rules,
    targets: [local],
    evaluation: { skip, ...(waivers ? { waivers } : {}), today: new Date().toISOString().slice(0, 10) },
  });

  const color = shouldUseColor(opts.color);
  await writeStdout(await renderReport(report, opts.format, { color }));
  for (const o of outputs) {
    await writeFileAtomic(o.file, await renderReport(report, o.format, { color: false }));
    if (progress) process.stderr.write(`preflight: wrote ${o.file}\n`);
  }
  if (opts.evidenceOut) await writeFileAtomic(opts.evidenceOut, JSON.stringify(Object.fromEntries(evidence), null, 2) + '\n');
  const unreachableHosts = report.hosts.filter((h) => !h.reachable).length;
  return exitCodeFor(report.summary, { strict: opts.strict === true, unreachableHosts });
}

/** `--port n` replaces the eAC port of every rule whose check takes one (ports.free, ports.firewall). */
function withEacPort(rules: readonly ResolvedRule[], port: number): ResolvedRule[] {
  return rules.map((r) => ('eacPort' in r.params ? { ...r, params: { ...r.params, eacPort: port } } : r));
}
