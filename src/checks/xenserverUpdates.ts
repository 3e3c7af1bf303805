import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { XenServerFacts } from '../facts/schema.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Pattern = z.string().refine(
  (s) => {
    try {
      new RegExp(s, 'i');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

const Params = z
  .object({
    required: z
      .array(
        z
          .object({
            label: z.string().min(1).describe('how people call the update, e.g. "XenServer 5.5.0 Update 2"'),
            patterns: z.array(Pattern).min(1).describe('case-insensitive regular expressions matched against the patch name-label and name-description'),
          })
          .strict(),
      )
      .describe('updates that must be applied on every host'),
    allowOthers: z.boolean().describe('false: any other applied update fails the rule (the guide: install only the updates the release names)'),
  })
  .strict();
export type XenserverUpdatesParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

type Patch = NonNullable<XenServerFacts['patches']>[number];

export const xenserverUpdates: HostCheck<XenserverUpdatesParams> = {
  name: 'xenserver-updates',
  scope: 'host',
  description: 'the XenServer updates the release requires are applied on this host, and no others',
  params: Params,
  probes: ['xe.patch-list'],
  evaluate({ facts }, p) {
    const expected = `${p.required.length ? p.required.map((r) => r.label).join(' and ') : 'no updates'} applied on this host${p.allowOthers ? '' : ', and no other update'}`;
    const xs = facts.xenserver;
    if (!xs) {
      return { status: 'skip', observed: 'not a XenServer host', expected, message: `This host does not run XenServer (${whyMissing(facts, ['xen.inventory'])}), so there are no XenServer updates to check.` };
    }
    if (!xs.patches) {
      return {
        status: 'error',
        observed: 'applied updates not known',
        expected,
        message: `Cannot list the XenServer updates: ${whyMissing(facts, ['xe.patch-list'])}. Run "xe patch-list params=name-label,hosts" as root.`,
      };
    }
    // A patch uploaded to the pool but not applied on this host does not count; when the parser
    // could not tell which hosts it is applied on, it is taken as applied (and said so).
    const applied = xs.patches.filter((x) => x.appliedHere !== false);
    const unsure = applied.filter((x) => x.appliedHere === undefined);
    const matches = (x: Patch, patterns: string[]) => patterns.some((re) => new RegExp(re, 'i').test(x.nameLabel) || (x.nameDescription !== undefined && new RegExp(re, 'i').test(x.nameDescription)));
    const missing = p.required.filter((r) => !applied.some((x) => matches(x, r.patterns)));
    const others = p.allowOthers ? [] : applied.filter((x) => !p.required.some((r) => matches(x, r.patterns)));
    const observed =
      (applied.length ? `applied: ${applied.map((x) => x.nameLabel).join(', ')}` : 'no update applied') +
      (unsure.length ? ` (hosts unknown for ${unsure.map((x) => x.nameLabel).join(', ')}: counted as applied)` : '') +
      (xs.patches.length > applied.length ? `; uploaded but not applied here: ${xs.patches.filter((x) => x.appliedHere === false).map((x) => x.nameLabel).join(', ')}` : '');
    if (missing.length || others.length) {
      const parts = [
        missing.length ? `${missing.map((r) => r.label).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not applied` : undefined,
        others.length ? `${others.map((x) => x.nameLabel).join(', ')} ${others.length === 1 ? 'is applied but is' : 'are applied but are'} not named by the everRun release` : undefined,
      ].filter((s) => s !== undefined);
      return {
        status: 'fail',
        observed,
        expected,
        message: `${parts.join('; ')}: apply exactly the updates from the Marathon download site ("xe patch-upload file-name=...", "xe patch-apply uuid=... host-uuid=..."), then reboot the host; contact Marathon support before keeping any other update.`,
      };
    }
    return { status: 'pass', observed, expected, message: p.required.length ? 'The required XenServer updates are applied, and no others.' : 'No XenServer update is required and none other is applied.' };
  },
};
