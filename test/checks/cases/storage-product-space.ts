import type { CheckCase } from '../caseTable.js';
import { GiB, absent, failed, hostFacts, sr, xenserver } from '../hostFacts.js';

/** The ISO library and removable-media SRs every XenServer lists: neither can hold the product volume. */
const mediaSrs = [
  sr('XenServer Tools', 'iso', 0, 0, { contentType: 'iso', shared: true }),
  sr('DVD drives', 'udev', 4.7e9, 4.7e9, { contentType: 'iso' }),
  sr('Removable storage', 'udev', 0, 0, { contentType: 'disk' }),
];

export const cases: CheckCase[] = [
  {
    // sr-list of a freshly installed host: Local storage 1199088599040 bytes, 4194304 used.
    name: 'pass: an empty local LVM SR of 1.1 TiB',
    facts: hostFacts({ xenserver: xenserver(), storageRepositories: [...mediaSrs, sr('Local storage', 'lvm', 1199088599040, 4194304, { host: 'xs1' })] }),
    status: 'pass',
    observed: /^Local storage \(lvm\): 1116\.73 GiB free$/,
    message: /Local storage has room for everRun/,
  },
  {
    name: 'warn: 3.95 GiB free: enough for the installer, short of the 4 GB the guide asks for',
    facts: hostFacts({ xenserver: xenserver(), storageRepositories: [sr('Local storage', 'lvm', 100 * GiB, 96.05 * GiB)] }),
    status: 'warn',
    message: /Local storage, has 3\.95 GiB free: enough for the installer, but below the 4 GiB/,
  },
  {
    name: 'fail: the local SR has only 2 GiB free',
    facts: hostFacts({ xenserver: xenserver(), storageRepositories: [...mediaSrs, sr('Local storage', 'lvm', 68 * GiB, 66 * GiB)] }),
    status: 'fail',
    observed: /Local storage \(lvm\): 2 GiB free/,
    message: /No storage repository has the 3\.9 GiB free the everRun installer needs.*--sr-uuid=UUID/,
  },
  {
    name: 'fail: only ISO and removable-media SRs',
    facts: hostFacts({ xenserver: xenserver(), storageRepositories: mediaSrs }),
    status: 'fail',
    observed: /no usable storage repository \(3 SRs listed, none of type lvm\/ext\/nfs\/lvmoiscsi\/lvmohba/,
  },
  {
    name: 'pass: the local SR is full but a shared NFS SR has room',
    facts: hostFacts({
      xenserver: xenserver(),
      storageRepositories: [sr('Local storage', 'lvm', 68 * GiB, 67.5 * GiB), sr('NFS virtual disk storage', 'nfs', 500 * GiB, 120 * GiB, { shared: true })],
    }),
    status: 'pass',
    observed: /^NFS virtual disk storage \(nfs, shared\): 380 GiB free; Local storage \(lvm\): 0\.5 GiB free$/,
  },
  {
    // xe sr-list on a pool lists the other host's local SR too: it is not usable from here.
    name: "fail: only the other pool host's local SR has room",
    facts: hostFacts({
      xenserver: xenserver({ hostName: 'xs1' }),
      storageRepositories: [sr('Local storage on xs1', 'lvm', 68 * GiB, 67 * GiB, { host: 'xs1' }), sr('Local storage on xs2', 'lvm', 500 * GiB, 10 * GiB, { host: 'xs2' })],
    }),
    status: 'fail',
    observed: /^Local storage on xs1 \(lvm\): 1 GiB free$/,
  },
  {
    name: 'skip: not a XenServer host',
    facts: hostFacts({ probes: { 'xen.inventory': absent('/etc/xensource-inventory: no such file') }, os: { distribution: 'Debian GNU/Linux 12 (bookworm)' } }),
    status: 'skip',
    message: /Not a XenServer host.*\/etc\/xensource-inventory: no such file/,
  },
  {
    name: 'error: XenServer, but xe sr-list failed',
    facts: hostFacts({ probes: { 'xe.sr-list': failed('Error: Connection refused (calling connect )') }, xenserver: xenserver() }),
    status: 'error',
    message: /Cannot list the storage repositories: xe sr-list failed: Error: Connection refused/,
  },
];
