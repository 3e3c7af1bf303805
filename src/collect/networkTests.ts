import { randomBytes } from 'node:crypto';
import type { Evidence } from './evidence.js';
import { ipLiteral } from './ipLiteral.js';

/**
 * The active network tests ("exercise" phase) a host runs for the pool rules, after every host's
 * facts are in: ping the isolation IP; ping the peer's A-link address out of each A-link NIC with
 * the don't-fragment bit and a full-size payload (1472 bytes + 28 header bytes = a 1500-byte
 * packet), then read the neighbour table of that NIC (which MAC answered for the peer's address);
 * ping the quorum servers and send them a UDP datagram (a scanned quorum computer listens for it
 * and sends one back to each host's UDP 2188: UDP_PROBE_PY); ARP for the pool's addresses (arping).
 * The tests only read, ping and send single datagrams: nothing on the host is configured, and the
 * one listener (the UDP prober) ends with the script, at its deadline, or when preflight goes away.
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
  /** UDP probes of the quorum ports (see UDP_PROBE_PY): a short-lived listener and datagram senders. */
  udp?: UdpTests;
  /** ARP probes of the pool's addresses (pool.unique-ips on the wire). */
  arp?: ArpTests;
}

/**
 * The UDP part of one machine's tests: listen on `listenPort` (a quorum computer on 2189, a host on
 * 2188) for the datagrams of the scan's other machines, and send one datagram (`preflight-udp NONCE
 * TOKEN`, repeated until acknowledged or the send window ends) to each target. Every datagram has its
 * own random token, so the receiver's "got TOKEN" proves which sender reached it.
 */
export interface UdpTests {
  /** shared by every machine of the scan: a listener ignores datagrams without it */
  nonce: string;
  listenPort?: number;
  /** datagrams (tokens) the listener waits for before it stops early */
  expect: number;
  send: { token: string; address: string; port: number }[];
}

/**
 * The ARP part: `arping -D` (duplicate address detection, sender 0.0.0.0) for the host's own
 * addresses, on the NIC that holds each; `arping -b` (broadcast requests, every holder answers)
 * for the other hosts' addresses, on the host's NIC whose subnet holds each.
 */
export interface ArpTests {
  dad: { address: string; dev: string }[];
  ask: { address: string; dev: string }[];
}

/** Probe ids of the network tests, and what each runs (for the evidence's `source`). */
export const NET_PROBES = {
  isolation: 'net.ping.isolation',
  alinkPing: (link: 1 | 2) => `net.ping.alink${link}`,
  alinkNeigh: (link: 1 | 2) => `net.neigh.alink${link}`,
  quorum: (i: number) => `net.ping.quorum${i}`,
  udp: 'net.udp',
  arp: 'net.arp',
} as const;

/** UDP ports of the quorum service (Setup Guide, Table 3, row Ports). */
export const QUORUM_UDP_PORT = 2189;
export const HOST_UDP_PORT = 2188;
/** Seconds the senders repeat their datagram, and the longest a listener stays up. */
export const UDP_SEND_WINDOW_S = 4;
export const UDP_LISTEN_WINDOW_S = 6;

/**
 * The UDP prober, a fixed Python program (Python 2.4, a XenServer 5.5 Dom0's, up to Python 3; no
 * `with`, no `except ... as`, no b'' literals). Parameters arrive on its stdin as key=value lines
 * (the shell script forwards only values it accepted). One process does both jobs, so its output
 * is one block: it binds the listen port (or says why it cannot: in use, e.g. by the real quorum
 * service), sends each target's datagram every 0.25 s for UDP_SEND_WINDOW_S seconds on a connected
 * socket (so an ICMP port-unreachable comes back as ECONNREFUSED), answers every datagram it
 * receives with an acknowledgement, and stops when everything is answered or at its deadline.
 *
 * It never outlives the scan: a hard deadline of UDP_LISTEN_WINDOW_S seconds, and a heartbeat byte on
 * stderr every 0.1 s: when preflight goes away (interrupted, killed, connection lost), sshd closes the
 * session's pipes, the write fails (EPIPE) and the prober exits at once.
 */
const UDP_PROBE_PY = `import errno, select, socket, sys, time
def say(t):
    sys.stdout.write(t + "\\n")
    sys.stdout.flush()
def err(e):
    return str(getattr(e, "strerror", None) or e).replace(" ", "_")[:80]
def eno(e):
    n = getattr(e, "errno", None)
    if n is None and getattr(e, "args", None):
        n = e.args[0]
    return n
def clean(v):
    for c in v:
        if not (c.isalnum() or c in ".:_-"):
            return ""
    return v
p = {}
sends = []
for line in sys.stdin.read().split("\\n"):
    if "=" in line:
        k, v = line.split("=", 1)
        v = clean(v.strip())
        if k == "send":
            sends.append(v)
        elif v:
            p[k] = v
nonce = p.get("nonce", "")
if len(nonce) < 8:
    say("no-nonce")
    sys.exit(2)
start = time.time()
SEND_S = ${UDP_SEND_WINDOW_S}
LISTEN_S = ${UDP_LISTEN_WINDOW_S}
expect = int(p.get("expect", "0") or "0")
lst = None
if p.get("listen"):
    port = int(p["listen"])
    try:
        lst = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        lst.bind(("", port))
        say("listen %d bound" % port)
    except socket.error:
        say("listen %d failed %s" % (port, err(sys.exc_info()[1])))
        lst = None
targets = []
for v in sends:
    parts = v.split("_")
    if len(parts) < 3 or not parts[-1].isdigit():
        continue
    x = {"tok": parts[0], "addr": "_".join(parts[1:-1]), "port": int(parts[-1]), "state": "silent", "refused": 0, "last": 0.0, "done": 0}
    fam = socket.AF_INET
    if ":" in x["addr"]:
        fam = socket.AF_INET6
    try:
        x["sock"] = socket.socket(fam, socket.SOCK_DGRAM)
        x["sock"].connect((x["addr"], x["port"]))
    except socket.error:
        x["state"] = "error:" + err(sys.exc_info()[1])
        x["done"] = 1
    targets.append(x)
got = {}
def msg(kind, tok):
    return ("preflight-%s %s %s" % (kind, nonce, tok)).encode("ascii")
def text(d):
    if not isinstance(d, str):
        d = d.decode("latin-1")
    return d
while 1:
    now = time.time() - start
    sending = [x for x in targets if not x["done"] and now < SEND_S]
    listening = lst is not None and now < LISTEN_S and len(got) < expect
    if not sending and not listening:
        break
    try:
        sys.stderr.write(".")
        sys.stderr.flush()
    except Exception:
        sys.exit(3)
    for x in sending:
        if time.time() - x["last"] >= 0.25:
            x["last"] = time.time()
            try:
                x["sock"].send(msg("udp", x["tok"]))
            except socket.error:
                e = sys.exc_info()[1]
                if eno(e) == errno.ECONNREFUSED:
                    x["refused"] += 1
                else:
                    x["state"] = "error:" + err(e)
                    x["done"] = 1
    socks = [x["sock"] for x in sending if not x["done"]]
    if lst is not None:
        socks.append(lst)
    for s in select.select(socks, [], [], 0.1)[0]:
        if s is lst:
            d, src = lst.recvfrom(512)
            f = text(d).split(" ")
            if len(f) == 3 and f[0] == "preflight-udp" and f[1] == nonce and clean(f[2]):
                if f[2] not in got:
                    got[f[2]] = 1
                    say("got %s %s %d" % (f[2], src[0], src[1]))
                lst.sendto(msg("ack", f[2]), src)
            continue
        for x in targets:
            if x.get("sock") is s:
                try:
                    d = text(s.recv(512))
                    if d == text(msg("ack", x["tok"])):
                        x["state"] = "open"
                        x["done"] = 1
                except socket.error:
                    e = sys.exc_info()[1]
                    if eno(e) == errno.ECONNREFUSED:
                        x["refused"] += 1
for x in targets:
    st = x["state"]
    if st == "silent" and x["refused"]:
        st = "refused"
    say("send %s %s %d %s" % (x["tok"], x["addr"], x["port"], st))
say("end %d" % len(got))
`;


/** Linux interface names as the script accepts them. */
const IFNAME = /^[0-9A-Za-z_.-]{1,15}$/;

/**
 * The fixed script. POSIX sh (bash 3 on a XenServer 5.5 Dom0, dash elsewhere), run as the exec
 * command itself so that stdin is free for the parameters. ping: iputils (CentOS 5's too) knows
 * -M do, -I, -W and -w; -w bounds each ping's whole run.
 */
export const NETWORK_TEST_SCRIPT = `LANG=C; LC_ALL=C; export LANG LC_ALL
PATH=/usr/sbin:/sbin:/usr/bin:/bin; export PATH
exec 3>&2
nonce=; iso=; a1dev=; a1peer=; a2dev=; a2peer=; q1=; q2=; udp=; arpdad=; arpask=
UDP_PY='${UDP_PROBE_PY}'
while IFS='=' read -r key value; do
  case "$value" in ''|*[!0-9A-Za-z.:_-]*) continue ;; esac
  case "$key" in
    udp.nonce) udp="$udp
nonce=$value" ;;
    udp.listen) udp="$udp
listen=$value" ;;
    udp.expect) udp="$udp
expect=$value" ;;
    udp.send) udp="$udp
send=$value" ;;
    arp.dad) arpdad="$arpdad $value" ;;
    arp.ask) arpask="$arpask $value" ;;
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
# UDP: the prober's heartbeat goes to the session's stderr (fd 3), never into the framed output.
udp_probe() {
  for py in python3 python python2; do
    if command -v "$py" >/dev/null 2>&1; then
      echo "python $py"
      printf '%s\\n' "$udp" | "$py" -c "$UDP_PY" 2>&3
      return $?
    fi
  done
  echo "no python (python3, python, python2) on this host"
  return 127
}
# ARP: every arping at once (each waits up to 1 s); each output line is one short write, prefixed.
arp_probe() {
  command -v arping >/dev/null 2>&1 || { echo "no arping on this host"; return 127; }
  for x in $arpdad; do
    a=\${x%%_*}; d=\${x#*_}
    arping -D -c 2 -w 1 -I "$d" "$a" 2>&1 | while IFS= read -r l; do echo "dad $a $d $l"; done &
  done
  for x in $arpask; do
    a=\${x%%_*}; d=\${x#*_}
    arping -b -c 2 -w 1 -I "$d" "$a" 2>&1 | while IFS= read -r l; do echo "ask $a $d $l"; done &
  done
  wait
  return 0
}
[ -n "$udp" ] && t net.udp udp_probe
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
[ -n "$arpdad$arpask" ] && t net.arp arp_probe
echo "@@preflight-net $nonce done"
`;

/** Seconds the script can take at most: the -w deadlines plus slack. */
export function networkTestsWorstCaseSeconds(tests: HostNetworkTests): number {
  return (tests.isolationIp ? 3 : 0) + tests.alinks.length * 5 + tests.quorum.length * 3 + (tests.udp ? UDP_LISTEN_WINDOW_S + 1 : 0) + (tests.arp ? 3 : 0) + 5;
}

/** A random token or nonce for the UDP probes (lower-case hex). */
export function newUdpToken(): string {
  return randomBytes(8).toString('hex');
}

const HEX_TOKEN = /^[0-9a-f]{8,64}$/;

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
  if (tests.udp) {
    const u = tests.udp;
    if (!HEX_TOKEN.test(u.nonce)) throw new Error('bad UDP nonce');
    const port = (p: number) => {
      if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`UDP port ${p} is not a port number`);
      return p;
    };
    lines.push(`udp.nonce=${u.nonce}`);
    if (u.listenPort !== undefined) lines.push(`udp.listen=${port(u.listenPort)}`);
    if (!Number.isInteger(u.expect) || u.expect < 0) throw new Error('bad UDP expect count');
    lines.push(`udp.expect=${u.expect}`);
    for (const t of u.send) {
      if (!HEX_TOKEN.test(t.token)) throw new Error('bad UDP token');
      lines.push(`udp.send=${t.token}_${ip('UDP target', t.address)}_${port(t.port)}`);
    }
  }
  if (tests.arp) {
    for (const [kind, list] of [['dad', tests.arp.dad], ['ask', tests.arp.ask]] as const) {
      for (const a of list) {
        const v4 = ip('ARP target', a.address);
        if (v4.includes(':')) throw new Error(`ARP target ${JSON.stringify(a.address)} is not an IPv4 address`);
        if (!IFNAME.test(a.dev)) throw new Error(`ARP interface ${JSON.stringify(a.dev)} is not an interface name`);
        lines.push(`arp.${kind}=${v4}_${a.dev}`);
      }
    }
  }
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
  if (tests.udp) {
    const u = tests.udp;
    const parts = [
      ...(u.listenPort !== undefined ? [`listen on UDP ${u.listenPort} for up to ${UDP_LISTEN_WINDOW_S} s`] : []),
      ...u.send.map((t) => `send a datagram to ${t.address} UDP ${t.port}`),
    ];
    out[NET_PROBES.udp] = `python (fixed UDP prober, nonce ${u.nonce}): ${parts.join('; ')}`;
  }
  if (tests.arp) {
    const a = tests.arp;
    out[NET_PROBES.arp] = [...a.dad.map((x) => `arping -D -c 2 -w 1 -I ${x.dev} ${x.address}`), ...a.ask.map((x) => `arping -b -c 2 -w 1 -I ${x.dev} ${x.address}`)].join('; ');
  }
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

/** What one machine's UDP prober reported (net.udp). */
export interface UdpProbeResult {
  /** the prober could not run: no Python on the machine, ... */
  problem?: string;
  listen?: { port: number; bound: boolean; reason?: string };
  /** datagrams the listener received: token, and the sender's address as the kernel saw it */
  got: { token: string; from: string }[];
  /** per target: open (acknowledged), refused (ICMP port unreachable), silent (no answer), error */
  sent: { token: string; address: string; port: number; state: 'open' | 'refused' | 'silent' | 'error'; reason?: string }[];
  /** the prober reached its end line (it was not cut off) */
  finished: boolean;
}

export function parseUdpProbe(text: string): UdpProbeResult {
  const r: UdpProbeResult = { got: [], sent: [], finished: false };
  for (const line of text.split('\n')) {
    const f = line.trim().split(' ');
    if (f[0] === 'listen' && f.length >= 3) {
      r.listen = { port: Number(f[1]), bound: f[2] === 'bound', ...(f[2] === 'failed' ? { reason: (f[3] ?? '').replace(/_/g, ' ') } : {}) };
    } else if (f[0] === 'got' && f.length >= 3) {
      r.got.push({ token: f[1]!, from: f[2]! });
    } else if (f[0] === 'send' && f.length >= 5) {
      const raw = f[4]!;
      const state = raw === 'open' || raw === 'refused' || raw === 'silent' ? raw : 'error';
      r.sent.push({ token: f[1]!, address: f[2]!, port: Number(f[3]), state, ...(state === 'error' ? { reason: raw.replace(/^error:/, '').replace(/_/g, ' ') } : {}) });
    } else if (f[0] === 'end') {
      r.finished = true;
    } else if (/^no python|^no-nonce/.test(line)) {
      r.problem = line.trim();
    }
  }
  return r;
}

/** One arping of net.arp: which MACs answered for the address on that NIC. */
export interface ArpProbeResult {
  kind: 'dad' | 'ask';
  address: string;
  dev: string;
  macs: string[];
  /** arping could not run on that NIC (no such device, ...) */
  problem?: string;
}

/** The arpings of net.arp; `missing` when the host has no arping. */
export function parseArpProbe(text: string): { missing?: string; probes: ArpProbeResult[] } {
  if (/^no arping/m.test(text)) return { missing: text.trim().split('\n')[0]!, probes: [] };
  const byKey = new Map<string, ArpProbeResult>();
  for (const line of text.split('\n')) {
    const m = /^(dad|ask) (\S+) (\S+) (.*)$/.exec(line.trim());
    if (!m) continue;
    const key = `${m[1]} ${m[2]} ${m[3]}`;
    const p = byKey.get(key) ?? { kind: m[1] as 'dad' | 'ask', address: m[2]!, dev: m[3]!, macs: [] };
    byKey.set(key, p);
    const rest = m[4]!;
    const reply = /reply from \S+ \[([0-9A-Fa-f:]{17})\]/.exec(rest);
    if (reply) {
      const mac = reply[1]!.toLowerCase();
      if (!p.macs.includes(mac)) p.macs.push(mac);
    } else if (/^arping: /.test(rest) || /No such device|unknown iface|Cannot assign|invalid/i.test(rest)) {
      p.problem ??= rest.slice(0, 160);
    }
  }
  return { probes: [...byKey.values()] };
}
