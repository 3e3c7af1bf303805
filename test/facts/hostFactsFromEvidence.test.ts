import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/collect/evidence.js';
import { cpuCores } from '../../src/checks/cpuCores.js';
import { cpuSpeed } from '../../src/checks/cpuSpeed.js';
import { cpuVirtualization } from '../../src/checks/cpuVirtualization.js';
import { cpuX64 } from '../../src/checks/cpuX64.js';
import { memoryTotal } from '../../src/checks/memoryTotal.js';
import { storageDom0 } from '../../src/checks/storageDom0.js';
import { xenserverPool } from '../../src/checks/xenserverPool.js';
import { xenserverVersion } from '../../src/checks/xenserverVersion.js';
import { assembleCpu } from '../../src/facts/assemble/cpu.js';
import { assembleMemory } from '../../src/facts/assemble/memory.js';
import { assembleOs } from '../../src/facts/assemble/os.js';
import { assembleStorage } from '../../src/facts/assemble/storage.js';
import { assembleXenServer } from '../../src/facts/assemble/xenserver.js';
import { HostFacts } from '../../src/facts/schema.js';
import { HOST_LIST, INVENTORY_55, PIF_LIST_BOND, POOL_LIST, SYS_HYPERVISOR_DOM0, XL_INFO } from './samples.js';
import { absent, evidence, evidenceSet, fixture } from './support.js';

/**
 * Evidence -> the facts of this engineer's assemblers -> the checks that read them. The network and
 * port assemblers are left out (other modules); every result must validate as HostFacts.
 */
function factsFrom(...items: Evidence[]): HostFacts {
  const ev = evidenceSet(...items);
  const os = assembleOs(ev);
  const cpu = assembleCpu(ev);
  const memory = assembleMemory(ev);
  const storage = assembleStorage(ev);
  const xen = assembleXenServer(ev);
  const { problems: _storageProblems, ...storageFacts } = storage;
  return HostFacts.parse({
    probes: Object.fromEntries(Object.keys(ev).map((id) => [id, { status: ev[id]?.exitCode === 127 ? 'absent' : 'ok' }])),
    os: os.os,
    cpu: cpu.cpu,
    virtualization: cpu.virtualization,
    memory: memory.memory,
    ...storageFacts,
    ...(xen.xenserver ? { xenserver: xen.xenserver } : {}),
    problems: [...os.problems, ...cpu.problems, ...memory.problems, ...storage.problems, ...xen.problems],
  });
}

const ctx = (facts: HostFacts) => ({ host: 'h', role: 'master' as const, facts });

describe('facts from evidence, judged by the checks', () => {
  it('(synthetic Xen evidence) a XenServer 5.5 master on a Dell R710: Dom0 masking does not hide VT-x', () => {
    const dom0Cpuinfo = fixture('cpuinfo/ul-dell-r710-2socket-e5540-vmx.txt').split(/\n\n/).slice(0, 4).join('\n\n').replace(/ vmx\b/g, '');
    const facts = factsFrom(
      evidence('uname', 'Linux test1-master 2.6.18-128.1.6.el5.xs5.5.0.505.1024xen i686\n'),
      evidence('etc.redhat-release', 'XenServer release 5.5.0-25727p (xenenterprise)\n'),
      evidence('proc.cpuinfo', dom0Cpuinfo),
      evidence('sys.hypervisor', SYS_HYPERVISOR_DOM0),
      evidence('xen.info', XL_INFO),
      evidence('proc.meminfo', 'MemTotal:   770048 kB\n'),
      evidence('df', fixture('disk/glpi-df-PT-linux.txt')),
      evidence('xen.inventory', INVENTORY_55),
      evidence('xen.pool-conf', 'master\n'),
      evidence('xe.host-list', HOST_LIST),
      evidence('xe.pool-list', POOL_LIST),
      evidence('xe.pif-list', PIF_LIST_BOND),
    );
    expect(facts.problems).toEqual([]);
    expect(cpuVirtualization.evaluate(ctx(facts), {}).status).toBe('pass');
    expect(cpuX64.evaluate(ctx(facts), {}).status).toBe('pass');
    expect(cpuSpeed.evaluate(ctx(facts), { minimumGHz: 1.5, recommendedGHz: 2 })).toMatchObject({ status: 'pass' });
    const cores = cpuCores.evaluate(ctx(facts), { recommendedPhysicalCores: 2, maximumLogicalCpus: 32 });
    expect(cores.status).toBe('pass');
    expect(cores.observed).toBe('8 physical cores in 2 sockets, 16 logical CPUs (xe host cpu_info)');
    // Dom0's 752 MiB MemTotal is not the host's memory: the hypervisor total (24 GiB) is used.
    const memory = memoryTotal.evaluate(ctx(facts), { minimumGiB: 2, recommendedGiB: 4, firmwareReservedTolerance: 0.03, memTotalTolerance: 0.1 });
    expect(memory.status).toBe('pass');
    expect(memory.observed).toMatch(/hypervisor/);
    expect(xenserverVersion.evaluate(ctx(facts), { productVersion: '5.5.0' }).status).toBe('pass');
    expect(xenserverPool.evaluate(ctx(facts), { minimumHosts: 2 })).toMatchObject({ status: 'pass', observed: 'master of pool "everRun-pool" with 2 hosts' });
    expect(storageDom0.evaluate(ctx(facts), { minimumGB: 4 }).status).toBe('pass');
  });

  it('(synthetic kernel log) bare metal with VT-x switched off in the BIOS fails as "disabled in the BIOS"', () => {
    const facts = factsFrom(
      evidence('proc.cpuinfo', fixture('cpuinfo/ul-dell-r710-2socket-e5540-vmx.txt')),
      evidence('kernel.log.virt', '[    3.118024] kvm: disabled by bios\n'),
      absent('sys.hypervisor', ''),
      absent('xen.info'),
      absent('xen.inventory'),
    );
    const outcome = cpuVirtualization.evaluate(ctx(facts), {});
    expect(outcome.status).toBe('fail');
    expect(outcome.observed).toContain('kernel log: "kvm: disabled by bios"');
    expect(facts.xenserver).toBeUndefined();
  });

  it('the preflight VM: the virtual CPU has no svm, so virtualization fails as a VM, and the memory is estimated', () => {
    const facts = factsFrom(
      evidence('uname', fixture('os_release/preflight-vm-uname.txt')),
      evidence('etc.os-release', fixture('os_release/preflight-vm-os-release.txt')),
      evidence('proc.cpuinfo', fixture('cpuinfo/preflight-vm-amd-epyc-2cpu-kvm-guest.txt')),
      evidence('lscpu', fixture('lscpu/preflight-vm-amd-epyc-kvm-guest.txt')),
      evidence('proc.meminfo', fixture('meminfo/preflight-vm-meminfo.txt')),
      evidence('proc.iomem', fixture('iomem/preflight-vm-iomem-root.txt')),
      evidence('sys.block', fixture('disk/preflight-vm-sys-block.txt')),
      evidence('df', fixture('disk/preflight-vm-df.txt')),
      absent('sys.hypervisor', ''),
      absent('xen.info'),
      absent('xen.inventory'),
      absent('xe.host-list', 'xe: not installed'),
    );
    expect(cpuVirtualization.evaluate(ctx(facts), {}).observed).toMatch(/^a virtual machine \(hypervisor: KVM\)/);
    const memory = memoryTotal.evaluate(ctx(facts), { minimumGiB: 2, recommendedGiB: 4, firmwareReservedTolerance: 0.03, memTotalTolerance: 0.1 });
    expect(memory.status).toBe('pass');
    expect(memory.observed).toMatch(/System RAM/);
    expect(facts.os.distribution).toBe('Debian GNU/Linux 12 (bookworm)');
  });

  it('nothing collected: every fact absent, and the checks say they cannot tell', () => {
    const facts = factsFrom();
    expect(facts).toEqual({ probes: {}, os: {}, cpu: { flags: [] }, virtualization: {}, memory: {}, problems: [] });
    expect(cpuVirtualization.evaluate(ctx(facts), {}).status).toBe('error');
  });
});
