import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine, splitLines } from './textLines.js';

/** What /proc/iomem says about RAM. */
export interface Iomem {
  /** Sum of the outermost "System RAM" ranges; undefined when the addresses are hidden. */
  systemRamBytes?: number;
  /** Number of "System RAM" ranges counted. */
  systemRamRanges: number;
}

/**
 * Parses /proc/iomem ("00100000-bfffffff : System RAM", nested entries indented by two spaces).
 * "System RAM" is summed wherever it appears (usually top level, sometimes under a "Reserved"
 * parent), but a range inside another "System RAM" range is not counted twice. For non-root
 * readers the kernel prints every address as 00000000-00000000: the total is then unknown.
 */
export function parseIomem(text: string): ParseResult<Iomem> {
  const problems: string[] = [];
  // Stack of (indent, is System RAM) for the ancestors of the current line.
  const stack: { indent: number; ram: boolean }[] = [];
  let total = 0n;
  let ranges = 0;
  let sawAddresses = false;
  let allZero = true;
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(\s*)([0-9a-fA-F]+)-([0-9a-fA-F]+)\s*:\s*(.*)$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: not "start-end : name": ${quoteLine(line)}`);
      return;
    }
    const indent = (m[1] as string).length;
    const start = BigInt(`0x${m[2]}`);
    const end = BigInt(`0x${m[3]}`);
    const ram = (m[4] as string).trim() === 'System RAM';
    sawAddresses = true;
    if (start !== 0n || end !== 0n) allZero = false;
    while (stack.length > 0 && (stack[stack.length - 1] as { indent: number }).indent >= indent) stack.pop();
    const insideRam = stack.some((s) => s.ram);
    stack.push({ indent, ram });
    if (!ram || insideRam) return;
    if (end < start) {
      problems.push(`line ${i + 1}: range ends before it starts: ${quoteLine(line)}`);
      return;
    }
    total += end - start + 1n;
    ranges += 1;
  });
  if (!sawAddresses) {
    if (problems.length === 0) problems.push('no address ranges');
    return parsed({ systemRamRanges: 0 }, problems);
  }
  if (allZero) {
    problems.push('all addresses read 00000000-00000000: /proc/iomem hides them from non-root users, so the RAM total is unknown (run as root)');
    return parsed({ systemRamRanges: ranges }, problems);
  }
  if (ranges === 0) problems.push('no "System RAM" ranges');
  const value: Iomem = { systemRamRanges: ranges };
  if (ranges > 0) value.systemRamBytes = Number(total);
  return parsed(value, problems);
}
