import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { GB, gb, gib, num } from './formatUnits.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    minimumGB: z.number().positive().describe('size of the root file system the guide asks for XenServer in Dom0, in decimal GB (10^9 bytes)'),
  })
  .strict();
export type StorageDom0Params = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

export const storageDom0: HostCheck<StorageDom0Params> = {
  name: 'storage-dom0',
  scope: 'host',
  description: "the size of the root file system (XenServer's Dom0) against the guide's minimum",
  params: Params,
  probes: ['df'],
  evaluate({ facts }, p) {
    // A 4 GiB partition shows about 3.9 GiB in df once formatted; 4 x 10^9 bytes is what it reliably holds.
    const expected = `a root file system ("/") of at least ${num(p.minimumGB)} GB (10^9 bytes; XenServer's 4 GiB Dom0 partition shows about 3.9 GiB in df)`;
    const root = facts.filesystems?.find((f) => f.mountpoint === '/');
    if (!root) {
      return {
        status: 'error',
        observed: facts.filesystems ? 'no file system is mounted on "/" in the df output' : 'file systems not known',
        expected,
        message: `Cannot tell the size of the root file system: ${facts.filesystems ? 'df listed no "/" mount' : whyMissing(facts, ['df'])}. Run "df -h /" by hand.`,
      };
    }
    const where = facts.xenserver ? 'Dom0 root file system' : 'root file system (not a XenServer host: evaluated as the future Dom0 would be)';
    const observed = `${where} ${root.source}${root.fstype ? ` (${root.fstype})` : ''}: ${gb(root.sizeBytes)} (${gib(root.sizeBytes)}), ${gib(root.availableBytes)} available`;
    const notXen = facts.xenserver ? '' : ' This is not a XenServer host: its root file system was evaluated all the same.';
    if (root.sizeBytes < p.minimumGB * GB) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `The root file system is ${gb(root.sizeBytes)}, smaller than the ${num(p.minimumGB)} GB XenServer needs in Dom0: reinstall XenServer on a disk large enough for its standard partitions.${notXen}`,
      };
    }
    return { status: 'pass', observed, expected, message: `The root file system is large enough (${gb(root.sizeBytes)}).${notXen}` };
  },
};
