import type { CarrierEvent } from './watch.js';

/**
 * Groups carrier changes seen on all watched hosts into "cable events". Pulling one direct cable
 * drops carrier at both of its ends at once, but the two ends are seen by different watchers (two
 * SSH sessions, each with its own latency), so changes that arrive within `windowMs` of the first
 * one are taken as one event. The window is fixed from the first change (not sliding), so a
 * flapping port cannot hold an event open forever.
 */

export interface CableEvent {
  /** Time of the first change of the group (ISO-8601). */
  time: string;
  /** Every change of the group, in arrival order. */
  changes: CarrierEvent[];
}

/** End of a cable: a NIC of a watched host. */
export interface PortRef {
  host: string;
  nic: string;
}

export const DEFAULT_WINDOW_MS = 800;

export class CableEventCorrelator {
  private pending: CarrierEvent[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (event: CableEvent) => void,
    private readonly windowMs: number = DEFAULT_WINDOW_MS,
  ) {}

  push(change: CarrierEvent): void {
    this.pending.push(change);
    this.timer ??= setTimeout(() => this.flush(), this.windowMs);
  }

  /** Emits what is pending now (also used when watching stops). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const changes = this.pending;
    this.pending = [];
    this.emit({ time: changes[0]!.time, changes });
  }

  close(): void {
    this.flush();
  }
}

/**
 * The ports whose carrier is down at the end of the event and went down during it (a port that
 * dropped and came back within the window, a flap, is not an unplugged cable).
 */
export function portsDown(event: CableEvent): PortRef[] {
  return lastStates(event)
    .filter((s) => !s.carrier)
    .map(({ host, nic }) => ({ host, nic }));
}

/** The ports whose carrier is up at the end of the event and came up during it. */
export function portsUp(event: CableEvent): PortRef[] {
  return lastStates(event)
    .filter((s) => s.carrier)
    .map(({ host, nic }) => ({ host, nic }));
}

function lastStates(event: CableEvent): { host: string; nic: string; carrier: boolean }[] {
  const last = new Map<string, { host: string; nic: string; carrier: boolean; first: boolean }>();
  for (const c of event.changes) {
    const key = portKey(c.host, c.nic);
    const before = last.get(key);
    // `first` is the state the port had before the event (the opposite of its first change).
    last.set(key, { host: c.host, nic: c.nic, carrier: c.carrier, first: before ? before.first : !c.carrier });
  }
  return [...last.values()].filter((s) => s.carrier !== s.first);
}

export function portKey(host: string, nic: string): string {
  return `${host}\u0000${nic}`;
}

export function samePort(a: PortRef, b: PortRef): boolean {
  return a.host === b.host && a.nic === b.nic;
}
