import type { CheckCase } from '../caseTable.js';
import { absent, failed, hostFacts, xenserver } from '../hostFacts.js';

type Patch = { uuid: string; nameLabel: string; nameDescription?: string; appliedHere?: boolean };
/** appliedHere 'unknown': xe patch-list did not say which hosts the patch is applied on. */
const patch = (nameLabel: string, nameDescription: string, appliedHere: boolean | 'unknown' = true): Patch => ({
  uuid: `patch-${nameLabel.toLowerCase()}`,
  nameLabel,
  nameDescription,
  ...(appliedHere === 'unknown' ? {} : { appliedHere }),
});
const update2 = patch('XS55EU02', 'Public Availability: XenServer 5.5.0 Update 2');
const update3 = patch('XS55EU03', 'Public Availability: XenServer 5.5.0 Update 3');
const withPatches = (...patches: Patch[]) => hostFacts({ xenserver: xenserver({ patches }) });

export const cases: CheckCase[] = [
  {
    name: 'pass: Updates 2 and 3 applied, nothing else',
    facts: withPatches(update2, update3),
    status: 'pass',
    observed: /^applied: XS55EU02, XS55EU03$/,
  },
  {
    // A description-only match: the label is a hotfix code, the description names the update.
    name: 'pass: updates recognised by their description',
    facts: withPatches(patch('XS55E002', 'XenServer 5.5.0 Update 2'), patch('XS55E003', 'XenServer 5.5.0 Update 3')),
    status: 'pass',
  },
  {
    // xe patch-list could not tell which hosts a patch is on: counted as applied, and said so.
    name: 'pass: hosts of the patches unknown, counted as applied (and says so)',
    facts: withPatches(patch('XS55EU02', 'Update 2', 'unknown'), patch('XS55EU03', 'Update 3', 'unknown')),
    status: 'pass',
    observed: /hosts unknown for XS55EU02, XS55EU03: counted as applied/,
  },
  {
    name: 'fail: Update 3 missing',
    facts: withPatches(update2),
    status: 'fail',
    message: /^XenServer 5\.5\.0 Update 3 is not applied: apply exactly the updates/,
  },
  {
    name: 'fail: no update at all',
    facts: withPatches(),
    status: 'fail',
    observed: /^no update applied$/,
    message: /^XenServer 5\.5\.0 Update 2 and XenServer 5\.5\.0 Update 3 are not applied/,
  },
  {
    // Uploaded to the pool but applied only on the master: the member is still missing it.
    name: 'fail: Update 3 uploaded to the pool but not applied on this host',
    facts: withPatches(update2, { ...update3, appliedHere: false }),
    status: 'fail',
    observed: /uploaded but not applied here: XS55EU03/,
    message: /Update 3 is not applied/,
  },
  {
    // The guide: install only the updates the everRun release notes name.
    name: 'fail: an extra hotfix XS55EU04 applied besides Updates 2 and 3',
    facts: withPatches(update2, update3, patch('XS55EU04', 'Public Availability: XenServer 5.5.0 Update 4')),
    status: 'fail',
    message: /XS55EU04 is applied but is not named by the everRun release.*contact Marathon support/,
  },
  {
    name: 'pass: a site allowing other updates keeps its extra hotfix',
    facts: withPatches(update2, update3, patch('XS55EU04', 'Update 4')),
    params: { allowOthers: true },
    status: 'pass',
  },
  {
    name: 'skip: not a XenServer host',
    facts: hostFacts({ probes: { 'xen.inventory': absent('/etc/xensource-inventory: no such file') } }),
    status: 'skip',
    message: /does not run XenServer/,
  },
  {
    name: 'error: xe patch-list failed',
    facts: hostFacts({ probes: { 'xe.patch-list': failed('Error: Connection refused (calling connect )') }, xenserver: xenserver() }),
    status: 'error',
    message: /Cannot list the XenServer updates: xe patch-list failed: Error: Connection refused/,
  },
];
