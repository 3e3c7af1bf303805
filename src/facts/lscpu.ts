import { parsed, type ParseResult } from './parseResult.js';
import { parseDecimal, parseUint, quoteLine, splitLines } from './textLines.js';

/** The lscpu summary fields preflight uses. */
export interface Lscpu {
  architecture?: string;
  cpus?: number;
  threadsPerCore?: number;
  coresPerSocket?: number;
  sockets?: number;
  vendorId?: string;
  modelName?: string;
  family?: number;
  model?: number;
  stepping?: number;
  cpuMhz?: number;
  cpuMaxMhz?: number;
  /** "VT-x" or "AMD-V" when the CPU offers it to this kernel. */
  virtualization?: string;
  hypervisorVendor?: string;
  /** "full", "para", "none"... */
  virtualizationType?: string;
  flags?: string[];
  /** Every "Key: value" line, keyed by the trimmed key, first occurrence wins. */
  fields: Record<string, string>;
}

/**
 * Parses `lscpu` output: "Key:   value" lines. Newer util-linux indents sub-keys under section
 * headers ("Vendor ID:" then "  Model name:"), older versions print a flat list; both are read
 * the same way. Values such as "-" (unknown socket count in some VMs) are left out.
 */
export function parseLscpu(text: string): ParseResult<Lscpu> {
  const fields: Record<string, string> = {};
  const problems: string[] = [];
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^\s*([^:]+?)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: no "Key: value": ${quoteLine(line)}`);
      return;
    }
    const key = m[1] as string;
    if (!(key in fields)) fields[key] = m[2] as string;
  });
  const str = (k: string) => {
    const v = fields[k];
    return v === undefined || v === '' || v === '-' ? undefined : v;
  };
  const value: Lscpu = { fields };
  const set = <K extends keyof Lscpu>(k: K, v: Lscpu[K] | undefined) => {
    if (v !== undefined) value[k] = v;
  };
  set('architecture', str('Architecture'));
  set('cpus', parseUint(str('CPU(s)')));
  set('threadsPerCore', parseUint(str('Thread(s) per core')));
  set('coresPerSocket', parseUint(str('Core(s) per socket')));
  set('sockets', parseUint(str('Socket(s)')));
  set('vendorId', str('Vendor ID'));
  set('modelName', str('Model name'));
  set('family', parseUint(str('CPU family')));
  set('model', parseUint(str('Model')));
  set('stepping', parseUint(str('Stepping')));
  set('cpuMhz', parseDecimal(str('CPU MHz')));
  set('cpuMaxMhz', parseDecimal(str('CPU max MHz')));
  set('virtualization', str('Virtualization'));
  set('hypervisorVendor', str('Hypervisor vendor'));
  set('virtualizationType', str('Virtualization type'));
  const flags = str('Flags');
  if (flags !== undefined) value.flags = flags.split(/\s+/);
  if (Object.keys(fields).length === 0) problems.push('lscpu printed no "Key: value" lines');
  return parsed(value, problems);
}
