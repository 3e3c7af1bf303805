import { z } from 'zod';
import { HostFacts } from '../facts/schema.js';
import { Finding, Role } from '../engine/types.js';

/**
 * The JSON report: a public contract. `schemaVersion` follows semver: a new optional field is a
 * minor bump, anything that can break a reader is a major bump. `schema/report.schema.json` is
 * generated from these definitions (npm run generate), so code, docs and editors agree.
 */
export const REPORT_SCHEMA_VERSION = '1.0.0';

export const HostReport = z.object({
  name: z.string().describe('host name as the operator named it (or the local host name)'),
  address: z.string().describe('how it was reached: "local", or user@host:port'),
  role: Role,
  reachable: z.boolean(),
  error: z.string().optional().describe('why the host could not be scanned'),
  facts: HostFacts.optional(),
  findings: z.array(Finding),
});
export type HostReport = z.infer<typeof HostReport>;

export const Summary = z.object({
  pass: z.number().int(),
  warn: z.number().int(),
  fail: z.number().int(),
  skip: z.number().int(),
  error: z.number().int(),
  waived: z.number().int().describe('findings under a waiver in force; they are not counted under their status'),
});
export type Summary = z.infer<typeof Summary>;

export const Report = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('preflight'), version: z.string() }),
  profile: z.string(),
  startedAt: z.string().describe('ISO-8601 time the scan started'),
  durationMs: z.number(),
  hosts: z.array(HostReport),
  pool: z.object({ findings: z.array(Finding) }),
  summary: Summary,
});
export type Report = z.infer<typeof Report>;
