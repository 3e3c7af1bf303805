import { hostname } from 'node:os';
import { collectCableTable, renderCableJson, renderCableText } from '../cables/table.js';
import { eventLine, listWatchedNics, watchCarriers } from '../cables/watch.js';
import { EXIT } from '../engine/exitCodes.js';
import { InputError } from '../engine/inputError.js';
import { writeStdout } from './output.js';

/**
 * `preflight cables` on this machine. Without --watch: the NIC table (device, MAC, PCI slot,
 * driver, speed, carrier, IPv4, expected role). With --watch: one JSON line per carrier change
 * until SIGINT/SIGTERM or --duration. The guided two-host walkthrough of issue 4 is not built yet.
 */

export interface CablesOptions {
  watch?: boolean;
  duration?: number;
  interval?: number;
  table?: boolean;
  format?: 'text' | 'json';
  profile?: string;
}

export async function cablesCommand(opts: CablesOptions): Promise<number> {
  if (opts.watch) {
    if (opts.table) throw new InputError('--watch and --table: choose one');
    return watchCommand(opts);
  }
  if (opts.duration !== undefined || opts.interval !== undefined) throw new InputError('--duration and --interval only apply with --watch');
  if (process.stdout.isTTY && !opts.table) {
    process.stderr.write('preflight cables: the guided walkthrough is not built yet; showing the NIC table (--table).\n');
  }
  const table = await collectCableTable(opts.profile ?? 'everrun-6.0');
  await writeStdout(opts.format === 'json' ? renderCableJson(table) : renderCableText(table));
  return EXIT.ok;
}

async function watchCommand(opts: CablesOptions): Promise<number> {
  const nics = listWatchedNics();
  if (nics.length === 0) {
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
  try {
    await watchCarriers({
      host: hostname(),
      nics,
      ...(opts.interval !== undefined ? { intervalMs: opts.interval } : {}),
      signal: stop.signal,
      onStart: (initial) => {
        // stderr, so stdout carries only events; scripts (and the tests) wait for this line.
        const state = [...initial].map(([n, c]) => `${n}=${c ? 'up' : 'down'}`).join(' ');
        process.stderr.write(`preflight cables: watching ${state}\n`);
      },
      onChange: (e) => {
        if (!stop.signal.aborted) process.stdout.write(eventLine(e));
      },
    });
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  await writeStdout('').catch(() => undefined);
  process.stdout.off('error', onStdoutError);
  return EXIT.ok;
}
