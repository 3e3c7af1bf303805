import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    vendorId: z.string().min(1).describe('CPUID vendor string required, e.g. GenuineIntel'),
    vendorName: z.string().min(1).describe('how people call that vendor, e.g. Intel'),
  })
  .strict();
export type CpuVendorParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

const KNOWN_VENDORS: Record<string, string> = {
  GenuineIntel: 'Intel',
  AuthenticAMD: 'AMD',
  HygonGenuine: 'Hygon',
  CentaurHauls: 'Centaur/VIA',
  '  Shanghai  ': 'Zhaoxin',
};

export const cpuVendor: HostCheck<CpuVendorParams> = {
  name: 'cpu-vendor',
  scope: 'host',
  description: 'the CPU vendor is the one the guide requires for Windows guests (Intel)',
  params: Params,
  probes: ['proc.cpuinfo', 'lscpu', 'xe.host-list'],
  evaluate({ facts }, p) {
    const expected = `${p.vendorName} processors (vendor_id ${p.vendorId}), as Windows guests need virtualization-capable ${p.vendorName} models`;
    const vendor = facts.cpu.vendor ?? facts.xenserver?.cpuInfo?.['vendor'];
    if (!vendor) {
      return {
        status: 'error',
        observed: 'CPU vendor not known',
        expected,
        message: `Cannot tell the CPU vendor: ${whyMissing(facts, ['proc.cpuinfo', 'lscpu'])}. Run "grep -m1 vendor_id /proc/cpuinfo" by hand.`,
      };
    }
    const model = facts.cpu.modelName ?? facts.xenserver?.cpuInfo?.['modelname'];
    const observed = `${vendor}${KNOWN_VENDORS[vendor] ? ` (${KNOWN_VENDORS[vendor]})` : ''}${model ? `: ${model.trim()}` : ''}`;
    if (vendor.trim() === p.vendorId) {
      return { status: 'pass', observed, expected, message: `The CPU is made by ${p.vendorName}.` };
    }
    const name = KNOWN_VENDORS[vendor] ?? vendor.trim();
    return {
      status: 'fail',
      observed,
      expected,
      message: `The CPU is made by ${name}, not ${p.vendorName}: everRun 6.0 protects Windows guests only on virtualization-capable ${p.vendorName} processors; use servers with qualified ${p.vendorName} CPUs.`,
    };
  },
};
