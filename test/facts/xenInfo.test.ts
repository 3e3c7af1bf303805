import { describe, expect, it } from 'vitest';
import { parseXenInfo, xenReportsHvm } from '../../src/facts/xenInfo.js';
import { XL_INFO, XM_INFO_NO_VT } from './samples.js';

// No real capture exists here: synthetic `xl info` (XenServer 6.2 style) and `xm info` (Xen 3.4,
// XenServer 5.5 era) in the tools' own layout.

describe('parseXenInfo', () => {
  it('(synthetic xl info) caps, virt_caps, memory in MiB, topology, version', () => {
    const { value, problems } = parseXenInfo(XL_INFO);
    expect(problems).toEqual([]);
    expect(value).toMatchObject({
      xenCaps: 'xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64',
      virtCaps: ['hvm', 'hvm_directio'],
      totalMemoryMiB: 49139,
      nrCpus: 16,
      nrNodes: 2,
      coresPerSocket: 4,
      threadsPerCore: 2,
      cpuMhz: 2527,
      xenVersion: '4.1.5',
    });
    // A value that itself holds colons and "@" stays whole.
    expect(value.fields['xen_commandline']).toBe('dom0_mem=752M lowmem_emergency_pool=1M crashkernel=64M@32M console= vga=mode-0x0311');
  });

  it('(synthetic xm info, no VT) sockets_per_node, no virt_caps line, no hvm in xen_caps', () => {
    const { value } = parseXenInfo(XM_INFO_NO_VT);
    expect(value).toMatchObject({ socketsPerNode: 1, nrCpus: 2, totalMemoryMiB: 2046, xenVersion: '3.3.1' });
    expect(value.virtCaps).toBeUndefined();
    expect(xenReportsHvm(value)).toBe(false);
  });

  it('empty output is a problem', () => {
    expect(parseXenInfo('').problems).toEqual(['xl/xm info printed nothing']);
  });
});

describe('xenReportsHvm', () => {
  it('hvm-* in xen_caps or sysfs capabilities, or "hvm" in virt_caps, means VT-x/AMD-V is on', () => {
    expect(xenReportsHvm({ xenCaps: 'xen-3.0-x86_64 hvm-3.0-x86_64' })).toBe(true);
    expect(xenReportsHvm({ capabilities: ['xen-3.0-x86_64', 'hvm-3.0-x86_32'] })).toBe(true);
    expect(xenReportsHvm({ virtCaps: ['pv', 'hvm'] })).toBe(true);
  });

  it('capabilities without hvm say it is off; no capabilities say nothing', () => {
    expect(xenReportsHvm({ xenCaps: 'xen-3.0-x86_64 xen-3.0-x86_32p', virtCaps: [] })).toBe(false);
    expect(xenReportsHvm({})).toBeUndefined();
  });
});
