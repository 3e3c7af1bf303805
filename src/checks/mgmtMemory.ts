import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { GiB, gib, num } from './formatUnits.js';
import { partProbes, whyPartMissing } from './mgmtShared.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    computer: z.string().min(1).describe('what the machine is, for messages'),
    minimumGiB: z.number().positive().describe('memory the guide requires ("1 GB", read as GiB)'),
    recommendedGiB: z.number().positive().describe('memory the guide recommends ("2 GB", read as GiB)'),
    osReportedTolerance: z
      .number()
      .min(0)
      .max(0.5)
      .describe('fraction by which the memory the OS reports may fall short of a threshold (firmware, graphics and the kernel keep some of the installed RAM)'),
  })
  .strict();
export type MgmtMemoryParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

export const mgmtMemory: HostCheck<MgmtMemoryParams> = {
  name: 'mgmt-memory',
  scope: 'host',
  description: 'the memory of a management computer (installed modules, else what the OS reports) against the minimum and recommended GiB',
  params: Params,
  probes: ['si.system', 'windows.systeminfo', 'dmidecode.memory', 'proc.meminfo', 'macos.sysctl'],
  evaluate({ facts }, p) {
    const expected = `at least ${num(p.minimumGiB)} GiB, ${num(p.recommendedGiB)} GiB or more recommended (the guide's "GB" of RAM read as GiB)`;
    const m = facts.computer?.memory;
    const probes = partProbes(facts, 'memory');
    if (!m) return { status: 'error', observed: 'memory not known', expected, message: `Cannot tell how much memory the ${p.computer} has: ${whyPartMissing(facts, 'memory')}.`, probes };
    const tolerance = m.installed ? 0 : p.osReportedTolerance;
    const observed = `${gib(m.bytes)} ${m.installed ? 'installed' : `as the OS reports it (a little below installed RAM; counted as meeting a threshold within ${num(tolerance * 100)}% of it)`} (from ${m.source})`;
    const meets = (g: number) => m.bytes >= g * GiB * (1 - tolerance);
    if (!meets(p.minimumGiB)) return { status: 'fail', observed, expected, message: `The ${p.computer} has ${gib(m.bytes)} of memory, below the ${num(p.minimumGiB)} GiB minimum: add memory.`, probes };
    if (!meets(p.recommendedGiB)) return { status: 'warn', observed, expected, message: `The ${p.computer} has ${gib(m.bytes)} of memory: it meets the ${num(p.minimumGiB)} GiB minimum but not the ${num(p.recommendedGiB)} GiB recommendation.`, probes };
    return { status: 'pass', observed, expected, message: `The ${p.computer} has enough memory (${gib(m.bytes)}).`, probes };
  },
};
