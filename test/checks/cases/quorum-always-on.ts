import type { CheckCase } from '../caseTable.js';
import { hostFacts } from '../hostFacts.js';
import { debianVm, evidence, factsFrom, fixture, KERNEL_STATES_FREEZE_MEM_DISK, mojaveMac, pmset, win7Systeminfo } from '../mgmtFacts.js';

const powercfgA = (name: string) => evidence('windows.powercfg-available', fixture(`powercfg/${name}`));
const powercfgQ = (name: string) => evidence('windows.powercfg-sleep', fixture(`powercfg/${name}`));

/** SYNTHETIC: the g-helper #5345 capture with "Sleep after" set to 30 minutes on AC (0x708) and "Hibernate after" added at 3 h. */
const SYNTHETIC_Q_SLEEP_30_MIN = evidence(
  'windows.powercfg-sleep',
  fixture('powercfg/ghelper-5345-powercfg-q-sub-sleep-excerpt.txt')
    .replace('Current AC Power Setting Index: 0x00000000', 'Current AC Power Setting Index: 0x00000708')
    .concat(
      [
        '',
        '    Power Setting GUID: 9d7815a6-7ee4-497e-8888-515a05f02364  (Hibernate after)',
        '      GUID Alias: HIBERNATEIDLE',
        '      Minimum Possible Setting: 0x00000000',
        '      Maximum Possible Setting: 0xffffffff',
        '    Current AC Power Setting Index: 0x00002a30',
        '    Current DC Power Setting Index: 0x00002a30',
        '',
      ].join('\n'),
    ),
);
/** SYNTHETIC: the HibernationFixup #3 capture with the sleep timer off (sleep 0). */
const SYNTHETIC_PMSET_SLEEP0 = evidence('macos.pmset', fixture('pmset/hibernationfixup-pr3-pmset-g-sleep1.txt').replace(' sleep                1', ' sleep                0'));
/** SYNTHETIC: a drop-in that makes logind suspend an idle computer. */
const SYNTHETIC_IDLE_SUSPEND = evidence('linux.sleep-config', '/etc/systemd/logind.conf.d/50-suspend.conf:IdleAction=suspend\n/etc/systemd/logind.conf.d/50-suspend.conf:IdleActionSec=30min\n');

const masked = () => evidence('linux.sleep-targets', fixture('mgmt_linux/preflight-vm-scratch-root-sleep-targets-masked.txt'));

export const cases: CheckCase[] = [
  { name: 'pass: Debian VM: the kernel offers no sleep state (/sys/power/state empty)', facts: debianVm(), status: 'pass', message: /offers no sleep state/ },
  { name: 'pass: Linux with suspend, hibernate, hybrid-sleep and sleep targets masked', facts: debianVm(KERNEL_STATES_FREEZE_MEM_DISK(), masked()), status: 'pass', message: /^Suspend and hibernation are disabled/ },
  {
    name: 'pass: Windows, only S3 offered and "Sleep after" never on AC (FanControl #3961 + g-helper #5345); the battery note',
    facts: factsFrom(win7Systeminfo(), powercfgA('fancontrol-3961-powercfg-a-s3-only.txt'), powercfgQ('ghelper-5345-powercfg-q-sub-sleep-excerpt.txt')),
    status: 'pass',
    message: /never sleeps or hibernates by itself\. On battery power it would still sleep after 30 min/,
  },
  { name: 'pass: Mac with sleep 0 [synthetic]', facts: mojaveMac({}, SYNTHETIC_PMSET_SLEEP0), status: 'pass', message: /sleep timer is off/ },
  {
    name: 'fail: Linux kernel offers freeze/mem/disk, targets static, systemd not running (this VM\'s targets)',
    facts: debianVm(KERNEL_STATES_FREEZE_MEM_DISK()),
    status: 'fail',
    message: /the kernel offers suspend \(freeze, mem\), the kernel offers hibernation \(disk\) and systemd does not run here/,
  },
  { name: 'fail: Linux targets masked but logind suspends when idle [synthetic drop-in]', facts: debianVm(KERNEL_STATES_FREEZE_MEM_DISK(), masked(), SYNTHETIC_IDLE_SUSPEND), status: 'fail', message: /logind IdleAction=suspend puts the computer to sleep when idle/ },
  { name: 'fail: Mac sleeps after 1 min (HibernationFixup #3)', facts: mojaveMac({}, pmset('hibernationfixup-pr3-pmset-g-sleep1.txt')), status: 'fail', message: /this Mac sleeps after 1 min of inactivity/ },
  { name: 'fail: Mac, sleep 1 while prevented by sharingd (Z490 #31)', facts: mojaveMac({}, pmset('z490-vision-g-issue31-pmset-g-sleep-prevented.txt')), status: 'fail', message: /right now sleep prevented by sharingd, coreaudiod/ },
  {
    name: 'fail: Windows "Sleep after" 30 min and "Hibernate after" 3 h on AC [synthetic timers]',
    facts: factsFrom(win7Systeminfo(), powercfgA('ghelper-5773-powercfg-a-s0-hibernate-excerpt.txt'), SYNTHETIC_Q_SLEEP_30_MIN),
    status: 'fail',
    message: /"Sleep after" is 30 min on AC power and "Hibernate after" is 3 h on AC power/,
  },
  {
    name: 'error: Windows offers S0 standby and hibernate, timers not read (g-helper #5773 only)',
    facts: factsFrom(win7Systeminfo(), powercfgA('ghelper-5773-powercfg-a-s0-hibernate-excerpt.txt')),
    status: 'error',
    message: /idle timers of the power plan could not be read/,
  },
  { name: 'error: Windows seen by systeminfo only', facts: factsFrom(win7Systeminfo()), status: 'error', message: /windows\.powercfg-available|powercfg/ },
  { name: 'error: nothing known', facts: hostFacts(), status: 'error' },
];
