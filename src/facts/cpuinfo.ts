import { nominalMhzFromModelName } from './cpuSpeed.js';
import { parsed, type ParseResult } from './parseResult.js';
import { parseDecimal, parseUint, quoteLine, splitLines } from './textLines.js';

/** What /proc/cpuinfo (x86) says about the CPUs this kernel sees. */
export interface Cpuinfo {
  /** Number of "processor" blocks: the logical CPUs this kernel sees (in a Xen Dom0: Dom0's vCPUs only). */
  logicalCpus: number;
  vendor?: string;
  modelName?: string;
  family?: number;
  model?: number;
  stepping?: number;
  /** "cpu MHz" of the first CPU: the clock right now, possibly throttled. */
  currentMhz?: number;
  /** Rated speed from the model name ("@ 2.40GHz"). */
  nominalMhz?: number;
  /** Flags of the first CPU that has a flags line; undefined when no CPU has one. */
  flags?: string[];
  /** Distinct "physical id" values; undefined when they are missing (except for a single CPU). */
  sockets?: number;
  coresPerSocket?: number;
  physicalCores?: number;
}

type Block = Map<string, string>;

/**
 * Parses /proc/cpuinfo. Blocks are separated by blank lines or start at a "processor" line; keys are
 * compared with their whitespace squeezed ("cpu MHz\t\t", "model    " and "cpu  family" all work).
 */
export function parseCpuinfo(text: string): ParseResult<Cpuinfo> {
  const problems: string[] = [];
  const blocks: Block[] = [];
  let current: Block | undefined;
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') {
      current = undefined;
      return;
    }
    const colon = line.indexOf(':');
    if (colon < 0) {
      problems.push(`line ${i + 1}: no "key : value": ${quoteLine(line)}`);
      return;
    }
    const key = line.slice(0, colon).trim().replace(/\s+/g, ' ').toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'processor' || current === undefined || current.has(key)) {
      current = new Map();
      blocks.push(current);
    }
    current.set(key, value);
  });

  // Only blocks that describe a CPU count (a stray header block without "processor" is not one).
  const cpus = blocks.filter((b) => b.has('processor'));
  const all = cpus.length > 0 ? cpus : blocks;
  const first = all[0];
  const value: Cpuinfo = { logicalCpus: cpus.length };
  if (first === undefined) {
    problems.push('no processor entries');
    return parsed(value, problems);
  }
  if (cpus.length === 0) problems.push('no "processor" lines: the CPU count is unknown');

  const str = (k: string) => {
    const v = first.get(k);
    return v === undefined || v === '' ? undefined : v;
  };
  setIfDefined(value, 'vendor', str('vendor_id'));
  setIfDefined(value, 'modelName', str('model name'));
  setIfDefined(value, 'family', parseUint(str('cpu family')));
  setIfDefined(value, 'model', parseUint(str('model')));
  setIfDefined(value, 'stepping', parseUint(str('stepping')));
  setIfDefined(value, 'currentMhz', parseDecimal(str('cpu mhz')));
  setIfDefined(value, 'nominalMhz', nominalMhzFromModelName(value.modelName));
  const flagsLine = all.find((b) => b.has('flags'))?.get('flags');
  if (flagsLine !== undefined) value.flags = flagsLine.split(/\s+/).filter((f) => f !== '');

  Object.assign(value, topology(cpus));
  return parsed(value, problems);
}

/**
 * Sockets and cores. Without "physical id" the socket count is unknown (VMware guests and old
 * kernels omit it), except that one logical CPU is necessarily one socket with one core.
 */
function topology(cpus: Block[]): Pick<Cpuinfo, 'sockets' | 'coresPerSocket' | 'physicalCores'> {
  if (cpus.length === 0) return {};
  const physIds = cpus.map((b) => b.get('physical id'));
  if (physIds.some((p) => p === undefined || p === '')) {
    return cpus.length === 1 ? { sockets: 1, coresPerSocket: 1, physicalCores: 1 } : {};
  }
  const sockets = new Set(physIds).size;
  const out: Pick<Cpuinfo, 'sockets' | 'coresPerSocket' | 'physicalCores'> = { sockets };
  const coreIds = cpus.map((b) => b.get('core id'));
  if (coreIds.every((c) => c !== undefined && c !== '')) {
    // Distinct (socket, core) pairs: hyper-threads share a core id within their socket.
    out.physicalCores = new Set(cpus.map((b, i) => `${physIds[i]}/${coreIds[i]}`)).size;
  }
  const cpuCores = parseUint(cpus[0]?.get('cpu cores'));
  if (cpuCores !== undefined && cpuCores > 0) out.coresPerSocket = cpuCores;
  else if (out.physicalCores !== undefined && out.physicalCores % sockets === 0) out.coresPerSocket = out.physicalCores / sockets;
  if (out.physicalCores === undefined && out.coresPerSocket !== undefined) out.physicalCores = sockets * out.coresPerSocket;
  return out;
}

function setIfDefined<T extends object, K extends keyof T>(target: T, key: K, v: T[K] | undefined): void {
  if (v !== undefined) target[key] = v;
}
