import type { CableHost, WatchStatus } from './cableHost.js';
import { CarrierState } from './carrierState.js';
import { CableEventCorrelator, DEFAULT_WINDOW_MS } from './correlate.js';
import type { Inbox } from './inbox.js';
import type { CableTable } from './table.js';
import type { CarrierEvent } from './watch.js';
import { watchHosts } from './watchHosts.js';

/**
 * Starts watching every host of a walkthrough and wires what the watchers see into it: each change
 * updates the live CarrierState at once (so "is carrier back?" never waits for correlation) and goes
 * through the correlator into the Inbox as cable events; connection news goes to the Inbox as is.
 * `ready` resolves once every host gave its first reading (or failed), `stopped` once every watcher
 * ended after `signal` aborted: only then is nothing left running on any host.
 */

export interface WalkSession {
  state: CarrierState;
  ready: Promise<{ failed: { host: string; message: string }[] }>;
  stopped: Promise<void>;
}

export function startWalkSession(o: {
  hosts: readonly { host: CableHost; table: CableTable }[];
  inbox: Inbox;
  signal: AbortSignal;
  windowMs?: number;
  /** Every raw change, for a log or `--watch` (optional). */
  onChange?(event: CarrierEvent): void;
}): WalkSession {
  const state = new CarrierState();
  const correlator = new CableEventCorrelator((event) => o.inbox.push({ kind: 'cable', event }), o.windowMs ?? DEFAULT_WINDOW_MS);
  const pending = new Set(o.hosts.map((h) => h.host.name));
  const failed: { host: string; message: string }[] = [];
  let markReady!: () => void;
  const ready = new Promise<{ failed: typeof failed }>((resolve) => {
    markReady = () => resolve({ failed });
  });
  const settle = (host: string) => {
    pending.delete(host);
    if (pending.size === 0) markReady();
  };
  if (pending.size === 0) markReady();
  const stopped = watchHosts(
    o.hosts.map((h) => ({ host: h.host, nics: h.table.nics.map((n) => n.device) })),
    {
      signal: o.signal,
      onStart: (host, initial) => {
        for (const [nic, carrier] of initial) state.set(host, nic, carrier);
        settle(host);
      },
      onChange: (e) => {
        state.set(e.host, e.nic, e.carrier);
        o.onChange?.(e);
        correlator.push(e);
      },
      onStatus: (s: WatchStatus) => {
        if (s.kind === 'failed' && pending.has(s.host)) {
          failed.push({ host: s.host, message: s.message });
          settle(s.host);
          return;
        }
        o.inbox.push({ kind: 'status', status: s });
      },
    },
  ).finally(() => {
    correlator.close();
    markReady();
  });
  return { state, ready, stopped };
}
