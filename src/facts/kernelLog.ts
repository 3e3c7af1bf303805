import { parsed, type ParseResult } from './parseResult.js';
import { splitLines } from './textLines.js';

/** What the kernel log says about hardware virtualization. */
export interface KernelVirtLog {
  /** The first line saying the firmware disabled VT-x/AMD-V, without its timestamp. */
  disabledByBios?: string;
}

/**
 * Kernel messages that mean "the CPU has it, the firmware switched it off". Since Linux 5.6 the
 * kernel clears the vmx flag itself when the BIOS disabled VMX, so these lines are the only trace.
 * Wording by source (arch/x86/...):
 *  - kernel/cpu/feat_ctl.c (5.6+): "x86/cpu: VMX (outside TXT) disabled by BIOS" (or "inside TXT")
 *  - kernel/cpu/amd.c, hygon.c (6.x): "SVM disabled (by BIOS) in MSR_VM_CR"
 *  - kvm/vmx/vmx.c (6.3+): "kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0";
 *    earlier 6.x: "VMX is disabled on CPU 0"; later: "VMX not fully enabled on CPU 0.  Check kernel logs and/or BIOS"
 *  - kvm/svm/svm.c (6.3+): "kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 0"
 *  - kvm before 6.3 (both vendors): "kvm: disabled by bios"
 * "kvm: no hardware support" / "SVM not supported" are left out: they also mean the CPU lacks it;
 * so is "SGX disabled by BIOS", which the probe's filter also catches.
 */
const DISABLED_BY_FIRMWARE: readonly RegExp[] = [
  /\bkvm\S*:\s*disabled by bios\b/i,
  /\bVMX \((?:outside|inside) TXT\) disabled by BIOS/i,
  /\bSVM disabled \(by BIOS\)/i,
  /\bVMX not enabled \(by BIOS\)/i,
  /\bVMX is disabled on CPU\b/i,
  /\bVMX not fully enabled on CPU\b.*\bBIOS\b/i,
];

/** dmesg's "[    2.345678] " and, from `dmesg -T`, "[Mon Nov 25 10:00:00 2024] ". */
const TIMESTAMP = /^\s*\[\s*(?:\d+(?:\.\d+)?|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4})\]\s*/;

/** Parses the `kernel.log.virt` probe (dmesg lines already filtered for kvm/vmx/svm/virtualization). */
export function parseKernelVirtLog(text: string): ParseResult<KernelVirtLog> {
  const value: KernelVirtLog = {};
  for (const raw of splitLines(text)) {
    const line = raw.replace(TIMESTAMP, '').trim();
    if (line === '') continue;
    if (DISABLED_BY_FIRMWARE.some((re) => re.test(line))) {
      value.disabledByBios = line;
      break;
    }
  }
  return parsed(value);
}
