import type { CableTable } from './table.js';
import type { CarrierEvent } from './watch.js';

/**
 * A host whose cables the walkthrough watches: this machine, or a host reached over SSH. The
 * walkthrough, `--watch`, `--identify` and `--rehearse` only talk to hosts through this interface,
 * so they work the same locally, over SSH, and in tests.
 */

export type WatchStatus =
  /** The connection to the host dropped (e.g. its management cable was pulled); it is being re-established. */
  | { kind: 'lost'; host: string; message: string }
  /** Watching again after a loss; changes that happened meanwhile have been reported through onChange. */
  | { kind: 'reconnected'; host: string }
  /** Could not watch (again): the host is no longer followed. */
  | { kind: 'failed'; host: string; message: string };

export interface WatchHandlers {
  /** Watching stops when this aborts; watch() then resolves once nothing of it runs on the host. */
  signal: AbortSignal;
  /** Once, with the first carrier reading of every watched NIC, before any change. */
  onStart(initial: ReadonlyMap<string, boolean>): void;
  onChange(event: CarrierEvent): void;
  onStatus?(status: WatchStatus): void;
}

export type IdentifyResult =
  | { ok: true }
  /** The driver cannot blink (veth, many virtual NICs) or ethtool is missing: message says which, plainly. */
  | { ok: false; message: string };

export interface ReachTarget {
  address: string;
  /** Send out of this interface (ping -I), e.g. to prove a path over A-link 2. */
  device?: string;
}

export interface ReachResult extends ReachTarget {
  ok: boolean;
  /** Round-trip time of the fastest reply, when there was one. */
  rttMs: number | null;
  /** Why not, when ok is false (one line). */
  message?: string;
}

export interface CableHost {
  /** How reports name the host: "h1", an inventory name, or this machine's host name. */
  readonly name: string;
  /** "local", or user@host:port. */
  readonly address: string;
  /** The NIC table now (read-only probes: sys.net, ip.addr, ethtool). */
  readTable(profile: string): Promise<CableTable>;
  /** Follows the carrier of `nics` until handlers.signal aborts. */
  watch(nics: readonly string[], handlers: WatchHandlers): Promise<void>;
  /** `ethtool --identify DEV SECONDS`: blinks the port's LED. The only action that touches a host (opt-in). */
  identify(device: string, seconds: number): Promise<IdentifyResult>;
  /** Pings each target from this host (a few packets each, short timeout); read-only. */
  reach(targets: readonly ReachTarget[]): Promise<ReachResult[]>;
}
