import type { WatchStatus } from './cableHost.js';
import type { CableEvent } from './correlate.js';

/**
 * Everything the walkthrough waits for, in one queue: the operator's answers (one line each), cable
 * events from the watchers, and connection news. The walkthrough often waits for "a cable event or
 * an answer, whichever comes first", and must not lose an answer typed while it was waiting for a
 * cable (or the reverse), so items it is not waiting for stay queued.
 */

export type Input =
  | { kind: 'line'; text: string }
  | { kind: 'cable'; event: CableEvent }
  | { kind: 'status'; status: WatchStatus }
  | { kind: 'timeout' }
  /** The operator's input ended (end of file): no more answers will come. */
  | { kind: 'closed' }
  /** Interrupted (Ctrl-C, SIGTERM). */
  | { kind: 'abort' };

type Waiter = { accept: (i: Input) => boolean; resolve: (i: Input) => void; timer?: NodeJS.Timeout };

export class Inbox {
  private queue: Input[] = [];
  private waiter: Waiter | undefined;
  private closed = false;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.wake({ kind: 'abort' }), { once: true });
  }

  push(input: Input): void {
    if (input.kind === 'closed') this.closed = true;
    if (this.waiter?.accept(input)) this.wake(input);
    else if (input.kind !== 'closed') this.queue.push(input);
  }

  /**
   * The next queued or arriving input that `accept` takes (abort, and end of input when lines are
   * accepted, always count); {kind:'timeout'} after `timeoutMs`.
   */
  next(accept: (i: Input) => boolean, timeoutMs?: number): Promise<Input> {
    if (this.signal.aborted) return Promise.resolve({ kind: 'abort' });
    const takes = (i: Input) => i.kind === 'abort' || accept(i) || (i.kind === 'closed' && accept({ kind: 'line', text: '' }));
    const i = this.queue.findIndex(takes);
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0]!);
    if (this.closed && takes({ kind: 'closed' })) return Promise.resolve({ kind: 'closed' });
    return new Promise((resolve) => {
      const waiter: Waiter = { accept: takes, resolve };
      if (timeoutMs !== undefined) waiter.timer = setTimeout(() => this.wake({ kind: 'timeout' }), Math.max(0, timeoutMs));
      this.waiter = waiter;
    });
  }

  /** Forgets queued items of a kind (cable events from before a prompt must not answer it). */
  drain(kind: Input['kind']): void {
    this.queue = this.queue.filter((i) => i.kind !== kind);
  }

  private wake(input: Input): void {
    const w = this.waiter;
    if (!w) return;
    this.waiter = undefined;
    if (w.timer) clearTimeout(w.timer);
    w.resolve(input);
  }
}

export const isLine = (i: Input): i is { kind: 'line'; text: string } => i.kind === 'line';
export const isCable = (i: Input): boolean => i.kind === 'cable';
export const isStatus = (i: Input): boolean => i.kind === 'status';
