import type { CheckCase } from '../caseTable.js';
import { debianVm, evidence, factsFrom, fixture, mojaveMac, siSystem, win7Systeminfo, windows7Pc } from '../mgmtFacts.js';

const QUORUM = { computer: 'quorum service computer', minimumMbps: 1000 };

/** SYNTHETIC: the jc Mac's ifconfig with its en0 negotiated on a wire at SPEED instead of Wi-Fi. */
const SYNTHETIC_MAC_EN0 = (speed: string) =>
  evidence(
    'macos.ifconfig',
    fixture('macos/jc-osx-10.14.6-ifconfig-wifi.out').replace(
      '\tinet6 2600:1700:bab0:d40::24 prefixlen 64 dynamic \n\tnd6 options=201<PERFORMNUD,DAD>\n\tmedia: autoselect\n',
      `\tinet6 2600:1700:bab0:d40::24 prefixlen 64 dynamic \n\tnd6 options=201<PERFORMNUD,DAD>\n\tmedia: autoselect (${speed} <full-duplex>)\n`,
    ),
  );
const si = (os: string, nics: string) => siSystem({ osInfo: { platform: os }, networkInterfaces: JSON.parse(fixture(`systeminformation/${nics}`)) });

export const cases: CheckCase[] = [
  { name: 'pass: Mac with en0 at 1000baseT [synthetic media line]', facts: mojaveMac({}, SYNTHETIC_MAC_EN0('1000baseT')), status: 'pass', message: /^en0 links at 100 Mbit\/s or faster/ },
  { name: 'pass: quorum computer (1 Gb), Mac en0 at 1000baseT [synthetic media line]', facts: mojaveMac({}, SYNTHETIC_MAC_EN0('1000baseT')), params: QUORUM, status: 'pass' },
  {
    name: 'pass: Linux bond0 at 1000 Mbit/s (systeminformation issue #200, with uname)',
    facts: factsFrom(evidence('uname', fixture('os_release/preflight-vm-uname.txt')), si('linux', 'si-issue-200-linux-networkinterfaces-bond.json')),
    params: QUORUM,
    status: 'pass',
    message: /^bond0 links at 1 Gbit\/s or faster/,
  },
  {
    name: 'fail: quorum computer (1 Gb), Mac en0 at 100baseTX, the other ports without link [synthetic media line]',
    facts: mojaveMac({}, SYNTHETIC_MAC_EN0('100baseTX')),
    params: QUORUM,
    status: 'fail',
    message: /No network card links at 1 Gbit\/s: .*en0 \(media: autoselect \(100baseTX <full-duplex>\)\): 100 Mbit\/s; en1 .*speed not known, no link/,
  },
  {
    name: 'fail: Windows with only a Hyper-V virtual switch adapter (the first interface of issue #248)',
    facts: factsFrom(
      win7Systeminfo(),
      siSystem({ osInfo: { platform: 'win32' }, networkInterfaces: JSON.parse(fixture('systeminformation/si-issue-248-windows-networkinterfaces-hyperv.json')).slice(0, 1) }),
    ),
    status: 'fail',
    message: /no network card, only virtual interfaces/,
  },
  {
    name: 'fail: Windows, the only NIC (I219-LM) has no link: cable unplugged (issue #985)',
    facts: windows7Pc(),
    status: 'fail',
    observed: /^Ethernet \(Intel\(R\) Ethernet Connection \(4\) I219-LM\): speed not known, no link \(from si\.system\)$/,
    message: /check that the cable is plugged in/,
  },
  {
    name: 'error: Windows Hyper-V host: the Realtek card behind the virtual switch reports -1 (issue #248)',
    facts: factsFrom(win7Systeminfo(), si('win32', 'si-issue-248-windows-networkinterfaces-hyperv.json')),
    status: 'error',
    message: /the speed of vEthernet \(Internet Access\) is not known/,
  },
  { name: 'error: Mac on Wi-Fi (media: autoselect gives no speed)', facts: mojaveMac(), status: 'error', message: /the speed of en0 is not known/ },
  { name: 'error: Mac whose only 100baseTX link is the T2 iBridge (ac:de:48, not a NIC)', facts: mojaveMac({ ethernet: true }), status: 'error', message: /the speed of en0 is not known/ },
  { name: 'error: Debian VM, virtio NIC reports no speed', facts: debianVm(), status: 'error', observed: /eth0 \(virtio_net\): speed not known/ },
  { name: 'error: Windows seen by systeminfo only: names without speeds', facts: factsFrom(win7Systeminfo()), status: 'error', observed: /Local Area Connection \(Intel\(R\) 82579LM Gigabit Network Connection\): speed not known, no link/ },
];
