import type { CheckCase } from '../caseTable.js';
import { GB, GiB, failed, filesystem, hostFacts, xenserver } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    // XenServer 5.5's 4 GiB root partition: df shows 4128448 1K-blocks (about 3.9 GiB) once formatted.
    name: 'pass: XenServer 5.5 Dom0 root /dev/sda1, ext3, 4128448 1K-blocks',
    facts: hostFacts({
      filesystems: [filesystem('/', '/dev/sda1', 4128448 * 1024, { fstype: 'ext3', usedBytes: 1849000 * 1024 }), filesystem('/dev/shm', 'none', 382 * 2 ** 20, { fstype: 'tmpfs' })],
      xenserver: xenserver(),
    }),
    status: 'pass',
    observed: /^Dom0 root file system \/dev\/sda1 \(ext3\): 4\.23 GB \(3\.94 GiB\)/,
  },
  {
    name: 'pass: not XenServer yet: the root file system is evaluated all the same, and says so',
    facts: hostFacts({ filesystems: [filesystem('/', '/dev/mapper/centos-root', 17.2 * GB, { fstype: 'xfs' })] }),
    status: 'pass',
    observed: /not a XenServer host: evaluated as the future Dom0 would be/,
    message: /This is not a XenServer host/,
  },
  {
    name: 'fail: a 2 GiB root file system',
    facts: hostFacts({ filesystems: [filesystem('/', '/dev/sda1', 2 * GiB, { fstype: 'ext3' })], xenserver: xenserver() }),
    status: 'fail',
    message: /2\.15 GB, smaller than the 4 GB XenServer needs in Dom0/,
  },
  {
    name: 'error: df lists no "/" mount',
    facts: hostFacts({ filesystems: [filesystem('/boot', '/dev/sda1', 0.5 * GB)] }),
    status: 'error',
    observed: /no file system is mounted on "\/"/,
  },
  {
    name: 'error: df failed',
    facts: hostFacts({ probes: { df: failed('df: cannot read table of mounted file systems: No such file or directory') } }),
    status: 'error',
    message: /df failed: df: cannot read table/,
  },
];
