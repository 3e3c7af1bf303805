import type { CheckCase } from '../caseTable.js';
import { hostFacts } from '../hostFacts.js';
import { debianVm, factsFrom, mojaveMac, win10Systeminfo, win7Systeminfo } from '../mgmtFacts.js';

export const cases: CheckCase[] = [
  { name: 'pass: Windows 7 laptop, 8,075 MB as Windows reports it', facts: factsFrom(win7Systeminfo()), status: 'pass', observed: /^7\.89 GiB as the OS reports it/ },
  { name: 'pass: Windows 10 VM, 2,047 MB: within 10% of the 2 GiB recommendation', facts: factsFrom(win10Systeminfo()), status: 'pass' },
  { name: 'pass: Mac, 16 GiB installed (hw.memsize)', facts: mojaveMac(), status: 'pass', observed: /^16 GiB installed \(from macos\.sysctl\)/ },
  { name: 'pass: Debian VM (MemTotal)', facts: debianVm(), status: 'pass', observed: /from proc\.meminfo/ },
  { name: 'warn: a site recommending 4 GiB, Windows 10 VM with 2,047 MB', facts: factsFrom(win10Systeminfo()), params: { recommendedGiB: 4 }, status: 'warn', message: /meets the 1 GiB minimum but not the 4 GiB recommendation/ },
  { name: 'fail: a site requiring 32 GiB, Mac with 16 GiB installed', facts: mojaveMac(), params: { minimumGiB: 32, recommendedGiB: 64 }, status: 'fail', message: /has 16 GiB of memory, below the 32 GiB minimum/ },
  { name: 'error: memory not known', facts: hostFacts(), status: 'error' },
];
