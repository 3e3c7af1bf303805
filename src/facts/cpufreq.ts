import { parsed, type ParseResult } from './parseResult.js';
import { parseUint, quoteLine, splitLines } from './textLines.js';

/** cpufreq limits of cpu0, in MHz. */
export interface Cpufreq {
  /** cpuinfo_max_freq: the highest clock the driver allows (turbo included on some drivers). */
  maxMhz?: number;
  /** base_frequency (intel_pstate): the rated, non-turbo clock. */
  baseMhz?: number;
}

/**
 * Parses the `sys.cpufreq` probe: `grep -H` lines "PATH:VALUE" with values in kHz. Empty output is
 * normal (no cpufreq driver: VMs, Xen Dom0) and gives an empty result without problems.
 */
export function parseCpufreq(text: string): ParseResult<Cpufreq> {
  const value: Cpufreq = {};
  const problems: string[] = [];
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(.*\/)?([a-z_]+):\s*(.*)$/.exec(line.trim());
    const khz = m ? parseUint(m[3]) : undefined;
    if (!m || khz === undefined) {
      problems.push(`line ${i + 1}: not "path:kHz": ${quoteLine(line)}`);
      return;
    }
    const mhz = khz / 1000;
    if (m[2] === 'cpuinfo_max_freq') value.maxMhz = mhz;
    else if (m[2] === 'base_frequency') value.baseMhz = mhz;
  });
  return parsed(value, problems);
}
