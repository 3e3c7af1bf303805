import { describe, expect, it } from 'vitest';
import { parseCpufreq } from '../../src/facts/cpufreq.js';

// The preflight VM has no cpufreq driver (the probe prints nothing there). Synthetic `grep -s -H .`
// lines as an intel_pstate laptop prints them.
describe('parseCpufreq', () => {
  it('(synthetic) kHz values become MHz: maximum and base frequency', () => {
    const text = '/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq:2667000\n/sys/devices/system/cpu/cpu0/cpufreq/base_frequency:2400000\n';
    expect(parseCpufreq(text)).toEqual({ value: { maxMhz: 2667, baseMhz: 2400 }, problems: [] });
  });

  it('empty output (no cpufreq driver: VMs, Xen Dom0) is normal', () => {
    expect(parseCpufreq('')).toEqual({ value: {}, problems: [] });
  });

  it('(synthetic) a non-numeric value is a problem', () => {
    expect(parseCpufreq('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq:<unsupported>\n').problems).toHaveLength(1);
  });
});
