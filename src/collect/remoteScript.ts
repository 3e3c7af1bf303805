import { randomBytes } from 'node:crypto';
import type { Evidence, Probe } from './evidence.js';

/**
 * The batch script: every probe of a host in ONE remote shell, so a scan costs one SSH exec.
 *
 * The script is fixed text plus three kinds of values: the nonce (hex), numbers (index, time
 * limit, byte cap) and the probes' own scripts, which are fixed catalogue text single-quoted as
 * `/bin/sh -c` arguments. Nothing typed by a user or read from the network is ever pasted in.
 *
 * It must run on a XenServer 5.5 Dom0 (CentOS 5: bash 3 as /bin/sh, coreutils 5.97, no `timeout`)
 * as well as on dash and current bash, so it sticks to POSIX sh, backquotes included. Each probe
 * runs in a background subshell (at most `concurrency` at once) with its stdout/stderr piped
 * through `head -c` into files of a `mktemp -d` directory that a trap always removes; a watchdog
 * subshell kills the probe's process tree when its time limit passes. Afterwards every result is printed between marker lines that carry the nonce, so probe
 * output (which never knows the nonce) cannot forge or end a frame.
 *
 * Output, per probe i (the content is always followed by one newline the parser removes):
 *   PFB:<nonce>:begin:<i>:<exit code>:<ns|s>:<start>:<end>:<timed out 0|1>:<truncated 0|1>:<limit s>
 *   <stdout, at most maxBytes>
 *   PFB:<nonce>:stderr:<i>
 *   <stderr, at most 64 KiB>
 *   PFB:<nonce>:end:<i>
 * and finally `PFB:<nonce>:done:<count>`, or `PFB:<nonce>:fatal:<reason>` when it cannot start.
 */

/** stderr kept per probe, as the local transport keeps it. */
export const STDERR_CAP_BYTES = 64 * 1024;

export const NO_RESULT_ERROR = 'no result (the connection ended before this probe finished)';

const NONCE = /^[0-9a-f]{16,64}$/;

export interface BatchScriptOptions {
  /** Random hex (see newNonce); it marks every frame of this one run. */
  nonce: string;
  /**
   * Time limit for every probe, overriding each probe's own `timeoutMs` (the --timeout flag).
   * Without it each probe keeps its own limit. Limits are whole seconds (`sleep` on a Dom0 takes
   * no fractions); a probe's milliseconds are rounded up.
   */
  timeoutSeconds?: number;
  /** Probes running at once (default DEFAULT_BATCH_CONCURRENCY). */
  concurrency?: number;
}

/** 128 random bits as hex: unguessable by anything running on the scanned host. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/** The time limit (whole seconds, at least 1) the batch script enforces for a probe. */
export function probeLimitSeconds(probe: Probe, timeoutSeconds?: number): number {
  const seconds = timeoutSeconds ?? probe.timeoutMs / 1000;
  return Math.max(1, Math.ceil(seconds));
}

/** Probes running at once on the host: a XenServer Dom0 has little memory and a few vCPUs to spare. */
export const DEFAULT_BATCH_CONCURRENCY = 8;

/**
 * How long the batch can run at most (before its output travels): every probe using its whole
 * limit, started in catalogue order as slots free up, plus a second per probe for forks and
 * bookkeeping on a slow Dom0.
 */
export function batchWorstCaseSeconds(probes: readonly Probe[], opts: Omit<BatchScriptOptions, 'nonce'> = {}): number {
  const slots: number[] = new Array(Math.max(1, Math.min(opts.concurrency ?? DEFAULT_BATCH_CONCURRENCY, probes.length))).fill(0);
  for (const p of probes) {
    const i = slots.indexOf(Math.min(...slots));
    slots[i]! += probeLimitSeconds(p, opts.timeoutSeconds) + 1;
  }
  return Math.max(0, ...slots);
}

/** Single-quotes text for sh: the only character that needs care inside '' is ' itself. */
function shSingleQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function assertCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`batch script: ${name} must be a whole number >= 0, got ${n}`);
}

/**
 * The script's fixed part. Functions are defined first and called on the last line, so a script
 * cut short in transit runs nothing at all. Variables are prefixed pf_ to stay out of the way.
 */
const PRELUDE = `pf_main() {
LANG=C; LC_ALL=C; export LANG LC_ALL
# A non-login SSH session often lacks the sbin directories where ip, ethtool and dmidecode live.
PATH=\${PATH:-/usr/bin:/bin}:/usr/local/sbin:/usr/sbin:/sbin; export PATH
umask 077
pf_t=
trap 'pf_cleanup' EXIT
trap 'pf_abort 129' HUP
trap 'pf_abort 130' INT
trap 'pf_abort 141' PIPE
trap 'pf_abort 143' TERM
pf_t=\`mktemp -d "\${TMPDIR:-/tmp}/preflight.XXXXXXXXXX" 2>/dev/null\` || pf_t=\`mktemp -d /tmp/preflight.XXXXXXXXXX 2>/dev/null\` || {
  printf 'PFB:%s:fatal:mktemp\\n' "$pf_n"; exit 1; }
# Nanoseconds where date knows %N (GNU); whole seconds elsewhere.
case \`date +%s%N 2>/dev/null\` in
  *[!0-9]*|'') pf_clock=s; pf_fmt=+%s ;;
  *) pf_clock=ns; pf_fmt=+%s%N ;;
esac
# setsid gives each probe its own process group, so one kill reaches its whole pipeline.
if command -v setsid >/dev/null 2>&1; then pf_setsid=setsid; else pf_setsid=; fi
# A FIFO holding one line per free slot bounds how many probes run at once (no fifo: no bound).
if mkfifo "$pf_t/slots" 2>/dev/null && exec 5<>"$pf_t/slots"; then
  pf_i=0
  while [ $pf_i -lt $pf_slots ]; do echo >&5; pf_i=$((pf_i + 1)); done
else
  pf_slots=
fi
pf_probes
wait
pf_frames
}

# Waits for a free slot (the main shell calls it before starting each probe).
pf_slot() {
  if [ -n "$pf_slots" ]; then read pf_tok <&5; fi
}

pf_cleanup() {
  if [ -n "$pf_t" ]; then rm -rf "$pf_t"; fi
}

# Interrupted (the connection died, or someone pressed ^C): stop every probe, then exit (and clean up).
pf_abort() {
  trap '' HUP INT PIPE TERM
  for pf_f in "$pf_t"/*.pid; do
    # Only probes still running (no exit code yet): a finished probe's pid may belong to another process now.
    if [ -f "$pf_f" ] && [ ! -f "\${pf_f%.pid}.rc" ] && [ -n "$pf_setsid" ]; then
      pf_p=\`cat "$pf_f"\`; kill -KILL -$pf_p 2>/dev/null
    fi
  done
  pf_k=\`pf_tree $$\`
  if [ -n "$pf_k" ]; then kill -KILL $pf_k 2>/dev/null; fi
  exit "$1"
}

# Prints every descendant of process $1 (not $1 itself), from one ps.
pf_tree() {
  ps -e -o pid= -o ppid= 2>/dev/null | awk -v root="$1" '
    { kids[$2] = kids[$2] " " $1 }
    END {
      out = ""; todo = root
      while (todo != "") {
        n = split(todo, a, " "); todo = ""
        for (i = 1; i <= n; i++) if (a[i] in kids) { todo = todo kids[a[i]]; out = out kids[a[i]] }
      }
      print out
    }'
}

# Kills probe shell $1 with its process group and every descendant (frozen first, so none forks away).
pf_kill() {
  if [ -z "$1" ]; then return 0; fi
  if [ -n "$pf_setsid" ]; then kill -STOP -"$1" 2>/dev/null; fi
  pf_k=\`pf_tree "$1"\`
  kill -STOP $1 $pf_k 2>/dev/null
  pf_k2=\`pf_tree "$1"\`
  if [ -n "$pf_setsid" ]; then kill -KILL -"$1" 2>/dev/null; fi
  kill -KILL $1 $pf_k $pf_k2 2>/dev/null
}

# Watchdog of probe $1: after $2 seconds, mark it timed out and kill it. The runner stops the
# watchdog with TERM when the probe ends first; the trap then stops its sleep too.
pf_watch() {
  trap 'kill $! 2>/dev/null; exit 0' TERM
  sleep "$2" &
  wait $!
  if [ -f "$pf_t/$1.rc" ]; then return 0; fi
  : >"$pf_t/$1.timeout"
  pf_p=\`cat "$pf_t/$1.pid" 2>/dev/null\`
  pf_kill "$pf_p"
}

# Keeps the first $1 bytes of stdin in file $2 and drains the rest, so a chatty probe is never
# killed by SIGPIPE and its exit code stays its own.
pf_cap() {
  head -c "$1" >"$2"
  cat >/dev/null
}

# Runs probe $1 with a limit of $2 seconds, keeping $3 bytes of stdout; $4 is its script.
pf_run() {
  date $pf_fmt >"$pf_t/$1.t0"
  ( pf_watch "$1" "$2" ) </dev/null >/dev/null 2>&1 5>&- &
  pf_w=$!
  # fd 3 carries the probe's stdout, fd 4 its stderr; the subshell's own notices ("Killed") go nowhere.
  # The wrapper records its pid (the probe's process group) and execs the probe with fd 4 as stderr.
  { { $pf_setsid /bin/sh -c 'echo $$ >"$0"; exec /bin/sh -c "$1" 2>&4 4>&-' "$pf_t/$1.pid" "$4" </dev/null 5>&-
      echo $? >"$pf_t/$1.rc"; } 4>&1 1>&3 3>&- 2>/dev/null | pf_cap ${STDERR_CAP_BYTES} "$pf_t/$1.err"; } 3>&1 | pf_cap "$3" "$pf_t/$1.out"
  date $pf_fmt >"$pf_t/$1.t1"
  kill -TERM $pf_w 2>/dev/null
  wait $pf_w 2>/dev/null
  if [ -n "$pf_slots" ]; then echo >&5; fi
}

# Prints the frame of probe $1 (stdout cap $2 bytes, limit $3 seconds).
pf_frame() {
  pf_rc=\`cat "$pf_t/$1.rc" 2>/dev/null\`
  pf_t0=\`cat "$pf_t/$1.t0" 2>/dev/null\`
  pf_t1=\`cat "$pf_t/$1.t1" 2>/dev/null\`
  pf_to=0; if [ -f "$pf_t/$1.timeout" ]; then pf_to=1; fi
  pf_sz=\`wc -c <"$pf_t/$1.out" 2>/dev/null\`
  pf_tr=0; if [ \${pf_sz:-0} -gt "$2" ]; then pf_tr=1; fi
  printf 'PFB:%s:begin:%s:%s:%s:%s:%s:%s:%s:%s\\n' "$pf_n" "$1" "$pf_rc" "$pf_clock" "$pf_t0" "$pf_t1" "$pf_to" "$pf_tr" "$3"
  head -c "$2" "$pf_t/$1.out" 2>/dev/null
  printf '\\nPFB:%s:stderr:%s\\n' "$pf_n" "$1"
  cat "$pf_t/$1.err" 2>/dev/null
  printf '\\nPFB:%s:end:%s\\n' "$pf_n" "$1"
}
`;

/**
 * One POSIX sh script that runs every probe in parallel and prints all results framed by
 * nonce-carrying markers. Run it as `/bin/sh -s` with the script on stdin (no quoting at all).
 */
export function buildBatchScript(probes: readonly Probe[], opts: BatchScriptOptions): string {
  if (!NONCE.test(opts.nonce)) throw new Error('batch script: the nonce must be 16 to 64 lowercase hex digits');
  if (opts.timeoutSeconds !== undefined && !(opts.timeoutSeconds > 0)) {
    throw new Error(`batch script: timeoutSeconds must be > 0, got ${opts.timeoutSeconds}`);
  }
  const concurrency = opts.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new Error(`batch script: concurrency must be a whole number >= 1, got ${concurrency}`);
  const runs: string[] = [];
  const frames: string[] = [];
  probes.forEach((p, i) => {
    const limit = probeLimitSeconds(p, opts.timeoutSeconds);
    assertCount('maxBytes', p.maxBytes);
    // One byte past the cap is kept so the frame can tell "exactly the cap" from "cut".
    runs.push('pf_slot', `pf_run ${i} ${limit} ${p.maxBytes + 1} ${shSingleQuote(p.script)} &`);
    frames.push(`pf_frame ${i} ${p.maxBytes} ${limit}`);
  });
  return [
    '# preflight batch probe script: read-only; it removes its temporary directory on exit.',
    `pf_n=${opts.nonce}`,
    `pf_slots=${concurrency}`,
    PRELUDE,
    'pf_probes() {',
    ...(runs.length ? runs : [':']),
    '}',
    '',
    'pf_frames() {',
    ...frames,
    `printf 'PFB:%s:done:%s\\n' "$pf_n" ${probes.length}`,
    '}',
    '',
    'pf_main </dev/null',
    '',
  ].join('\n');
}

export interface BatchResult {
  evidence: Record<string, Evidence>;
  /** True when the script printed its closing marker: every probe reported. */
  complete: boolean;
  /** Why the script could not run at all (e.g. `mktemp` failed), when it said so. */
  fatal?: string;
}

interface FrameHeader {
  index: number;
  rc: string;
  clock: string;
  t0: string;
  t1: string;
  timedOut: boolean;
  truncated: boolean;
  limitSeconds: number;
}

/** Evidence as the local transport would have recorded it: keyed by probe id. */
export function parseBatchOutput(stdout: string | Buffer, nonce: string, probes: readonly Probe[]): Record<string, Evidence> {
  return parseBatch(stdout, nonce, probes).evidence;
}

/**
 * Reads the frames back. Never throws: unknown lines are ignored, a frame that is not closed
 * (the stream ended inside it) or never started gives the probe a "no result" error.
 */
export function parseBatch(stdout: string | Buffer, nonce: string, probes: readonly Probe[]): BatchResult {
  const text = typeof stdout === 'string' ? stdout : stdout.toString('utf8');
  const found = new Map<number, Evidence>();
  let complete = false;
  let fatal: string | undefined;
  if (NONCE.test(nonce)) {
    const marker = new RegExp(`^PFB:${nonce}:(begin|stderr|end|done|fatal):([^\\n]*)$`, 'gm');
    let header: FrameHeader | undefined;
    let contentStart = 0;
    let out: string | undefined;
    for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
      const kind = m[1]!;
      const arg = m[2]!;
      // Content sits between the end of the previous marker line and the newline the script adds.
      const content = () => text.slice(contentStart, Math.max(contentStart, m!.index - 1));
      const next = m.index + m[0].length + 1;
      if (kind === 'begin') {
        header = parseHeader(arg);
        out = undefined;
        contentStart = next;
      } else if (kind === 'stderr' && header && out === undefined && arg === String(header.index)) {
        out = content();
        contentStart = next;
      } else if (kind === 'end' && header && out !== undefined && arg === String(header.index)) {
        const probe = probes[header.index];
        if (probe && !found.has(header.index)) found.set(header.index, frameEvidence(probe, header, out, content()));
        header = undefined;
        out = undefined;
      } else if (kind === 'done') {
        complete = header === undefined;
      } else if (kind === 'fatal') {
        fatal = /^[A-Za-z0-9 _.-]{1,80}$/.test(arg) ? arg : 'unknown';
      } else {
        // A marker out of order: the frame it interrupts is unusable.
        header = undefined;
        out = undefined;
      }
    }
  }
  const evidence: Record<string, Evidence> = {};
  probes.forEach((p, i) => {
    evidence[p.id] = found.get(i) ?? missingEvidence(p, fatal);
  });
  const all = probes.every((_, i) => found.has(i));
  return { evidence, complete: complete && all, ...(fatal !== undefined ? { fatal } : {}) };
}

function parseHeader(arg: string): FrameHeader | undefined {
  const f = arg.split(':');
  if (f.length !== 8) return undefined;
  const [index, rc, clock, t0, t1, timedOut, truncated, limit] = f as [string, string, string, string, string, string, string, string];
  if (!/^\d{1,6}$/.test(index) || !/^\d{1,9}$/.test(limit)) return undefined;
  return {
    index: Number(index),
    rc,
    clock,
    t0,
    t1,
    timedOut: timedOut === '1',
    truncated: truncated === '1',
    limitSeconds: Number(limit),
  };
}

function frameEvidence(p: Probe, h: FrameHeader, stdout: string, stderr: string): Evidence {
  const rc = /^\d{1,3}$/.test(h.rc) ? Number(h.rc) : null;
  const error = h.timedOut
    ? `timed out after ${h.limitSeconds * 1000} ms`
    : rc === null
      ? 'the probe ended without an exit status'
      : undefined;
  return {
    probe: p.id,
    source: p.script,
    stdout,
    stderr,
    exitCode: error === undefined ? rc : null,
    durationMs: durationMs(h),
    truncated: h.truncated,
    ...(error !== undefined ? { error } : {}),
  };
}

/** Milliseconds between the frame's two timestamps (one decimal, like the local transport). */
function durationMs(h: FrameHeader): number {
  if (!/^\d{1,30}$/.test(h.t0) || !/^\d{1,30}$/.test(h.t1)) return 0;
  const delta = BigInt(h.t1) - BigInt(h.t0);
  if (delta < 0n) return 0;
  if (h.clock === 'ns') return Math.round(Number(delta / 100_000n)) / 10;
  if (h.clock === 's') return Number(delta) * 1000;
  return 0;
}

function missingEvidence(p: Probe, fatal: string | undefined): Evidence {
  return {
    probe: p.id,
    source: p.script,
    stdout: '',
    stderr: '',
    exitCode: null,
    durationMs: 0,
    truncated: false,
    error: fatal !== undefined ? `no result (the batch script could not start: ${fatal})` : NO_RESULT_ERROR,
  };
}
