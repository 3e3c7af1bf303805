import { parsed, type ParseResult } from './parseResult.js';
import type { RouteFacts } from './schema.js';
import { parseUint, quoteLine, splitLines } from './textLines.js';

/**
 * Parser for probe `ip.route` (`ip -4 route show`):
 *   default via 192.0.2.1 dev eth0 proto dhcp metric 100
 *   10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.2
 * Multipath routes continue on indented `nexthop via ... dev ...` lines; the first hop is kept.
 */

/** Route types that may come before the destination. */
const ROUTE_TYPES = new Set(['unicast', 'unreachable', 'blackhole', 'prohibit', 'local', 'broadcast', 'throw', 'nat', 'anycast', 'multicast']);
/** Keywords that take one value; everything else on the line is a lone flag (linkdown, onlink, ...). */
const WITH_VALUE = new Set([
  'via', 'dev', 'proto', 'metric', 'scope', 'src', 'table', 'tos', 'dsfield', 'mtu', 'advmss', 'rtt', 'rttvar',
  'window', 'cwnd', 'initcwnd', 'initrwnd', 'realms', 'weight', 'expires', 'hoplimit', 'pref', 'error', 'features', 'quickack',
  'congctl', 'fastopen_no_cookie', 'nhid', 'ssthresh', 'reordering', 'rto_min', 'encap', 'from', 'preference',
]);

export function parseIpRoute(text: string): ParseResult<RouteFacts[]> {
  const problems: string[] = [];
  const routes: RouteFacts[] = [];
  for (const raw of splitLines(text)) {
    if (raw.trim() === '') continue;
    const words = raw.trim().split(/\s+/);
    if (/^\s/.test(raw) && words[0] === 'nexthop') {
      const last = routes[routes.length - 1];
      if (last && last.gateway === undefined && last.device === undefined) Object.assign(last, readKeywords(words.slice(1)));
      continue;
    }
    if (ROUTE_TYPES.has(words[0]!)) words.shift();
    const destination = words[0];
    if (!destination || !/^(default|[0-9.]+(\/\d+)?|[0-9a-f:]+(\/\d+)?)$/i.test(destination)) {
      if (problems.length < 20) problems.push(`ip.route: unexpected line ${quoteLine(raw)}`);
      continue;
    }
    routes.push({ destination, ...readKeywords(words.slice(1)) });
  }
  return parsed(routes, problems);
}

function readKeywords(words: string[]): Omit<RouteFacts, 'destination'> {
  const out: Omit<RouteFacts, 'destination'> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!WITH_VALUE.has(w)) continue;
    const v = words[++i];
    if (v === undefined) break;
    if (w === 'via') out.gateway = v === 'inet' || v === 'inet6' ? (words[++i] ?? v) : v;
    else if (w === 'dev') out.device = v;
    else if (w === 'proto') out.protocol = v;
    else if (w === 'metric') {
      const m = parseUint(v);
      if (m !== undefined) out.metric = m;
    }
  }
  return out;
}
