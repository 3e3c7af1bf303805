import type { CheckCase } from '../caseTable.js';
import { hostFacts } from '../hostFacts.js';
import { debianVm, factsFrom, mojaveMac, SYNTHETIC_DOTNET, SYNTHETIC_FOLDERS, SYNTHETIC_UNINSTALL, win7Systeminfo, windows7Pc } from '../mgmtFacts.js';

export const cases: CheckCase[] = [
  {
    name: 'pass: Windows 7 with Citrix XenCenter 5.5 and .NET 2.0/3.5 [synthetic registry]',
    facts: windows7Pc(SYNTHETIC_UNINSTALL(true), SYNTHETIC_DOTNET()),
    status: 'pass',
    observed: /^XenCenter 5\.5\.0\.1 installed in C:\\Program Files \(x86\)\\Citrix\\XenCenter\\; \.NET Framework 2\.0\.50727\.5420, 3\.5\.30729\.5420$/,
  },
  {
    name: 'pass: XenCenter found in its default folder only [synthetic folders]',
    facts: windows7Pc(SYNTHETIC_FOLDERS({}, ['==> C:\\Program Files (x86)\\Citrix\\XenCenter', 'XenCenterMain.exe'])),
    status: 'pass',
    message: /the \.NET Framework version could not be read/,
  },
  { name: 'fail: Windows 7 without XenCenter [synthetic registry]', facts: windows7Pc(SYNTHETIC_UNINSTALL(false), SYNTHETIC_DOTNET()), status: 'fail', message: /XenCenter is not installed/ },
  {
    name: 'fail: a site requiring .NET 4, only 2.0 and 3.5 installed [synthetic registry]',
    facts: windows7Pc(SYNTHETIC_UNINSTALL(true), SYNTHETIC_DOTNET()),
    params: { minimumDotNetMajor: 4 },
    status: 'fail',
    message: /no \.NET Framework 4\.0 or later was found/,
  },
  { name: 'fail: Debian laptop: XenCenter is a Windows program (this development VM)', facts: debianVm(), status: 'fail', observed: /^a Linux computer: XenCenter/ },
  { name: 'fail: Mac (jc 10.14.6)', facts: mojaveMac(), status: 'fail', observed: /^a macOS computer/ },
  { name: 'error: Windows seen by systeminfo only', facts: factsFrom(win7Systeminfo()), status: 'error', message: /Cannot tell whether XenCenter is installed/ },
  { name: 'error: nothing known', facts: hostFacts(), status: 'error' },
];
