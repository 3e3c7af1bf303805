import { describe, expect, it } from 'vitest';
import { assembleOs } from '../../src/facts/assemble/os.js';
import { OsFacts } from '../../src/facts/schema.js';
import { absent, evidence, evidenceSet, fixture } from './support.js';

function assemble(...items: Parameters<typeof evidenceSet>) {
  const result = assembleOs(evidenceSet(...items));
  OsFacts.parse(result.os);
  return result;
}

describe('assembleOs', () => {
  it('the preflight VM: uname and os-release (no redhat-release there)', () => {
    const { os, problems } = assemble(
      evidence('uname', fixture('os_release/preflight-vm-uname.txt')),
      evidence('etc.os-release', fixture('os_release/preflight-vm-os-release.txt')),
      absent('etc.redhat-release', '/etc/redhat-release: no such file'),
    );
    expect(problems).toEqual([]);
    expect(os).toEqual({ kernelName: 'Linux', hostname: 'vm', kernelRelease: '6.18.44-fc-v669', machine: 'x86_64', distribution: 'Debian GNU/Linux 12 (bookworm)' });
  });

  it('(synthetic) a XenServer 5.5 Dom0: only /etc/redhat-release, a 32-bit kernel', () => {
    const { os } = assemble(
      evidence('uname', 'Linux test1-master 2.6.18-128.1.6.el5.xs5.5.0.505.1024xen i686\n'),
      absent('etc.os-release', '/etc/os-release: no such file'),
      evidence('etc.redhat-release', 'XenServer release 5.5.0-25727p (xenenterprise)\n'),
    );
    expect(os).toEqual({ kernelName: 'Linux', hostname: 'test1-master', kernelRelease: '2.6.18-128.1.6.el5.xs5.5.0.505.1024xen', machine: 'i686', distribution: 'XenServer release 5.5.0-25727p (xenenterprise)' });
  });

  it('(synthetic) os-release without PRETTY_NAME: NAME and VERSION', () => {
    expect(assemble(evidence('etc.os-release', 'NAME="XenServer"\nVERSION="7.1.0"\n')).os).toEqual({ distribution: 'XenServer 7.1.0' });
  });

  it('nothing readable: empty facts, and a broken uname is reported', () => {
    expect(assemble(absent('uname'), absent('etc.os-release'), absent('etc.redhat-release'))).toEqual({ os: {}, problems: [] });
    expect(assemble(evidence('uname', '\n')).problems).toEqual([{ probe: 'uname', message: 'uname printed nothing' }]);
  });
});
