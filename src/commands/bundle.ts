import { readFileSync } from 'node:fs';
import { inertText as inert } from '../report/inertText.js';
import { PROBES } from '../collect/probes.js';
import { DEFAULT_MAX_FILE_BYTES, MAX_MAX_FILE_BYTES, MIN_MAX_FILE_BYTES, supportProbes } from '../collect/supportProbes.js';
import { createBundle, describeCounts, formatBytes, type BundleTarget } from '../bundle/create.js';
import { privateKeyLiterals } from '../bundle/redact.js';
import { EXIT } from '../engine/evaluate.js';
import { InputError } from '../engine/inputError.js';
import { loadProfile } from '../engine/loadRules.js';
import { loadPlan } from '../engine/plan.js';
import { parseIpLiteral } from '../collect/ipLiteral.js';
import { collectLocal } from '../collect/localTransport.js';
import { askPassword } from './askPassword.js';
import { scanProgress } from './scanProgress.js';
import { isRemoteScan, localTarget, remoteDestinations, remoteTargets, withPortTableEvidence, type TargetOptions } from './scanTargets.js';
import { loadPortTable } from '../cables/loadPortTable.js';

/**
 * `preflight bundle`: a support bundle of this machine or of the --host / --inventory hosts, with
 * the scan's own target and SSH options.
 *
 * Exit codes: 0 the bundle was written with every host; 3 it was written but at least one host
 * could not be collected (its error is in the manifest; with no host at all the bundle holds only
 * the errors); 2 bad usage or input (nothing contacted, nothing written); 130/143 interrupted
 * (nothing left behind). Rule verdicts never change the exit code: a bundle is not a verdict.
 */

export interface BundleOptions extends TargetOptions {
  out?: string;
  caseId?: string;
  label?: string;
  /** Bytes, or text such as "8M" (--max-file-size). */
  maxFileSize?: number | string;
  obfuscate?: boolean;
  mapOut?: string;
  askPass?: boolean;
  concurrency?: number;
  profile?: string;
  /** --no-network-tests sets it to false. */
  networkTests?: boolean;
  /** --plan FILE: the site plan, used by the scan and stored in the bundle. */
  plan?: string;
  /** --isolation-ip ADDRESS, recorded in the manifest. */
  isolationIp?: string;
  /** --cables FILE: the port table of `preflight cables`, stored as each host's evidence (pool.cabling). */
  cables?: string;
}


/** The plan file's text, after loadPlan has accepted it (file:line:col errors, exit 2). */
function readPlanText(file: string): string {
  loadPlan(file);
  return readFileSync(file, 'utf8');
}

/** `8388608`, `512k`, `8M`, `1G` (powers of 1024) -> bytes, within the allowed range. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+)\s*([kmg]i?b?|b)?\s*$/i.exec(text);
  if (!m) throw new InputError(`--max-file-size: expected a number of bytes (e.g. 8388608, 512k, 8M), got "${text}"`);
  const unit = (m[2] ?? '').toLowerCase()[0];
  const n = Number(m[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1);
  if (!Number.isSafeInteger(n) || n < MIN_MAX_FILE_BYTES || n > MAX_MAX_FILE_BYTES) {
    throw new InputError(`--max-file-size: must be from ${MIN_MAX_FILE_BYTES} bytes to ${MAX_MAX_FILE_BYTES / 1024 ** 2}M, got "${text}"`);
  }
  return n;
}

export async function bundleCommand(opts: BundleOptions): Promise<number> {
  if (!opts.out) throw new InputError('--out FILE is required, e.g. --out case-1234.tar.gz');
  if (!/\.(?:tar\.gz|tgz)$/i.test(opts.out)) throw new InputError(`--out ${opts.out}: expected a .tar.gz or .tgz name`);
  if (opts.mapOut !== undefined && !opts.obfuscate) throw new InputError('--map-out is only used with --obfuscate');
  const maxFileBytes = opts.maxFileSize === undefined ? DEFAULT_MAX_FILE_BYTES : parseByteSize(String(opts.maxFileSize));
  const support = supportProbes(maxFileBytes);
  const probes = [...PROBES, ...support];
  const profile = loadProfile(opts.profile ?? 'everrun-6.0');
  // The plan is checked before any host is contacted (a bad one is exit 2), then stored as written.
  const plan = opts.plan !== undefined ? { file: opts.plan, text: readPlanText(opts.plan) } : undefined;
  const isolationIp = opts.isolationIp !== undefined ? parseIpLiteral('--isolation-ip', opts.isolationIp) : undefined;
  const cables = opts.cables !== undefined ? loadPortTable(opts.cables) : undefined;

  const remote = isRemoteScan(opts);
  const destinations = remote ? remoteDestinations(opts) : [];
  if (!remote && (opts.askPass || opts.acceptNew || opts.identity?.length)) {
    throw new InputError('--ask-pass, --accept-new and --identity are for remote hosts (--host or --inventory)');
  }
  let password: string | undefined;
  if (opts.askPass) {
    const first = destinations[0]!.destination;
    password = await askPassword(`${first.user}@${first.host}'s password${destinations.length > 1 ? ' (used for every host)' : ''}: `);
  }

  // The run's own secrets: never written anywhere, whatever a host prints.
  const secrets: string[] = password !== undefined ? [password] : [];
  const keyFiles = new Set([...(opts.identity ?? []), ...destinations.flatMap((d) => d.destination.identityFiles)]);
  for (const f of keyFiles) {
    try {
      secrets.push(...privateKeyLiterals(readFileSync(f, 'utf8')));
    } catch {
      /* a missing or unreadable key file is not used by the transport either */
    }
  }

  const names = remote ? destinations.map((d) => d.name) : [];
  let targets: BundleTarget[];
  let progress: ReturnType<typeof scanProgress>;
  if (remote) {
    progress = scanProgress(names);
    const byName = new Map(destinations.map((d) => [d.name, d.destination]));
    targets = remoteTargets(probes, opts, {
      ...(password !== undefined ? { password } : {}),
      onStage: (host, stage) => progress.stage(host, stage),
      onNote: (host, note) => progress.note(host, note),
    }).map((t) => ({ ...t, transport: 'ssh' as const, user: byName.get(t.name)?.user, host: byName.get(t.name)?.host }) as BundleTarget);
  } else {
    const local = localTarget(probes, opts);
    progress = scanProgress([local.name]);
    const timeoutMs = opts.timeout !== undefined ? opts.timeout * 1000 : undefined;
    let done = 0;
    targets = [
      {
        ...local,
        transport: 'local',
        // The local scan's target, with per-item progress while it runs.
        collect: () =>
          collectLocal(probes, {
            ...(timeoutMs !== undefined ? { timeoutMs } : {}),
            onProbeDone: () => progress.stage(local.name, `collecting ${++done}/${probes.length}`),
          }),
      },
    ];
  }

  if (cables) targets = withPortTableEvidence(targets, cables, opts.cables!);

  let pending = targets.length;
  let finished = false;
  const finish = () => {
    if (!finished) progress.finish();
    finished = true;
  };
  const say = (line: string) => process.stderr.write(`preflight: ${line}\n`);
  try {
    const result = await createBundle({
      out: opts.out,
      targets,
      scanProbes: PROBES,
      supportProbes: support,
      maxFileBytes,
      ...(opts.caseId !== undefined ? { caseId: opts.caseId } : {}),
      ...(opts.label !== undefined ? { label: opts.label } : {}),
      obfuscate: opts.obfuscate === true,
      ...(opts.mapOut !== undefined ? { mapOut: opts.mapOut } : {}),
      secrets,
      profile: profile.name,
      rules: profile.rules,
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      networkTests: opts.networkTests !== false,
      ...(plan ? { plan } : {}),
      ...(isolationIp !== undefined ? { isolationIp } : {}),
      progress: {
        hostDone: (name, error) => {
          progress.done(name, error);
          if (--pending === 0) finish();
        },
        item: (host, line) => say(`${inert(host)}: ${inert(line)}`),
        info: (line) => {
          finish();
          say(inert(line));
        },
      },
    });
    const m = result.manifest;
    const fileCount = m.files.length + 1;
    say(
      `wrote ${opts.out} (${formatBytes(result.bytes)}, ${result.hostsCollected} of ${targets.length} host${targets.length === 1 ? '' : 's'}, ${fileCount} files, ${m.redactions.total} value${m.redactions.total === 1 ? '' : 's'} redacted${describeCounts(m.redactions.byKind).replace(', redacted', ':')})`,
    );
    say(`wrote ${opts.out}.sha256 (sha256 ${result.sha256})`);
    if (result.mapFile) say(`wrote ${result.mapFile}: the obfuscation map (original -> placeholder); keep it, do not send it`);
    if (result.hostsCollected < targets.length) {
      say(`${targets.length - result.hostsCollected} of ${targets.length} host${targets.length === 1 ? '' : 's'} could not be collected; the errors are in the bundle's manifest`);
      return EXIT.unreachable;
    }
    return EXIT.ok;
  } finally {
    finish();
  }
}
