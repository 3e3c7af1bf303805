import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { isXenDom0 } from './hostKind.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck, Outcome } from './types.js';

const Params = z.object({}).strict();
export type CpuVirtualizationParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

const EXPECTED = 'hardware virtualization (Intel VT-x or AMD-V) supported by the CPU and enabled in the BIOS';
const PROBES = ['proc.cpuinfo', 'lscpu', 'cpu.msr', 'kernel.log.virt', 'dev.kvm', 'sys.hypervisor', 'xen.info'];

/** Firmware switches change only when the CPU is powered off: a warm reboot keeps the old MSR value. */
const POWER_CYCLE = 'then do a FULL POWER CYCLE (shut down, remove power for a few seconds, power on): a reboot is not enough';

function biosOption(vendor: string | undefined): string {
  if (vendor === 'GenuineIntel') return '"Intel Virtualization Technology" (Intel VT / VT-x)';
  if (vendor === 'AuthenticAMD') return '"SVM Mode" (AMD SVM / AMD-V)';
  return '"Intel Virtualization Technology" (Intel VT) or "SVM Mode" (AMD SVM / AMD-V)';
}

export const cpuVirtualization: HostCheck<CpuVirtualizationParams> = {
  name: 'cpu-virtualization',
  scope: 'host',
  description: 'hardware virtualization is supported by the CPU and enabled in the BIOS (vmx/svm, Xen hvm capabilities, firmware MSR, kernel log)',
  params: Params,
  probes: PROBES,
  evaluate({ facts }) {
    const v = facts.virtualization;
    const vendor = facts.cpu.vendor;
    const dom0 = isXenDom0(facts);

    if (v.firmware === 'disabled' || v.kernelDisabledByBios) {
      const seen = [
        v.firmware === 'disabled' ? 'the firmware switch (IA32_FEATURE_CONTROL / VM_CR MSR) is locked off' : undefined,
        v.kernelDisabledByBios ? `kernel log: "${v.kernelDisabledByBios.trim()}"` : undefined,
        v.cpuFlag ? `CPU flag ${v.cpuFlag} present` : undefined,
      ].filter((s) => s !== undefined);
      return {
        status: 'fail',
        observed: `supported but disabled in the firmware: ${seen.join('; ')}`,
        expected: EXPECTED,
        message: `Hardware virtualization is supported but disabled in the BIOS: enable ${biosOption(vendor)} in the BIOS setup, ${POWER_CYCLE}.`,
        probes: ['cpu.msr', 'kernel.log.virt', 'proc.cpuinfo'],
      };
    }

    if (v.xenHvm === true) {
      return pass(`the Xen hypervisor reports hvm capabilities${v.xenCaps ? ` (${v.xenCaps})` : ''}: VT-x/AMD-V is on`, ['sys.hypervisor', 'xen.info']);
    }

    if (dom0) {
      if (v.xenCaps !== undefined || v.xenHvm === false) {
        return {
          status: 'fail',
          observed: `Xen capabilities without any hvm-* entry${v.xenCaps ? `: ${v.xenCaps}` : ''}`,
          expected: EXPECTED,
          message: `Xen cannot run Windows (HVM) guests on this host: the CPU lacks VT-x/AMD-V or it is disabled in the BIOS; enable ${biosOption(vendor)} in the BIOS setup, ${POWER_CYCLE}; if the option does not exist, the CPU does not support it.`,
          probes: ['sys.hypervisor', 'xen.info'],
        };
      }
      return error(
        'not known (Xen Dom0: the CPU flags are masked here and Xen capabilities were not readable)',
        `Cannot tell: in a Xen Dom0 the vmx/svm flags are hidden, and the hypervisor's capabilities could not be read (${whyMissing(facts, ['sys.hypervisor', 'xen.info'])}). Run "xe host-cpu-info" or "xl info | grep xen_caps" (or "xm info") as root and look for hvm-3.0-x86_64.`,
      );
    }

    if (v.cpuFlag === 'vmx' || v.cpuFlag === 'svm') {
      const firmware =
        v.firmware === 'enabled'
          ? '; firmware switch enabled and locked'
          : v.firmware === 'unlocked'
            ? '; firmware left the switch unlocked (the hypervisor enables it at boot)'
            : '; firmware switch not readable, and the kernel log has no "disabled by bios" line';
      const guest = facts.cpu.hypervisorGuest ? ' (a virtual CPU: nested virtualization is on)' : '';
      return pass(`CPU flag ${v.cpuFlag} present${guest}${firmware}`, ['proc.cpuinfo', 'cpu.msr', 'kernel.log.virt']);
    }

    if (v.cpuFlag === null || (facts.cpu.flags.length > 0 && v.cpuFlag === undefined)) {
      if (facts.cpu.hypervisorGuest) {
        const hv = facts.cpu.hypervisorVendor ? ` (hypervisor: ${facts.cpu.hypervisorVendor})` : '';
        return {
          status: 'fail',
          observed: `a virtual machine${hv}: the virtual CPU exposes neither vmx nor svm`,
          expected: EXPECTED,
          message:
            'This host is a virtual machine whose virtual CPU does not expose VT-x/AMD-V (nested virtualization is off); this says nothing about the physical CPU. Run preflight on the physical server, or enable nested virtualization for this VM for a lab only.',
          probes: ['proc.cpuinfo', 'lscpu'],
        };
      }
      return {
        status: 'fail',
        observed: `CPU flags read (${facts.cpu.flags.length} flags): neither vmx nor svm${facts.cpu.modelName ? `; ${facts.cpu.modelName}` : ''}`,
        expected: EXPECTED,
        message: 'The CPU does not support hardware virtualization (no vmx/svm flag), so XenServer cannot run Windows guests: use a server with a VT-x capable Intel processor.',
        probes: ['proc.cpuinfo', 'lscpu'],
      };
    }

    return error(
      'not known (CPU flags unreadable)',
      `Cannot tell whether hardware virtualization is available: the CPU flags could not be read (${whyMissing(facts, ['proc.cpuinfo', 'lscpu'])}). Run "grep -E -w 'vmx|svm' /proc/cpuinfo" by hand.`,
    );
  },
};

function pass(observed: string, probes: string[]): Outcome {
  return { status: 'pass', observed, expected: EXPECTED, message: 'Hardware virtualization is supported and enabled.', probes };
}

function error(observed: string, message: string): Outcome {
  return { status: 'error', observed, expected: EXPECTED, message };
}

