import { randomBytes } from 'node:crypto';

/**
 * The carrier watch that runs ON a host reached over SSH, and how its output is read here.
 *
 * The script is a fixed constant, sent as the SSH exec command (like the network tests); its
 * parameters come as data on stdin (`nonce=`, `nic=` lines, then `go`), are validated here and
 * again by the script, and are never pasted into any command line. POSIX sh: bash 3 / coreutils 5
 * of a XenServer 5.5 Dom0, dash, busybox ash. No Node on the host, nothing written to disk.
 *
 * How it follows carrier, as fast as the host allows:
 * - monitor mode (when `ip` exists): `ip -o monitor link` runs in the background; each link
 *   message it prints wakes a reader that re-reads /sys/class/net/NIC/carrier of every watched NIC
 *   (shell builtins only, no fork) and prints the ones that changed. The first reading is taken
 *   0.2 s after the monitor started (it cannot say when it listens). A ticker also wakes the
 *   reader every 100 ms: the kernel's linkwatch sends a link message at once only for "urgent"
 *   changes and batches the others to one run a second, so a carrier change right after another
 *   link change can reach the monitor up to a second late; the carrier file changes at once.
 * - poll mode (no `ip`, or asked for): the ticker wakes the reader every 50 ms.
 * Without fractional `sleep` (a minimal busybox) the ticker falls back to once a second.
 * An unreadable carrier file (interface administratively down, or gone) counts as no carrier, as
 * in watch.ts.
 *
 * Output lines, each starting with the nonce (so a login banner can never pass for one):
 *   NONCE I NIC 0|1     first reading, one per NIC
 *   NONCE R MODE        ready: every first reading is out; MODE is monitor or poll
 *   NONCE C NIC 0|1     a change, printed as soon as seen
 *   NONCE H             heartbeat, about every second: the local side's proof the connection lives
 *
 * How it stops, so that nothing stays on the host: the script's own shell reads its stdin in the
 * foreground after `go`; the local side never writes more, so that read returns only at EOF,
 * i.e. when the local side aborts (closes stdin) or the SSH session ends. It then kills its
 * process group (sshd starts every session command as a session and group leader; checked in
 * /proc first) or, when it is not the group leader, the reader, whose ticker then ends the monitor
 * on its next write. Should all of that fail, the heartbeat's next write into a closed pipe
 * (SIGPIPE) ends the reader and then the rest.
 */

/** Linux interface names as both sides accept them (IFNAMSIZ 16 with the NUL). */
export const NIC_NAME = /^[A-Za-z0-9_.:-]{1,15}$/;

/** An interface name that cannot be taken for a path component or a command-line option either. */
export function isNicName(name: string): boolean {
  return NIC_NAME.test(name) && name !== '.' && name !== '..' && !name.startsWith('-');
}

export const WATCH_SCRIPT = `LANG=C; LC_ALL=C; export LANG LC_ALL
PATH=/usr/sbin:/sbin:/usr/bin:/bin; export PATH
nonce=; nics=; mode=auto; go=
while IFS= read -r line; do
  case "$line" in
    go) go=1; break ;;
    nonce=*) nonce=\${line#nonce=}
      case "$nonce" in ''|*[!0-9a-f]*) echo "preflight watch: bad nonce on stdin" >&2; exit 2 ;; esac ;;
    nic=*) n=\${line#nic=}
      case "$n" in ''|.|..|-*|*[!A-Za-z0-9_.:-]*) echo "preflight watch: bad interface name on stdin" >&2; exit 2 ;; esac
      [ \${#n} -le 15 ] || { echo "preflight watch: interface name longer than 15 characters" >&2; exit 2; }
      nics="$nics $n" ;;
    mode=poll) mode=poll ;;
  esac
done
[ -n "$go" ] || exit 0
[ -n "$nonce" ] || { echo "preflight watch: no nonce on stdin" >&2; exit 2; }
[ -n "$nics" ] || { echo "preflight watch: no interface on stdin" >&2; exit 2; }
leader=
if { read -r st < /proc/$$/stat; } 2>/dev/null; then
  set -- \${st##*")"}
  [ "$3" = "$$" ] && leader=1
fi
iv=0.1; hb=10
if [ "$mode" = auto ] && command -v ip >/dev/null 2>&1; then mode=monitor; else mode=poll; iv=0.05; hb=20; fi
if ! sleep 0.01 2>/dev/null; then iv=1; hb=1; fi
snap() {
  new=
  for n in $nics; do
    c=0
    { read -r c < "/sys/class/net/$n/carrier"; } 2>/dev/null || c=0
    [ "$c" = 1 ] || c=0
    new="$new $n=$c"
  done
}
{
  mp=
  if [ "$mode" = monitor ]; then
    ip -o monitor link & mp=$!
    # The monitor prints nothing when it is listening: give it a moment before the first reading.
    sleep 0.2 2>/dev/null || sleep 1
  fi
  trap '[ -n "$mp" ] && kill "$mp" 2>/dev/null; exit 0' PIPE
  k=0
  while :; do
    k=$((k + 1))
    if [ "$k" -ge "$hb" ]; then k=0; echo h; else echo t; fi
    sleep $iv
  done
} | {
  read -r l || exit 0
  snap; old=$new
  for t in $new; do echo "$nonce I \${t%=*} \${t##*=}"; done
  echo "$nonce R $mode"
  while read -r l; do
    snap
    if [ "$new" != "$old" ]; then
      for t in $new; do
        case "$old " in *" $t "*) ;; *) echo "$nonce C \${t%=*} \${t##*=}" ;; esac
      done
      old=$new
    fi
    [ "$l" = h ] && echo "$nonce H"
  done
} &
rd=$!
while read -r l; do :; done
trap '' TERM
if [ -n "$leader" ]; then kill -TERM 0 2>/dev/null; else kill "$rd" 2>/dev/null; fi
exit 0
`;

export interface WatchScriptOptions {
  /** Poll sysfs every 50 ms even where `ip monitor` exists (tests, hosts whose monitor is unreliable). */
  poll?: boolean;
}

export function newWatchNonce(): string {
  return randomBytes(12).toString('hex');
}

/** The script's stdin: validated lines, then `go`. Throws on a name that is not an interface name. */
export function watchInput(nics: readonly string[], nonce: string, opts: WatchScriptOptions = {}): string {
  if (!/^[0-9a-f]{8,64}$/.test(nonce)) throw new Error('bad nonce');
  if (nics.length === 0) throw new Error('no interface to watch');
  const lines = [`nonce=${nonce}`];
  for (const n of nics) {
    if (!isNicName(n)) throw new Error(`${JSON.stringify(n)} is not an interface name (1-15 of A-Z a-z 0-9 _ . : -)`);
    lines.push(`nic=${n}`);
  }
  if (opts.poll) lines.push('mode=poll');
  lines.push('go');
  return `${lines.join('\n')}\n`;
}

export type WatchLine =
  | { kind: 'initial'; nic: string; carrier: boolean }
  | { kind: 'ready'; mode: string }
  | { kind: 'change'; nic: string; carrier: boolean }
  | { kind: 'heartbeat' };

/**
 * One line of the script's output, or undefined for anything else (a banner, a line of another
 * nonce, a NIC that was not asked for, garbage). Never throws.
 */
export function parseWatchLine(line: string, nonce: string, nics: ReadonlySet<string>): WatchLine | undefined {
  const parts = line.replace(/\r$/, '').split(' ');
  if (parts[0] !== nonce || parts.length < 2) return undefined;
  const [, kind, a, b] = parts;
  if (kind === 'H' && parts.length === 2) return { kind: 'heartbeat' };
  if (kind === 'R' && parts.length === 3 && (a === 'monitor' || a === 'poll')) return { kind: 'ready', mode: a };
  if ((kind === 'I' || kind === 'C') && parts.length === 4 && a !== undefined && nics.has(a) && (b === '0' || b === '1')) {
    return { kind: kind === 'I' ? 'initial' : 'change', nic: a, carrier: b === '1' };
  }
  return undefined;
}

/** Splits a byte stream into lines; a line longer than maxLine is dropped (the script never prints one). */
export class LineSplitter {
  private partial = '';
  private dropping = false;

  constructor(private readonly maxLine = 4096) {}

  push(chunk: Buffer | string): string[] {
    const parts = (this.partial + chunk.toString()).split('\n');
    this.partial = parts.pop()!;
    const out: string[] = [];
    for (const p of parts) {
      if (this.dropping) this.dropping = false;
      else if (p.length <= this.maxLine) out.push(p);
    }
    if (this.partial.length > this.maxLine) {
      this.partial = '';
      this.dropping = true;
    }
    return out;
  }
}
