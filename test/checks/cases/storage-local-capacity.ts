import type { CheckCase } from '../caseTable.js';
import { GB, absent, disk, hostFacts } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    name: 'pass: two 146 GB SAS disks',
    facts: hostFacts({ disks: [disk('sda', 146.8 * GB, { model: 'ST9146852SS     ', bus: 'scsi' }), disk('sdb', 146.8 * GB, { model: 'ST9146852SS', bus: 'scsi' })] }),
    status: 'pass',
    observed: /^293\.6 GB in 2 local disks: sda 146\.8 GB \(ST9146852SS\), sdb/,
  },
  {
    name: 'pass: exactly 72 GB',
    facts: hostFacts({ disks: [disk('sda', 72 * GB)] }),
    status: 'pass',
  },
  {
    // The installer USB stick and the DVD drive are not local storage.
    name: 'warn: one 36 GB disk; a 64 GB USB stick and the DVD drive do not count',
    facts: hostFacts({
      disks: [disk('sda', 36.4 * GB, { bus: 'scsi' }), disk('sdb', 64 * GB, { bus: 'usb', removable: true, local: false }), disk('sr0', 4.7 * GB, { local: false, removable: true })],
    }),
    status: 'warn',
    observed: /^36\.4 GB in 1 local disk: sda 36\.4 GB$/,
    message: /36\.4 GB of local disk, below the recommended 72 GB: add local disks, or plan to keep VMs on shared storage/,
  },
  {
    name: 'warn: no local disk at all (diskless host booting from loop/ram devices)',
    facts: hostFacts({ disks: [disk('loop0', 1 * GB, { local: false }), disk('ram0', 0.064 * GB, { local: false })] }),
    status: 'warn',
    observed: /no local disks \(2 block devices seen, none locally attached\)/,
  },
  {
    name: 'error: block devices not known',
    facts: hostFacts({ probes: { 'sys.block': absent('/sys/block: no such file') } }),
    status: 'error',
    message: /Cannot tell the local disk capacity: \/sys\/block: no such file/,
  },
];
