import { afterEach, describe, expect, it, vi } from 'vitest';
import { CableEventCorrelator, portsDown, portsUp, type CableEvent } from '../../src/cables/correlate.js';

const ev = (host: string, nic: string, carrier: boolean, time = '2026-11-25T00:00:00.000Z') => ({ time, host, nic, carrier });

describe('CableEventCorrelator: changes on several hosts within the window are one cable event', () => {
  afterEach(() => vi.useRealTimers());

  it('groups the two ends of a cable seen by two watchers, and starts a new event after the window', () => {
    vi.useFakeTimers();
    const out: CableEvent[] = [];
    const c = new CableEventCorrelator((e) => out.push(e), 800);
    c.push(ev('h1', 'eth1', false));
    vi.advanceTimersByTime(300);
    c.push(ev('h2', 'eth1', false));
    expect(out).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(out).toHaveLength(1);
    expect(portsDown(out[0]!)).toEqual([{ host: 'h1', nic: 'eth1' }, { host: 'h2', nic: 'eth1' }]);
    c.push(ev('h1', 'eth1', true));
    vi.advanceTimersByTime(800);
    expect(out).toHaveLength(2);
    expect(portsUp(out[1]!)).toEqual([{ host: 'h1', nic: 'eth1' }]);
  });

  it('the window is fixed from the first change: a port that keeps flapping cannot hold it open', () => {
    vi.useFakeTimers();
    const out: CableEvent[] = [];
    const c = new CableEventCorrelator((e) => out.push(e), 800);
    for (let i = 0; i < 10; i++) {
      c.push(ev('h1', 'eth3', i % 2 === 1));
      vi.advanceTimersByTime(100);
    }
    // 10 changes over 1000 ms: the first 8 (0..700 ms) are one event, closed at 800 ms.
    expect(out).toHaveLength(1);
    expect(out[0]!.changes).toHaveLength(8);
  });

  it('a flap inside one event (down then up) is not an unplugged cable', () => {
    const e: CableEvent = { time: 't', changes: [ev('h1', 'eth3', false), ev('h1', 'eth3', true), ev('h2', 'eth1', false)] };
    expect(portsDown(e)).toEqual([{ host: 'h2', nic: 'eth1' }]);
    expect(portsUp(e)).toEqual([]);
  });

  it('close() emits what is pending (watching stopped mid-window)', () => {
    const out: CableEvent[] = [];
    const c = new CableEventCorrelator((e) => out.push(e), 10_000);
    c.push(ev('h1', 'eth1', false));
    c.close();
    expect(out).toHaveLength(1);
  });
});
