import { randomBytes } from 'node:crypto';
import { ipLiteral } from '../collect/ipLiteral.js';
import { InputError } from '../engine/inputError.js';
import type { IdentifyResult, ReachResult, ReachTarget } from './cableHost.js';
import { isNicName } from './remoteCarrierScript.js';

/**
 * `identify` (blink a port's LED) and `reach` (ping from a host) for both kinds of CableHost:
 * parameter validation, the argument lists this machine runs, the fixed scripts a remote host runs
 * (parameters on stdin, validated again there), and turning what ethtool and ping printed into a
 * result with a plain one-line message.
 */

export const IDENTIFY_MAX_SECONDS = 300;
/** At most this many ping targets per reach() call (each takes up to PING_DEADLINE_S). */
export const REACH_MAX_TARGETS = 16;
const PING_DEADLINE_S = 3;

/** ping: 3 replies wanted, 0.2 s apart, 1 s per reply, 3 s in all; -n: no DNS lookups. */
export function pingArgs(t: ReachTarget): string[] {
  return ['-n', '-c', '3', '-i', '0.2', '-W', '1', '-w', String(PING_DEADLINE_S), ...(t.device !== undefined ? ['-I', t.device] : []), t.address];
}

export function reachWorstCaseMs(count: number): number {
  return count * (PING_DEADLINE_S + 1) * 1000;
}

/** Throws an InputError unless `device` is an interface name and `seconds` a whole number 1..300. */
export function checkIdentifyInput(device: string, seconds: number): void {
  if (!isNicName(device)) throw new InputError(`--identify: ${JSON.stringify(device)} is not an interface name`);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > IDENTIFY_MAX_SECONDS) {
    throw new InputError(`--identify: ${seconds} seconds: expected a whole number from 1 to ${IDENTIFY_MAX_SECONDS}`);
  }
}

/** The targets with addresses normalised (ipaddr.js); an InputError for anything that is not an IP literal or interface name. */
export function checkReachTargets(targets: readonly ReachTarget[]): ReachTarget[] {
  if (targets.length > REACH_MAX_TARGETS) throw new InputError(`reach: ${targets.length} targets, at most ${REACH_MAX_TARGETS}`);
  return targets.map((t) => {
    const address = ipLiteral(t.address);
    if (address === undefined) throw new InputError(`reach: ${JSON.stringify(t.address)} is not an IP address`);
    if (t.device !== undefined && !isNicName(t.device)) throw new InputError(`reach: ${JSON.stringify(t.device)} is not an interface name`);
    return { address, ...(t.device !== undefined ? { device: t.device } : {}) };
  });
}

/** What happened when ethtool --identify was asked for. */
export type IdentifyRun =
  | { kind: 'no-device' }
  | { kind: 'no-ethtool' }
  | { kind: 'ran'; exitCode: number | null; output: string };

export function identifyResult(host: string, device: string, run: IdentifyRun): IdentifyResult {
  switch (run.kind) {
    case 'no-device':
      return { ok: false, message: `${host} has no interface named ${device}` };
    case 'no-ethtool':
      return { ok: false, message: `ethtool is not installed on ${host}, so ${device}'s port LED cannot be blinked: find the port by pulling its cable` };
    case 'ran': {
      if (run.exitCode === 0) return { ok: true };
      if (/not supported/i.test(run.output)) {
        return { ok: false, message: `${host} ${device}: its driver cannot blink the port LED (ethtool --identify: Operation not supported); find the port by pulling its cable` };
      }
      const said = firstLine(run.output);
      return { ok: false, message: `${host} ${device}: ethtool --identify failed${said ? `: ${said}` : ` (exit ${run.exitCode ?? 'killed'})`}` };
    }
  }
}

/** The result of one ping run: ok with the fastest reply's round trip, or why not. */
export function reachResult(target: ReachTarget, output: string, exitCode: number | null): ReachResult {
  const base = { address: target.address, ...(target.device !== undefined ? { device: target.device } : {}) };
  const times = [...output.matchAll(/\btime[=<]\s*([\d.]+)\s*ms/g)].map((m) => Number(m[1])).filter((n) => Number.isFinite(n));
  const summary = /(?:rtt|round-trip) min\/avg\/max(?:\/[a-z]+)? = ([\d.]+)\//.exec(output);
  if (summary) times.push(Number(summary[1]));
  const stats = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  const received = stats ? Number(stats[2]) : times.length > 0 ? 1 : 0;
  if (received > 0 && times.length > 0) return { ...base, ok: true, rttMs: Math.min(...times) };
  const via = target.device !== undefined ? ` out of ${target.device}` : '';
  if (exitCode === 127 || /ping6?: (?:command )?not found|ping6?: not installed/.test(output)) return { ...base, ok: false, rttMs: null, message: 'ping is not installed on the host' };
  if (stats) {
    const unreachable = /Destination Host Unreachable/i.test(output) ? ': destination host unreachable' : '';
    return { ...base, ok: false, rttMs: null, message: `no reply from ${target.address}${via} (${stats[1]} sent, ${stats[2]} received)${unreachable}` };
  }
  const problem = output
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !/^PING /.test(l) && !/^ping: Warning/.test(l));
  return { ...base, ok: false, rttMs: null, message: `ping ${target.address}${via} failed${problem ? `: ${problem.slice(0, 200)}` : ` (exit ${exitCode ?? 'killed'})`}` };
}

export function newActionNonce(): string {
  return randomBytes(12).toString('hex');
}

/**
 * Runs on a remote host with `nonce=`, `dev=` and `seconds=` lines on stdin. Prints one marker
 * line: `@@pf-identify NONCE no-device|no-ethtool|bad-input`, or ethtool's output followed by
 * `@@pf-identify NONCE rc N`.
 */
export const IDENTIFY_SCRIPT = `LANG=C; LC_ALL=C; export LANG LC_ALL
PATH=/usr/sbin:/sbin:/usr/bin:/bin; export PATH
nonce=; dev=; secs=
while IFS='=' read -r key value; do
  case "$key" in
    nonce) case "$value" in ''|*[!0-9a-f]*) ;; *) nonce=$value ;; esac ;;
    dev) case "$value" in ''|.|..|-*|*[!A-Za-z0-9_.:-]*) ;; *) dev=$value ;; esac ;;
    seconds) case "$value" in ''|*[!0-9]*) ;; *) secs=$value ;; esac ;;
  esac
done
[ -n "$nonce" ] || { echo "no nonce on stdin" >&2; exit 2; }
if [ -z "$dev" ] || [ \${#dev} -gt 15 ] || [ -z "$secs" ] || [ \${#secs} -gt 3 ]; then echo "@@pf-identify $nonce bad-input"; exit 2; fi
[ -e "/sys/class/net/$dev" ] || { echo "@@pf-identify $nonce no-device"; exit 0; }
command -v ethtool >/dev/null 2>&1 || { echo "@@pf-identify $nonce no-ethtool"; exit 0; }
ethtool --identify "$dev" "$secs" 2>&1
rc=$?
echo ""
echo "@@pf-identify $nonce rc $rc"
`;

export function identifyInput(device: string, seconds: number, nonce: string): string {
  checkIdentifyInput(device, seconds);
  return `nonce=${nonce}\ndev=${device}\nseconds=${seconds}\n`;
}

/** The remote identify script's output as an IdentifyRun; undefined when its marker line is missing (it did not finish). */
export function parseIdentifyOutput(stdout: string, nonce: string): IdentifyRun | undefined {
  const marker = `@@pf-identify ${nonce} `;
  const lines = stdout.split('\n');
  const i = lines.findIndex((l) => l.startsWith(marker));
  if (i < 0) return undefined;
  const rest = lines[i]!.slice(marker.length).trim();
  if (rest === 'no-device') return { kind: 'no-device' };
  if (rest === 'no-ethtool') return { kind: 'no-ethtool' };
  const rc = /^rc (\d+)$/.exec(rest);
  if (!rc) return undefined;
  return { kind: 'ran', exitCode: Number(rc[1]), output: lines.slice(0, i).join('\n') };
}

/**
 * Runs on a remote host with `nonce=` then one `t ADDRESS [DEVICE]` line per target on stdin;
 * for target i prints `@@pf-reach NONCE begin i`, ping's output, `@@pf-reach NONCE end i RC`.
 */
export const REACH_SCRIPT = `LANG=C; LC_ALL=C; export LANG LC_ALL
PATH=/usr/sbin:/sbin:/usr/bin:/bin; export PATH
nonce=; i=0; todo=
while read -r key a d; do
  case "$key" in
    nonce) case "$a" in ''|*[!0-9a-f]*) ;; *) nonce=$a ;; esac ;;
    t) case "$a" in ''|*[!0-9A-Fa-f.:]*) a=- ;; esac
       case "$d" in *[!A-Za-z0-9_.:-]*|.|..|-*) a=- ;; esac
       todo="$todo $a/$d" ;;
  esac
done
[ -n "$nonce" ] || { echo "no nonce on stdin" >&2; exit 2; }
for t in $todo; do
  a=\${t%%/*}; d=\${t#*/}
  echo "@@pf-reach $nonce begin $i"
  if [ "$a" = - ]; then echo "bad target"; rc=2
  else
    p=ping
    case "$a" in *:*) command -v ping6 >/dev/null 2>&1 && p=ping6 ;; esac
    if [ -n "$d" ]; then $p -n -c 3 -i 0.2 -W 1 -w 3 -I "$d" "$a" 2>&1; rc=$?
    else $p -n -c 3 -i 0.2 -W 1 -w 3 "$a" 2>&1; rc=$?; fi
  fi
  echo ""
  echo "@@pf-reach $nonce end $i $rc"
  i=$((i + 1))
done
echo "@@pf-reach $nonce done"
`;

export function reachInput(targets: readonly ReachTarget[], nonce: string): string {
  const checked = checkReachTargets(targets);
  return `nonce ${nonce}\n${checked.map((t) => `t ${t.address}${t.device !== undefined ? ` ${t.device}` : ''}\n`).join('')}`;
}

/** The remote reach script's output, one result per target; a target without its end marker was cut off. */
export function parseReachOutput(stdout: string, nonce: string, targets: readonly ReachTarget[]): ReachResult[] {
  const begin = `@@pf-reach ${nonce} begin `;
  const end = `@@pf-reach ${nonce} end `;
  const found = new Map<number, ReachResult>();
  let current: { i: number; text: string[] } | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(begin)) current = { i: Number(line.slice(begin.length)), text: [] };
    else if (line.startsWith(end) && current) {
      const [i, rc] = line.slice(end.length).split(' ');
      const t = targets[Number(i)];
      if (Number(i) === current.i && t) found.set(current.i, reachResult(t, current.text.join('\n'), Number(rc)));
      current = undefined;
    } else if (current) current.text.push(line);
  }
  return targets.map(
    (t, i) => found.get(i) ?? { address: t.address, ...(t.device !== undefined ? { device: t.device } : {}), ok: false, rttMs: null, message: 'the ping did not finish (the connection was cut off)' },
  );
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 200);
}
