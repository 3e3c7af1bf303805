import { z } from 'zod';

/** Statuses a finding can have. `error` means "could not evaluate" and is never shown as pass or fail. */
export const Status = z.enum(['pass', 'warn', 'fail', 'skip', 'error']);
export type Status = z.infer<typeof Status>;

/** The status a rule gives when its requirement is not met (a recommendation miss is always `warn`). */
export const Severity = z.enum(['fail', 'warn']);
export type Severity = z.infer<typeof Severity>;

export const Role = z.enum(['master', 'member', 'quorum', 'management']);
export type Role = z.infer<typeof Role>;

export const EvidenceRef = z.object({
  probe: z.string().describe('probe id'),
  source: z.string().describe('the command or file the probe read'),
  manual: z.string().describe('a command to run by hand to see the same thing'),
});
export type EvidenceRef = z.infer<typeof EvidenceRef>;

export const Waiver = z.object({
  reason: z.string(),
  expires: z.string().optional().describe('YYYY-MM-DD; the waiver applies up to and including this day'),
  expired: z.boolean().describe('an expired waiver no longer applies; the finding counts normally'),
  file: z.string().optional(),
});
export type Waiver = z.infer<typeof Waiver>;

export const Finding = z.object({
  rule: z.string(),
  status: Status,
  severity: Severity,
  title: z.string(),
  observed: z.string(),
  expected: z.string(),
  message: z.string(),
  reference: z.string(),
  remediation: z.string(),
  evidence: z.array(EvidenceRef),
  waiver: Waiver.optional(),
});
export type Finding = z.infer<typeof Finding>;

/** A rule after profile, site overrides and CLI options have been applied. */
export interface ResolvedRule {
  id: string;
  title: string;
  check: string;
  severity: Severity;
  roles: Role[];
  scope: 'host' | 'pool';
  params: Record<string, unknown>;
  reference: string;
  remediation: string;
  description?: string;
  /** Where the rule (or its last override) was defined, for error messages. */
  origin: string;
}
