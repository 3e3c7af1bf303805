import { evidenceUsable, type Evidence } from '../../collect/evidence.js';
import type { ParseResult } from '../parseResult.js';
import type { ParseProblem } from '../schema.js';

/**
 * The stdout of a probe that ran to completion: present, not "tool missing" (127), no transport
 * error, and exit code 0. The probe table (HostFacts.probes) already reports absent and failed
 * probes; the half output of a failed command is not evidence, so it is not parsed.
 */
export function probeOutput(evidence: Record<string, Evidence>, id: string): string | undefined {
  const ev = evidence[id];
  return evidenceUsable(ev) && ev.exitCode === 0 ? ev.stdout : undefined;
}

/**
 * Parses a probe's output, adding the parser's problems (tagged with the probe id) to `problems`.
 * Undefined when the probe has no usable output.
 */
export function parseProbe<T>(
  evidence: Record<string, Evidence>,
  id: string,
  parse: (text: string) => ParseResult<T>,
  problems: ParseProblem[],
): T | undefined {
  const text = probeOutput(evidence, id);
  if (text === undefined) return undefined;
  const result = parse(text);
  for (const message of result.problems) problems.push({ probe: id, message });
  if (evidence[id]?.truncated) problems.push({ probe: id, message: 'output was cut at the size limit: what follows the cut is missing' });
  return result.value;
}
