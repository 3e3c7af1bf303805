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
 * runs in a background subshell (at most `concurrency` at once) with its stdout piped through
 * `head -c` and its stderr written (under `ulimit -f`) into files of a `mktemp -d` directory that a
 * trap always removes; one watchdog subshell kills, every second, the probes past their time limit
 * with their process trees. Afterwards every result is printed between marker lines that carry the
 * nonce, so probe output (which never knows the nonce) cannot forge or end a frame.
 *
 * Processes are what a host pays for: the script starts about six per probe (the runner, the
 * capture pipeline, setsid and the probe's shell, the frame's `head`), none for a probe whose
 * opening guard (parseProbeGuard) fails in the runner (no `xe` here: eight probes), and reads the
 * clock from /proc/uptime with the shell's `read` rather than a `date` per reading.
 *
 * Output, per probe i (the content is always followed by one newline the parser removes):
 *   PFB:<nonce>:begin:<i>:<exit code>:<cs|ns|s>:<start>:<end>:<timed out 0|1>:<truncated 0|1>:<limit s>
 * (cs: centiseconds of /proc/uptime; ns or s: date +%s%N or +%s where there is no /proc/uptime)
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
# The clock: Linux's /proc/uptime read by the shell itself (centiseconds, no process started per
# reading); elsewhere date, in nanoseconds where it knows %N (GNU), else whole seconds.
pf_fmt=
if read pf_ts pf_x </proc/uptime 2>/dev/null && case $pf_ts in *[!0-9.]*|.*|*.|'') false ;; *.??) true ;; *) false ;; esac; then
  pf_clock=cs
else
  case \`date +%s%N 2>/dev/null\` in
    *[!0-9]*|'') pf_clock=s; pf_fmt=+%s ;;
    *) pf_clock=ns; pf_fmt=+%s%N ;;
  esac
fi
# setsid gives each probe its own process group, so one kill reaches its whole pipeline.
if command -v setsid >/dev/null 2>&1; then pf_setsid=setsid; else pf_setsid=; fi
# A FIFO holding one line per free slot bounds how many probes run at once (no fifo: no bound).
if mkfifo "$pf_t/slots" 2>/dev/null && exec 5<>"$pf_t/slots"; then
  pf_i=0
  while [ $pf_i -lt $pf_slots ]; do echo >&5; pf_i=$((pf_i + 1)); done
else
  pf_slots=
fi
# One watchdog for every probe (a probe's own watchdog would cost two processes more per probe).
( pf_watchdog ) </dev/null >/dev/null 2>&1 5>&- &
pf_wd=$!
pf_pids=
pf_probes
if [ -n "$pf_pids" ]; then wait $pf_pids; fi
kill -TERM $pf_wd 2>/dev/null
wait $pf_wd 2>/dev/null
pf_frames
}

# Sets pf_ts to the current time in the units of pf_clock.
pf_now() {
  if [ "$pf_clock" = cs ]; then
    read pf_ts pf_x </proc/uptime
    # "12345.67" -> 1234567; the "1" keeps a leading 0 of the hundredths from reading as octal.
    pf_ts=$(( \${pf_ts%.*} * 100 + 1\${pf_ts#*.} - 100 ))
  else
    pf_ts=\`date $pf_fmt\`
  fi
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
      read pf_p <"$pf_f"; kill -KILL -$pf_p 2>/dev/null
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

# Every second, kills the probes past their deadline (file N.dl, written when probe N starts) and
# marks them timed out. The main shell stops it with TERM once every probe has ended.
pf_watchdog() {
  trap 'kill $pf_s 2>/dev/null; exit 0' TERM
  while :; do
    sleep 1 &
    pf_s=$!
    wait $pf_s
    pf_now
    for pf_f in "$pf_t"/*.dl; do
      if [ ! -f "$pf_f" ]; then continue; fi
      pf_b=\${pf_f%.dl}
      if [ -f "$pf_b.rc" ]; then continue; fi
      read pf_d <"$pf_f"
      if [ "$pf_ts" -ge "$pf_d" ]; then
        : >"$pf_b.timeout"
        rm -f "$pf_f"
        pf_p=
        read pf_p <"$pf_b.pid" 2>/dev/null
        pf_kill "$pf_p"
      fi
    done
  done
}

# Keeps the first $1 bytes of stdin in file $2 and drains the rest, so a chatty probe is never
# killed by SIGPIPE and its exit code stays its own.
pf_cap() {
  head -c "$1" >"$2"
  exec cat >/dev/null
}

# Runs probe $1 with a limit of $2 seconds, keeping $3 bytes of stdout; $4 is its script. stderr
# goes straight to a file (the frame prints at most ${STDERR_CAP_BYTES} bytes of it); ulimit -f
# bounds that file should a probe run wild, without a capping process per probe.
pf_run() {
  pf_now
  pf_t0=$pf_ts
  case $pf_clock in
    cs) echo $((pf_t0 + $2 * 100)) >"$pf_t/$1.dl" ;;
    ns) echo $((pf_t0 + $2 * 1000000000)) >"$pf_t/$1.dl" ;;
    *) echo $((pf_t0 + $2)) >"$pf_t/$1.dl" ;;
  esac
  # The wrapper records its pid (the probe's process group) and execs the probe; the subshell's own
  # notices ("Killed") go nowhere.
  { ulimit -f 8192 2>/dev/null
    $pf_setsid /bin/sh -c 'echo $$ >"$0"; exec /bin/sh -c "$1" 2>"$2"' "$pf_t/$1.pid" "$4" "$pf_t/$1.err" </dev/null 5>&-
    echo $? >"$pf_t/$1.rc"; } 2>/dev/null | pf_cap "$3" "$pf_t/$1.out"
  pf_now
  echo "$pf_t0 $pf_ts" >"$pf_t/$1.tm"
  if [ -n "$pf_slots" ]; then echo >&5; fi
}

# Probe $1 opens with a guard (see parseProbeGuard) that the runner evaluates itself: when it fails,
# the probe's result is what its shell would have printed, with no process started; else pf_run.
# (cd's test is "a directory we may enter", so the runner's own directory never changes.)
# $5 is the guard kind (command, d, e, r, cd), $6 its operand, $7 the message, $8 the exit code.
pf_guarded() {
  case $5 in
    command) command -v "$6" >/dev/null 2>&1 ;;
    d) [ -d "$6" ] ;;
    e) [ -e "$6" ] ;;
    r) [ -r "$6" ] ;;
    cd) [ -d "$6" ] && [ -x "$6" ] ;;
  esac
  if [ $? -eq 0 ]; then pf_run "$1" "$2" "$3" "$4"; return; fi
  pf_now
  echo "$7" >"$pf_t/$1.err"
  : >"$pf_t/$1.out"
  echo "$8" >"$pf_t/$1.rc"
  echo "$pf_ts $pf_ts" >"$pf_t/$1.tm"
  if [ -n "$pf_slots" ]; then echo >&5; fi
}

# Before the frames: every stdout file's size from one wc, one line per probe in order, on fd 6.
pf_sizes() {
  wc -c "$@" >"$pf_t/sizes" 2>/dev/null
  exec 6<"$pf_t/sizes"
}

# Prints the frame of probe $1 (stdout cap $2 bytes, limit $3 seconds).
pf_frame() {
  pf_rc=; pf_t0=; pf_t1=; pf_sz=; pf_nm=
  read pf_rc <"$pf_t/$1.rc" 2>/dev/null
  read pf_t0 pf_t1 <"$pf_t/$1.tm" 2>/dev/null
  pf_to=0; if [ -f "$pf_t/$1.timeout" ]; then pf_to=1; fi
  read pf_sz pf_nm <&6
  if [ "$pf_nm" != "$pf_t/$1.out" ]; then pf_sz=\`wc -c <"$pf_t/$1.out" 2>/dev/null\`; fi
  pf_tr=0; if [ \${pf_sz:-0} -gt "$2" ]; then pf_tr=1; fi
  printf 'PFB:%s:begin:%s:%s:%s:%s:%s:%s:%s:%s\\n' "$pf_n" "$1" "$pf_rc" "$pf_clock" "$pf_t0" "$pf_t1" "$pf_to" "$pf_tr" "$3"
  # Empty files need no process to print them.
  if [ -s "$pf_t/$1.out" ]; then head -c "$2" "$pf_t/$1.out" 2>/dev/null; fi
  printf '\\nPFB:%s:stderr:%s\\n' "$pf_n" "$1"
  if [ -s "$pf_t/$1.err" ]; then head -c ${STDERR_CAP_BYTES} "$pf_t/$1.err" 2>/dev/null; fi
  printf '\\nPFB:%s:end:%s\\n' "$pf_n" "$1"
}
`;

/** A probe's opening guard: the test, and what the probe prints and returns when it fails. */
export interface ProbeGuard {
  /** `command -v NAME`, `[ -d|-e|-r PATH ]` or `cd DIR`. */
  kind: 'command' | 'd' | 'e' | 'r' | 'cd';
  /** NAME, PATH or DIR. */
  operand: string;
  /** The text echoed to stderr (without its newline). */
  message: string;
  exitCode: number;
}

/**
 * Many catalogue probes open with a guard that ends them when their tool or file is absent, e.g.
 * `command -v xe >/dev/null 2>&1 || { echo "xe: not installed" >&2; exit 127; }`. Recognised only in
 * these exact shapes, with a plain name or absolute path and a message the shell prints as it is
 * (no `$`, backquote or backslash), so whoever judges the guard without running the script (the
 * batch runner here, the local transport in-process) gives exactly the shell's answer.
 */
const GUARD = /^(?:command -v ([A-Za-z0-9_.+-]+) >\/dev\/null 2>&1|\[ -([der]) (\/[A-Za-z0-9_./-]+) \]|cd (\/[A-Za-z0-9_./-]+) 2>\/dev\/null) \|\| \{ echo "([^"$`\\]*)" >&2; exit (\d{1,3}); \}/;

export function parseProbeGuard(script: string): ProbeGuard | undefined {
  const m = GUARD.exec(script);
  if (!m) return undefined;
  const [, command, test, testPath, cdPath, message, code] = m;
  const base = { message: message!, exitCode: Number(code) };
  if (command !== undefined) return { kind: 'command', operand: command, ...base };
  if (test !== undefined) return { kind: test as 'd' | 'e' | 'r', operand: testPath!, ...base };
  return { kind: 'cd', operand: cdPath!, ...base };
}

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
    const guard = parseProbeGuard(p.script);
    const run = `${i} ${limit} ${p.maxBytes + 1} ${shSingleQuote(p.script)}`;
    runs.push(
      'pf_slot',
      guard
        ? `pf_guarded ${run} ${guard.kind} ${shSingleQuote(guard.operand)} ${shSingleQuote(guard.message)} ${guard.exitCode} &`
        : `pf_run ${run} &`,
      'pf_pids="$pf_pids $!"',
    );
    frames.push(`pf_frame ${i} ${p.maxBytes} ${limit}`);
  });
  const outFiles = probes.map((_, i) => `"$pf_t/${i}.out"`).join(' ');
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
    ...(probes.length ? [`pf_sizes ${outFiles}`] : []),
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
  if (h.clock === 'cs') return Number(delta) * 10;
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
