import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine, splitLines } from './textLines.js';

/** What `uname -s -n -r -m` prints, in that order. */
export interface Uname {
  kernelName?: string;
  hostname?: string;
  kernelRelease?: string;
  machine?: string;
}

/** Parses the one line of `uname -s -n -r -m`, e.g. "Linux xs1 2.6.18-128.1.6.el5.xs5.5.0.505.1024xen i686". */
export function parseUname(text: string): ParseResult<Uname> {
  const line = splitLines(text).find((l) => l.trim() !== '');
  if (line === undefined) return parsed({}, ['uname printed nothing']);
  const words = line.trim().split(/\s+/);
  const [kernelName, hostname] = words;
  if (words.length < 4) {
    // Keep what is unambiguous: the first two words are always the kernel name and host name.
    const value: Uname = {};
    if (kernelName !== undefined) value.kernelName = kernelName;
    if (hostname !== undefined) value.hostname = hostname;
    return parsed(value, [`expected 4 words (kernel name, host name, release, machine), got ${words.length}: ${quoteLine(line)}`]);
  }
  // None of the four fields may contain spaces; should a release ever do, the machine is still last.
  const value: Uname = {
    kernelName: kernelName as string,
    hostname: hostname as string,
    kernelRelease: words.slice(2, -1).join(' '),
    machine: words[words.length - 1] as string,
  };
  const problems = words.length > 4 ? [`expected 4 words, got ${words.length}: ${quoteLine(line)}`] : [];
  return parsed(value, problems);
}
