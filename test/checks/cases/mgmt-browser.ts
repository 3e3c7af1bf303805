import type { CheckCase } from '../caseTable.js';
import { hostFacts } from '../hostFacts.js';
import {
  debianVm,
  evidence,
  factsFrom,
  fixture,
  mojaveMac,
  SYNTHETIC_FLASH32_ACTIVEX_REG,
  SYNTHETIC_FLASH64_ACTIVEX_REG,
  SYNTHETIC_FOLDERS,
  SYNTHETIC_IE8_REG,
  SYNTHETIC_NO_FLASH_REG,
  SYNTHETIC_UNINSTALL,
  testcafeBrowsers,
  win7Systeminfo,
  windows7Pc,
} from '../mgmtFacts.js';

/**
 * SYNTHETIC (no public capture of these probes on a Flash-era Mac or Linux desktop was found): the
 * `macos.browsers` / `macos.flash` output of a Mac with Firefox 3.6 and Flash Player 10.1, and the
 * `linux.browsers` / `linux.flash` output of a 64-bit Firefox 52 ESR with the 64-bit NPAPI plug-in.
 * The `file` lines follow the format of real `file` output (see test/facts/mgmtParsers.test.ts).
 */
const SYNTHETIC_MAC_FIREFOX36 = evidence(
  'macos.browsers',
  [
    '==> /Applications/Firefox.app',
    'version: 3.6.28',
    '/Applications/Firefox.app/Contents/MacOS/firefox-bin: Mach-O universal binary with 2 architectures: [i386:Mach-O executable i386] [ppc:Mach-O executable ppc]',
    '==> /Applications/Safari.app',
    'version: 5.1.10',
    '/Applications/Safari.app/Contents/MacOS/Safari: Mach-O universal binary with 2 architectures: [x86_64:Mach-O 64-bit executable x86_64] [i386:Mach-O executable i386]',
    '',
  ].join('\n'),
);
const SYNTHETIC_MAC_FLASH101 = evidence(
  'macos.flash',
  [
    '==> /Library/Internet Plug-Ins/Flash Player.plugin',
    'version: 10.1.102.64',
    '/Library/Internet Plug-Ins/Flash Player.plugin/Contents/MacOS/Flash Player: Mach-O universal binary with 2 architectures: [x86_64:Mach-O 64-bit bundle x86_64] [i386:Mach-O bundle i386]',
    '',
  ].join('\n'),
);
const SYNTHETIC_LINUX_FIREFOX52 = evidence(
  'linux.browsers',
  [
    '==> firefox-esr',
    'path: /usr/bin/firefox-esr',
    'real: /usr/lib/firefox-esr/firefox-esr',
    'version: Mozilla Firefox 52.9.0',
    '/usr/bin/firefox-esr: ELF 64-bit LSB pie executable, x86-64, version 1 (SYSV), dynamically linked, interpreter /lib64/ld-linux-x86-64.so.2, for GNU/Linux 3.2.0, stripped',
    '',
  ].join('\n'),
);
const SYNTHETIC_LINUX_FLASH11 = evidence(
  'linux.flash',
  [
    '==> /usr/lib/mozilla/plugins/flash-mozilla.so',
    'real: /usr/lib/flashplugin-nonfree/libflashplayer.so',
    '/usr/lib/mozilla/plugins/flash-mozilla.so: ELF 64-bit LSB shared object, x86-64, version 1 (SYSV), dynamically linked, stripped',
    'LNX 11,2,202,644',
    '',
  ].join('\n'),
);

const FLASH32_FILES = { wow64: ['Flash32_11_2_202_228.ocx', 'FlashUtil32_11_2_202_228_ActiveX.exe'] };

export const cases: CheckCase[] = [
  {
    name: 'fail: Debian VM with Chromium 156, no Flash (this development machine)',
    facts: debianVm(),
    status: 'fail',
    observed: /^browsers: Chromium 156\.0\.8078\.108 \(64-bit\); Flash Player: none found; 64-bit OS$/,
    message: /Chromium 156\.0\.8078\.108 \(64-bit\): Chrome and Chromium 88 \(January 2021\) and later do not load Flash Player/,
  },
  {
    name: 'fail: Windows with Firefox registered (testcafe #4051) and no Flash keys [synthetic empty reg-flash]',
    facts: windows7Pc(testcafeBrowsers(), SYNTHETIC_NO_FLASH_REG()),
    status: 'fail',
    message: /Mozilla Firefox \(64-bit\): no NPAPI plug-in Flash Player is installed/,
  },
  {
    name: 'fail: Windows 64-bit IE with only the 32-bit ActiveX control, IE 64 cannot load it, and the 32-bit IE is missing [synthetic]',
    facts: windows7Pc(SYNTHETIC_IE8_REG(), SYNTHETIC_FLASH32_ACTIVEX_REG(), evidence('windows.folders', '==> C:\\Windows\\SysWOW64\\Macromed\\Flash\r\nFlash32_11_2_202_228.ocx\r\n==> C:\\Program Files\\Internet Explorer\r\niexplore.exe\r\n')),
    status: 'fail',
    message: /Internet Explorer 8\.0\.7601\.17514 \(64-bit\): its Flash Player is 32-bit, the browser 64-bit/,
  },
  {
    name: 'pass: Windows 7 x64, 32-bit IE 8 with Flash Player 11 ActiveX (32-bit) [synthetic registry and folders]',
    facts: windows7Pc(SYNTHETIC_IE8_REG(), SYNTHETIC_FLASH32_ACTIVEX_REG(), SYNTHETIC_FOLDERS(FLASH32_FILES), SYNTHETIC_UNINSTALL(false)),
    status: 'pass',
    message: /^Internet Explorer 8\.0\.7601\.17514 \(32-bit\) can load Flash Player 11\.2\.202\.228 ActiveX 32-bit/,
  },
  {
    name: 'warn: Windows 7 x64 with Flash only for the 64-bit IE (Flash64 ActiveX) [synthetic]',
    facts: windows7Pc(SYNTHETIC_IE8_REG(), SYNTHETIC_FLASH64_ACTIVEX_REG(), SYNTHETIC_FOLDERS({ sys32: ['Flash64_11_2_202_228.ocx'] })),
    status: 'warn',
    message: /Only 64-bit browsers can load Flash here \(Internet Explorer 8\.0\.7601\.17514 \(64-bit\)\); on a 64-bit OS the guide asks for a 32-bit browser/,
  },
  {
    name: 'pass: Mac (10.14.6 facts) with Firefox 3.6 (i386) and the universal Flash Player 10.1 plug-in [synthetic bundles]',
    facts: mojaveMac({}, SYNTHETIC_MAC_FIREFOX36, SYNTHETIC_MAC_FLASH101),
    status: 'pass',
    message: /^Firefox 3\.6\.28 \(32-bit\) can load Flash Player 10\.1\.102\.64 NPAPI plug-in/,
  },
  {
    name: 'warn: Debian VM facts with a 64-bit Firefox 52 ESR and the 64-bit Flash 11.2 plug-in [synthetic browsers]',
    facts: debianVm(SYNTHETIC_LINUX_FIREFOX52, SYNTHETIC_LINUX_FLASH11),
    status: 'warn',
    message: /Only 64-bit browsers can load Flash here \(Mozilla Firefox 52\.9\.0 \(64-bit\)\)/,
  },
  {
    name: 'fail: Debian VM with the flashplugin-nonfree package installed but no plug-in file [synthetic dpkg row]',
    facts: debianVm(evidence('linux.packages', `${fixture('mgmt_linux/preflight-vm-linux-packages-dpkg.txt')}flashplugin-nonfree\t3.8\tamd64\tinstall ok installed\n`)),
    status: 'fail',
    message: /The Flash package flashplugin-nonfree 3\.8 \(amd64\) is installed, but no plug-in file is in place/,
  },
  { name: 'error: Windows seen by systeminfo only (no browser probes)', facts: factsFrom(win7Systeminfo()), status: 'error', message: /Cannot list the web browsers: windows\.reg-browsers|reg: not collected/ },
  { name: 'error: nothing known', facts: hostFacts(), status: 'error' },
];
