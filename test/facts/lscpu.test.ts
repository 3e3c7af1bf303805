import { describe, expect, it } from 'vitest';
import { parseLscpu } from '../../src/facts/lscpu.js';
import { fixture } from './support.js';

const read = (name: string) => parseLscpu(fixture(`lscpu/${name}`));

describe('parseLscpu on real captures', () => {
  it('four Xeon X7550 (current util-linux layout): topology, VT-x, max MHz, flags', () => {
    const { value, problems } = read('lscpu-4socket-xeon-x7550.txt');
    expect(problems).toEqual([]);
    expect(value).toMatchObject({
      cpus: 64,
      threadsPerCore: 2,
      coresPerSocket: 8,
      sockets: 4,
      vendorId: 'GenuineIntel',
      family: 6,
      model: 46,
      stepping: 6,
      cpuMaxMhz: 1996,
      virtualization: 'VT-x',
    });
    expect(value.modelName).toMatch(/X7550\s+@ 2\.00GHz$/);
    expect(value.flags).toContain('vmx');
    expect(value.fields['NUMA node(s)']).toBe('3');
  });

  it('two AMD EPYC 7451: AMD-V, 96 CPUs, 24 cores per socket', () => {
    const { value } = read('lscpu-amd-epyc-7451-2socket-numa8.txt');
    expect(value).toMatchObject({ cpus: 96, sockets: 2, coresPerSocket: 24, threadsPerCore: 2, vendorId: 'AuthenticAMD', family: 23, virtualization: 'AMD-V', cpuMaxMhz: 2300 });
    expect(value.flags).toContain('svm');
  });

  it('two AMD Opteron 6328', () => {
    const { value } = read('lscpu-amd-opteron-6328.txt');
    expect(value).toMatchObject({ cpus: 16, sockets: 2, coresPerSocket: 4, family: 21, model: 2, stepping: 0, virtualization: 'AMD-V', cpuMaxMhz: 3200 });
  });

  it('a Core i5 M560 laptop', () => {
    const { value } = read('lscpu-dell-e4310-i5-m560.txt');
    expect(value).toMatchObject({ cpus: 4, sockets: 1, coresPerSocket: 2, model: 37, virtualization: 'VT-x', cpuMaxMhz: 2667 });
  });

  it('the old flat format of a Dell R710: CPU MHz, no model name, no flags', () => {
    const { value, problems } = read('lscpu-dell-r710-2socket-old-format.txt');
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ cpus: 16, sockets: 2, coresPerSocket: 4, threadsPerCore: 2, family: 6, model: 26, stepping: 5, cpuMhz: 2527.073, virtualization: 'VT-x' });
    expect(value.modelName).toBeUndefined();
    expect(value.flags).toBeUndefined();
  });

  it('a VirtualBox guest: hypervisor vendor Oracle, full virtualization, no VT-x line', () => {
    const { value } = read('lscpu-virtualbox-guest.txt');
    expect(value).toMatchObject({ hypervisorVendor: 'Oracle', virtualizationType: 'full', cpus: 2 });
    expect(value.virtualization).toBeUndefined();
    expect(value.flags).not.toContain('vmx');
  });

  it('a KVM guest in the classic format (insights-core)', () => {
    const { value } = read('insights-lscpu-kvm-guest-classic-format.txt');
    expect(value).toMatchObject({ architecture: 'x86_64', cpus: 2, threadsPerCore: 2, sockets: 1, hypervisorVendor: 'KVM', virtualizationType: 'full', cpuMhz: 2793.53 });
    expect(value.modelName).toBe('Intel Core Processor (Haswell, no TSX)');
  });

  it('the preflight VM: KVM guest on AMD EPYC, no svm offered', () => {
    const { value } = read('preflight-vm-amd-epyc-kvm-guest.txt');
    expect(value).toMatchObject({ architecture: 'x86_64', cpus: 2, sockets: 1, coresPerSocket: 2, vendorId: 'AuthenticAMD', hypervisorVendor: 'KVM' });
    expect(value.flags).not.toContain('svm');
  });
});

describe('parseLscpu on synthetic edge cases', () => {
  it('(synthetic) "-" for an unknown socket count is left out', () => {
    const { value } = parseLscpu('CPU(s):  4\nSocket(s):  -\nCore(s) per socket:  2\n');
    expect(value.sockets).toBeUndefined();
    expect(value.coresPerSocket).toBe(2);
  });

  it('(synthetic) a Xen Dom0 summary: vendor Xen, type para', () => {
    const { value } = parseLscpu('Hypervisor vendor:     Xen\nVirtualization type:   para\n');
    expect(value).toMatchObject({ hypervisorVendor: 'Xen', virtualizationType: 'para' });
  });

  it('(synthetic) empty output is a problem, not an exception', () => {
    expect(parseLscpu('').problems).toEqual(['lscpu printed no "Key: value" lines']);
  });
});
