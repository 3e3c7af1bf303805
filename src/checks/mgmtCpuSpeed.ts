import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { ghz, num } from './formatUnits.js';
import { partProbes, whyPartMissing } from './mgmtShared.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    computer: z.string().min(1).describe('what the machine is, for messages'),
    minimumMHz: z.number().positive().describe('slowest CPU the guide accepts, in MHz'),
    recommendedMHz: z.number().positive().describe('CPU speed the guide recommends, in MHz'),
  })
  .strict();
export type MgmtCpuSpeedParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

const KIND: Record<'rated' | 'maximum' | 'current', string> = {
  rated: 'rated speed',
  maximum: 'maximum speed',
  current: 'current clock (may be throttled below the rated speed)',
};

export const mgmtCpuSpeed: HostCheck<MgmtCpuSpeedParams> = {
  name: 'mgmt-cpu-speed',
  scope: 'host',
  description: 'the CPU speed of a management computer against the minimum and recommended MHz',
  params: Params,
  probes: ['windows.systeminfo', 'si.system', 'proc.cpuinfo', 'macos.sysctl'],
  evaluate({ facts }, p) {
    const expected = `at least ${num(p.minimumMHz)} MHz; ${num(p.recommendedMHz)} MHz (${ghz(p.recommendedMHz)}) or faster recommended`;
    const cpu = facts.computer?.cpu;
    const probes = partProbes(facts, 'cpu');
    if (!cpu) return { status: 'error', observed: 'CPU speed not known', expected, message: `Cannot tell the CPU speed of the ${p.computer}: ${whyPartMissing(facts, 'cpu')}.`, probes };
    const observed = `${num(cpu.mhz)} MHz, ${KIND[cpu.kind]}${cpu.model ? `; ${cpu.model}` : ''} (from ${cpu.source})`;
    const note = cpu.kind === 'current' ? ' Only the current clock was known and an idle CPU may run slower than its rating: check the rated speed.' : '';
    if (cpu.mhz < p.minimumMHz) return { status: 'fail', observed, expected, message: `The CPU runs at ${num(cpu.mhz)} MHz, below the ${num(p.minimumMHz)} MHz minimum for the ${p.computer}.${note}`, probes };
    if (cpu.mhz < p.recommendedMHz) return { status: 'warn', observed, expected, message: `The CPU runs at ${num(cpu.mhz)} MHz: it meets the ${num(p.minimumMHz)} MHz minimum but not the ${num(p.recommendedMHz)} MHz recommendation.${note}`, probes };
    return { status: 'pass', observed, expected, message: `The CPU (${num(cpu.mhz)} MHz) meets the ${num(p.recommendedMHz)} MHz recommendation.`, probes };
  },
};
