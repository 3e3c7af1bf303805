import { describe, expect, it } from 'vitest';
import { assembleMemory } from '../../src/facts/assemble/memory.js';
import { MemoryFacts } from '../../src/facts/schema.js';
import { DMIDECODE_MEMORY, HOST_LIST, INVENTORY_55, XL_INFO } from './samples.js';
import { absent, evidence, evidenceSet, fixture } from './support.js';

const MiB = 1024 * 1024;

function assemble(...items: Parameters<typeof evidenceSet>) {
  const result = assembleMemory(evidenceSet(...items));
  MemoryFacts.parse(result.memory);
  return result;
}

describe('assembleMemory', () => {
  it('the preflight VM as root: MemTotal and the System RAM map; no SMBIOS table (dmidecode exit 1)', () => {
    const { memory, problems } = assemble(
      evidence('proc.meminfo', fixture('meminfo/preflight-vm-meminfo.txt')),
      evidence('proc.iomem', fixture('iomem/preflight-vm-iomem-root.txt')),
      evidence('dmidecode.memory', fixture('dmidecode/preflight-vm-dmidecode-t17-no-smbios.stdout.txt'), {
        exitCode: 1,
        stderr: fixture('dmidecode/preflight-vm-dmidecode-t17-no-smbios.stderr.txt'),
      }),
      absent('xen.info'),
    );
    expect(problems).toEqual([]);
    expect(memory).toEqual({ memTotalBytes: 24684084 * 1024, systemRamBytes: 25769405440 });
  });

  it('/proc/iomem read without root: the RAM map total stays unknown and the reason is a problem', () => {
    const { memory, problems } = assemble(evidence('proc.meminfo', fixture('meminfo/jc-meminfo-4g.txt')), evidence('proc.iomem', fixture('iomem/preflight-vm-iomem-nonroot.txt')));
    expect(memory).toEqual({ memTotalBytes: 3997272 * 1024 });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.probe).toBe('proc.iomem');
  });

  it('(synthetic dmidecode) installed modules: the sum and each module, empty slots left out', () => {
    const { memory } = assemble(evidence('proc.meminfo', fixture('meminfo/insights-meminfo-8g-rhel.txt')), evidence('dmidecode.memory', DMIDECODE_MEMORY));
    expect(memory).toEqual({
      memTotalBytes: 8202149888,
      dimmBytes: 8192 * MiB,
      dimms: [
        { locator: 'DIMM_A1', sizeBytes: 4096 * MiB },
        { locator: 'DIMM_A2', sizeBytes: 4096 * MiB },
      ],
    });
  });

  it('real xe host memory (xapi commit, one host record): memory-total in bytes is the hypervisor total', () => {
    const { memory } = assemble(evidence('xe.host-list', fixture('xe_host/xenapi-commit-host-param-list-grep-mem.txt')), absent('xen.info'));
    expect(memory).toEqual({ hypervisorTotalBytes: 33849733120 });
  });

  it('(synthetic) xe (bytes) is preferred to xl info (MiB); xl info alone is converted to bytes', () => {
    const both = assemble(evidence('xen.inventory', INVENTORY_55), evidence('xe.host-list', HOST_LIST), evidence('xen.info', XL_INFO));
    expect(both.memory.hypervisorTotalBytes).toBe(25768615936);
    const xl = assemble(evidence('xen.info', XL_INFO));
    expect(xl.memory.hypervisorTotalBytes).toBe(49139 * MiB);
  });

  it('(synthetic) with two hosts and no inventory this host is unknown: the pool\'s totals are not used', () => {
    const { memory } = assemble(evidence('xe.host-list', HOST_LIST), evidence('uname', 'Linux elsewhere 2.6.18 i686\n'));
    expect(memory.hypervisorTotalBytes).toBeUndefined();
  });

  it('absent probes (exit 127) leave memory empty instead of guessing', () => {
    const { memory, problems } = assemble(absent('proc.meminfo'), absent('proc.iomem'), absent('dmidecode.memory', 'dmidecode: not installed'), absent('xen.info'), absent('xe.host-list', 'xe: not installed'));
    expect(memory).toEqual({});
    expect(problems).toEqual([]);
  });
});
