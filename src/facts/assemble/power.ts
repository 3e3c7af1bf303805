import type { Evidence } from '../../collect/evidence.js';
import { parseKernelPowerStates, parseSleepConfig, parseSleepTargets } from '../linuxSleep.js';
import { parsePmset } from '../pmset.js';
import { parsePowercfgAvailable, parsePowercfgQuery, POWER_SETTING } from '../powercfg.js';
import type { ComputerFacts, ParseProblem, PowerFacts } from '../schema.js';
import { definedOnly } from './definedOnly.js';
import { parseProbe } from './probeOutput.js';

export interface PowerAssembly {
  power?: PowerFacts;
  problems: ParseProblem[];
}

/**
 * Sleep and hibernation settings (quorum service computers must be "always powered on", Table 5):
 * Windows powercfg (/a: the states offered; /q: the idle timers of the active plan), Linux
 * (/sys/power/state, systemd's sleep targets and logind/sleep.conf), macOS pmset.
 */
export function assemblePower(ev: Record<string, Evidence>, computer: ComputerFacts | undefined): PowerAssembly {
  const problems: ParseProblem[] = [];
  const platform = computer?.platform;
  if (platform === 'windows') {
    const a = parseProbe(ev, 'windows.powercfg-available', parsePowercfgAvailable, problems);
    const q = parseProbe(ev, 'windows.powercfg-sleep', parsePowercfgQuery, problems);
    if (!a && !q) return { problems };
    const setting = (guid: string) => q?.settings.find((s) => s.guid === guid);
    const sleep = setting(POWER_SETTING.sleepAfter);
    const hibernate = setting(POWER_SETTING.hibernateAfter);
    return {
      power: {
        platform,
        windows: definedOnly({
          available: a?.available,
          unavailable: a?.unavailable.map((u) => u.state),
          sleepAfterAcSeconds: sleep?.ac,
          sleepAfterDcSeconds: sleep?.dc,
          hibernateAfterAcSeconds: hibernate?.ac,
          hibernateAfterDcSeconds: hibernate?.dc,
          scheme: q?.schemeName,
        }),
      },
      problems,
    };
  }
  if (platform === 'linux') {
    const states = parseProbe(ev, 'linux.power-states', parseKernelPowerStates, problems);
    const targets = parseProbe(ev, 'linux.sleep-targets', parseSleepTargets, problems);
    const settings = parseProbe(ev, 'linux.sleep-config', parseSleepConfig, problems);
    if (!states && !targets && !settings) return { problems };
    return {
      power: {
        platform,
        linux: definedOnly({
          kernelStates: states?.states,
          systemdRunning: targets?.systemdRunning,
          targets: targets && Object.keys(targets.targets).length ? targets.targets : undefined,
          settings,
        }),
      },
      problems,
    };
  }
  if (platform === 'macos') {
    const pm = parseProbe(ev, 'macos.pmset', parsePmset, problems);
    if (!pm) return { problems };
    const sleep = pm.inUse['sleep'];
    const minutes = sleep && /^\d+$/.test(sleep.value) ? Number(sleep.value) : undefined;
    const hib = pm.inUse['hibernatemode']?.value;
    const disabled = pm.systemWide['SleepDisabled']?.value;
    return {
      power: {
        platform,
        macos: definedOnly({
          sleepMinutes: minutes,
          sleepNote: sleep?.note,
          sleepDisabled: disabled === undefined ? undefined : disabled === '1',
          hibernateMode: hib !== undefined && /^\d+$/.test(hib) ? Number(hib) : undefined,
        }),
      },
      problems,
    };
  }
  return { problems };
}
