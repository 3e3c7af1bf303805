import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine, splitLines } from './textLines.js';

/** /etc/xensource/pool.conf: this host's role in its pool. */
export interface PoolConf {
  role: 'master' | 'member';
  /** For a member ("slave:10.0.0.1"): the master's management address. */
  masterAddress?: string;
}

/** Parses "master" or "slave:MASTER_ADDRESS" (XenServer's words; preflight says "member"). */
export function parsePoolConf(text: string): ParseResult<PoolConf | undefined> {
  const line = splitLines(text)
    .map((l) => l.trim())
    .find((l) => l !== '');
  if (line === undefined) return parsed(undefined, ['pool.conf is empty']);
  if (line === 'master') return parsed({ role: 'master' });
  const m = /^slave(?::\s*(\S*))?$/.exec(line);
  if (!m) return parsed(undefined, [`expected "master" or "slave:ADDRESS", got ${quoteLine(line)}`]);
  const value: PoolConf = { role: 'member' };
  if (m[1] !== undefined && m[1] !== '') value.masterAddress = m[1];
  else return parsed(value, ['"slave" without the master\'s address']);
  return parsed(value);
}
