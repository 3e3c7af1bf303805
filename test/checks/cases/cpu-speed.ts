import type { CheckCase } from '../caseTable.js';
import { failed, hostFacts } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    name: 'pass: rated 2.53 GHz (Xeon E5540)',
    facts: hostFacts({ cpu: { modelName: 'Intel(R) Xeon(R) CPU           E5540  @ 2.53GHz', nominalMhz: 2530, currentMhz: 2527.073 } }),
    status: 'pass',
    observed: /^2\.53 GHz, rated speed/,
  },
  {
    // An idle X7550 shows "cpu MHz: 1064": the rated speed is what counts, not the throttled clock.
    name: 'pass: rated exactly 2 GHz while the idle clock reads 1.06 GHz (Xeon X7550)',
    facts: hostFacts({ cpu: { modelName: 'Intel(R) Xeon(R) CPU           X7550  @ 2.00GHz', nominalMhz: 2000, maxMhz: 2000, currentMhz: 1064 } }),
    status: 'pass',
    observed: /^2 GHz, rated speed/,
  },
  {
    // AMD model names carry no speed: cpufreq's maximum is the next best reading.
    name: 'pass: AMD Opteron 6328 judged on its cpufreq maximum',
    facts: hostFacts({ cpu: { modelName: 'AMD Opteron(tm) Processor 6328', maxMhz: 3200, currentMhz: 1605.776 } }),
    status: 'pass',
    observed: /^3\.2 GHz, maximum speed \(cpufreq\)/,
  },
  {
    name: 'warn: Atom N270 @ 1.60GHz meets the minimum but not the 2 GHz recommendation',
    facts: hostFacts({ cpu: { modelName: 'Intel(R) Atom(TM) CPU N270   @ 1.60GHz', nominalMhz: 1600, currentMhz: 800 } }),
    status: 'warn',
    message: /1\.6 GHz, below the recommended 2 GHz; it meets the minimum/,
  },
  {
    name: 'warn: exactly 1.5 GHz is the minimum, not below it',
    facts: hostFacts({ cpu: { nominalMhz: 1500 } }),
    status: 'warn',
  },
  {
    name: 'fail: rated 1.2 GHz (Core 2 Duo U7600)',
    facts: hostFacts({ cpu: { modelName: 'Intel(R) Core(TM)2 CPU          U7600  @ 1.20GHz', nominalMhz: 1200 } }),
    status: 'fail',
    message: /1\.2 GHz, below the 1\.5 GHz minimum: use faster processors/,
  },
  {
    // Only "cpu MHz" known (no model speed, no cpufreq, dmidecode needs root): say it may be throttled.
    name: 'warn: only the current clock known, and it says it may be throttled',
    facts: hostFacts({ cpu: { modelName: 'AMD Opteron(tm) Processor 2376', currentMhz: 1800 } }),
    status: 'warn',
    observed: /current speed \("cpu MHz"; may be throttled/,
    message: /only the current speed was known, and it may be throttled/,
  },
  {
    name: 'warn: a site raising the recommendation to 3 GHz',
    facts: hostFacts({ cpu: { nominalMhz: 2530 } }),
    params: { recommendedGHz: 3 },
    status: 'warn',
    message: /below the recommended 3 GHz/,
  },
  {
    name: 'error: no speed readable',
    facts: hostFacts({ probes: { 'proc.cpuinfo': failed('Permission denied'), 'dmidecode.processor': failed('/dev/mem: Permission denied') } }),
    status: 'error',
    message: /Cannot tell the CPU speed: .*dmidecode failed: \/dev\/mem: Permission denied \(run as root\)/,
  },
];
