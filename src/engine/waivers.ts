import { z } from 'zod';
import { InputError } from './inputError.js';
import type { Waiver } from './types.js';
import { located, readYamlFile, validateWith } from './yamlFile.js';

/**
 * Waivers (as in InSpec): a rule still runs and keeps its real status; a waiver in force marks it
 * waived with the reason. An expired waiver no longer applies and the finding says so.
 */

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a real calendar date');

export const WaiverEntry = z
  .object({
    rule: z.string().min(1).describe('the rule id to waive'),
    reason: z.string().trim().min(1, 'a waiver needs a reason').describe('why it is acceptable here; shown in every report'),
    expires: IsoDate.optional().describe('last day the waiver applies (YYYY-MM-DD)'),
    hosts: z.array(z.string().min(1)).min(1).optional().describe('host names it applies to; all hosts when absent'),
  })
  .strict();

export const WaiverFile = z.object({ waivers: z.array(WaiverEntry).min(1) }).strict();

export interface WaiverSet {
  file: string;
  entries: z.infer<typeof WaiverEntry>[];
}

export function loadWaivers(file: string, knownRuleIds: ReadonlySet<string>): WaiverSet {
  const src = readYamlFile(file);
  const data = validateWith(src, WaiverFile);
  const seen = new Map<string, number>();
  data.waivers.forEach((w, i) => {
    // A typo in a rule id would silently waive nothing: refuse it.
    if (!knownRuleIds.has(w.rule)) throw new InputError(located(src, ['waivers', i, 'rule'], `unknown rule "${w.rule}" (preflight rules list shows the ids)`));
    const key = `${w.rule}\u0000${(w.hosts ?? ['*']).join(',')}`;
    if (seen.has(key)) throw new InputError(located(src, ['waivers', i], `duplicate waiver for "${w.rule}" (first at waivers[${seen.get(key)}])`));
    seen.set(key, i);
  });
  return { file, entries: data.waivers };
}

/** The waiver that applies to a rule on a host (or the pool), if any; `today` is YYYY-MM-DD. */
export function waiverFor(set: WaiverSet | undefined, ruleId: string, host: string, today: string): Waiver | undefined {
  if (!set) return undefined;
  const match = set.entries.find((w) => w.rule === ruleId && (!w.hosts || w.hosts.includes(host)));
  if (!match) return undefined;
  return {
    reason: match.reason,
    ...(match.expires ? { expires: match.expires } : {}),
    expired: match.expires !== undefined && match.expires < today,
    file: set.file,
  };
}
