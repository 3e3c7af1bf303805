import type { CheckCase } from '../caseTable.js';
import { hostFacts } from '../hostFacts.js';
import { debianVm, factsFrom, mojaveMac, win7Systeminfo } from '../mgmtFacts.js';

export const cases: CheckCase[] = [
  { name: 'pass: Windows 7 laptop at ~2501 MHz (systeminfo)', facts: factsFrom(win7Systeminfo()), status: 'pass', observed: /^2501 MHz, rated speed; Intel64 Family 6 Model 42/ },
  { name: 'pass: Mac at 2.40GHz (brand string, sysctl)', facts: mojaveMac(), status: 'pass', observed: /^2400 MHz, rated speed; Intel\(R\) Core\(TM\) i5-8279U CPU @ 2\.40GHz \(from macos\.sysctl\)/ },
  { name: 'pass: Debian VM: only the current clock (AMD EPYC names no speed)', facts: debianVm(), status: 'pass', observed: /current clock \(may be throttled/ },
  { name: 'warn: a site recommending 3 GHz, Windows 7 laptop at 2501 MHz', facts: factsFrom(win7Systeminfo()), params: { recommendedMHz: 3000 }, status: 'warn', message: /meets the 750 MHz minimum but not the 3000 MHz recommendation/ },
  { name: 'warn: the current clock alone says it may be throttled', facts: debianVm(), params: { recommendedMHz: 3000 }, status: 'warn', message: /Only the current clock was known/ },
  { name: 'fail: a site requiring 2.5 GHz, Mac at 2400 MHz', facts: mojaveMac(), params: { minimumMHz: 2500, recommendedMHz: 3000 }, status: 'fail', message: /below the 2500 MHz minimum for the management computer/ },
  { name: 'error: CPU not known', facts: hostFacts(), status: 'error', message: /Cannot tell the CPU speed of the management computer/ },
];
