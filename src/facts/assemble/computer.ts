import type { Evidence } from '../../collect/evidence.js';
import { parseBsdDf } from '../bsdDf.js';
import { parseMacIfconfig } from '../macIfconfig.js';
import type { ComputerFacts, CpuFacts, FilesystemFacts, MemoryFacts, NicFacts, OsFacts, ParseProblem, Platform } from '../schema.js';
import { parseSysctl } from '../sysctlValues.js';
import { parseSystemInformation, type SiSystem } from '../systemInformation.js';
import { parseWindowsSysteminfo } from '../windowsSysteminfo.js';
import { parseProbe } from './probeOutput.js';

/** What the host assemblers already read (Linux shell probes), reused rather than read twice. */
export interface HostParts {
  os: OsFacts;
  cpu: CpuFacts;
  memory: MemoryFacts;
  filesystems?: FilesystemFacts[];
  nics?: NicFacts[];
}

export interface ComputerAssembly {
  computer?: ComputerFacts;
  problems: ParseProblem[];
}

/**
 * The machine as a management or quorum computer (Tables 4 and 5): OS, CPU speed, memory, free
 * space on the system volume and NICs, on Windows, Linux or macOS. Each part is taken from the
 * most direct source there is, and says which:
 *  - Windows: `systeminfo` (edition, service pack, 32/64-bit), else systeminformation;
 *  - Linux: the host probes (os-release, cpuinfo/cpufreq, SMBIOS, df, sysfs), else systeminformation;
 *  - macOS: sysctl, df and ifconfig (also over SSH), else systeminformation.
 * systeminformation (`si.system`) is only there for the machine preflight runs on.
 */
export function assembleComputer(ev: Record<string, Evidence>, host: HostParts): ComputerAssembly {
  const problems: ParseProblem[] = [];
  const si = parseProbe(ev, 'si.system', parseSystemInformation, problems);
  const win = parseProbe(ev, 'windows.systeminfo', parseWindowsSysteminfo, problems);
  const sysctl = parseProbe(ev, 'macos.sysctl', parseSysctl, problems);
  const platform = platformOf(si, win !== undefined && win.osName !== undefined, sysctl !== undefined && Object.keys(sysctl).length > 0, host.os);
  if (platform === undefined) return { problems };
  const c: ComputerFacts = { platform };

  // --- operating system
  if (platform === 'windows') {
    if (win?.osName) {
      c.os = {
        name: win.osName,
        ...(win.osVersion ? { version: win.osVersion } : {}),
        ...(win.servicePack !== undefined ? { servicePack: win.servicePack } : {}),
        ...(win.bits ? { bits: win.bits } : {}),
        source: 'windows.systeminfo',
      };
    } else if (si?.os?.distro) {
      const sp = /^(\d+)/.exec(si.os.servicepack ?? '');
      const arch = si.windows?.processorArchiteW6432 ?? si.windows?.processorArchitecture;
      const bits = arch ? (/64/.test(arch) ? 64 : /86/.test(arch) ? 32 : undefined) : undefined;
      c.os = {
        name: si.os.distro,
        ...(si.os.release ? { version: si.os.release } : {}),
        ...(sp ? { servicePack: Number(sp[1]) } : {}),
        ...(bits ? { bits } : {}),
        source: 'si.system',
      };
    }
  } else if (platform === 'linux') {
    const bits = wordSize(host.os.machine) ?? wordSize(si?.os?.arch);
    if (host.os.distribution) {
      c.os = { name: host.os.distribution, ...(host.os.kernelRelease ? { version: host.os.kernelRelease } : {}), ...(bits ? { bits } : {}), source: 'etc.os-release' };
    } else if (si?.os?.distro) {
      c.os = { name: [si.os.distro, si.os.release].filter(Boolean).join(' '), ...(si.os.kernel ? { version: si.os.kernel } : {}), ...(bits ? { bits } : {}), source: 'si.system' };
    }
  } else if (platform === 'macos') {
    const v = sysctl?.['kern.osproductversion'];
    const bits = sysctl?.['hw.optional.x86_64'] === '1' || sysctl?.['hw.optional.arm64'] === '1' || sysctl?.['hw.cpu64bit_capable'] === '1' ? 64 : wordSize(si?.os?.arch);
    if (v) c.os = { name: `macOS ${v}`, version: v, ...(bits ? { bits } : {}), source: 'macos.sysctl' };
    else if (si?.os?.release) c.os = { name: `${si.os.distro ?? 'macOS'} ${si.os.release}`, version: si.os.release, ...(bits ? { bits } : {}), source: 'si.system' };
    else if (host.os.kernelName === 'Darwin' && host.os.kernelRelease) c.os = { name: `Darwin ${host.os.kernelRelease} (macOS)`, ...(bits ? { bits } : {}), source: 'uname' };
  } else if (si?.os?.distro || si?.os?.platform) {
    c.os = { name: [si.os.distro ?? si.os.platform, si.os.release].filter(Boolean).join(' '), source: 'si.system' };
  }

  // --- CPU speed: rated first, then maximum, then the current (maybe throttled) clock
  const siModel = si?.cpu ? [si.cpu.manufacturer, si.cpu.brand].filter(Boolean).join(' ') || undefined : undefined;
  const cpuCandidates: (ComputerFacts['cpu'] | undefined)[] = [];
  const ghz = (g: number | undefined) => (g === undefined ? undefined : Math.round(g * 1000));
  const cpu = (mhz: number | undefined, kind: 'rated' | 'maximum' | 'current', source: string, model?: string) =>
    mhz !== undefined && mhz > 0 ? { mhz, kind, source, ...(model ? { model } : {}) } : undefined;
  if (platform === 'windows') {
    const p = win?.processors[0];
    cpuCandidates.push(cpu(p?.mhz, 'rated', 'windows.systeminfo', siModel ?? p?.description), cpu(ghz(si?.cpu?.speedGHz), 'rated', 'si.system', siModel), cpu(ghz(si?.currentSpeedGHz), 'current', 'si.system', siModel));
  } else if (platform === 'macos') {
    const brand = sysctl?.['machdep.cpu.brand_string'];
    const fromBrand = brand ? /@\s*([\d.]+)\s*GHz/i.exec(brand) : null;
    const hz = Number(sysctl?.['hw.cpufrequency'] ?? NaN);
    cpuCandidates.push(
      cpu(fromBrand ? Math.round(Number(fromBrand[1]) * 1000) : undefined, 'rated', 'macos.sysctl', brand),
      cpu(Number.isFinite(hz) ? Math.round(hz / 1e6) : undefined, 'rated', 'macos.sysctl', brand),
      cpu(ghz(si?.cpu?.speedGHz), 'rated', 'si.system', siModel),
      cpu(ghz(si?.currentSpeedGHz), 'current', 'si.system', siModel),
    );
  } else {
    const model = host.cpu.modelName?.trim() || siModel;
    cpuCandidates.push(
      cpu(host.cpu.nominalMhz, 'rated', 'proc.cpuinfo', model),
      cpu(ghz(si?.cpu?.speedGHz), 'rated', 'si.system', model),
      cpu(host.cpu.maxMhz, 'maximum', 'sys.cpufreq', model),
      cpu(ghz(si?.cpu?.speedMaxGHz), 'maximum', 'si.system', model),
      cpu(host.cpu.currentMhz, 'current', 'proc.cpuinfo', model),
      cpu(ghz(si?.currentSpeedGHz), 'current', 'si.system', model),
    );
  }
  const chosenCpu = cpuCandidates.find((x) => x !== undefined);
  if (chosenCpu) c.cpu = chosenCpu;

  // --- memory: installed modules first, then what the OS reports
  const modules = si?.memModules?.reduce((n, m) => n + m.sizeBytes, 0);
  const mem = (bytes: number | undefined, installed: boolean, source: string) => (bytes !== undefined && bytes > 0 ? { bytes, installed, source } : undefined);
  const memCandidates =
    platform === 'windows'
      ? [mem(modules, true, 'si.system'), mem(win?.totalPhysicalMemoryBytes, false, 'windows.systeminfo'), mem(si?.memTotalBytes, false, 'si.system')]
      : platform === 'macos'
        ? [mem(Number(sysctl?.['hw.memsize'] ?? NaN) || undefined, true, 'macos.sysctl'), mem(si?.memTotalBytes, true, 'si.system')]
        : [
            mem(host.memory.dimmBytes, true, 'dmidecode.memory'),
            mem(modules, true, 'si.system'),
            mem(host.memory.systemRamBytes, false, 'proc.iomem'),
            mem(host.memory.memTotalBytes, false, 'proc.meminfo'),
            mem(si?.memTotalBytes, false, 'si.system'),
          ];
  const chosenMem = memCandidates.find((x) => x !== undefined);
  if (chosenMem) c.memory = chosenMem;

  // --- free space where the software goes: the system drive on Windows, / elsewhere
  if (platform === 'windows') {
    const drive = (si?.windows?.systemDrive ?? 'C:').replace(/\\$/, '').toUpperCase();
    const v = si?.volumes?.find((x) => x.mount.replace(/\\$/, '').toUpperCase() === drive);
    if (v?.availableBytes !== undefined) c.systemVolume = { mount: drive, availableBytes: v.availableBytes, ...(v.sizeBytes !== undefined ? { sizeBytes: v.sizeBytes } : {}), source: 'si.system' };
  } else {
    const shellFs = platform === 'macos' ? parseProbe(ev, 'macos.df', parseBsdDf, problems) : host.filesystems;
    const root = shellFs?.find((f) => f.mountpoint === '/');
    if (root) c.systemVolume = { mount: '/', availableBytes: root.availableBytes, sizeBytes: root.sizeBytes, source: platform === 'macos' ? 'macos.df' : 'df' };
    else {
      const v = si?.volumes?.find((x) => x.mount === '/');
      if (v?.availableBytes !== undefined) c.systemVolume = { mount: '/', availableBytes: v.availableBytes, ...(v.sizeBytes !== undefined ? { sizeBytes: v.sizeBytes } : {}), source: 'si.system' };
    }
  }

  // --- NICs
  const siNics = () =>
    si?.nics?.map((n) => ({
      name: n.iface,
      ...(n.ifaceName && n.ifaceName !== n.iface ? { description: n.ifaceName } : {}),
      speedMbps: n.speedMbps ?? null,
      virtual: n.internal === true || n.virtual === true || VIRTUAL_ADAPTER.test(n.ifaceName ?? n.iface) || n.type === 'virtual',
      ...(n.type === 'wireless' ? { wireless: true } : n.type === 'wired' ? { wireless: false } : {}),
      ...(n.operstate ? { up: n.operstate === 'up' } : {}),
    }));
  if (platform === 'linux' && host.nics?.length) {
    c.nics = host.nics.map((n) => ({
      name: n.name,
      ...(n.driver ? { description: n.driver } : {}),
      speedMbps: n.speedMbps ?? null,
      virtual: n.kind !== 'physical',
      ...(/^(wl|wlan|ath|ra)\d*/.test(n.name) ? { wireless: true } : {}),
      ...(n.operstate ? { up: n.operstate === 'up' } : {}),
    }));
    c.nicsSource = 'sys.net';
  } else if (platform === 'macos' && probeHas(ev, 'macos.ifconfig')) {
    const ifs = parseProbe(ev, 'macos.ifconfig', parseMacIfconfig, problems) ?? [];
    c.nics = ifs.map((i) => ({ name: i.name, ...(i.media ? { description: `media: ${i.media}` } : {}), speedMbps: i.speedMbps ?? null, virtual: i.virtual, ...(i.active !== undefined ? { up: i.active } : {}) }));
    c.nicsSource = 'macos.ifconfig';
  } else if (si?.nics) {
    c.nics = siNics()!;
    c.nicsSource = 'si.system';
  } else if (platform === 'windows' && win?.nics.length) {
    c.nics = win.nics.map((n) => ({
      name: n.connectionName ?? n.name,
      description: n.name,
      speedMbps: null,
      virtual: VIRTUAL_ADAPTER.test(n.name),
      ...(n.status ? { up: !/disconnected|not present|disabled/i.test(n.status) } : {}),
    }));
    c.nicsSource = 'windows.systeminfo';
  }
  if (si?.listeners) c.listeners = si.listeners;
  return { computer: c, problems };
}

/**
 * Adapters that are not a network card: hypervisor switches, tunnels, Bluetooth PAN, loopback. Judged
 * on the adapter's description where there is one (a Hyper-V host shows its physical card under a
 * "vEthernet (...)" connection name).
 */
const VIRTUAL_ADAPTER = /virtual|hyper-v|vmware|virtualbox|vethernet|loopback|pseudo-interface|miniport|bluetooth|tap-windows|teredo|isatap|6to4|wan miniport|npcap|vpn|tunnel/i;

function platformOf(si: SiSystem | undefined, windowsSysteminfo: boolean, macSysctl: boolean, os: OsFacts): Platform | undefined {
  const p = si?.os?.platform;
  if (p) return /^win/i.test(p) ? 'windows' : /^linux$/i.test(p) ? 'linux' : /^darwin$/i.test(p) ? 'macos' : 'other';
  if (windowsSysteminfo) return 'windows';
  if (macSysctl || os.kernelName === 'Darwin') return 'macos';
  if (os.kernelName === 'Linux') return 'linux';
  return undefined;
}

function wordSize(arch: string | undefined): 32 | 64 | undefined {
  if (!arch) return undefined;
  if (/^(x86_64|amd64|x64|aarch64|arm64|ppc64(le)?|s390x|riscv64)$/i.test(arch)) return 64;
  if (/^(i[3-6]86|x86|ia32|armv[5-7]l?|arm)$/i.test(arch)) return 32;
  return undefined;
}

function probeHas(ev: Record<string, Evidence>, id: string): boolean {
  const e = ev[id];
  return e !== undefined && e.exitCode === 0 && e.error === undefined;
}
