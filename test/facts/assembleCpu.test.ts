import { describe, expect, it } from 'vitest';
import { assembleCpu } from '../../src/facts/assemble/cpu.js';
import { CpuFacts, VirtualizationFacts } from '../../src/facts/schema.js';
import { DMIDECODE_PROCESSOR_OPTERON, HOST_LIST, INVENTORY_55, SYS_HYPERVISOR_DOM0, XL_INFO, XM_INFO_NO_VT } from './samples.js';
import { absent, evidence, evidenceSet, fixture } from './support.js';

/** Probes that answer "no Xen here": no /sys/hypervisor, no xl/xm. */
const NO_XEN = [absent('sys.hypervisor', ''), absent('xen.info', 'xl/xm: not installed')];

function assemble(...items: Parameters<typeof evidenceSet>) {
  const result = assembleCpu(evidenceSet(...items));
  // Whatever the evidence, the facts validate against the published schema.
  CpuFacts.parse(result.cpu);
  VirtualizationFacts.parse(result.virtualization);
  return result;
}

describe('assembleCpu: bare metal', () => {
  it('Dell R710 (cpuinfo + old-format lscpu): identity, 2 x 4 cores, rated 2.53 GHz, vmx, not a Dom0', () => {
    const { cpu, virtualization, problems } = assemble(
      evidence('proc.cpuinfo', fixture('cpuinfo/ul-dell-r710-2socket-e5540-vmx.txt')),
      evidence('lscpu', fixture('lscpu/lscpu-dell-r710-2socket-old-format.txt')),
      evidence('dev.kvm', 'absent\n'),
      ...NO_XEN,
    );
    expect(problems).toEqual([]);
    expect(cpu).toMatchObject({
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
      hypervisorGuest: false,
    });
    expect(cpu.flags).toContain('vmx');
    expect(virtualization).toEqual({ cpuFlag: 'vmx', xenDom0: false, kvmDevice: false });
  });

  it('four AMD Opteron 8354: svm; no speed in the name and no other source, so no rated speed', () => {
    const { cpu, virtualization } = assemble(evidence('proc.cpuinfo', fixture('cpuinfo/ul-hp-dl585-4socket-amd-opteron-8354-svm.txt')), absent('lscpu'), ...NO_XEN);
    expect(virtualization.cpuFlag).toBe('svm');
    expect(cpu).toMatchObject({ vendor: 'AuthenticAMD', sockets: 4, coresPerSocket: 4, physicalCores: 16, logicalCpus: 16 });
    expect(cpu.nominalMhz).toBeUndefined();
    expect(cpu.currentMhz).toBe(2210.188);
  });

  it('Opteron 6328: rated speed from SMBIOS Current Speed (not the board\'s Max Speed), maximum from lscpu', () => {
    const { cpu } = assemble(
      evidence('proc.cpuinfo', fixture('cpuinfo/ul-2socket-amd-opteron-6328-svm.txt')),
      evidence('lscpu', fixture('lscpu/lscpu-amd-opteron-6328.txt')),
      evidence('dmidecode.processor', DMIDECODE_PROCESSOR_OPTERON),
    );
    expect(cpu).toMatchObject({ nominalMhz: 3200, maxMhz: 3200, sockets: 2, coresPerSocket: 4, physicalCores: 8 });
  });

  it('(synthetic cpufreq) the maximum comes from cpufreq before lscpu', () => {
    const { cpu } = assemble(
      evidence('proc.cpuinfo', fixture('cpuinfo/glpi-core-i3-m350-laptop-vmx.txt')),
      evidence('lscpu', fixture('lscpu/lscpu-dell-e4310-i5-m560.txt')),
      evidence('sys.cpufreq', '/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq:2267000\n'),
    );
    expect(cpu.maxMhz).toBe(2267);
    expect(cpu.nominalMhz).toBe(2270);
  });

  it('a cpuinfo without a flags line falls back to lscpu flags; with neither, flags are empty and cpuFlag unknown', () => {
    const partial = evidence('proc.cpuinfo', fixture('cpuinfo/glpi-amd-opteron-2376-partial.txt'));
    const withLscpu = assemble(partial, evidence('lscpu', fixture('lscpu/lscpu-amd-opteron-6328.txt')));
    expect(withLscpu.cpu.flags).toContain('svm');
    expect(withLscpu.cpu.vendor).toBe('AuthenticAMD');
    expect(withLscpu.virtualization.cpuFlag).toBe('svm');
    const alone = assemble(partial, absent('lscpu'));
    expect(alone.cpu.flags).toEqual([]);
    expect(alone.virtualization.cpuFlag).toBeUndefined();
    expect(alone.cpu.hypervisorGuest).toBeUndefined();
  });

  it('the old lscpu format without flags still tells VT-x', () => {
    const { cpu, virtualization } = assemble(evidence('lscpu', fixture('lscpu/lscpu-dell-r710-2socket-old-format.txt')), absent('proc.cpuinfo'));
    expect(cpu.flags).toEqual([]);
    expect(virtualization.cpuFlag).toBe('vmx');
    expect(cpu).toMatchObject({ logicalCpus: 16, sockets: 2, coresPerSocket: 4, physicalCores: 8, currentMhz: 2527.073 });
  });

  it('a CPU without VT-x (Atom N270): flags read without vmx/svm give cpuFlag null', () => {
    const { virtualization } = assemble(evidence('proc.cpuinfo', fixture('cpuinfo/glpi-atom-n270-novmx.txt')), ...NO_XEN);
    expect(virtualization.cpuFlag).toBeNull();
  });
});

describe('assembleCpu: VT-x disabled in the BIOS', () => {
  it('(synthetic kernel log and MSR) "kvm: disabled by bios" with IA32_FEATURE_CONTROL locked without VMX', () => {
    const { virtualization } = assemble(
      evidence('proc.cpuinfo', fixture('cpuinfo/ul-dell-r710-2socket-e5540-vmx.txt')),
      evidence('kernel.log.virt', '[    0.000000] Hypervisor detected: none\n[    3.118024] kvm: disabled by bios\n'),
      evidence('cpu.msr', 'feature_control= 0000000000000001\nvm_cr=\n'),
      evidence('dev.kvm', 'absent\n'),
      ...NO_XEN,
    );
    expect(virtualization).toEqual({ cpuFlag: 'vmx', xenDom0: false, firmware: 'disabled', kernelDisabledByBios: 'kvm: disabled by bios', kvmDevice: false });
  });

  it('(synthetic MSR) locked with VMX on reads as enabled; an unreadable MSR (exit 127) gives nothing', () => {
    const cpuinfo = evidence('proc.cpuinfo', fixture('cpuinfo/glpi-rhel56-2socket-xeon-e5620-vmx.txt'));
    expect(assemble(cpuinfo, evidence('cpu.msr', 'feature_control= 0000000000000005\nvm_cr=\n')).virtualization.firmware).toBe('enabled');
    const noMsr = assemble(cpuinfo, absent('cpu.msr', '/dev/cpu/0/msr: not available (msr driver not loaded)'));
    expect(noMsr.virtualization.firmware).toBeUndefined();
    expect(noMsr.problems).toEqual([]);
  });
});

describe('assembleCpu: virtual machines', () => {
  it('the preflight VM (KVM guest, AMD EPYC): a guest whose vCPU lacks svm; /dev/kvm exists', () => {
    const { cpu, virtualization } = assemble(
      evidence('proc.cpuinfo', fixture('cpuinfo/preflight-vm-amd-epyc-2cpu-kvm-guest.txt')),
      evidence('lscpu', fixture('lscpu/preflight-vm-amd-epyc-kvm-guest.txt')),
      evidence('dev.kvm', 'crw------- 1 root root 10, 232 Nov 20 22:03 /dev/kvm\n'),
      evidence('kernel.log.virt', fixture('kernel_log/preflight-vm-dmesg-virt.txt')),
      absent('cpu.msr', '/dev/cpu/0/msr: not available (msr driver not loaded)'),
      ...NO_XEN,
    );
    expect(cpu).toMatchObject({ vendor: 'AuthenticAMD', modelName: 'AMD EPYC', hypervisorGuest: true, hypervisorVendor: 'KVM', logicalCpus: 2, sockets: 1, coresPerSocket: 2, physicalCores: 2 });
    expect(virtualization).toEqual({ cpuFlag: null, xenDom0: false, kvmDevice: true });
  });

  it('(synthetic MSR) in a VM the MSR is the hypervisor\'s emulation: no firmware verdict', () => {
    const { virtualization } = assemble(
      evidence('proc.cpuinfo', fixture('cpuinfo/glpi-vmware-guest-2vcpu-hypervisor-novmx.txt')),
      evidence('cpu.msr', 'feature_control= 0000000000000001\nvm_cr=\n'),
    );
    expect(virtualization.firmware).toBeUndefined();
    expect(virtualization.cpuFlag).toBeNull();
  });

  it('(synthetic) an HVM Xen guest (lscpu: Xen, full) with /sys/hypervisor caps is not a Dom0', () => {
    const { cpu, virtualization } = assemble(
      evidence('proc.cpuinfo', fixture('cpuinfo/jc-vm-guest-i5-8279u-2cpu-hypervisor.txt')),
      evidence('lscpu', 'Hypervisor vendor:     Xen\nVirtualization type:   full\n'),
      evidence('sys.hypervisor', SYS_HYPERVISOR_DOM0),
      absent('xen.info'),
    );
    expect(virtualization.xenDom0).toBe(false);
    expect(virtualization.xenHvm).toBeUndefined();
    expect(virtualization.xenCaps).toBeUndefined();
    expect(cpu.hypervisorVendor).toBe('Xen');
  });
});

describe('assembleCpu: Xen Dom0, where /proc/cpuinfo hides vmx', () => {
  // A XenServer Dom0 sees its own 4 vCPUs with vmx masked: derived from the real E5620 capture
  // (first 4 CPUs, vmx removed, "hypervisor" added); the xl info and sysfs text are synthetic.
  const dom0Cpuinfo = fixture('cpuinfo/glpi-rhel56-2socket-xeon-e5620-vmx.txt')
    .split(/\n\n/)
    .slice(0, 4)
    .join('\n\n')
    .replace(/ vmx\b/g, '')
    .replace(/^(flags\s*:.*)$/gm, '$1 hypervisor');

  it('flags without vmx but xen_caps hvm: xenDom0 true, xenHvm true; the machine\'s topology from xl info', () => {
    const { cpu, virtualization, problems } = assemble(
      evidence('proc.cpuinfo', dom0Cpuinfo),
      evidence('sys.hypervisor', SYS_HYPERVISOR_DOM0),
      evidence('xen.info', XL_INFO),
      // Xen shows a PV Dom0 IA32_FEATURE_CONTROL locked without VMX: not the firmware's switch.
      evidence('cpu.msr', 'feature_control= 0000000000000001\nvm_cr=\n'),
      absent('lscpu'),
    );
    expect(problems).toEqual([]);
    expect(cpu.flags).not.toContain('vmx');
    expect(virtualization).toEqual({
      cpuFlag: null,
      xenDom0: true,
      xenHvm: true,
      xenCaps: 'xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64',
    });
    expect(cpu).toMatchObject({ logicalCpus: 16, sockets: 2, coresPerSocket: 4, physicalCores: 8, nominalMhz: 2400, hypervisorGuest: true, hypervisorVendor: 'Xen' });
  });

  it('/sys/hypervisor alone (no xl/xm) is enough to see the Dom0 and its hvm capabilities', () => {
    const { cpu, virtualization } = assemble(evidence('proc.cpuinfo', dom0Cpuinfo), evidence('sys.hypervisor', SYS_HYPERVISOR_DOM0), absent('xen.info'));
    expect(virtualization).toMatchObject({ xenDom0: true, xenHvm: true, cpuFlag: null });
    // Dom0's own "physical id"/"cpu cores" say nothing about the machine: left unknown; the
    // logical count is Dom0's.
    expect(cpu.sockets).toBeUndefined();
    expect(cpu.physicalCores).toBeUndefined();
    expect(cpu.logicalCpus).toBe(4);
  });

  it('(synthetic xm info) Xen without hvm capabilities: xenHvm false', () => {
    const { cpu, virtualization } = assemble(evidence('proc.cpuinfo', dom0Cpuinfo), evidence('xen.info', XM_INFO_NO_VT), absent('sys.hypervisor', ''));
    expect(virtualization).toMatchObject({ xenDom0: true, xenHvm: false, xenCaps: 'xen-3.0-x86_64 xen-3.0-x86_32p' });
    expect(cpu).toMatchObject({ logicalCpus: 2, sockets: 1, coresPerSocket: 2, physicalCores: 2 });
  });

  it('(synthetic) a XenServer host seen through its inventory and xe only: hvm from the host capabilities, counts from cpu_info', () => {
    const { cpu, virtualization } = assemble(
      evidence('proc.cpuinfo', dom0Cpuinfo),
      evidence('xen.inventory', INVENTORY_55),
      evidence('xe.host-list', HOST_LIST),
      absent('xen.info'),
      evidence('sys.hypervisor', ''),
    );
    expect(virtualization).toMatchObject({ xenDom0: true, xenHvm: true });
    expect(virtualization.xenCaps).toMatch(/hvm-3\.0-x86_64/);
    // xe's cpu_count is the machine's, not Dom0's 4 vCPUs.
    expect(cpu.logicalCpus).toBe(16);
  });
});

describe('assembleCpu: absent and failed probes give absent facts', () => {
  it('exit code 127 (tool absent) is never parsed, whatever its stdout holds', () => {
    const { cpu, virtualization, problems } = assemble(
      evidence('proc.cpuinfo', fixture('cpuinfo/ul-dell-r710-2socket-e5540-vmx.txt'), { exitCode: 127 }),
      evidence('lscpu', fixture('lscpu/lscpu-4socket-xeon-x7550.txt'), { exitCode: 127 }),
      evidence('xen.info', XL_INFO, { exitCode: 127 }),
      absent('sys.hypervisor', ''),
    );
    expect(cpu).toEqual({ flags: [] });
    expect(virtualization).toEqual({ xenDom0: false });
    expect(problems).toEqual([]);
  });

  it('no evidence at all: nothing known, Dom0 undecided', () => {
    expect(assemble()).toEqual({ cpu: { flags: [] }, virtualization: {}, problems: [] });
  });

  it('a failed run (exit 1) or a transport error is not evidence either', () => {
    const { cpu, virtualization } = assemble(
      evidence('proc.cpuinfo', 'processor : 0\nflags : fpu\n', { exitCode: 1 }),
      evidence('dev.kvm', 'crw------- 1 root root 10, 232 Nov 20 22:03 /dev/kvm\n', { exitCode: null, error: 'timed out' }),
    );
    expect(cpu.flags).toEqual([]);
    expect(virtualization.kvmDevice).toBeUndefined();
  });

  it('a truncated capture is read and reported', () => {
    const text = fixture('cpuinfo/ul-4socket-xeon-x7550-64cpu-vmx.txt');
    const { cpu, problems } = assemble(evidence('proc.cpuinfo', text.slice(0, 2000), { truncated: true }));
    expect(cpu.vendor).toBe('GenuineIntel');
    expect(problems).toContainEqual({ probe: 'proc.cpuinfo', message: 'output was cut at the size limit: what follows the cut is missing' });
  });
});

describe('assembleCpu: Xen capabilities from several sources', () => {
  it('(synthetic) /sys/hypervisor and the xe host record name the same capabilities once', () => {
    const { virtualization } = assemble(evidence('sys.hypervisor', SYS_HYPERVISOR_DOM0), evidence('xen.inventory', INVENTORY_55), evidence('xe.host-list', HOST_LIST), absent('xen.info'));
    expect(virtualization.xenCaps).toBe('xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64');
  });
});
