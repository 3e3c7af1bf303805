import { describe, expect, it } from 'vitest';
import { parseUname } from '../../src/facts/uname.js';
import { fixture } from './support.js';

describe('parseUname', () => {
  it('the preflight VM', () => {
    expect(parseUname(fixture('os_release/preflight-vm-uname.txt'))).toEqual({
      value: { kernelName: 'Linux', hostname: 'vm', kernelRelease: '6.18.44-fc-v669', machine: 'x86_64' },
      problems: [],
    });
  });

  it('(synthetic) a XenServer 5.5 Dom0: a 32-bit i686 kernel', () => {
    expect(parseUname('Linux xs1 2.6.18-128.1.6.el5.xs5.5.0.505.1024xen i686\n').value).toEqual({
      kernelName: 'Linux',
      hostname: 'xs1',
      kernelRelease: '2.6.18-128.1.6.el5.xs5.5.0.505.1024xen',
      machine: 'i686',
    });
  });

  it('(synthetic) too few words keep the unambiguous ones; nothing is a problem', () => {
    expect(parseUname('Linux host\n')).toEqual({ value: { kernelName: 'Linux', hostname: 'host' }, problems: ['expected 4 words (kernel name, host name, release, machine), got 2: "Linux host"'] });
    expect(parseUname('').problems).toEqual(['uname printed nothing']);
  });
});
