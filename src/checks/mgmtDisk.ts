import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { gb, num } from './formatUnits.js';
import { partProbes, whyPartMissing } from './mgmtShared.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    computer: z.string().min(1).describe('what the machine is, for messages'),
    minimumMB: z.number().positive().describe('free disk space the guide asks for, in decimal MB (10^6 bytes)'),
  })
  .strict();
export type MgmtDiskParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

const MB = 1e6;

export const mgmtDisk: HostCheck<MgmtDiskParams> = {
  name: 'mgmt-disk',
  scope: 'host',
  description: 'free space on the system volume (C: on Windows, / elsewhere) of a management or quorum service computer',
  params: Params,
  probes: ['si.system', 'df', 'macos.df'],
  evaluate({ facts }, p) {
    const expected = `at least ${num(p.minimumMB)} MB (10^6 bytes) free on the system volume`;
    const v = facts.computer?.systemVolume;
    const probes = partProbes(facts, 'disk');
    if (!v) return { status: 'error', observed: 'free space not known', expected, message: `Cannot tell the free space on the system volume of the ${p.computer}: ${whyPartMissing(facts, 'disk')}.`, probes };
    const mb = (b: number) => `${num(b / MB)} MB`;
    const observed = `${v.availableBytes >= 1e9 ? gb(v.availableBytes) : mb(v.availableBytes)} free on ${v.mount}${v.sizeBytes !== undefined ? ` of ${gb(v.sizeBytes)}` : ''} (from ${v.source})`;
    if (v.availableBytes < p.minimumMB * MB) {
      return { status: 'fail', observed, expected, message: `Only ${mb(v.availableBytes)} is free on ${v.mount}, less than the ${num(p.minimumMB)} MB the guide asks for on the ${p.computer}: free some space.`, probes };
    }
    return { status: 'pass', observed, expected, message: `There is enough free space on ${v.mount}.`, probes };
  },
};
