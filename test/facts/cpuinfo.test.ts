import { describe, expect, it } from 'vitest';
import { parseCpuinfo } from '../../src/facts/cpuinfo.js';
import { nominalMhzFromModelName } from '../../src/facts/cpuSpeed.js';
import { fixture } from './support.js';

const read = (name: string) => parseCpuinfo(fixture(`cpuinfo/${name}`));

describe('parseCpuinfo on real captures', () => {
  it('Dell R710, two Xeon E5540 with hyper-threading: identity, rated speed, vmx, 2 x 4 cores', () => {
    const { value, problems } = read('ul-dell-r710-2socket-e5540-vmx.txt');
    expect(problems).toEqual([]);
    expect(value).toMatchObject({
      vendor: 'GenuineIntel',
      family: 6,
      model: 26,
      stepping: 5,
      logicalCpus: 16,
      sockets: 2,
      coresPerSocket: 4,
      physicalCores: 8,
      nominalMhz: 2530,
      currentMhz: 2527.073,
    });
    expect(value.modelName).toMatch(/Xeon\(R\) CPU\s+E5540\s+@ 2\.53GHz/);
    expect(value.flags).toContain('vmx');
    expect(value.flags).toContain('lm');
    expect(value.flags).not.toContain('hypervisor');
  });

  it('RHEL 5.6 on two Xeon E5620: 16 logical CPUs, 8 cores, 2.40 GHz', () => {
    const { value } = read('glpi-rhel56-2socket-xeon-e5620-vmx.txt');
    expect(value).toMatchObject({ family: 6, model: 44, stepping: 2, logicalCpus: 16, sockets: 2, physicalCores: 8, nominalMhz: 2400 });
    expect(value.flags).toContain('vmx');
  });

  it('four Xeon X7550: 64 logical CPUs, 32 cores; the current clock (1064) is throttled below the rated 2000', () => {
    const { value } = read('ul-4socket-xeon-x7550-64cpu-vmx.txt');
    expect(value).toMatchObject({ logicalCpus: 64, sockets: 4, coresPerSocket: 8, physicalCores: 32, nominalMhz: 2000, currentMhz: 1064 });
  });

  it('four AMD Opteron 8354: svm, no speed in the model name', () => {
    const { value } = read('ul-hp-dl585-4socket-amd-opteron-8354-svm.txt');
    expect(value).toMatchObject({ vendor: 'AuthenticAMD', family: 16, model: 2, stepping: 3, logicalCpus: 16, sockets: 4, physicalCores: 16 });
    expect(value.flags).toContain('svm');
    expect(value.flags).not.toContain('vmx');
    expect(value.nominalMhz).toBeUndefined();
  });

  it('two AMD Opteron 6328: svm, 2 sockets of 4 cores', () => {
    const { value } = read('ul-2socket-amd-opteron-6328-svm.txt');
    expect(value).toMatchObject({ vendor: 'AuthenticAMD', family: 21, model: 2, logicalCpus: 16, sockets: 2, coresPerSocket: 4 });
    expect(value.flags).toContain('svm');
  });

  it('a NetBurst Xeon "CPU 3.80GHz" without "@": rated 3800 MHz, no vmx, model name trimmed', () => {
    const { value } = read('ul-xeon-netburst-3.8ghz-no-vmx.txt');
    expect(value).toMatchObject({ family: 15, model: 4, nominalMhz: 3800, modelName: 'Intel(R) Xeon(TM) CPU 3.80GHz' });
    expect(value.flags).not.toContain('vmx');
    expect(value.flags).toContain('lm');
  });

  it('an Atom N270 netbook: 2 hyper-threads of 1 core, neither vmx nor svm', () => {
    const { value } = read('glpi-atom-n270-novmx.txt');
    expect(value).toMatchObject({ logicalCpus: 2, sockets: 1, physicalCores: 1, nominalMhz: 1600, currentMhz: 800 });
    expect(value.flags).not.toContain('vmx');
    expect(value.flags).not.toContain('svm');
    expect(value.flags).not.toContain('lm');
  });

  it('a Core i3 laptop: 4 logical CPUs on 2 cores, vmx', () => {
    const { value } = read('glpi-core-i3-m350-laptop-vmx.txt');
    expect(value).toMatchObject({ logicalCpus: 4, sockets: 1, coresPerSocket: 2, physicalCores: 2, nominalMhz: 2270 });
    expect(value.flags).toContain('vmx');
  });

  it('an Oracle Database Appliance (cores restricted to 4 per socket)', () => {
    const { value } = read('glpi-oda-2socket-xeon-e5-2699v3-vmx.txt');
    expect(value).toMatchObject({ model: 63, logicalCpus: 16, sockets: 2, coresPerSocket: 4, physicalCores: 8, nominalMhz: 2300 });
  });

  it('VMware guests: the hypervisor flag, no vmx; without "physical id" the sockets are unknown', () => {
    const two = read('glpi-vmware-guest-2vcpu-hypervisor-novmx.txt').value;
    expect(two.logicalCpus).toBe(2);
    expect(two.flags).toContain('hypervisor');
    expect(two.flags).not.toContain('vmx');
    expect(two.sockets).toBeUndefined();
    expect(two.physicalCores).toBeUndefined();
    // One logical CPU is necessarily one socket with one core.
    const one = read('glpi-esx-guest-1vcpu-novmx.txt').value;
    expect(one).toMatchObject({ logicalCpus: 1, sockets: 1, coresPerSocket: 1, physicalCores: 1, nominalMhz: 2700 });
  });

  it('jc VM guests with modern kernel fields (bugs:, address sizes)', () => {
    const one = read('jc-vm-guest-i5-7360u-1cpu-hypervisor.txt');
    expect(one.problems).toEqual([]);
    expect(one.value).toMatchObject({ logicalCpus: 1, model: 142, stepping: 9, nominalMhz: 2300 });
    const two = read('jc-vm-guest-i5-8279u-2cpu-hypervisor.txt').value;
    expect(two).toMatchObject({ logicalCpus: 2, sockets: 2, coresPerSocket: 1, physicalCores: 2 });
    expect(two.flags).toContain('hypervisor');
  });

  it('a partial capture without a flags line: flags unknown (undefined), identity still read', () => {
    const { value, problems } = read('glpi-amd-opteron-2376-partial.txt');
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ vendor: 'AuthenticAMD', family: 16, model: 4, stepping: 2, logicalCpus: 1, currentMhz: 2300.092 });
    expect(value.flags).toBeUndefined();
  });

  it('the preflight VM (KVM guest on AMD EPYC): hypervisor flag, neither svm nor vmx', () => {
    const { value } = read('preflight-vm-amd-epyc-2cpu-kvm-guest.txt');
    expect(value).toMatchObject({ vendor: 'AuthenticAMD', modelName: 'AMD EPYC', family: 25, model: 17, stepping: 1, logicalCpus: 2 });
    expect(value.flags).toContain('hypervisor');
    expect(value.flags).not.toContain('svm');
    expect(value.nominalMhz).toBeUndefined();
  });
});

describe('parseCpuinfo on synthetic edge cases', () => {
  it('(synthetic) CRLF line ends and blocks not separated by blank lines', () => {
    const text = 'processor : 0\r\nvendor_id : GenuineIntel\r\nflags : fpu vmx lm\r\nprocessor : 1\r\nvendor_id : GenuineIntel\r\nflags : fpu vmx lm\r\n';
    const { value, problems } = parseCpuinfo(text);
    expect(problems).toEqual([]);
    expect(value.logicalCpus).toBe(2);
    expect(value.flags).toEqual(['fpu', 'vmx', 'lm']);
  });

  it('(synthetic) empty text: no CPUs and a problem, no throw', () => {
    expect(parseCpuinfo('')).toEqual({ value: { logicalCpus: 0 }, problems: ['no processor entries'] });
  });

  it('(synthetic) a line without a colon is reported and skipped', () => {
    const { value, problems } = parseCpuinfo('processor : 0\ngarbage line\nvendor_id : AuthenticAMD\n');
    expect(value.vendor).toBe('AuthenticAMD');
    expect(problems).toEqual(['line 2: no "key : value": "garbage line"']);
  });
});

describe('nominalMhzFromModelName', () => {
  it.each([
    ['Intel(R) Xeon(R) CPU           E5620  @ 2.40GHz', 2400],
    ['Intel(R) Xeon(TM) CPU 3.80GHz', 3800],
    ['Intel(R) Pentium(R) M processor @ 800MHz', 800],
    ['Quad-Core AMD Opteron(tm) Processor 8354', undefined],
    ['AMD EPYC 7451 24-Core Processor', undefined],
  ])('%s -> %s', (name, mhz) => {
    expect(nominalMhzFromModelName(name)).toBe(mhz);
  });
});
