import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { HostFacts } from '../facts/schema.js';
import { isXenDom0 } from './hostKind.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z.object({}).strict();
export type CpuX64Params = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

const EXPECTED = 'x64 (64-bit) CPUs: the lm (long mode) flag, or Xen capabilities naming x86_64';
const PROBES = ['proc.cpuinfo', 'lscpu', 'uname', 'sys.hypervisor', 'xen.info', 'xe.host-list'];

export const cpuX64: HostCheck<CpuX64Params> = {
  name: 'cpu-x64',
  scope: 'host',
  description: 'the CPUs are 64-bit (x64): lm flag, Xen x86_64 capabilities, or a 64-bit kernel',
  params: Params,
  probes: PROBES,
  evaluate({ facts }) {
    const machine = facts.os.machine;
    // XenServer 5.5 runs a 32-bit Dom0 kernel on 64-bit hardware: that is expected, not a problem.
    const dom0Note = machine && /^i[3-6]86$/.test(machine) ? ` (the 32-bit Dom0 kernel, uname -m ${machine}, on 64-bit hardware is normal)` : '';
    const evidence = sixtyFourBitEvidence(facts);
    if (evidence) {
      return { status: 'pass', observed: `${evidence}${dom0Note}`, expected: EXPECTED, message: 'The CPUs are 64-bit (x64).' };
    }
    // aarch64, ppc64le, s390x...: 64-bit, but not x64, and their flags never include lm.
    if (machine && !/^(x86_64|amd64|i[3-6]86|x86)$/i.test(machine)) {
      return {
        status: 'fail',
        observed: `not an x86 machine: uname -m ${machine}${facts.cpu.modelName ? `; ${facts.cpu.modelName.trim()}` : ''}`,
        expected: EXPECTED,
        message: `This is a ${machine} machine, not x64: XenServer and everRun need x64 (Intel 64 / AMD64) servers; use another machine.`,
      };
    }
    const dom0 = isXenDom0(facts);
    if (facts.cpu.flags.length > 0 && !dom0) {
      return {
        status: 'fail',
        observed: `CPU flags read (${facts.cpu.flags.length} flags) without lm${machine ? `; uname -m ${machine}` : ''}${facts.cpu.modelName ? `; ${facts.cpu.modelName}` : ''}`,
        expected: EXPECTED,
        message: 'The CPU is not 64-bit (no lm flag): XenServer and everRun need x64 servers; use another machine.',
      };
    }
    const why = dom0
      ? `in a Xen Dom0 the CPU flags can be masked and Xen's capabilities were not readable (${whyMissing(facts, ['sys.hypervisor', 'xen.info'])})`
      : `CPU flags were not readable (${whyMissing(facts, ['proc.cpuinfo'])})`;
    return {
      status: 'error',
      observed: `not known${machine ? `; uname -m ${machine}` : ''}`,
      expected: EXPECTED,
      message: `Cannot tell whether the CPU is 64-bit: ${why}. Run "grep -w lm /proc/cpuinfo" (or "xl info | grep xen_caps" in Dom0) as root.`,
    };
  },
};

function sixtyFourBitEvidence(facts: HostFacts): string | undefined {
  if (facts.cpu.flags.includes('lm')) return 'CPU flags include lm (long mode: 64-bit)';
  const caps = facts.virtualization.xenCaps;
  if (caps && /x86_64/.test(caps)) return `Xen capabilities: ${caps}`;
  const xeFlags = facts.xenserver?.cpuInfo?.['flags'];
  if (xeFlags && xeFlags.split(/\s+/).includes('lm')) return 'xe host cpu_info flags include lm (long mode: 64-bit)';
  if (facts.os.machine === 'x86_64') return 'the running kernel is 64-bit (uname -m x86_64)';
  return undefined;
}
