import { parsed, type ParseResult } from './parseResult.js';
import type { ListenerFacts } from './schema.js';

/**
 * Parser for the in-process probe `si.system`: the JSON that the systeminformation library (v5)
 * returned on the machine preflight ran on (see src/collect/nodeProbes.ts). Every part is optional
 * and read defensively: a call that failed is missing, older library versions lack some fields
 * (fsSize `available` before 5.x, networkInterfaces `virtual`), and a bundle may have been edited.
 *
 *   { "systeminformation": "5.33.23", "osInfo": { "platform": "linux", "distro": ..., "arch": "x64" },
 *     "cpu": { "brand": ..., "speed": 2.4 }, "mem": { "total": ... }, "memLayout": [ ... ],
 *     "fsSize": [ { "fs": "/dev/vda", "mount": "/", "size": ..., "available": ... } ],
 *     "networkInterfaces": [ { "iface": "eth0", "speed": 1000, "internal": false, ... } ],
 *     "networkConnections": [ { "protocol": "udp", "localAddress": "0.0.0.0", "localPort": "2189", "process": ... } ],
 *     "windows": { "systemDrive": "C:", "processorArchitecture": "AMD64" }, "errors": { "memLayout": "..." } }
 */

export interface SiOs {
  platform?: string;
  distro?: string;
  release?: string;
  codename?: string;
  kernel?: string;
  arch?: string;
  build?: string;
  servicepack?: string;
}

export interface SiVolume {
  fs: string;
  mount: string;
  type?: string;
  sizeBytes?: number;
  availableBytes?: number;
}

export interface SiNic {
  iface: string;
  ifaceName?: string;
  internal?: boolean;
  virtual?: boolean;
  type?: string;
  operstate?: string;
  /** Mbit/s; undefined when systeminformation gave none (null, -1 or 0). */
  speedMbps?: number;
}

export interface SiSystem {
  version?: string;
  os?: SiOs;
  windows?: { systemDrive?: string; processorArchitecture?: string; processorArchiteW6432?: string };
  cpu?: { manufacturer?: string; brand?: string; speedGHz?: number; speedMaxGHz?: number };
  currentSpeedGHz?: number;
  memTotalBytes?: number;
  /** Installed memory modules; left out when systeminformation only echoed the OS total (VMs). */
  memModules?: { sizeBytes: number; bank?: string; type?: string }[];
  volumes?: SiVolume[];
  nics?: SiNic[];
  listeners?: ListenerFacts[];
  /** Calls that failed or timed out, with their message. */
  errors: Record<string, string>;
}

const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const arr = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
/** Positive numbers only: systeminformation reports unknown speeds and sizes as 0, -1 or null. */
const positive = (v: unknown): number | undefined => {
  const n = num(v);
  return n !== undefined && n > 0 ? n : undefined;
};

export function parseSystemInformation(text: string): ParseResult<SiSystem> {
  const problems: string[] = [];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return parsed({ errors: {} }, [`not JSON: ${(err as Error).message.slice(0, 120)}`]);
  }
  const root = obj(data);
  if (!root) return parsed({ errors: {} }, ['not a JSON object']);
  const out: SiSystem = { errors: {} };
  const version = str(root['systeminformation']);
  if (version) out.version = version;

  const errors = obj(root['errors']);
  if (errors) for (const [k, v] of Object.entries(errors)) out.errors[k] = typeof v === 'string' ? v : JSON.stringify(v);

  const os = obj(root['osInfo']);
  if (os) {
    const o: SiOs = {};
    for (const key of ['platform', 'distro', 'release', 'codename', 'kernel', 'arch', 'build', 'servicepack'] as const) {
      const v = str(os[key]);
      if (v !== undefined) o[key] = v;
    }
    out.os = o;
  } else if (root['osInfo'] !== undefined) problems.push('osInfo is not an object');

  const win = obj(root['windows']);
  if (win) {
    out.windows = {};
    const drive = str(win['systemDrive']);
    const arch = str(win['processorArchitecture']);
    const wow = str(win['processorArchiteW6432']);
    if (drive) out.windows.systemDrive = drive;
    if (arch) out.windows.processorArchitecture = arch;
    if (wow) out.windows.processorArchiteW6432 = wow;
  }

  const cpu = obj(root['cpu']);
  if (cpu) {
    out.cpu = {};
    const manufacturer = str(cpu['manufacturer']);
    const brand = str(cpu['brand']);
    const speed = positive(cpu['speed']);
    const speedMax = positive(cpu['speedMax']);
    if (manufacturer) out.cpu.manufacturer = manufacturer;
    if (brand) out.cpu.brand = brand;
    if (speed !== undefined) out.cpu.speedGHz = speed;
    if (speedMax !== undefined) out.cpu.speedMaxGHz = speedMax;
  }
  const current = positive(obj(root['cpuCurrentSpeed'])?.['avg']);
  if (current !== undefined) out.currentSpeedGHz = current;

  const total = positive(obj(root['mem'])?.['total']);
  if (total !== undefined) out.memTotalBytes = total;

  const layout = arr(root['memLayout']);
  if (layout) {
    // Without SMBIOS (VMs, no root on Linux) systeminformation returns one entry with the OS total
    // and every descriptive field empty: that is not a module.
    const modules = layout.flatMap((m) => {
      const o = obj(m);
      const size = positive(o?.['size']);
      if (!o || size === undefined) return [];
      const bank = str(o['bank']);
      const type = str(o['type']);
      const described = bank !== undefined || (type !== undefined && type !== 'Unknown') || str(o['formFactor']) !== undefined || str(o['manufacturer']) !== undefined;
      return described ? [{ sizeBytes: size, ...(bank ? { bank } : {}), ...(type ? { type } : {}) }] : [];
    });
    if (modules.length) out.memModules = modules;
  }

  const fs = arr(root['fsSize']);
  if (fs) {
    out.volumes = fs.flatMap((v) => {
      const o = obj(v);
      const mount = str(o?.['mount']);
      if (!o || mount === undefined) return [];
      const size = num(o['size']);
      const used = num(o['used']);
      // `available` (5.x) is what an unprivileged user may use; older versions only had size/used.
      const available = num(o['available']) ?? (size !== undefined && used !== undefined ? size - used : undefined);
      const vol: SiVolume = { fs: str(o['fs']) ?? mount, mount };
      const type = str(o['type']);
      if (type) vol.type = type;
      if (size !== undefined && size >= 0) vol.sizeBytes = size;
      if (available !== undefined && available >= 0) vol.availableBytes = available;
      return [vol];
    });
  }

  const nics = arr(root['networkInterfaces']);
  if (nics) {
    out.nics = nics.flatMap((n) => {
      const o = obj(n);
      const iface = str(o?.['iface']);
      if (!o || iface === undefined) return [];
      const nic: SiNic = { iface };
      const name = str(o['ifaceName']);
      if (name) nic.ifaceName = name;
      const internal = bool(o['internal']);
      const virtual = bool(o['virtual']);
      if (internal !== undefined) nic.internal = internal;
      if (virtual !== undefined) nic.virtual = virtual;
      const type = str(o['type']);
      if (type) nic.type = type;
      const state = str(o['operstate']);
      if (state) nic.operstate = state;
      const speed = positive(o['speed']);
      if (speed !== undefined) nic.speedMbps = speed;
      return [nic];
    });
  }

  const connections = arr(root['networkConnections']);
  if (connections) {
    out.listeners = connections.flatMap((c): ListenerFacts[] => {
      const o = obj(c);
      if (!o) return [];
      const protocol = str(o['protocol'])?.toLowerCase();
      const port = num(o['localPort']);
      const state = str(o['state'])?.toUpperCase();
      if (!protocol || port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) return [];
      const proto = protocol.startsWith('udp') ? 'udp' : protocol.startsWith('tcp') ? 'tcp' : undefined;
      if (!proto || (proto === 'tcp' && state !== 'LISTEN')) return [];
      const listener: ListenerFacts = { protocol: proto, address: str(o['localAddress']) ?? '*', port };
      const process = str(o['process']);
      const pid = num(o['pid']);
      if (process) listener.process = process;
      if (pid !== undefined && Number.isInteger(pid) && pid > 0) listener.pid = pid;
      return [listener];
    });
  }

  for (const [call, message] of Object.entries(out.errors)) problems.push(`systeminformation ${call}: ${message.slice(0, 200)}`);
  return parsed(out, problems);
}
