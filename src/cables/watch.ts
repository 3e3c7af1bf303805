import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { classifyNic } from '../facts/sysNet.js';

/**
 * `preflight cables --watch` on this machine: follows the carrier of every physical NIC (and every
 * veth, the lab's stand-in for a cable) by reading /sys/class/net/<nic>/carrier every `intervalMs`
 * (50 ms by default: about ten one-line files per tick), and reports each change. Polling sysfs
 * needs no tool and no child process, works on a XenServer 5.5 Dom0 as on a current kernel, and a
 * change is seen within one interval.
 *
 * While an interface is administratively down the kernel refuses to read its carrier file
 * (EINVAL): that counts as "no carrier" (false), as an unplugged cable would.
 */

export const SYS_CLASS_NET = '/sys/class/net';

export interface CarrierEvent {
  /** ISO-8601 time the change was seen. */
  time: string;
  host: string;
  nic: string;
  carrier: boolean;
}

export interface WatchOptions {
  host: string;
  /** Poll period in milliseconds (default 50). */
  intervalMs?: number;
  /** The NICs to watch (default: listWatchedNics()). */
  nics?: readonly string[];
  /** Where the interfaces are (default /sys/class/net; tests point it at a fake tree). */
  sysRoot?: string;
  /** Called once with the NICs and their first carrier reading, before any change is reported. */
  onStart?: (initial: ReadonlyMap<string, boolean>) => void;
  onChange: (event: CarrierEvent) => void;
  /** Watching stops when this signal aborts. */
  signal: AbortSignal;
}

/** One reading of a carrier file: true, false, or false when the kernel refuses (interface down) or the file is gone. */
export async function readCarrier(sysRoot: string, nic: string): Promise<boolean> {
  try {
    return (await readFile(join(sysRoot, nic, 'carrier'), 'utf8')).trim() === '1';
  } catch {
    return false;
  }
}

/** Reads every carrier at once. */
async function readAll(sysRoot: string, nics: readonly string[]): Promise<Map<string, boolean>> {
  const values = await Promise.all(nics.map((n) => readCarrier(sysRoot, n)));
  return new Map(nics.map((n, i) => [n, values[i]!]));
}

/**
 * Watches until `signal` aborts; resolves then. Changes are reported in the order they were seen;
 * the initial state is not reported (only passed to onStart).
 */
export async function watchCarriers(opts: WatchOptions): Promise<void> {
  const sysRoot = opts.sysRoot ?? SYS_CLASS_NET;
  const intervalMs = opts.intervalMs ?? 50;
  const nics = opts.nics ?? listWatchedNics(sysRoot);
  if (opts.signal.aborted) return;
  let last = await readAll(sysRoot, nics);
  opts.onStart?.(last);
  await new Promise<void>((resolve) => {
    let busy = false;
    const tick = async () => {
      // A slow read (a loaded machine) never overlaps the next one, so events stay in order.
      if (busy || opts.signal.aborted) return;
      busy = true;
      try {
        const now = await readAll(sysRoot, nics);
        if (opts.signal.aborted) return;
        const time = new Date().toISOString();
        for (const nic of nics) {
          const carrier = now.get(nic)!;
          if (carrier !== last.get(nic)) opts.onChange({ time, host: opts.host, nic, carrier });
        }
        last = now;
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void tick(), intervalMs);
    opts.signal.addEventListener(
      'abort',
      () => {
        clearInterval(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/**
 * The interfaces worth watching: physical NICs (classifyNic on their sysfs attributes) and veth
 * pairs (the lab's cables), in natural name order (eth2 before eth10).
 */
export function listWatchedNics(sysRoot: string = SYS_CLASS_NET): string[] {
  let names: string[];
  try {
    names = readdirSync(sysRoot);
  } catch {
    return [];
  }
  const veth = sysRoot === SYS_CLASS_NET ? vethNames() : new Set<string>();
  const out = names.filter((name) => veth.has(name) || isPhysical(sysRoot, name));
  return out.sort(naturalCompare);
}

function isPhysical(sysRoot: string, name: string): boolean {
  const dir = join(sysRoot, name);
  const read = (f: string) => {
    try {
      return readFileSync(join(dir, f), 'utf8');
    } catch {
      return undefined;
    }
  };
  const type = Number((read('type') ?? '').trim());
  const devtype = /^DEVTYPE=(.*)$/m.exec(read('uevent') ?? '')?.[1];
  const driver = /^DRIVER=(.*)$/m.exec(read('device/uevent') ?? '')?.[1];
  const hasDevice = existsSync(join(dir, 'device'));
  const bonding = existsSync(join(dir, 'bonding'));
  return (
    classifyNic(
      {
        name,
        ...(Number.isFinite(type) && type > 0 ? { type } : {}),
        ...(devtype ? { devtype } : {}),
        ...(driver ? { driver } : {}),
        hasDevice,
      },
      bonding,
    ) === 'physical'
  );
}

/**
 * veth interfaces, from `ip -j -d link show` (linkinfo.info_kind "veth"): sysfs does not say which
 * device-less interface is a veth. Empty when iproute2 is missing or too old for JSON.
 */
export function vethNames(): Set<string> {
  const r = spawnSync('ip', ['-j', '-d', 'link', 'show'], { encoding: 'utf8', timeout: 5000 });
  if (r.error || r.status !== 0) return new Set();
  try {
    const links = JSON.parse(r.stdout) as { ifname?: string; linkinfo?: { info_kind?: string } }[];
    return new Set(links.filter((l) => l.linkinfo?.info_kind === 'veth' && l.ifname).map((l) => l.ifname!));
  } catch {
    return new Set();
  }
}

/** eth2 < eth10: digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The JSON line --watch prints for an event: fixed key order time, host, nic, carrier. */
export function eventLine(e: CarrierEvent): string {
  return `${JSON.stringify({ time: e.time, host: e.host, nic: e.nic, carrier: e.carrier })}\n`;
}
