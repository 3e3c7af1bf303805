import type { Evidence } from '../../collect/evidence.js';
import { parseOsRelease, parseRedhatRelease } from '../osRelease.js';
import type { OsFacts, ParseProblem } from '../schema.js';
import { parseUname } from '../uname.js';
import { definedOnly } from './definedOnly.js';
import { parseProbe } from './probeOutput.js';

export interface OsAssembly {
  os: OsFacts;
  problems: ParseProblem[];
}

/**
 * The operating system: kernel and machine from `uname`, the distribution from /etc/os-release
 * (current systems) or /etc/redhat-release (the CentOS 5 based XenServer 5.5 Dom0 has only that).
 */
export function assembleOs(ev: Record<string, Evidence>): OsAssembly {
  const problems: ParseProblem[] = [];
  const uname = parseProbe(ev, 'uname', parseUname, problems);
  const osRelease = parseProbe(ev, 'etc.os-release', parseOsRelease, problems);
  const redhat = parseProbe(ev, 'etc.redhat-release', parseRedhatRelease, problems);
  const os: OsFacts = definedOnly({
    kernelName: uname?.kernelName,
    hostname: uname?.hostname,
    kernelRelease: uname?.kernelRelease,
    machine: uname?.machine,
    distribution: distributionName(osRelease) ?? redhat?.line,
  });
  return { os, problems };
}

/** PRETTY_NAME, or NAME and VERSION when a distribution leaves PRETTY_NAME out. */
function distributionName(osRelease: Record<string, string> | undefined): string | undefined {
  if (!osRelease) return undefined;
  const pretty = osRelease['PRETTY_NAME']?.trim();
  if (pretty) return pretty;
  const name = osRelease['NAME']?.trim();
  if (!name) return undefined;
  const version = osRelease['VERSION']?.trim() || osRelease['VERSION_ID']?.trim();
  return version ? `${name} ${version}` : name;
}
