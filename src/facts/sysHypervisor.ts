import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine, splitLines } from './textLines.js';

/** /sys/hypervisor as read by the `sys.hypervisor` probe. */
export interface SysHypervisor {
  /** "xen" under Xen (Dom0 and guests alike). */
  type?: string;
  /** Words of properties/capabilities, e.g. ["xen-3.0-x86_64", "hvm-3.0-x86_64", ...]. */
  capabilities?: string[];
  /** major.minor plus extra, e.g. "3.4.2" or "4.1.5-xs123". */
  version?: string;
}

/**
 * Parses `grep -s -H . /sys/hypervisor/...` lines: "/sys/hypervisor/type:xen",
 * "/sys/hypervisor/properties/capabilities:xen-3.0-x86_64 hvm-3.0-x86_64", version/major|minor|extra.
 * Empty output (the directory exists but is empty, as on KVM guests) is not a problem.
 */
export function parseSysHypervisor(text: string): ParseResult<SysHypervisor> {
  const value: SysHypervisor = {};
  const problems: string[] = [];
  const version: Partial<Record<'major' | 'minor' | 'extra', string>> = {};
  splitLines(text).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(?:\/sys\/hypervisor\/)?([a-z_/]+):(.*)$/.exec(line.trim());
    if (!m) {
      problems.push(`line ${i + 1}: not "path:value": ${quoteLine(line)}`);
      return;
    }
    const path = m[1] as string;
    const v = (m[2] as string).trim();
    if (path === 'type') value.type = v;
    else if (path === 'properties/capabilities') value.capabilities = v.split(/\s+/).filter((w) => w !== '');
    else if (path === 'version/major') version.major = v;
    else if (path === 'version/minor') version.minor = v;
    else if (path === 'version/extra') version.extra = v;
  });
  if (version.major !== undefined) {
    value.version = `${version.major}${version.minor !== undefined ? `.${version.minor}` : ''}${version.extra ?? ''}`;
  }
  return parsed(value, problems);
}
