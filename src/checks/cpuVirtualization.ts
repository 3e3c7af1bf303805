import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { isXenDom0 } from './hostKind.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck, Outcome } from './types.js';

const Params = z.object({}).strict();
export type CpuVirtualizationParams = z.infer<typeof Params>;

/** warn: the CPU has the feature, but nothing readable says whether the BIOS switched it on. */
export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

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
    // Facts may carry the raw flags or capabilities without the derived fields: derive them here
    // rather than misread "not derived" as "not there".
    const flag = v.cpuFlag !== undefined ? v.cpuFlag : cpuVirtFlag(facts.cpu.flags);
    const hvm = v.xenHvm ?? (v.xenCaps !== undefined && v.xenCaps.trim() !== '' ? /(^|[\s;])hvm-/.test(v.xenCaps) : undefined);

    if (v.firmware === 'disabled' || v.kernelDisabledByBios) {
      const seen = [
        v.firmware === 'disabled' ? 'the firmware switch (IA32_FEATURE_CONTROL / VM_CR MSR) is locked off' : undefined,
        v.kernelDisabledByBios ? `kernel log: "${v.kernelDisabledByBios.trim()}"` : undefined,
        flag ? `CPU flag ${flag} present` : undefined,
      ].filter((s) => s !== undefined);
      return {
        status: 'fail',
        observed: `supported but disabled in the firmware: ${seen.join('; ')}`,
        expected: EXPECTED,
        message: `Hardware virtualization is supported but disabled in the BIOS: enable ${biosOption(vendor)} in the BIOS setup, ${POWER_CYCLE}.`,
        probes: ['cpu.msr', 'kernel.log.virt', 'proc.cpuinfo'],
      };
    }

    if (hvm === true) {
      return pass(`the Xen hypervisor reports hvm capabilities${v.xenCaps ? ` (${v.xenCaps})` : ''}: VT-x/AMD-V is on`, ['sys.hypervisor', 'xen.info']);
    }

    if (dom0) {
      if (hvm === false) {
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

    if (flag === 'vmx' || flag === 'svm') {
      const guest = facts.cpu.hypervisorGuest ? ' (a virtual CPU: nested virtualization is on)' : '';
      const seen = `CPU flag ${flag} present${guest}`;
      const probes = ['proc.cpuinfo', 'cpu.msr', 'kernel.log.virt'];
      // Older kernels show the flag even when the BIOS disabled the feature, so the flag alone
      // proves support, not that it is switched on: look for something that proves the latter.
      // /dev/kvm does not: a Linux 6.18 VM without vmx/svm was seen with kvm in /proc/misc.
      const enabledBy =
        v.firmware === 'enabled'
          ? 'firmware switch enabled and locked'
          : v.firmware === 'unlocked'
            ? 'firmware left the switch unlocked (the hypervisor enables it at boot)'
            : flag === 'vmx' && kernelHidesDisabledFlag(facts.os.kernelRelease) === true
              ? `this kernel (${facts.os.kernelRelease}) hides vmx when the BIOS disabled it`
              : facts.probes['kernel.log.virt']?.status === 'ok'
                ? 'firmware switch not readable, and the kernel log has no "disabled by BIOS" line'
                : undefined;
      if (enabledBy) return pass(`${seen}; ${enabledBy}`, probes);
      return {
        status: 'warn',
        observed: `${seen}; whether the BIOS enabled it is not known: this kernel${facts.os.kernelRelease ? ` (${facts.os.kernelRelease})` : ''} shows the flag either way, and neither the firmware switch nor the kernel log was readable (${whyMissing(facts, ['cpu.msr', 'kernel.log.virt'])})`,
        expected: EXPECTED,
        message: `The CPU supports hardware virtualization, but preflight could not confirm it is enabled in the BIOS: run preflight as root (it then reads the firmware switch and the kernel log), or check ${biosOption(vendor)} in the BIOS setup: if it is off, enable it, ${POWER_CYCLE}.`,
        probes,
      };
    }

    if (flag === null) {
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
      const model = facts.cpu.modelName ? `; ${facts.cpu.modelName.trim()}` : '';
      const observed = `CPU flags read (${facts.cpu.flags.length} flags): neither vmx nor svm${model}`;
      // Linux 5.6 and later drop the vmx flag (newer kernels also svm) when the firmware disabled
      // the feature, and only the kernel log says so. Without that log, a missing flag on such a
      // kernel cannot tell "not supported" from "disabled in the BIOS".
      const hidesFlag = kernelHidesDisabledFlag(facts.os.kernelRelease);
      const logRead = facts.probes['kernel.log.virt']?.status === 'ok';
      if (hidesFlag !== false && !logRead) {
        return {
          status: 'fail',
          observed: `${observed}; the kernel log, which says when the BIOS disabled it, could not be read (${whyMissing(facts, ['kernel.log.virt'])})`,
          expected: EXPECTED,
          message: `Hardware virtualization is not available: either the CPU does not support it, or it is disabled in the BIOS (this kernel${facts.os.kernelRelease ? `, ${facts.os.kernelRelease},` : ''} hides the flag then). Look in the BIOS setup for ${biosOption(vendor)}: if it is there, enable it, ${POWER_CYCLE}; if not, the CPU does not support it: use a server with a VT-x capable Intel processor. Running preflight as root lets it read the kernel log and tell the two apart.`,
          probes: ['proc.cpuinfo', 'lscpu', 'kernel.log.virt'],
        };
      }
      const why = hidesFlag === false ? `this kernel (${facts.os.kernelRelease}) shows the flag even when the BIOS disables it` : 'the kernel log has no "disabled by BIOS" line';
      return {
        status: 'fail',
        observed: `${observed}; ${why}`,
        expected: EXPECTED,
        message: 'The CPU does not support hardware virtualization (no vmx/svm flag), so XenServer cannot run Windows guests: use a server with a VT-x capable Intel processor.',
        probes: ['proc.cpuinfo', 'lscpu', 'kernel.log.virt'],
      };
    }

    return error(
      'not known (CPU flags unreadable)',
      `Cannot tell whether hardware virtualization is available: the CPU flags could not be read (${whyMissing(facts, ['proc.cpuinfo', 'lscpu'])}). Run "grep -E -w 'vmx|svm' /proc/cpuinfo" by hand.`,
    );
  },
};

/** vmx/svm from a flag list; null when flags were read and neither is there, undefined when none were read. */
function cpuVirtFlag(flags: readonly string[]): 'vmx' | 'svm' | null | undefined {
  if (flags.includes('vmx')) return 'vmx';
  if (flags.includes('svm')) return 'svm';
  return flags.length > 0 ? null : undefined;
}

/**
 * Whether the running kernel removes vmx/svm from /proc/cpuinfo when the firmware disabled the
 * feature (Linux 5.6, arch/x86/kernel/cpu/feat_ctl.c); undefined when the release is not known.
 */
function kernelHidesDisabledFlag(release: string | undefined): boolean | undefined {
  const m = release ? /^(\d+)\.(\d+)/.exec(release) : null;
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 5 || (major === 5 && minor >= 6);
}

function pass(observed: string, probes: string[]): Outcome {
  return { status: 'pass', observed, expected: EXPECTED, message: 'Hardware virtualization is supported and enabled.', probes };
}

function error(observed: string, message: string): Outcome {
  return { status: 'error', observed, expected: EXPECTED, message };
}

