import type { HostFacts, Platform } from '../facts/schema.js';
import { whyMissing } from './missingFacts.js';

/**
 * Helpers shared by the management and quorum computer checks (mgmt-*, quorum-*): which probes
 * describe which part of such a computer on each platform, and how to say why a part is missing.
 */

export type ComputerPart = 'os' | 'cpu' | 'memory' | 'disk' | 'nics' | 'browsers' | 'power' | 'software' | 'listeners';

const PROBES: Record<Platform | 'unknown', Record<ComputerPart, string[]>> = {
  windows: {
    os: ['windows.systeminfo', 'si.system'],
    cpu: ['windows.systeminfo', 'si.system'],
    memory: ['si.system', 'windows.systeminfo'],
    disk: ['si.system'],
    nics: ['si.system', 'windows.systeminfo'],
    browsers: ['windows.reg-browsers', 'windows.reg-flash', 'windows.folders', 'windows.reg-uninstall'],
    power: ['windows.powercfg-available', 'windows.powercfg-sleep'],
    software: ['windows.reg-uninstall', 'windows.folders', 'windows.reg-dotnet'],
    listeners: ['si.system'],
  },
  linux: {
    os: ['etc.os-release', 'uname', 'si.system'],
    cpu: ['proc.cpuinfo', 'lscpu', 'sys.cpufreq', 'si.system'],
    memory: ['dmidecode.memory', 'proc.iomem', 'proc.meminfo', 'si.system'],
    disk: ['df', 'si.system'],
    nics: ['sys.net', 'ethtool', 'si.system'],
    browsers: ['linux.browsers', 'linux.flash', 'linux.packages'],
    power: ['linux.power-states', 'linux.sleep-targets', 'linux.sleep-config'],
    software: [],
    listeners: ['net.listeners', 'si.system'],
  },
  macos: {
    os: ['macos.sysctl', 'uname', 'si.system'],
    cpu: ['macos.sysctl', 'si.system'],
    memory: ['macos.sysctl', 'si.system'],
    disk: ['macos.df', 'si.system'],
    nics: ['macos.ifconfig', 'si.system'],
    browsers: ['macos.browsers', 'macos.flash'],
    power: ['macos.pmset'],
    software: [],
    listeners: ['si.system'],
  },
  other: { os: ['si.system'], cpu: ['si.system'], memory: ['si.system'], disk: ['si.system'], nics: ['si.system'], browsers: [], power: [], software: [], listeners: ['si.system'] },
  unknown: {
    os: ['si.system', 'windows.systeminfo', 'macos.sysctl', 'etc.os-release', 'uname'],
    cpu: ['si.system', 'windows.systeminfo', 'macos.sysctl', 'proc.cpuinfo'],
    memory: ['si.system', 'windows.systeminfo', 'macos.sysctl', 'proc.meminfo'],
    disk: ['si.system', 'macos.df', 'df'],
    nics: ['si.system', 'macos.ifconfig', 'sys.net'],
    browsers: ['windows.reg-browsers', 'linux.browsers', 'macos.browsers'],
    power: ['windows.powercfg-sleep', 'linux.sleep-targets', 'macos.pmset'],
    software: ['windows.reg-uninstall'],
    listeners: ['net.listeners', 'si.system'],
  },
};

/** The probes that describe `part` on this host's platform (all platforms' when it is not known). */
export function partProbes(facts: HostFacts, part: ComputerPart): string[] {
  return PROBES[facts.computer?.platform ?? 'unknown'][part];
}

/** Why `part` is not known, in the operator's words ("systeminformation: not collected; ..."). */
export function whyPartMissing(facts: HostFacts, part: ComputerPart): string {
  const platform = facts.computer?.platform;
  const prefix = platform ? '' : 'the platform (Windows, Linux, macOS) could not be told; ';
  const note = facts.probes['si.system'] === undefined && platform !== 'linux' ? ' (systeminformation runs only when preflight scans the machine it runs on)' : '';
  return `${prefix}${whyMissing(facts, partProbes(facts, part))}${note}`;
}

export const PLATFORM_NAME: Record<Platform, string> = { windows: 'Windows', linux: 'Linux', macos: 'macOS', other: 'this operating system' };

/** "Debian GNU/Linux 12 (bookworm), 64-bit" */
export function osText(facts: HostFacts): string | undefined {
  const os = facts.computer?.os;
  if (!os) return undefined;
  const sp = os.servicePack ? `, Service Pack ${os.servicePack}` : '';
  return `${os.name}${os.version && !os.name.includes(os.version) ? ` (version ${os.version})` : ''}${sp}${os.bits ? `, ${os.bits}-bit` : ''}`;
}
