import { parsed, type ParseResult } from './parseResult.js';
import { parseDecimal, parseUint, quoteLine, splitLines } from './textLines.js';

/** The fields of `xl info` / `xm info` that preflight uses. */
export interface XenInfo {
  /** Every "key : value" line. */
  fields: Record<string, string>;
  /** xen_caps, e.g. "xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64". */
  xenCaps?: string;
  /** virt_caps words (xl only), e.g. ["hvm", "hvm_directio"]; empty when the CPU has no VT. */
  virtCaps?: string[];
  /** total_memory, in MiB: all RAM the hypervisor manages, not Dom0's share. */
  totalMemoryMiB?: number;
  nrCpus?: number;
  nrNodes?: number;
  coresPerSocket?: number;
  threadsPerCore?: number;
  /** sockets_per_node (xm info of Xen 3.x only). */
  socketsPerNode?: number;
  cpuMhz?: number;
  /** xen_major.xen_minor + xen_extra, e.g. "3.4.2". */
  xenVersion?: string;
}

/** Parses `xl info` / `xm info`: "key                    : value" lines. */
export function parseXenInfo(text: string): ParseResult<XenInfo> {
  const fields: Record<string, string> = {};
  const problems: string[] = [];
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^\s*([A-Za-z0-9_]+)\s*:\s?(.*)$/.exec(line);
    if (!m) {
      problems.push(`line ${i + 1}: not "key : value": ${quoteLine(line)}`);
      return;
    }
    fields[m[1] as string] = (m[2] as string).trim();
  });
  const value: XenInfo = { fields };
  const set = <K extends keyof XenInfo>(k: K, v: XenInfo[K] | undefined) => {
    if (v !== undefined) value[k] = v;
  };
  if (fields['xen_caps'] !== undefined) value.xenCaps = fields['xen_caps'];
  if (fields['virt_caps'] !== undefined) value.virtCaps = fields['virt_caps'].split(/\s+/).filter((w) => w !== '');
  set('totalMemoryMiB', parseUint(fields['total_memory']));
  set('nrCpus', parseUint(fields['nr_cpus']));
  set('nrNodes', parseUint(fields['nr_nodes']));
  set('coresPerSocket', parseUint(fields['cores_per_socket']));
  set('threadsPerCore', parseUint(fields['threads_per_core']));
  set('socketsPerNode', parseUint(fields['sockets_per_node']));
  set('cpuMhz', parseDecimal(fields['cpu_mhz']));
  if (fields['xen_major'] !== undefined && fields['xen_minor'] !== undefined) {
    value.xenVersion = `${fields['xen_major']}.${fields['xen_minor']}${fields['xen_extra'] ?? ''}`;
  }
  if (Object.keys(fields).length === 0 && text.trim() === '') problems.push('xl/xm info printed nothing');
  return parsed(value, problems);
}

/** True when the Xen capabilities or virt_caps name HVM: VT-x/AMD-V is present and switched on. */
export function xenReportsHvm(caps: { xenCaps?: string; virtCaps?: string[]; capabilities?: string[] }): boolean | undefined {
  const words = [...(caps.xenCaps?.split(/[\s;]+/) ?? []), ...(caps.capabilities ?? [])].filter((w) => w !== '');
  if (words.length > 0 && words.some((w) => w.startsWith('hvm'))) return true;
  if (caps.virtCaps?.includes('hvm')) return true;
  if (words.length > 0 || caps.virtCaps !== undefined) return false;
  return undefined;
}
