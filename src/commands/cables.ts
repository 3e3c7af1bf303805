import { InputError } from '../engine/inputError.js';
import { EXIT } from '../engine/exitCodes.js';
import type { CableHost } from '../cables/cableHost.js';
import { cableHostsFor } from '../cables/cableHosts.js';
import { FAILING_VERDICTS } from '../cables/diagnose.js';
import { Inbox } from '../cables/inbox.js';
import { loadPortTable } from '../cables/loadPortTable.js';
import { createConsoleOperator } from '../cables/operatorConsole.js';
import type { PortTable } from '../cables/portTable.js';
import { buildPortTable } from '../cables/portTableBuild.js';
import { portTableFormatFor, writePortTable } from '../cables/portTableRender.js';
import { renderPortTableText } from '../cables/portTableText.js';
import { profileLayout, renderCableJson, renderCableText, type CableTable } from '../cables/table.js';
import { startWalkSession } from '../cables/walkSession.js';
import { runWalkthrough, type WalkHost } from '../cables/walkthrough.js';
import { eventLine, listWatchedNics } from '../cables/watch.js';
import { watchHosts } from '../cables/watchHosts.js';
import { inertText } from '../report/inertText.js';
import { askPassword } from './askPassword.js';
import { shouldUseColor, writeStdout } from './output.js';
import { isRemoteScan, remoteDestinations, type TargetOptions } from './scanTargets.js';

/**
 * `preflight cables`: the NIC table of each host (--table, and the default off a terminal), the
 * guided walkthrough (the default on a terminal; --free, --rehearse), `--watch` (JSON lines for
 * scripts) and `--identify` (blink a port). Hosts are this machine or --host/--inventory over SSH,
 * all watched at once.
 */

export interface CablesOptions extends TargetOptions {
  table?: boolean;
  watch?: boolean;
  duration?: number;
  interval?: number;
  guided?: boolean;
  free?: boolean;
  rehearse?: boolean;
  identify?: string[];
  identifySeconds?: number;
  blink?: boolean;
  wait?: number;
  labels?: string;
  out?: string[];
  format?: 'text' | 'json';
  profile?: string;
  askPass?: boolean;
  color?: boolean;
}

/** Exit code after Ctrl-C, as shells report an interrupted command. */
const EXIT_INTERRUPTED = 130;

export async function cablesCommand(opts: CablesOptions): Promise<number> {
  checkCombinations(opts);
  const profile = opts.profile ?? 'everrun-6.0';
  const layout = profileLayout(profile);
  for (const file of opts.out ?? []) portTableFormatFor(file);
  const labels = opts.labels !== undefined ? labelsFrom(loadPortTable(opts.labels)) : undefined;
  const hosts = await hostsFor(opts);
  if (opts.rehearse && hosts.length < 2) throw new InputError('--rehearse needs both hosts (--host H1 --host H2, or --inventory): it proves each still reaches the other while a cable is out');

  if (opts.identify) return identifyCommand(hosts, opts.identify, opts.identifySeconds ?? 10);
  if (opts.watch) return watchCommand(hosts, opts);

  const walkthrough = opts.guided || opts.free || opts.rehearse || (!opts.table && opts.format !== 'json' && process.stdin.isTTY === true && process.stdout.isTTY === true);
  const tables = await readTables(hosts, profile);
  const readable = hosts.flatMap((h, i) => (tables[i] ? [{ host: h, table: tables[i] }] : []));
  if (!walkthrough) {
    if (opts.format === 'json') {
      await writeStdout(isRemoteScan(opts) ? `${JSON.stringify({ hosts: readable.map((r) => r.table) }, null, 2)}\n` : renderCableJson(readable[0]!.table));
    } else {
      await writeStdout(readable.map((r) => renderCableText(r.table)).join('\n'));
    }
    return readable.length === 0 ? EXIT.unreachable : EXIT.ok;
  }
  if (readable.length < hosts.length) {
    process.stderr.write('preflight cables: the walkthrough needs every host: fix the connection above and start again\n');
    return EXIT.unreachable;
  }

  const stop = new AbortController();
  const inbox = new Inbox(stop.signal);
  const color = shouldUseColor(opts.color !== false);
  const operator = createConsoleOperator({ input: process.stdin, output: process.stdout, color, inbox, onInterrupt: () => stop.abort() });
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const session = startWalkSession({ hosts: readable, inbox, signal: stop.signal });
  try {
    for (const r of readable) operator.say(renderCableText(r.table).trimEnd(), 'info');
    const { failed } = await session.ready;
    if (failed.length > 0) {
      for (const f of failed) process.stderr.write(`preflight cables: ${inertText(f.host)}: cannot watch: ${inertText(f.message)}\n`);
      stop.abort();
      await session.stopped;
      return EXIT.unreachable;
    }
    const sessionPort = sshSessionPort(readable);
    const walk = await runWalkthrough({
      mode: opts.free ? 'free' : opts.rehearse ? 'rehearse' : 'guided',
      hosts: readable as WalkHost[],
      layout,
      state: session.state,
      inbox,
      say: operator.say,
      ...(labels ? { labels } : {}),
      ...(opts.blink ? { blink: { seconds: opts.identifySeconds ?? 10 } } : {}),
      ...(sessionPort ? { sessionPort } : {}),
      ...(opts.wait !== undefined ? { plugBackMs: opts.wait * 1000 } : {}),
    });
    // Stop every watcher and wait until they are gone, so nothing is left running on any host.
    stop.abort();
    await session.stopped;
    const table = buildPortTable({
      profile,
      layout,
      hosts: readable.map((r) => ({ name: r.host.name, address: r.host.address, table: r.table })),
      ports: walk.ports,
      ...(labels ? { labels } : {}),
    });
    const ending = { done: 'Done.', quit: 'Stopped.', interrupted: 'Interrupted: what was mapped so far:', 'input-ended': 'Input ended: what was mapped so far:' }[walk.ending];
    operator.say(`${ending} Port table:`, 'title');
    process.stdout.write(renderPortTableText(table, layout.management));
    for (const file of opts.out ?? []) {
      await writePortTable(file, table);
      operator.say(`Port table written to ${file}.`, 'info');
    }
    if (walk.ending === 'interrupted') return EXIT_INTERRUPTED;
    return failing(table) ? EXIT.failed : EXIT.ok;
  } finally {
    stop.abort();
    await session.stopped;
    operator.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function checkCombinations(o: CablesOptions): void {
  const modes = [o.table && '--table', o.watch && '--watch', o.free && '--free', o.rehearse && '--rehearse', o.identify && '--identify'].filter(Boolean);
  if (modes.length > 1) throw new InputError(`${modes.join(' and ')}: choose one`);
  if (o.duration !== undefined && !o.watch) throw new InputError('--duration only applies with --watch');
  if (o.watch && (o.out?.length || o.labels !== undefined)) throw new InputError('--watch prints carrier changes only: --out and --labels belong to the walkthrough');
  if ((o.table || o.watch || o.identify) && (o.guided || o.blink || o.wait !== undefined)) throw new InputError('--guided, --blink and --wait belong to the walkthrough');
  if (o.identifySeconds !== undefined && !o.identify && !o.blink) throw new InputError('--identify-seconds only applies with --identify or --blink');
  if (o.format === 'json' && !o.table && (o.guided || o.free || o.rehearse)) throw new InputError('--format json is for the NIC table (--table); the walkthrough writes JSON with --out FILE.json');
  if (!isRemoteScan(o) && (o.askPass || o.acceptNew || o.identity?.length)) throw new InputError('--ask-pass, --accept-new and --identity are for remote hosts (--host or --inventory)');
}

async function hostsFor(opts: CablesOptions): Promise<CableHost[]> {
  let password: string | undefined;
  if (opts.askPass) {
    const destinations = remoteDestinations(opts);
    const first = destinations[0]!.destination;
    password = await askPassword(`${first.user}@${first.host}'s password${destinations.length > 1 ? ' (used for every host)' : ''}: `);
  }
  return cableHostsFor(opts, {
    ...(password !== undefined ? { password } : {}),
    onNote: (host, note) => process.stderr.write(`preflight cables: ${inertText(host)}: ${inertText(note)}\n`),
  });
}

/** Every host's table, read at once; a host that cannot be read is reported on stderr and left out. */
async function readTables(hosts: readonly CableHost[], profile: string): Promise<(CableTable | undefined)[]> {
  return Promise.all(
    hosts.map((h) =>
      h.readTable(profile).catch((err: unknown) => {
        if (err instanceof InputError) throw err;
        process.stderr.write(`preflight cables: ${inertText(h.name)}: ${inertText((err as Error).message)}\n`);
        return undefined;
      }),
    ),
  );
}

async function identifyCommand(hosts: readonly CableHost[], nics: readonly string[], seconds: number): Promise<number> {
  let failures = 0;
  await Promise.all(
    hosts.map(async (h) => {
      for (const nic of nics) {
        process.stderr.write(`preflight cables: ${inertText(h.name)} ${inertText(nic)}: blinking for ${seconds} s...\n`);
        const r = await h.identify(nic, seconds).catch((err: unknown) => ({ ok: false as const, message: (err as Error).message }));
        if (!r.ok) failures++;
        await writeStdout(`${inertText(h.name)} ${inertText(nic)}: ${r.ok ? `blinked for ${seconds} s` : `cannot blink: ${inertText(r.message)}`}\n`);
      }
    }),
  );
  return failures > 0 ? EXIT.failed : EXIT.ok;
}

async function watchCommand(hosts: readonly CableHost[], opts: CablesOptions): Promise<number> {
  const remote = isRemoteScan(opts);
  // This machine: the NICs from sysfs directly (no probes to run). Remote hosts: their NIC tables.
  const lists = remote
    ? (await readTables(hosts, opts.profile ?? 'everrun-6.0')).map((t) => t?.nics.map((n) => n.device))
    : [listWatchedNics()];
  const watched = hosts.flatMap((host, i) => (lists[i] ? [{ host, nics: lists[i] }] : []));
  if (watched.length === 0) return EXIT.unreachable;
  if (!remote && watched[0]!.nics.length === 0) {
    process.stderr.write('preflight cables: no physical NIC (or veth) in /sys/class/net to watch\n');
    return EXIT.badInput;
  }
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // A reader that went away (`| head -1`) ends the watch quietly.
  const onStdoutError = () => stop.abort();
  process.stdout.on('error', onStdoutError);
  const timer = opts.duration !== undefined ? setTimeout(() => stop.abort(), opts.duration * 1000) : undefined;
  let failed = 0;
  try {
    await watchHosts(watched, {
      signal: stop.signal,
      onStart: (host, initial) => {
        // stderr, so stdout carries only events; scripts (and the tests) wait for this line.
        const state = [...initial].map(([n, c]) => `${n}=${c ? 'up' : 'down'}`).join(' ');
        process.stderr.write(`preflight cables: watching ${remote ? `${inertText(host)}: ` : ''}${state}\n`);
      },
      onChange: (e) => {
        if (!stop.signal.aborted) process.stdout.write(eventLine(e));
      },
      onStatus: (s) => {
        if (s.kind === 'failed') failed++;
        const text = s.kind === 'lost' ? `connection lost (${s.message}); reconnecting` : s.kind === 'reconnected' ? 'connected again' : `stopped watching: ${s.message}`;
        process.stderr.write(`preflight cables: ${inertText(s.host)}: ${inertText(text)}\n`);
        if (failed === watched.length) stop.abort();
      },
    });
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  await writeStdout('').catch(() => undefined);
  process.stdout.off('error', onStdoutError);
  return failed === watched.length ? EXIT.unreachable : EXIT.ok;
}

/** Labels of an earlier port table, by lower-case MAC (names drift; MACs do not). */
function labelsFrom(t: PortTable): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of t.rows) if (r.mac && r.label) m.set(r.mac.toLowerCase(), r.label);
  return m;
}

/** With preflight run on a host over the operator's own SSH session, the port that session runs over. */
function sshSessionPort(hosts: readonly { host: CableHost; table: CableTable }[]): { host: string; nic: string } | undefined {
  const local = hosts.find((h) => h.host.address === 'local');
  const serverIp = process.env.SSH_CONNECTION?.split(' ')[2];
  if (!local || !serverIp) return undefined;
  const row = local.table.nics.find((n) => n.ipv4.some((a) => a.split('/')[0] === serverIp));
  return row ? { host: local.host.name, nic: row.device } : undefined;
}

function failing(t: PortTable): boolean {
  return t.rows.some((r) => FAILING_VERDICTS.has(r.verdict) || r.rehearsal?.verdict === 'failed');
}
