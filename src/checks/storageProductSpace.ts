import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { HostFacts, StorageRepositoryFacts } from '../facts/schema.js';
import { GiB, gib, num } from './formatUnits.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    minimumGiB: z.number().positive().describe('free space the everRun installer insists on ("at least 3.9 GB"), read as GiB'),
    recommendedGiB: z.number().positive().describe('space the guide asks for everRun in an SR ("4 GB"), read as GiB'),
    srTypes: z.array(z.string().min(1)).min(1).describe('SR types the installer can create its logical volume in'),
    contentTypes: z.array(z.string().min(1)).min(1).describe('SR content types that hold VM disks (ISO libraries do not count)'),
  })
  .strict();
export type StorageProductSpaceParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'skip', 'error'];

interface Candidate {
  sr: StorageRepositoryFacts;
  free: number;
}

export const storageProductSpace: HostCheck<StorageProductSpaceParams> = {
  name: 'storage-product-space',
  scope: 'host',
  description: 'a storage repository this host can use has enough free space for the everRun product volume',
  params: Params,
  probes: ['xe.sr-list'],
  evaluate({ facts }, p) {
    const expected = `a storage repository of type ${p.srTypes.join('/')} with at least ${num(p.recommendedGiB)} GiB free for everRun (the installer refuses less than ${num(p.minimumGiB)} GiB; GB read as GiB, 2^30 bytes, to be safe)`;
    if (!facts.xenserver) {
      return {
        status: 'skip',
        observed: 'not a XenServer host (no /etc/xensource-inventory)',
        expected,
        message: `Not a XenServer host, so there are no storage repositories to check (${whyMissing(facts, ['xen.inventory', 'xe.sr-list'])}).`,
      };
    }
    if (!facts.storageRepositories) {
      return {
        status: 'error',
        observed: 'storage repositories not known',
        expected,
        message: `Cannot list the storage repositories: ${whyMissing(facts, ['xe.sr-list'])}. Run "xe sr-list params=all" as root.`,
      };
    }
    const usable = facts.storageRepositories.filter((sr) => usableHere(sr, facts, p));
    const candidates: Candidate[] = usable
      .filter((sr) => sr.physicalSizeBytes !== undefined && sr.physicalUtilisationBytes !== undefined)
      .map((sr) => ({ sr, free: sr.physicalSizeBytes! - sr.physicalUtilisationBytes! }))
      .sort((a, b) => b.free - a.free);
    const describe = (c: Candidate) => `${c.sr.nameLabel ?? c.sr.uuid} (${c.sr.type ?? 'unknown type'}${c.sr.shared ? ', shared' : ''}): ${gib(c.free)} free`;
    const observed = candidates.length
      ? candidates.map(describe).join('; ')
      : `no usable storage repository (${facts.storageRepositories.length} SR${facts.storageRepositories.length === 1 ? '' : 's'} listed, none of type ${p.srTypes.join('/')} with content-type ${p.contentTypes.join('/')} and a known size on this host)`;
    const best = candidates[0];
    if (!best || best.free < p.minimumGiB * GiB) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `No storage repository has the ${num(p.minimumGiB)} GiB free the everRun installer needs: free space in local storage or add an SR, then name it with "--sr-uuid=UUID" when you run the installer.`,
      };
    }
    if (best.free < p.recommendedGiB * GiB) {
      return {
        status: 'warn',
        observed,
        expected,
        message: `The roomiest storage repository, ${best.sr.nameLabel ?? best.sr.uuid}, has ${gib(best.free)} free: enough for the installer, but below the ${num(p.recommendedGiB)} GiB the guide asks for.`,
      };
    }
    return { status: 'pass', observed, expected, message: `Storage repository ${best.sr.nameLabel ?? best.sr.uuid} has room for everRun (${gib(best.free)} free).` };
  },
};

/** Shared SRs serve every host; a local SR only the host it belongs to. */
function usableHere(sr: StorageRepositoryFacts, facts: HostFacts, p: StorageProductSpaceParams): boolean {
  if (!sr.type || !p.srTypes.includes(sr.type)) return false;
  if (sr.contentType && !p.contentTypes.includes(sr.contentType)) return false;
  if (sr.shared) return true;
  const me = facts.xenserver?.hostName ?? facts.os.hostname;
  return sr.host === undefined || me === undefined || sr.host === me || sr.host === facts.xenserver?.installationUuid;
}
