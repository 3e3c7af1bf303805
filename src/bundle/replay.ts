import type { HostEvidence } from '../collect/evidence.js';
import type { EvaluationOptions } from '../engine/evaluate.js';
import { runScan } from '../engine/runScan.js';
import type { ResolvedRule } from '../engine/types.js';
import type { Report } from '../report/schema.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ipLiteral } from '../collect/ipLiteral.js';
import { InputError } from '../engine/inputError.js';
import { parsePlan, type SitePlan } from '../engine/plan.js';
import { loadHostEvidence, type OpenedBundle } from './read.js';

/** The stored site plan; a damaged one is an input error naming the bundle and the file. */
async function loadStoredPlan(bundle: OpenedBundle, path: string): Promise<SitePlan> {
  let text: string;
  try {
    text = await readFile(join(bundle.root, ...path.split('/')), 'utf8');
  } catch (err) {
    throw new InputError(`${bundle.source}: ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (err as Error).message}`);
  }
  return parsePlan(`${bundle.source}: ${path}`, text);
}

/**
 * A bundle through today's parsers and rules: the same runScan as a live scan, with targets whose
 * collect() returns the stored evidence (transport "bundle"). A host the bundle could not collect
 * fails the same way it failed then. Every evidence.json is read and validated first, so a damaged
 * bundle is an input error (exit 2), never an "unreachable host".
 */
export async function replayBundle(
  bundle: OpenedBundle,
  input: { profile: string; rules: readonly ResolvedRule[]; evaluation: EvaluationOptions },
): Promise<Report> {
  const loaded: (HostEvidence | undefined)[] = [];
  for (const h of bundle.manifest.hosts) loaded.push(h.collected ? await loadHostEvidence(bundle, h) : undefined);
  const poolPath = bundle.manifest.poolEvidence;
  // The management computer's own tests (pool.management-access) are stored like a host's evidence.
  const pool = poolPath ? await loadHostEvidence(bundle, { evidence: poolPath }) : undefined;
  // The site plan and --isolation-ip the scan used: the pool rules judge with them again.
  const plan = bundle.manifest.plan ? await loadStoredPlan(bundle, bundle.manifest.plan) : undefined;
  const storedIso = bundle.manifest.options.isolationIp;
  const isolationIp = storedIso !== undefined ? ipLiteral(storedIso) : undefined;
  if (storedIso !== undefined && isolationIp === undefined) throw new InputError(`${bundle.source}: manifest.json: options.isolationIp ${JSON.stringify(storedIso)} is not an IP address`);
  const { report } = await runScan({
    profile: input.profile,
    rules: input.rules,
    evaluation: input.evaluation,
    ...(plan ? { plan } : {}),
    ...(isolationIp !== undefined ? { isolationIp } : {}),
    // A replay never sends a packet: the network tests' results are in the stored evidence.
    networkTests: false,
    ...(pool ? { storedPoolEvidence: pool } : {}),
    targets: bundle.manifest.hosts.map((h, i) => ({
      name: h.name,
      address: h.address,
      role: h.role,
      collect: async () => {
        const ev = loaded[i];
        if (!ev) throw new Error(h.error ?? 'not collected');
        return ev;
      },
    })),
  });
  return report;
}
