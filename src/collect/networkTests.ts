import { randomBytes } from 'node:crypto';
import type { Evidence } from './evidence.js';
import { ipLiteral } from './ipLiteral.js';

/**
 * The active network tests ("exercise" phase) a host runs for the pool rules, after every host's
 * facts are in: ping the isolation IP; ping the peer's A-link address out of each A-link NIC with
 * the don't-fragment bit and a full-size payload (1472 bytes + 28 header bytes = a 1500-byte
 * packet), then read the neighbour table of that NIC (which MAC answered for the peer's address);
 * ping the quorum servers. The tests only read and ping: nothing on the host is configured.
 *
 * The script is a fixed constant. Its parameters (addresses, interface names, a nonce) are
 * validated here (IP literals by ipaddr.js, interface names by a strict pattern) and sent on the
 * command's stdin as `key=value` lines, read with `read`: they are never pasted into a command
 * line or script text, and the script itself refuses any value with characters outside
 * [0-9A-Za-z.:_-] before using it, always double-quoted.
 *
 * Every test's output becomes Evidence under a probe id (net.ping.isolation, net.ping.alink1,
 * net.neigh.alink1, ...), stored with the host's evidence so bundles replay it like any probe.
 */

export interface HostNetworkTests {
  isolationIp?: string;
  alinks: { link: 1 | 2; dev: string; peer: string }[];
  quorum: string[];
}

/** Probe ids of the network tests, and what each runs (for the evidence's `source`). */
export const NET_PROBES = {
  isolation: 'net.ping.isolation',
  alinkPing: (link: 1 | 2) => `net.ping.alink${link}`,
  alinkNeigh: (link: 1 | 2) => `net.neigh.alink${link}`,
  quorum: (i: number) => `net.ping.quorum${i}`,
} as const;

/** Linux interface names as the script accepts them. */
const IFNAME = /^[0-9A-Za-z_.-]{1,15}$/;

/**
 * The fixed script. POSIX sh (bash 3 on a XenServer 5.5 Dom0, dash elsewhere), run as the exec
 * command itself so that stdin is free for the parameters. ping: iputils (CentOS 5's too) knows
 * -M do, -I, -W and -w; -w bounds each ping's whole run.
 */
export const NETWORK_TEST_SCRIPT = `LANG=C; LC_ALL=C; export LANG LC_ALL
PATH=/usr/sbin:/sbin:/usr/bin:/bin; export PATH
nonce=; iso=; a1dev=; a1peer=; a2dev=; a2peer=; q1=; q2=
while IFS='=' read -r key value; do
  case "$value" in ''|*[!0-9A-Za-z.:_-]*) continue ;; esac
  case "$key" in
    nonce) nonce="$value" ;;
    isolation) iso="$value" ;;
    alink1.dev) a1dev="$value" ;;
    alink1.peer) a1peer="$value" ;;
    alink2.dev) a2dev="$value" ;;
    alink2.peer) a2peer="$value" ;;
    quorum1) q1="$value" ;;
    quorum2) q2="$value" ;;
  esac
done
[ -n "$nonce" ] || { echo "no nonce on stdin" >&2; exit 2; }
t() {
  id="$1"; shift
  echo "@@preflight-net $nonce begin $id"
  "$@" 2>&1
  rc=$?
  echo ""
  echo "@@preflight-net $nonce end $id $rc"
}
[ -n "$iso" ] && t net.ping.isolation ping -n -c 3 -i 0.2 -W 1 -w 3 "$iso"
if [ -n "$a1dev" ] && [ -n "$a1peer" ]; then
  t net.ping.alink1 ping -n -c 5 -i 0.2 -W 1 -w 4 -M do -s 1472 -I "$a1dev" "$a1peer"
  t net.neigh.alink1 ip neigh show dev "$a1dev"
fi
if [ -n "$a2dev" ] && [ -n "$a2peer" ]; then
  t net.ping.alink2 ping -n -c 5 -i 0.2 -W 1 -w 4 -M do -s 1472 -I "$a2dev" "$a2peer"
  t net.neigh.alink2 ip neigh show dev "$a2dev"
fi
[ -n "$q1" ] && t net.ping.quorum1 ping -n -c 3 -i 0.2 -W 1 -w 3 "$q1"
[ -n "$q2" ] && t net.ping.quorum2 ping -n -c 3 -i 0.2 -W 1 -w 3 "$q2"
echo "@@preflight-net $nonce done"
`;

/** Seconds the script can take at most: the -w deadlines plus slack. */
export function networkTestsWorstCaseSeconds(tests: HostNetworkTests): number {
  return (tests.isolationIp ? 3 : 0) + tests.alinks.length * 5 + tests.quorum.length * 3 + 5;
}

/** The stdin of the script: validated `key=value` lines. Throws on anything that is not an IP literal or interface name. */
export function networkTestInput(tests: HostNetworkTests, nonce: string): string {
  const ip = (what: string, text: string) => {
    const v = ipLiteral(text);
    if (v === undefined) throw new Error(`${what} ${JSON.stringify(text)} is not an IP address`);
    return v;
  };
  if (!/^[0-9a-f]{8,64}$/.test(nonce)) throw new Error('bad nonce');
  const lines = [`nonce=${nonce}`];
  if (tests.isolationIp !== undefined) lines.push(`isolation=${ip('isolation IP', tests.isolationIp)}`);
  for (const a of tests.alinks) {
    if (!IFNAME.test(a.dev)) throw new Error(`A-link ${a.link} interface ${JSON.stringify(a.dev)} is not an interface name`);
    lines.push(`alink${a.link}.dev=${a.dev}`, `alink${a.link}.peer=${ip(`A-link ${a.link} peer`, a.peer)}`);
  }
  tests.quorum.slice(0, 2).forEach((q, i) => lines.push(`quorum${i + 1}=${ip('quorum server', q)}`));
  return `${lines.join('\n')}\n`;
}

export function newNetNonce(): string {
  return randomBytes(12).toString('hex');
}

/** What each test ran, for the evidence's `source` (the values as validated). */
function sources(tests: HostNetworkTests): Record<string, string> {
  const out: Record<string, string> = {};
  if (tests.isolationIp) out[NET_PROBES.isolation] = `ping -n -c 3 -i 0.2 -W 1 -w 3 ${tests.isolationIp}`;
  for (const a of tests.alinks) {
    out[NET_PROBES.alinkPing(a.link)] = `ping -n -c 5 -i 0.2 -W 1 -w 4 -M do -s 1472 -I ${a.dev} ${a.peer}`;
    out[NET_PROBES.alinkNeigh(a.link)] = `ip neigh show dev ${a.dev} (after pinging ${a.peer})`;
  }
  tests.quorum.slice(0, 2).forEach((q, i) => (out[NET_PROBES.quorum(i + 1)] = `ping -n -c 3 -i 0.2 -W 1 -w 3 ${q}`));
  return out;
}

/** Splits the script's output into one Evidence per test; tests without an end marker get an error. */
export function parseNetworkTests(stdout: string, nonce: string, tests: HostNetworkTests, durationMs: number): Record<string, Evidence> {
  const src = sources(tests);
  const out: Record<string, Evidence> = {};
  const lines = stdout.split('\n');
  let current: { id: string; text: string[] } | undefined;
  const begin = `@@preflight-net ${nonce} begin `;
  const end = `@@preflight-net ${nonce} end `;
  for (const line of lines) {
    if (line.startsWith(begin)) {
      current = { id: line.slice(begin.length).trim(), text: [] };
    } else if (line.startsWith(end) && current) {
      const [id, rc] = line.slice(end.length).trim().split(' ');
      if (id === current.id && src[id] !== undefined) {
        // The script adds one empty line before the end marker.
        const text = current.text.join('\n').replace(/\n$/, '');
        out[id] = { probe: id, source: src[id]!, stdout: text.endsWith('\n') || text === '' ? text : `${text}\n`, stderr: '', exitCode: Number(rc), durationMs, truncated: false };
      }
      current = undefined;
    } else if (current) {
      current.text.push(line);
    }
  }
  for (const id of Object.keys(src)) {
    if (out[id]) continue;
    out[id] = { probe: id, source: src[id]!, stdout: '', stderr: '', exitCode: null, durationMs, truncated: false, error: 'the test did not finish (the network tests were cut off)' };
  }
  return out;
}

/** The summary of an iputils ping run. */
export interface PingSummary {
  target?: string;
  transmitted?: number;
  received?: number;
  lossPercent?: number;
  rttAvgMs?: number;
  rttMaxMs?: number;
  /** "message too long" / "frag needed": the path cannot carry the packet unfragmented. */
  tooBig: boolean;
  /** the ping itself could not run: unknown option, no such device, ... */
  problem?: string;
}

export function parsePing(text: string): PingSummary {
  const s: PingSummary = { tooBig: /message too long|frag needed|mtu\s*=\s*\d+/i.test(text) };
  const head = /^PING (\S+)/m.exec(text);
  if (head) s.target = head[1]!;
  const stats = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(text);
  if (stats) {
    s.transmitted = Number(stats[1]);
    s.received = Number(stats[2]);
    s.lossPercent = s.transmitted > 0 ? Math.round(((s.transmitted - s.received) / s.transmitted) * 1000) / 10 : 100;
  }
  const rtt = /(?:rtt|round-trip) min\/avg\/max(?:\/mdev)? = ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(text);
  if (rtt) {
    s.rttAvgMs = Number(rtt[2]);
    s.rttMaxMs = Number(rtt[3]);
  }
  if (!stats) {
    const first = text.split('\n').find((l) => l.trim() !== '');
    if (first) s.problem = first.trim().slice(0, 200);
  }
  return s;
}

/** The MAC `ip neigh show dev X` lists for `address`, and its state; undefined when no entry. */
export function neighbourOf(text: string, address: string): { mac?: string; state: string } | undefined {
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts[0] !== address) continue;
    const i = parts.indexOf('lladdr');
    const mac = i >= 0 ? parts[i + 1]?.toLowerCase() : undefined;
    return { ...(mac ? { mac } : {}), state: parts[parts.length - 1] ?? '' };
  }
  return undefined;
}

/** Every planned test as an error (the host could not run them: connection, timeout). */
export function failedNetworkTests(tests: HostNetworkTests, message: string): Record<string, Evidence> {
  const out: Record<string, Evidence> = {};
  for (const [id, source] of Object.entries(sources(tests))) out[id] = { probe: id, source, stdout: '', stderr: '', exitCode: null, durationMs: 0, truncated: false, error: message };
  return out;
}
