import { parsed, type ParseResult } from './parseResult.js';

/** What the firmware did with the hardware-virtualization switch. */
export type FirmwareVirtualization = 'enabled' | 'disabled' | 'unlocked';

/** The two model-specific registers the `cpu.msr` probe reads from /dev/cpu/0/msr. */
export interface MsrValues {
  /** IA32_FEATURE_CONTROL (0x3a, Intel), as read. */
  featureControl?: bigint;
  /** VM_CR (0xc0010114, AMD), as read. */
  vmCr?: bigint;
}

/**
 * Parses the `cpu.msr` probe: "feature_control= 0000000000000005" and "vm_cr= ..." (od -tx8 prints
 * one 64-bit word in hex). A register the CPU does not have reads as nothing ("feature_control="),
 * which is normal: Intel CPUs have no VM_CR, AMD CPUs no IA32_FEATURE_CONTROL. The values are
 * searched anywhere in the text, because when od prints nothing the next label follows on the same line.
 */
export function parseMsr(text: string): ParseResult<MsrValues> {
  const value: MsrValues = {};
  const fc = /feature_control=[ \t]*([0-9a-fA-F]{1,16})\b/.exec(text);
  if (fc) value.featureControl = BigInt(`0x${fc[1]}`);
  const vm = /vm_cr=[ \t]*([0-9a-fA-F]{1,16})\b/.exec(text);
  if (vm) value.vmCr = BigInt(`0x${vm[1]}`);
  const problems = text.trim() !== '' && !/feature_control=|vm_cr=/.test(text) ? ['no "feature_control=" or "vm_cr=" in the output'] : [];
  return parsed(value, problems);
}

const FEATURE_CONTROL_LOCK = 1n << 0n;
const FEATURE_CONTROL_VMX_OUTSIDE_SMX = 1n << 2n;
const VM_CR_SVMDIS = 1n << 4n;

/**
 * Intel IA32_FEATURE_CONTROL: once the firmware sets the lock bit (0) the register cannot change
 * until power-off, so locked without bit 2 (VMX outside SMX) means "disabled in the BIOS". Left
 * unlocked, the OS or hypervisor may enable VMX itself at boot.
 */
export function intelFirmwareState(featureControl: bigint): FirmwareVirtualization {
  if ((featureControl & FEATURE_CONTROL_LOCK) === 0n) return 'unlocked';
  return (featureControl & FEATURE_CONTROL_VMX_OUTSIDE_SMX) !== 0n ? 'enabled' : 'disabled';
}

/** AMD VM_CR bit 4 (SVMDIS) set by the firmware means SVM cannot be turned on. */
export function amdFirmwareState(vmCr: bigint): FirmwareVirtualization {
  return (vmCr & VM_CR_SVMDIS) !== 0n ? 'disabled' : 'enabled';
}

/**
 * The firmware state for this CPU's vendor. Each register means something only on its own vendor's
 * CPUs, so with an unknown vendor nothing is concluded.
 */
export function firmwareVirtualization(msr: MsrValues, vendor: string | undefined): FirmwareVirtualization | undefined {
  if (vendor === 'GenuineIntel') return msr.featureControl === undefined ? undefined : intelFirmwareState(msr.featureControl);
  if (vendor === 'AuthenticAMD' || vendor === 'HygonGenuine') return msr.vmCr === undefined ? undefined : amdFirmwareState(msr.vmCr);
  return undefined;
}
