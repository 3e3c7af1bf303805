import { z } from 'zod';
import { Role } from '../engine/types.js';

/**
 * manifest.json of a support bundle: a public, versioned contract (docs/bundle-format.md).
 * `formatVersion` follows semver: a new optional field is a minor bump; anything that can break a
 * reader (a field removed or renamed, a meaning changed, the layout moved) is a major bump.
 * Readers accept every 1.x bundle and refuse another major version. The JSON Schema in
 * schema/bundle-manifest.schema.json is generated from these definitions.
 */
export const BUNDLE_FORMAT = 'preflight-bundle';
export const BUNDLE_FORMAT_VERSION = '1.0.0';
export const BUNDLE_FORMAT_MAJOR = 1;

export const REDACTION_KINDS = [
  'scan-credential',
  'private-key',
  'password',
  'password-hash',
  'token',
  'aws-access-key',
  'jwt',
  'authorization',
  'license-key',
  'snmp-community',
] as const;
export const RedactionKind = z.enum(REDACTION_KINDS);
export type RedactionKind = z.infer<typeof RedactionKind>;

/** How many values of each kind were replaced (never the values). Kinds with 0 are left out. */
export const RedactionCounts = z
  .partialRecord(RedactionKind, z.number().int().positive())
  .describe('values replaced by "[REDACTED:<kind>]", by kind; kinds with none are absent');
export type RedactionCounts = Partial<Record<RedactionKind, number>>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** A path inside the bundle: relative, "/"-separated, no "." or ".." segment. */
const BundlePath = z
  .string()
  .regex(/^(?!\/)(?!.*(?:^|\/)\.{1,2}(?:\/|$))[^\\\0]+$/, 'a relative path inside the bundle, without "." or ".." segments');

export const ItemStatus = z.enum(['ok', 'absent', 'failed', 'error']);

export const ItemRecord = z.object({
  probe: z.string().describe('probe id (scan catalogue, or support.* items)'),
  kind: z.enum(['scan', 'support']).describe('scan: read by the rules and replayed from evidence.json; support: only for people'),
  description: z.string(),
  source: z.string().describe('the read-only script that ran, or the file read'),
  manual: z.string().describe('what a person would type to see the same'),
  path: z.string().optional().describe('the file on the host, when the item is one file (stored under files/ at this path)'),
  personalData: z.boolean().describe('may hold personal data: host or user names, addresses, free log text'),
  timeoutMs: z.number().describe('time limit'),
  maxBytes: z.number().int().describe('size cap of the output'),
  status: ItemStatus.describe('ok: ran and exited 0; absent: tool or file not there (exit 127); failed: other exit code; error: could not run or timed out'),
  exitCode: z.number().int().nullable(),
  durationMs: z.number(),
  truncated: z.boolean().describe('the output was longer than the cap: logs keep their tail, other output its head'),
  error: z.string().optional(),
  files: z.array(BundlePath).describe('the files this item produced in the bundle'),
});
export type ItemRecord = z.infer<typeof ItemRecord>;

export const BundleHost = z.object({
  name: z.string().describe('host name as the report names it (obfuscated in an obfuscated bundle)'),
  dir: BundlePath.describe('the host folder, hosts/<name>'),
  address: z.string().describe('"local", or user@host:port'),
  role: Role,
  transport: z.enum(['local', 'ssh']),
  collected: z.boolean().describe('false when the host could not be reached; `error` says why'),
  error: z.string().optional(),
  collectedAt: z.string().optional(),
  evidence: BundlePath.optional().describe('hosts/<name>/evidence.json: the scan evidence replayed by `preflight report`'),
  items: z.array(ItemRecord),
});
export type BundleHost = z.infer<typeof BundleHost>;

export const FileRecord = z.object({
  path: BundlePath,
  size: z.number().int().nonnegative().describe('bytes'),
  sha256: Sha256,
  role: z.enum(['stdout', 'stderr', 'evidence', 'report']).describe('what the file holds'),
  host: z.string().optional().describe('host name (as in hosts[].name)'),
  probe: z.string().optional().describe('the item that produced it'),
  source: z.string().describe('the command or file it came from (or "preflight" for files preflight made)'),
  exitCode: z.number().int().nullable().optional(),
  durationMs: z.number().optional(),
  truncated: z.boolean(),
  personalData: z.boolean(),
  redactions: RedactionCounts,
});
export type FileRecord = z.infer<typeof FileRecord>;

export const ReplayDifference = z.object({
  host: z.string().describe('host name as in the stored report ("pool" for pool rules)'),
  rule: z.string(),
  live: z.string().describe('status the live scan gave'),
  stored: z.string().describe('status the stored (redacted / obfuscated) evidence gives'),
});

export const Manifest = z.object({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.string().regex(/^\d+\.\d+\.\d+$/).describe('semver of this layout and manifest; readers accept the same major version'),
  tool: z.object({ name: z.literal('preflight'), version: z.string() }),
  createdAt: z.string().describe('ISO-8601 time the bundle was made'),
  durationMs: z.number().describe('time spent collecting and writing'),
  caseId: z.string().optional(),
  label: z.string().optional(),
  profile: z.string().describe('rule profile of report.json'),
  options: z.object({
    maxFileBytes: z.number().int().describe('per-file cap of support items (--max-file-size)'),
    obfuscated: z.boolean().describe('addresses, host names, MACs and user names replaced (--obfuscate)'),
    isolationIp: z.string().optional().describe('--isolation-ip of the scan (obfuscated like the addresses when --obfuscate), so a replay tests the same address'),
  }),
  report: z.object({ json: BundlePath, html: BundlePath }),
  hosts: z.array(BundleHost),
  poolEvidence: BundlePath.optional().describe("pool/evidence.json: this computer's own network tests of the hosts (pool.management-access), when they ran"),
  plan: BundlePath.optional().describe('pool/plan.yaml: the site plan (--plan) the scan used, redacted (and obfuscated) like every file; a replay uses it'),
  files: z.array(FileRecord).describe('every file of the bundle except manifest.json itself'),
  redactions: z.object({
    total: z.number().int().nonnegative(),
    byKind: RedactionCounts,
  }),
  replay: z
    .object({
      identical: z.boolean().describe('the stored evidence gives every rule the status the live scan gave'),
      differences: z.array(ReplayDifference),
    })
    .describe('live scan vs. report.json (made from the stored, redacted evidence)'),
});
export type Manifest = z.infer<typeof Manifest>;

// --- evidence.json --------------------------------------------------------------------------

export const EvidenceRecord = z.object({
  probe: z.string(),
  source: z.string(),
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().int().nullable(),
  durationMs: z.number(),
  truncated: z.boolean(),
  error: z.string().optional(),
});

/** hosts/<name>/evidence.json: exactly the HostEvidence of a scan (src/collect/evidence.ts). */
export const HostEvidenceFile = z.object({
  transport: z.string(),
  collectedAt: z.string(),
  evidence: z.record(z.string(), EvidenceRecord),
});

export function addCounts(into: RedactionCounts, add: RedactionCounts): RedactionCounts {
  for (const [k, n] of Object.entries(add) as [RedactionKind, number][]) into[k] = (into[k] ?? 0) + n;
  return into;
}

export function countTotal(c: RedactionCounts): number {
  return Object.values(c).reduce((a, b) => a + (b ?? 0), 0);
}
