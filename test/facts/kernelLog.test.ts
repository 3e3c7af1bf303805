import { describe, expect, it } from 'vitest';
import { parseKernelVirtLog } from '../../src/facts/kernelLog.js';
import { fixture } from './support.js';

describe('parseKernelVirtLog', () => {
  it('the preflight VM (a KVM guest): kvm lines, none saying the firmware disabled it', () => {
    expect(parseKernelVirtLog(fixture('kernel_log/preflight-vm-dmesg-virt.txt'))).toEqual({ value: {}, problems: [] });
  });

  // Synthetic lines in each wording the kernel uses (see the sources listed in kernelLog.ts).
  it.each([
    ['[    2.345678] kvm: disabled by bios', 'kvm: disabled by bios'],
    ['[    0.123456] x86/cpu: VMX (outside TXT) disabled by BIOS', 'x86/cpu: VMX (outside TXT) disabled by BIOS'],
    ['[    1.000000] kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0', 'kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 0'],
    ['[    1.000000] kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 0', 'kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 0'],
    ['[Mon Nov 25 10:00:00 2024] kvm: disabled by bios', 'kvm: disabled by bios'],
  ])('(synthetic) %s', (line, found) => {
    expect(parseKernelVirtLog(`[    0.000000] Hypervisor detected: KVM\n${line}\n`).value.disabledByBios).toBe(found);
  });

  it('(synthetic) "SGX disabled by BIOS" and "no hardware support" are not VT-x switched off', () => {
    expect(parseKernelVirtLog('[    0.1] x86/cpu: SGX disabled by BIOS.\n[    2.0] kvm: no hardware support\n').value).toEqual({});
  });
});
