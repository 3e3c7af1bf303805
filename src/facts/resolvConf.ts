import { isIP } from 'node:net';
import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine, splitLines } from './textLines.js';

/**
 * Parser for probes `etc.resolv-conf` and `run.resolved-conf` (resolv.conf(5)). Lines starting with
 * `#` or `;` are comments; like the C library, only the first word after `nameserver` counts, and
 * the last `search` or `domain` line wins.
 */

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

/** Addresses such as fe80::1%eth0 carry a zone after `%`. */
function isAddress(text: string): boolean {
  const zone = text.indexOf('%');
  return isIP(zone > 0 ? text.slice(0, zone) : text) !== 0;
}

export function parseResolvConf(text: string): ParseResult<ResolvConf> {
  const problems: string[] = [];
  const complain = (m: string) => {
    if (problems.length < 20) problems.push(m);
  };
  const out: ResolvConf = { nameservers: [], search: [], options: [] };
  for (const raw of splitLines(text)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const words = line.split(/\s+/);
    const keyword = words[0]!;
    switch (keyword) {
      case 'nameserver': {
        const address = words[1];
        if (address === undefined) complain(`resolv.conf: nameserver line without an address: ${quoteLine(raw)}`);
        else if (!isAddress(address)) complain(`resolv.conf: nameserver is not an IP address: ${quoteLine(address)}`);
        else out.nameservers.push(address);
        break;
      }
      case 'search':
      case 'domain':
        out.search = words.slice(1).filter((w) => !w.startsWith('#') && !w.startsWith(';'));
        break;
      case 'options':
        out.options.push(...words.slice(1));
        break;
      case 'sortlist':
      case 'lookup':
      case 'family':
        break;
      default:
        complain(`resolv.conf: unknown keyword in ${quoteLine(raw)}`);
    }
  }
  return parsed(out, problems);
}
