import { describe, expect, it } from 'vitest';
import { parseSysHypervisor } from '../../src/facts/sysHypervisor.js';
import { SYS_HYPERVISOR_DOM0 } from './samples.js';

// No real capture (the preflight VM has no /sys/hypervisor): synthetic probe output as XenServer
// 6.x Dom0 prints it with `grep -s -H .`.

describe('parseSysHypervisor', () => {
  it('(synthetic) a Xen Dom0: type, capability words, version', () => {
    expect(parseSysHypervisor(SYS_HYPERVISOR_DOM0)).toEqual({
      value: { type: 'xen', capabilities: ['xen-3.0-x86_64', 'xen-3.0-x86_32p', 'hvm-3.0-x86_32', 'hvm-3.0-x86_32p', 'hvm-3.0-x86_64'], version: '4.1.5' },
      problems: [],
    });
  });

  it('(synthetic) an empty /sys/hypervisor (KVM guests) is nothing, not a problem', () => {
    expect(parseSysHypervisor('')).toEqual({ value: {}, problems: [] });
  });

  it('(synthetic) a line without "path:" is a problem', () => {
    expect(parseSysHypervisor('xen\n').problems).toEqual(['line 1: not "path:value": "xen"']);
  });
});
