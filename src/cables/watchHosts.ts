import type { CableHost, WatchStatus } from './cableHost.js';
import type { CarrierEvent } from './watch.js';

/**
 * Follows every host at once: one watcher per host, all started together, each reporting its first
 * reading (onStart) before any change. Resolves when every watcher has stopped (after `signal`
 * aborts, or when a host's watcher gives up), so the caller knows nothing is left running on any
 * host before it prints its summary.
 */

export interface HostWatchHandlers {
  signal: AbortSignal;
  onStart(host: string, initial: ReadonlyMap<string, boolean>): void;
  onChange(event: CarrierEvent): void;
  onStatus(status: WatchStatus): void;
}

export async function watchHosts(hosts: readonly { host: CableHost; nics: readonly string[] }[], h: HostWatchHandlers): Promise<void> {
  await Promise.all(
    hosts.map(({ host, nics }) =>
      host
        .watch(nics, {
          signal: h.signal,
          onStart: (initial) => h.onStart(host.name, initial),
          onChange: h.onChange,
          onStatus: h.onStatus,
        })
        .catch((err: unknown) => h.onStatus({ kind: 'failed', host: host.name, message: (err as Error).message })),
    ),
  );
}
