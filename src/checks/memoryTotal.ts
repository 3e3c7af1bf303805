import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { GiB, gib, num } from './formatUnits.js';
import { isXenDom0 } from './hostKind.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    minimumGiB: z.number().positive().describe('installed RAM the guide requires ("2 GB", read as GiB)'),
    recommendedGiB: z.number().positive().describe('installed RAM the guide recommends ("4 GB", read as GiB)'),
    firmwareReservedTolerance: z
      .number()
      .min(0)
      .max(0.5)
      .describe("fraction by which Xen's total or the firmware's System RAM may fall short of the installed RAM (firmware keeps some)"),
    memTotalTolerance: z
      .number()
      .min(0)
      .max(0.5)
      .describe('fraction by which MemTotal may fall short of installed RAM (the kernel keeps some for itself)'),
  })
  .strict();
export type MemoryTotalParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

interface Reading {
  bytes: number;
  what: string;
  tolerance: number;
  /** Why a shortfall within the tolerance still counts as meeting a threshold. */
  why?: string;
}

export const memoryTotal: HostCheck<MemoryTotalParams> = {
  name: 'memory-total',
  scope: 'host',
  description: "installed RAM (the memory modules, the hypervisor's total, the firmware map, or MemTotal as an estimate) against the minimum and recommended GiB",
  params: Params,
  probes: ['dmidecode.memory', 'xe.host-list', 'xen.info', 'proc.iomem', 'proc.meminfo'],
  evaluate({ facts }, p) {
    const expected = `at least ${num(p.minimumGiB)} GiB installed, ${num(p.recommendedGiB)} GiB or more recommended (the guide's "GB" of RAM read as GiB, 2^30 bytes)`;
    const m = facts.memory;
    const dom0 = isXenDom0(facts);
    const reading = pickReading(m, dom0, p);
    if (!reading) {
      const why = dom0
        ? `on a Xen host Dom0's MemTotal is only Dom0's share, and neither Xen's total nor the memory modules could be read (${whyMissing(facts, ['xe.host-list', 'xen.info', 'dmidecode.memory'])})`
        : whyMissing(facts, ['dmidecode.memory', 'proc.iomem', 'proc.meminfo']);
      return {
        status: 'error',
        observed: dom0 && m.memTotalBytes !== undefined ? `only Dom0's MemTotal is known (${gib(m.memTotalBytes)}), which is not the host's memory` : 'installed memory not known',
        expected,
        message: `Cannot tell how much memory is installed: ${why}. Run "xe host-list params=memory-total" (XenServer) or "dmidecode -t 17" as root.`,
      };
    }
    const estimate = reading.tolerance > 0 ? ` (${reading.why}: counted as meeting a threshold when within ${num(reading.tolerance * 100)}% of it)` : '';
    const observed = `${gib(reading.bytes)} from ${reading.what}${estimate}`;
    const meets = (thresholdGiB: number) => reading.bytes >= thresholdGiB * GiB * (1 - reading.tolerance);
    if (!meets(p.minimumGiB)) {
      return { status: 'fail', observed, expected, message: `The host has ${gib(reading.bytes)} of memory, below the ${num(p.minimumGiB)} GiB minimum: add memory modules.` };
    }
    if (!meets(p.recommendedGiB)) {
      return { status: 'warn', observed, expected, message: `The host has ${gib(reading.bytes)} of memory, below the recommended ${num(p.recommendedGiB)} GiB; it meets the minimum, but protected VMs need memory on both hosts.` };
    }
    return { status: 'pass', observed, expected, message: `The host has enough memory (${gib(reading.bytes)}).` };
  },
};

/**
 * Installed memory, most direct source first: the memory modules the firmware lists (exactly what
 * is installed), then the hypervisor's total and the firmware's System RAM map (both a little
 * lower, judged with a tolerance), and MemTotal only as a last estimate. In a Xen Dom0, MemTotal
 * and the System RAM map describe Dom0 only (a few hundred MiB on XenServer), so they are never used there.
 */
function pickReading(m: { hypervisorTotalBytes?: number; dimmBytes?: number; systemRamBytes?: number; memTotalBytes?: number }, dom0: boolean, p: MemoryTotalParams): Reading | undefined {
  if (m.dimmBytes !== undefined && m.dimmBytes > 0) return { bytes: m.dimmBytes, what: 'the installed memory modules (SMBIOS)', tolerance: 0 };
  if (m.hypervisorTotalBytes !== undefined && m.hypervisorTotalBytes > 0) return { bytes: m.hypervisorTotalBytes, what: "the hypervisor's total memory (xe host memory-total / xl info)", tolerance: p.firmwareReservedTolerance, why: 'a little below installed RAM, as the firmware keeps some' };
  if (dom0) return undefined;
  if (m.systemRamBytes !== undefined && m.systemRamBytes > 0) return { bytes: m.systemRamBytes, what: 'the firmware memory map (System RAM in /proc/iomem)', tolerance: p.firmwareReservedTolerance, why: 'a little below installed RAM, as the firmware keeps some' };
  if (m.memTotalBytes !== undefined && m.memTotalBytes > 0) return { bytes: m.memTotalBytes, what: 'MemTotal in /proc/meminfo (below installed RAM)', tolerance: p.memTotalTolerance, why: 'an estimate, as the kernel keeps some memory for itself' };
  return undefined;
}
