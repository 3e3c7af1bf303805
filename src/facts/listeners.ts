import { parsed, type ParseResult } from './parseResult.js';
import type { ListenerFacts } from './schema.js';
import { parseUint, quoteLine, splitLines } from './textLines.js';

/**
 * Parser for probe `net.listeners`: `ss -l -n -t -u -p`, or `netstat -l -n -t -u -p` where ss is
 * missing (old Dom0s). Both list listening TCP sockets (LISTEN) and bound UDP sockets (UNCONN in ss,
 * an empty State column in netstat): an unconnected bound UDP socket is a UDP listener.
 *
 *   ss:      udp   UNCONN 0  0   127.0.0.53%lo:53   0.0.0.0:*   users:(("systemd-resolve",pid=1117,fd=12))
 *            tcp   LISTEN 0  5   [::]:8081          [::]:*      users:(("python3",pid=7983,fd=4))
 *   netstat: tcp6       0      0 :::22      :::*       LISTEN      1127/sshd
 *            udp        0      0 0.0.0.0:68 0.0.0.0:*              867/systemd-network
 *
 * Addresses are kept as the tool prints them minus IPv6 brackets: `[::]` -> `::`, `*` stays `*`
 * (ss: a dual-stack IPv6 socket), and a `%iface` suffix (socket bound to one device) is kept.
 * A socket shared by several processes (pre-forked servers) is reported with the first process ss
 * lists. Without root, process columns are empty (`-`), so process and pid are simply absent.
 */

const SS_STATES = new Set(['LISTEN', 'UNCONN']);
/** netstat's State column for TCP; UDP rows leave it empty (or print a state we do not need). */
const NETSTAT_STATES = new Set(['LISTEN', 'ESTABLISHED', 'CLOSE', 'CLOSE_WAIT', 'SYN_SENT', 'SYN_RECV', 'TIME_WAIT', 'FIN_WAIT1', 'FIN_WAIT2', 'LAST_ACK', 'CLOSING', 'UNKNOWN']);
const MAX_PROBLEMS = 20;

export function parseListeners(text: string): ParseResult<ListenerFacts[]> {
  const listeners: ListenerFacts[] = [];
  const problems: string[] = [];
  const problem = (message: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(message);
  };
  // netstat lists UNIX sockets after the Internet ones (without -t -u); nothing there is ours.
  let inUnixSection = false;
  for (const raw of splitLines(text)) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^Active UNIX domain sockets/i.test(line)) {
      inUnixSection = true;
      continue;
    }
    if (/^Active Internet connections/i.test(line)) {
      inUnixSection = false;
      continue;
    }
    if (inUnixSection || isHeaderOrNoise(line)) continue;
    const words = line.split(/\s+/);
    const first = words[0]!.toLowerCase();
    let row: ListenerFacts | undefined | 'skip';
    if (first === 'tcp' || first === 'udp') row = words[1] !== undefined && SS_STATES.has(words[1]) ? readSsRow(words, first, 2) : readNetstatRow(words);
    else if (first === 'tcp6' || first === 'udp6') row = readNetstatRow(words);
    else if (SS_STATES.has(words[0]!)) row = readSsRow(words, words[0] === 'LISTEN' ? 'tcp' : 'udp', 1); // ss without a Netid column
    else if (/^(raw6?|unix|icmp6?|sctp|dccp|nl|p_raw|p_dgr|u_str|u_dgr|u_seq|v_str|v_dgr|mptcp|tipc|xdp)$/.test(first)) row = 'skip';
    if (row === 'skip') continue;
    if (row === undefined) {
      problem(`net.listeners: unexpected line ${quoteLine(raw)}`);
      continue;
    }
    listeners.push(row);
  }
  return parsed(listeners, problems);
}

/** Column headers, and the note netstat prints when not run as root. */
function isHeaderOrNoise(line: string): boolean {
  return /^(Netid\s|State\s|Proto\s)/.test(line) || /^\(.*(processes|be root).*\)?$/i.test(line) || /^(will not be shown|you would have to be root)/i.test(line);
}

/** ss: [Netid] State Recv-Q Send-Q Local:Port Peer:Port [Process...]; `at` is the index of Recv-Q. */
function readSsRow(words: string[], protocol: 'tcp' | 'udp', at: number): ListenerFacts | undefined {
  const local = words[at + 2];
  if (local === undefined || words[at + 3] === undefined) return undefined;
  const endpoint = splitEndpoint(local);
  if (!endpoint) return undefined;
  const listener: ListenerFacts = { protocol, address: endpoint.address, port: endpoint.port };
  const owner = readSsUsers(words.slice(at + 4).join(' '));
  if (owner) Object.assign(listener, owner);
  return listener;
}

/** netstat: Proto Recv-Q Send-Q Local Foreign [State] [PID/Program name]. */
function readNetstatRow(words: string[]): ListenerFacts | undefined {
  const protocol = words[0]!.toLowerCase().startsWith('tcp') ? 'tcp' : 'udp';
  const local = words[3];
  if (local === undefined || words[4] === undefined || parseUint(words[1]) === undefined) return undefined;
  const endpoint = splitEndpoint(local);
  if (!endpoint) return undefined;
  const listener: ListenerFacts = { protocol, address: endpoint.address, port: endpoint.port };
  let rest = words.slice(5);
  if (rest[0] !== undefined && NETSTAT_STATES.has(rest[0])) rest = rest.slice(1);
  // Program names may contain spaces ("tmux: server"), so the column is everything after the PID.
  const pidProgram = /^(\d+)\/(.*)$/.exec(rest.join(' '));
  if (pidProgram) {
    const pid = parseUint(pidProgram[1]);
    if (pid !== undefined) listener.pid = pid;
    const name = pidProgram[2]!.trim();
    if (name) listener.process = name;
  }
  return listener;
}

/** `users:(("sshd",pid=123,fd=3),...)`; old ss (iproute2 < 3.x) prints `users:(("sshd",123,3))`. */
function readSsUsers(text: string): Pick<ListenerFacts, 'process' | 'pid'> | undefined {
  const m = /users:\(\("((?:[^"\\]|\\.)*)",(?:pid=)?(\d+)/.exec(text);
  if (!m) return undefined;
  const out: Pick<ListenerFacts, 'process' | 'pid'> = {};
  if (m[1]) out.process = m[1];
  const pid = parseUint(m[2]);
  if (pid !== undefined) out.pid = pid;
  return out;
}

/**
 * `0.0.0.0:22`, `[::]:22`, `[fe80::1]%eth0:546`, `127.0.0.53%lo:53`, `*:22`, `:::22` (netstat and
 * old ss print IPv6 without brackets: the port is after the last colon).
 */
export function splitEndpoint(text: string): { address: string; port: number } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const port = parseUint(text.slice(colon + 1));
  if (port === undefined || port > 65535) return undefined;
  let address = text.slice(0, colon);
  const bracketed = /^\[([^\]]*)\](%\S+)?$/.exec(address);
  if (bracketed) address = `${bracketed[1]}${bracketed[2] ?? ''}`;
  if (address === '') return undefined;
  return { address, port };
}
