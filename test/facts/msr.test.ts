import { describe, expect, it } from 'vitest';
import { amdFirmwareState, firmwareVirtualization, intelFirmwareState, parseMsr } from '../../src/facts/msr.js';

// No real capture: the preflight VM has no msr driver (the probe exits 127 there). The inputs below
// are synthetic, in the probe's format: a label, then od -An -tx8 output or nothing.

describe('parseMsr', () => {
  it('(synthetic) Intel: IA32_FEATURE_CONTROL read, VM_CR absent (od failed, echo printed a newline)', () => {
    const { value, problems } = parseMsr('feature_control= 0000000000000005\nvm_cr=\n');
    expect(problems).toEqual([]);
    expect(value).toEqual({ featureControl: 5n });
  });

  it('(synthetic) AMD: no IA32_FEATURE_CONTROL, VM_CR with SVMDIS set', () => {
    expect(parseMsr('feature_control=\nvm_cr= 0000000000000010\n').value).toEqual({ vmCr: 0x10n });
  });

  it('(synthetic) od printed nothing at all: the next label follows on the same line', () => {
    expect(parseMsr('feature_control=vm_cr= 0000000000000008\n').value).toEqual({ vmCr: 8n });
  });

  it('(synthetic) unrelated text is a problem; empty text is not', () => {
    expect(parseMsr('cannot read\n').problems).toEqual(['no "feature_control=" or "vm_cr=" in the output']);
    expect(parseMsr('')).toEqual({ value: {}, problems: [] });
  });
});

describe('firmware state', () => {
  it('Intel: locked with VMX = enabled, locked without = disabled by BIOS, unlocked = left to the OS', () => {
    expect(intelFirmwareState(0x5n)).toBe('enabled');
    expect(intelFirmwareState(0x1n)).toBe('disabled');
    expect(intelFirmwareState(0x0n)).toBe('unlocked');
  });

  it('AMD: SVMDIS set = disabled', () => {
    expect(amdFirmwareState(0x10n)).toBe('disabled');
    expect(amdFirmwareState(0x8n)).toBe('enabled');
  });

  it('each register counts only for its own vendor', () => {
    expect(firmwareVirtualization({ featureControl: 1n }, 'GenuineIntel')).toBe('disabled');
    expect(firmwareVirtualization({ featureControl: 1n }, 'AuthenticAMD')).toBeUndefined();
    expect(firmwareVirtualization({ vmCr: 0x10n }, 'AuthenticAMD')).toBe('disabled');
    expect(firmwareVirtualization({ vmCr: 0x10n }, undefined)).toBeUndefined();
  });
});
