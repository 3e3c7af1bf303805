import type { CheckCase } from '../caseTable.js';
import { debianVm, factsFrom, fixture, mojaveMac, siSystem, win7Systeminfo, windows7Pc } from '../mgmtFacts.js';

export const cases: CheckCase[] = [
  { name: 'pass: Windows C: (systeminformation 5.0.6 without "available": size - used)', facts: windows7Pc(), status: 'pass', observed: /^179\.71 GB free on C: of 255\.24 GB \(from si\.system\)/ },
  {
    name: 'pass: Windows C: with "available" (systeminformation issue #833)',
    facts: factsFrom(win7Systeminfo(), siSystem({ osInfo: { platform: 'win32' }, fsSize: JSON.parse(fixture('systeminformation/si-issue-833-windows-fssize-c.json')) })),
    status: 'pass',
    observed: /^395\.41 GB free on C:/,
  },
  { name: 'pass: Mac / (BSD df, 512-byte blocks)', facts: mojaveMac(), status: 'pass', observed: /^338\.08 GB free on \/ of 499\.96 GB \(from macos\.df\)/ },
  { name: 'pass: Debian VM / (df)', facts: debianVm(), status: 'pass', observed: /free on \/ .*\(from df\)/ },
  {
    name: 'pass: Linux / under a Spanish locale, header row ignored (systeminformation issue #799)',
    facts: factsFrom(siSystem({ osInfo: { platform: 'linux' }, fsSize: JSON.parse(fixture('systeminformation/si-issue-799-linux-fssize-es-header-row.json')) })),
    status: 'pass',
    observed: /^181\.73 GB free on \/ /,
  },
  { name: 'fail: a site asking for 400 GB free, Mac with 338 GB', facts: mojaveMac(), params: { minimumMB: 400_000 }, status: 'fail', message: /less than the 400000 MB the guide asks for on the management computer/ },
  { name: 'error: Windows seen by systeminfo only (no volumes)', facts: factsFrom(win7Systeminfo()), status: 'error', message: /Cannot tell the free space on the system volume of the management computer: systeminformation: not collected \(systeminformation runs only when preflight scans the machine it runs on\)/ },
];
