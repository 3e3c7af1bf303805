import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { ghz, num } from './formatUnits.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    minimumGHz: z.number().positive().describe('slowest CPU clock the guide accepts'),
    recommendedGHz: z.number().positive().describe('clock the guide recommends'),
  })
  .strict();
export type CpuSpeedParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

export const cpuSpeed: HostCheck<CpuSpeedParams> = {
  name: 'cpu-speed',
  scope: 'host',
  description: 'CPU clock speed against the minimum and recommended GHz (rated speed first, then maximum, then current)',
  params: Params,
  probes: ['proc.cpuinfo', 'lscpu', 'sys.cpufreq', 'dmidecode.processor'],
  evaluate({ facts }, p) {
    const expected = `at least ${num(p.minimumGHz)} GHz; ${num(p.recommendedGHz)} GHz or faster recommended`;
    const cpu = facts.cpu;
    // The rated speed is what the guide means; the current clock of an idle CPU may be throttled down.
    const reading =
      cpu.nominalMhz !== undefined
        ? { mhz: cpu.nominalMhz, what: 'rated speed (model name or SMBIOS)' }
        : cpu.maxMhz !== undefined
          ? { mhz: cpu.maxMhz, what: 'maximum speed (cpufreq)' }
          : cpu.currentMhz !== undefined
            ? { mhz: cpu.currentMhz, what: 'current speed ("cpu MHz"; may be throttled below the rated speed)' }
            : undefined;
    if (!reading) {
      return {
        status: 'error',
        observed: 'CPU speed not known',
        expected,
        message: `Cannot tell the CPU speed: ${whyMissing(facts, ['proc.cpuinfo', 'lscpu', 'dmidecode.processor'])}. Check the model name or BIOS for the rated speed.`,
      };
    }
    const observed = `${ghz(reading.mhz)}, ${reading.what}${cpu.modelName ? `; ${cpu.modelName.trim()}` : ''}`;
    const throttleNote = cpu.nominalMhz === undefined && cpu.maxMhz === undefined ? ' (only the current speed was known, and it may be throttled: check the rated speed)' : '';
    if (reading.mhz < p.minimumGHz * 1000) {
      return { status: 'fail', observed, expected, message: `The CPU runs at ${ghz(reading.mhz)}, below the ${num(p.minimumGHz)} GHz minimum${throttleNote}: use faster processors.` };
    }
    if (reading.mhz < p.recommendedGHz * 1000) {
      return { status: 'warn', observed, expected, message: `The CPU runs at ${ghz(reading.mhz)}, below the recommended ${num(p.recommendedGHz)} GHz${throttleNote}; it meets the minimum.` };
    }
    return { status: 'pass', observed, expected, message: `The CPU speed meets the ${num(p.recommendedGHz)} GHz recommendation.` };
  },
};
