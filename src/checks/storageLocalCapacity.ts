import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { GB, gb, num } from './formatUnits.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    recommendedGB: z.number().positive().describe('total local disk space the guide recommends, in decimal GB (10^9 bytes)'),
  })
  .strict();
export type StorageLocalCapacityParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'error'];

export const storageLocalCapacity: HostCheck<StorageLocalCapacityParams> = {
  name: 'storage-local-capacity',
  scope: 'host',
  description: 'the sum of locally attached disks against the recommended total (decimal GB)',
  params: Params,
  probes: ['sys.block'],
  evaluate({ facts }, p) {
    const expected = `at least ${num(p.recommendedGB)} GB of locally attached disk in total, recommended (GB = 10^9 bytes, as disk makers count; shared storage is also supported)`;
    if (!facts.disks) {
      return {
        status: 'error',
        observed: 'disks not known',
        expected,
        message: `Cannot tell the local disk capacity: ${whyMissing(facts, ['sys.block'])}. Run "lsblk -d -o NAME,SIZE,TYPE,TRAN" by hand.`,
      };
    }
    const local = facts.disks.filter((d) => d.local);
    const total = local.reduce((sum, d) => sum + d.sizeBytes, 0);
    const observed = local.length
      ? `${gb(total)} in ${local.length} local disk${local.length === 1 ? '' : 's'}: ${local.map((d) => `${d.name} ${gb(d.sizeBytes)}${d.model ? ` (${d.model.trim()})` : ''}`).join(', ')}`
      : `no local disks (${facts.disks.length} block device${facts.disks.length === 1 ? '' : 's'} seen, none locally attached)`;
    if (total < p.recommendedGB * GB) {
      return {
        status: 'warn',
        observed,
        expected,
        message: `The host has ${gb(total)} of local disk, below the recommended ${num(p.recommendedGB)} GB: add local disks, or plan to keep VMs on shared storage (NFS, iSCSI, FC SAN).`,
      };
    }
    return { status: 'pass', observed, expected, message: `The host has ${gb(total)} of local disk, meeting the recommendation.` };
  },
};
