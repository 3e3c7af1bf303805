import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { HostFacts } from '../facts/schema.js';
import { listing, num } from './formatUnits.js';
import { partProbes, whyPartMissing } from './mgmtShared.js';
import type { HostCheck, Outcome } from './types.js';

const Params = z.object({}).strict();
export type QuorumAlwaysOnParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

const EXPECTED = 'never goes to sleep or hibernates by itself (sleep and hibernation timers off, or no sleep state available)';

export const quorumAlwaysOn: HostCheck<QuorumAlwaysOnParams> = {
  name: 'quorum-always-on',
  scope: 'host',
  description: 'the quorum service computer stays powered on: no idle sleep or hibernation (Windows powercfg, Linux systemd/kernel, macOS pmset)',
  params: Params,
  probes: ['windows.powercfg-available', 'windows.powercfg-sleep', 'linux.power-states', 'linux.sleep-targets', 'linux.sleep-config', 'macos.pmset'],
  evaluate({ facts }) {
    const power = facts.power;
    const probes = partProbes(facts, 'power');
    const error = (observed: string, why: string): Outcome => ({ status: 'error', observed, expected: EXPECTED, message: `Cannot tell whether this computer goes to sleep: ${why}.`, probes });
    if (!power) return error('power settings not known', whyPartMissing(facts, 'power'));
    if (power.windows) return windows(power.windows, probes);
    if (power.linux) return linux(power.linux, probes, facts);
    if (power.macos) return macos(power.macos, probes);
    return error('power settings not known', whyPartMissing(facts, 'power'));
  },
};

const duration = (s: number) => (s % 3600 === 0 ? `${num(s / 3600)} h` : s % 60 === 0 ? `${num(s / 60)} min` : `${num(s)} s`);

function windows(w: NonNullable<NonNullable<HostFacts['power']>['windows']>, probes: string[]): Outcome {
  const states = w.available;
  const offers = (re: RegExp) => states?.some((s) => re.test(s));
  const sleepable = states === undefined ? undefined : states.some((s) => /\(S[0-3]|standby|hibernat/i.test(s) && !/fast startup/i.test(s));
  const parts = [
    states ? `available sleep states: ${states.length ? states.join(', ') : 'none'}` : undefined,
    w.sleepAfterAcSeconds !== undefined ? `Sleep after (AC): ${w.sleepAfterAcSeconds ? duration(w.sleepAfterAcSeconds) : 'never'}` : undefined,
    w.hibernateAfterAcSeconds !== undefined ? `Hibernate after (AC): ${w.hibernateAfterAcSeconds ? duration(w.hibernateAfterAcSeconds) : 'never'}` : undefined,
    w.scheme ? `power plan ${w.scheme}` : undefined,
  ].filter(Boolean);
  const observed = parts.join('; ');
  if (sleepable === false) return { status: 'pass', observed, expected: EXPECTED, message: 'Windows offers no sleep or hibernation state on this computer.', probes };
  if (w.sleepAfterAcSeconds === undefined && w.hibernateAfterAcSeconds === undefined) {
    return { status: 'error', observed: observed || 'power settings not known', expected: EXPECTED, message: 'Cannot tell whether this computer goes to sleep: the idle timers of the power plan could not be read (run "powercfg /q SCHEME_CURRENT SUB_SLEEP").', probes };
  }
  const blockers: string[] = [];
  if (w.sleepAfterAcSeconds) blockers.push(`"Sleep after" is ${duration(w.sleepAfterAcSeconds)} on AC power`);
  if (w.hibernateAfterAcSeconds && offers(/hibernat/i) !== false) blockers.push(`"Hibernate after" is ${duration(w.hibernateAfterAcSeconds)} on AC power`);
  const battery = [w.sleepAfterDcSeconds ? `sleep after ${duration(w.sleepAfterDcSeconds)}` : '', w.hibernateAfterDcSeconds ? `hibernate after ${duration(w.hibernateAfterDcSeconds)}` : ''].filter(Boolean);
  const batteryNote = battery.length ? ` On battery power it would still ${battery.join(' and ')}: keep the computer plugged in.` : '';
  if (blockers.length) {
    return { status: 'fail', observed, expected: EXPECTED, message: `The quorum service computer must always be on, but ${listing(blockers)}: set them to Never in the power plan (Control Panel, Power Options) or with "powercfg /change standby-timeout-ac 0" and "powercfg /change hibernate-timeout-ac 0".${batteryNote}`, probes };
  }
  return { status: 'pass', observed, expected: EXPECTED, message: `On AC power this computer never sleeps or hibernates by itself.${batteryNote}`, probes };
}

function linux(l: NonNullable<NonNullable<HostFacts['power']>['linux']>, probes: string[], facts: HostFacts): Outcome {
  const t = l.targets ?? {};
  const targetText = Object.entries(t).map(([u, s]) => `${u} ${s || '?'}`);
  const parts = [
    l.kernelStates ? `kernel sleep states: ${l.kernelStates.length ? l.kernelStates.join(' ') : 'none'}` : undefined,
    l.systemdRunning !== undefined ? `systemd ${l.systemdRunning ? 'running' : 'not running'}` : undefined,
    targetText.length ? targetText.join(', ') : undefined,
    Object.keys(l.settings ?? {}).length ? Object.entries(l.settings!).map(([k, v]) => `${k}=${v}`).join(', ') : undefined,
  ].filter(Boolean);
  const observed = parts.join('; ');
  if (l.kernelStates && l.kernelStates.length === 0) return { status: 'pass', observed, expected: EXPECTED, message: 'The kernel offers no sleep state (/sys/power/state is empty): this computer cannot suspend or hibernate.', probes };
  if (!l.kernelStates && !l.targets) return { status: 'error', observed: observed || 'power settings not known', expected: EXPECTED, message: `Cannot tell whether this computer goes to sleep: ${whyPartMissing(facts, 'power')}.`, probes };
  const s = l.settings ?? {};
  const no = (k: string) => /^(no|false|0|off)$/i.test(s[k] ?? '');
  const masked = (u: string) => /^masked/.test(t[u] ?? '');
  const suspendOff = masked('sleep.target') || masked('suspend.target') || no('AllowSuspend');
  const hibernateOff = masked('sleep.target') || masked('hibernate.target') || no('AllowHibernation');
  const states = l.kernelStates ?? [];
  const kernelSuspend = states.some((x) => x === 'mem' || x === 'standby' || x === 'freeze');
  const kernelHibernate = states.includes('disk');
  const blockers: string[] = [];
  if (l.systemdRunning === false || !l.targets) {
    if (kernelSuspend) blockers.push(`the kernel offers suspend (${states.filter((x) => x !== 'disk').join(', ')})`);
    if (kernelHibernate) blockers.push('the kernel offers hibernation (disk)');
    if (blockers.length) blockers.push('systemd does not run here, so nothing masks them');
  } else {
    if (!suspendOff && (kernelSuspend || !l.kernelStates)) blockers.push(`suspend is allowed (suspend.target ${t['suspend.target'] ?? 'not known'}, not masked)`);
    if (!hibernateOff && (kernelHibernate || !l.kernelStates)) blockers.push(`hibernation is allowed (hibernate.target ${t['hibernate.target'] ?? 'not known'}, not masked)`);
    const idle = s['IdleAction'];
    if (idle && /suspend|hibernate|hybrid-sleep|sleep/i.test(idle)) blockers.unshift(`logind IdleAction=${idle} puts the computer to sleep when idle`);
  }
  if (!blockers.length) return { status: 'pass', observed, expected: EXPECTED, message: 'Suspend and hibernation are disabled.', probes };
  return {
    status: 'fail',
    observed,
    expected: EXPECTED,
    message: `The quorum service computer must always be on, but ${listing(blockers)}. Disable sleep: "systemctl mask sleep.target suspend.target hibernate.target hybrid-sleep.target" (as root), and turn off automatic suspend in the desktop's power settings.`,
    probes,
  };
}

function macos(m: NonNullable<NonNullable<HostFacts['power']>['macos']>, probes: string[]): Outcome {
  const observed = [
    m.sleepMinutes !== undefined ? `pmset sleep ${m.sleepMinutes}${m.sleepMinutes === 0 ? ' (never)' : ' min'}${m.sleepNote ? ` (${m.sleepNote})` : ''}` : 'pmset sleep not shown',
    m.sleepDisabled !== undefined ? `SleepDisabled ${m.sleepDisabled ? 1 : 0}` : undefined,
    m.hibernateMode !== undefined ? `hibernatemode ${m.hibernateMode}` : undefined,
  ]
    .filter(Boolean)
    .join('; ');
  if (m.sleepDisabled) return { status: 'pass', observed, expected: EXPECTED, message: 'System sleep is disabled (pmset disablesleep 1).', probes };
  if (m.sleepMinutes === undefined) return { status: 'error', observed, expected: EXPECTED, message: 'Cannot tell whether this Mac goes to sleep: pmset -g showed no "sleep" setting.', probes };
  if (m.sleepMinutes === 0) return { status: 'pass', observed, expected: EXPECTED, message: 'The system sleep timer is off (sleep 0): this Mac does not sleep by itself.', probes };
  const note = m.sleepNote ? ` (right now ${m.sleepNote}, which lasts only while those programs hold it)` : '';
  return {
    status: 'fail',
    observed,
    expected: EXPECTED,
    message: `The quorum service computer must always be on, but this Mac sleeps after ${m.sleepMinutes} min of inactivity${note}: run "sudo pmset -a sleep 0" (or Energy Saver: "Prevent computer from sleeping automatically").`,
    probes,
  };
}
