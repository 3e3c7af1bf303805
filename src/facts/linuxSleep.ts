import { parsed, type ParseResult } from './parseResult.js';
import { splitLines } from './textLines.js';

/**
 * Parsers for the Linux power probes.
 *
 * `linux.sleep-targets`:
 *   systemd: running
 *   sleep.target: static
 *   suspend.target: masked
 *
 * `linux.sleep-config` (grep -H of logind.conf, sleep.conf and their drop-ins):
 *   /etc/systemd/logind.conf:IdleAction=suspend
 *   /etc/systemd/sleep.conf.d/nosleep.conf:AllowSuspend=no
 *
 * `linux.power-states`:
 *   state: freeze mem disk
 *   disk: [platform] shutdown reboot suspend
 */

export interface SleepTargets {
  systemdRunning?: boolean;
  /** unit -> first line of `systemctl is-enabled` (enabled, static, masked, disabled, or an error). */
  targets: Record<string, string>;
}

export function parseSleepTargets(text: string): ParseResult<SleepTargets> {
  const out: SleepTargets = { targets: {} };
  for (const line of splitLines(text)) {
    const sd = /^systemd:\s*(running|not running)\s*$/.exec(line);
    if (sd) {
      out.systemdRunning = sd[1] === 'running';
      continue;
    }
    const m = /^([a-z0-9-]+\.target):\s*(.*)$/.exec(line);
    if (m) out.targets[m[1]!] = m[2]!.trim();
  }
  return parsed(out, Object.keys(out.targets).length ? [] : ['no "UNIT.target: state" lines']);
}

/**
 * The settings in effect: the main file first, then drop-ins ordered by file name (systemd's
 * rule: later drop-ins override earlier ones; a drop-in in /etc hides one of the same name in
 * /run or /usr/lib). logind.conf and sleep.conf keys do not overlap, so one map holds both.
 */
export function parseSleepConfig(text: string): ParseResult<Record<string, string>> {
  const rows: { file: string; key: string; value: string }[] = [];
  for (const line of splitLines(text)) {
    const m = /^(\/[^:]+):\s*([A-Za-z]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m) rows.push({ file: m[1]!, key: m[2]!, value: m[3]! });
  }
  const base = (f: string) => f.slice(f.lastIndexOf('/') + 1);
  const isDropIn = (f: string) => /\.conf\.d\//.test(f);
  const rank = (f: string) => (f.startsWith('/etc/') ? 0 : f.startsWith('/run/') ? 1 : 2);
  // For each drop-in name, only the highest-precedence directory's file counts.
  const winner = new Map<string, string>();
  for (const r of rows.filter((r) => isDropIn(r.file))) {
    const key = `${r.file.includes('logind.conf.d') ? 'logind' : 'sleep'}/${base(r.file)}`;
    const cur = winner.get(key);
    if (cur === undefined || rank(r.file) < rank(cur)) winner.set(key, r.file);
  }
  const ordered = [
    ...rows.filter((r) => !isDropIn(r.file)),
    ...rows
      .filter((r) => isDropIn(r.file) && [...winner.values()].includes(r.file))
      .sort((a, b) => base(a.file).localeCompare(base(b.file))),
  ];
  const out: Record<string, string> = {};
  for (const r of ordered) out[r.key] = r.value;
  return parsed(out);
}

export interface KernelPowerStates {
  /** /sys/power/state words; empty when the kernel offers no sleep state. */
  states: string[];
  /** /sys/power/disk, e.g. "[platform] shutdown reboot suspend" */
  disk?: string;
}

export function parseKernelPowerStates(text: string): ParseResult<KernelPowerStates> {
  const out: KernelPowerStates = { states: [] };
  let seen = false;
  for (const line of splitLines(text)) {
    const m = /^(state|disk|mem_sleep):\s?(.*)$/.exec(line);
    if (!m) continue;
    if (m[1] === 'state') {
      seen = true;
      out.states = m[2]!.trim().split(/\s+/).filter(Boolean);
    } else if (m[1] === 'disk' && m[2]!.trim()) out.disk = m[2]!.trim();
  }
  return parsed(out, seen ? [] : ['no "state:" line']);
}
