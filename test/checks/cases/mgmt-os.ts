import type { CheckCase } from '../caseTable.js';
import { hostFacts } from '../hostFacts.js';
import { debianVm, evidence, factsFrom, mojaveMac, siSystem, win10Systeminfo, win2012Systeminfo, win7Systeminfo, windows7Pc, fixture } from '../mgmtFacts.js';

/** Table 5's list, as the quorum.os rule gives it (the rows of mgmt.os use Table 4's, the default). */
const QUORUM = {
  computer: 'quorum service computer',
  accepted: [
    { label: 'Windows XP (SP2 or newer)', pattern: '\\bWindows XP\\b', minServicePack: 2 },
    { label: 'Windows Server 2003', pattern: '\\bWindows Server 2003\\b|\\bWindows \\.NET Server\\b' },
    { label: 'Windows Vista', pattern: '\\bWindows Vista\\b' },
    { label: 'Windows 7', pattern: '\\bWindows 7\\b' },
  ],
};

/**
 * SYNTHETIC: systeminfo of a Windows XP Professional SP1 PC, written after the layout of the real
 * captures (no public XP capture was found).
 */
const SYNTHETIC_XP_SP1 = [
  '',
  'Host Name:                 QS1',
  'OS Name:                   Microsoft Windows XP Professional',
  'OS Version:                5.1.2600 Service Pack 1 Build 2600',
  'System Type:               X86-based PC',
  'Processor(s):              1 Processor(s) Installed.',
  '                           [01]: x86 Family 6 Model 8 Stepping 3 GenuineIntel ~866 Mhz',
  'Total Physical Memory:     511 MB',
  '',
].join('\r\n');

export const cases: CheckCase[] = [
  { name: 'pass: Windows 7 Professional SP1 x64 (jc systeminfo)', facts: factsFrom(win7Systeminfo()), status: 'pass', observed: /Microsoft Windows 7 Professional \(version 6\.1\.7601\), Service Pack 1, 64-bit \(from windows\.systeminfo\)/, message: /listed by the guide \(Windows 7\)/ },
  { name: 'pass: a full Windows 7 machine (systeminfo and systeminformation)', facts: windows7Pc(), status: 'pass' },
  { name: 'fail: Windows 10 Enterprise is not in Table 4 (jc systeminfo)', facts: factsFrom(win10Systeminfo()), status: 'fail', message: /Windows 10 Enterprise is not one of the operating systems the guide lists for the management computer \(Windows XP, Windows Server 2003, Windows Vista/ },
  { name: 'fail: Windows Server 2012 R2 is not Server 2003 (jc systeminfo, CRLF)', facts: factsFrom(win2012Systeminfo()), status: 'fail', observed: /Windows Server 2012 R2 Standard/ },
  { name: 'fail: Debian 12 laptop (this development VM)', facts: debianVm(), status: 'fail', observed: /Debian GNU\/Linux 12 \(bookworm\).*64-bit \(from etc\.os-release\)/ },
  { name: 'fail: macOS 10.14.6 (jc sysctl)', facts: mojaveMac(), status: 'fail', observed: /^macOS 10\.14\.6, 64-bit \(from macos\.sysctl\)/ },
  {
    name: 'fail: macOS Catalina seen only by systeminformation (docs example osInfo)',
    facts: factsFrom(siSystem({ osInfo: JSON.parse(fixture('systeminformation/si-docs-v5-osinfo-macos-catalina.json')) })),
    status: 'fail',
    observed: /^Mac OS X 10\.15\.3, 64-bit \(from si\.system\)/,
  },
  { name: 'pass: quorum computer on Windows 7 SP1 (Table 5)', facts: factsFrom(win7Systeminfo()), params: QUORUM, status: 'pass' },
  {
    name: 'fail: quorum computer on Windows XP SP1 (SP2 or newer required) [synthetic systeminfo]',
    facts: factsFrom(evidence('windows.systeminfo', SYNTHETIC_XP_SP1)),
    params: QUORUM,
    status: 'fail',
    message: /has Service Pack 1; the guide asks for Windows XP \(SP2 or newer\): install Service Pack 2 or newer/,
  },
  { name: 'error: nothing tells the operating system', facts: hostFacts(), status: 'error', message: /Cannot tell the operating system: the platform \(Windows, Linux, macOS\) could not be told/ },
];
