import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { isXenDom0 } from './hostKind.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    recommendedPhysicalCores: z.number().int().positive().describe('fewer physical cores than this is a warning (the guide recommends multicore CPUs)'),
    maximumLogicalCpus: z.number().int().positive().describe('more logical CPUs than this fails (the guide: up to 32 CPUs)'),
  })
  .strict();
export type CpuCoresParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

export const cpuCores: HostCheck<CpuCoresParams> = {
  name: 'cpu-cores',
  scope: 'host',
  description: 'multicore CPUs (warn on fewer physical cores than recommended) and no more logical CPUs than supported',
  params: Params,
  probes: ['proc.cpuinfo', 'lscpu', 'xe.host-list'],
  evaluate({ facts }, p) {
    const expected = `multicore CPUs (at least ${p.recommendedPhysicalCores} physical cores recommended), at most ${p.maximumLogicalCpus} logical CPUs`;
    const cpu = facts.cpu;
    // In Dom0, /proc/cpuinfo lists Dom0's virtual CPUs; xe's cpu_count is the whole machine.
    const xeCount = Number(facts.xenserver?.cpuInfo?.['cpu_count']);
    const logical = Number.isInteger(xeCount) && xeCount > 0 ? { n: xeCount, from: 'xe host cpu_info' } : cpu.logicalCpus !== undefined ? { n: cpu.logicalCpus, from: isXenDom0(facts) ? 'as seen from Dom0' : 'the OS' } : undefined;
    const physical = cpu.physicalCores ?? (cpu.sockets !== undefined && cpu.coresPerSocket !== undefined ? cpu.sockets * cpu.coresPerSocket : undefined);
    if (logical === undefined && physical === undefined) {
      return {
        status: 'error',
        observed: 'CPU count not known',
        expected,
        message: `Cannot tell how many CPUs this host has: ${whyMissing(facts, ['proc.cpuinfo', 'lscpu'])}. Run "lscpu" by hand.`,
      };
    }
    const parts = [
      physical !== undefined ? `${physical} physical core${physical === 1 ? '' : 's'}${cpu.sockets !== undefined ? ` in ${cpu.sockets} socket${cpu.sockets === 1 ? '' : 's'}` : ''}` : 'physical core count not reported',
      logical !== undefined ? `${logical.n} logical CPU${logical.n === 1 ? '' : 's'} (${logical.from})` : 'logical CPU count not reported',
    ];
    const observed = parts.join(', ');
    if (logical !== undefined && logical.n > p.maximumLogicalCpus) {
      return { status: 'fail', observed, expected, message: `The host has ${logical.n} logical CPUs, more than the ${p.maximumLogicalCpus} the guide supports: disable CPUs or hyper-threading in the BIOS, or use a smaller server.` };
    }
    // One logical CPU can only be one core; otherwise the physical count is needed to judge "multicore".
    // Dom0's own count is not the machine's (XenServer may give Dom0 a single vCPU on a 16-core host).
    const cores = physical ?? (logical?.n === 1 && logical.from !== 'as seen from Dom0' ? 1 : undefined);
    if (cores !== undefined && cores < p.recommendedPhysicalCores) {
      return { status: 'warn', observed, expected, message: `The host has ${cores} physical core${cores === 1 ? '' : 's'}; the guide recommends multicore CPUs for running protected VMs: use a multicore server, or plan for fewer protected VMs.` };
    }
    const note = cores === undefined ? ' (the physical core count was not reported, so multicore could not be confirmed)' : '';
    return { status: 'pass', observed, expected, message: `The CPU count is within the guide's limits${note}.` };
  },
};
