import { parsed, type ParseResult } from './parseResult.js';
import { PCI_ADDRESS } from './sysNet.js';
import { quoteLine, splitLines } from './textLines.js';

/**
 * Parser for probe `ethtool`: for every interface backed by a device, a `==> eth0 <==` header,
 * the output of `ethtool eth0`, a `--- driver` line and the output of `ethtool -i eth0`. A plain
 * `ethtool eth0` (or `ethtool -i eth0`) output without headers is read as one interface.
 * ethtool fills in what sysfs lacks: old Dom0 kernels and some drivers have no speed file.
 */

export interface EthtoolInterface {
  /** From the `==>` header or "Settings for eth0:"; absent for a bare `ethtool -i` output. */
  name?: string;
  /** Negotiated speed; null when ethtool says "Unknown!" (no link, or the driver does not say). */
  speedMbps?: number | null;
  /** "full" or "half"; absent when unknown. */
  duplex?: string;
  autoNegotiation?: boolean;
  port?: string;
  linkDetected?: boolean;
  driver?: string;
  driverVersion?: string;
  firmwareVersion?: string;
  busInfo?: string;
  /** The PCI address from bus-info, when it is one. */
  pciSlot?: string;
}

const SECTION = /^==> (.+) <==$/;
const SETTINGS_FOR = /^Settings for (.+):$/;
/** Old drivers report SPEED_UNKNOWN as 65535 (or the unsigned -1) instead of "Unknown!". */
const UNKNOWN_SPEEDS = new Set([65535, 4294967295]);

interface Section {
  iface: EthtoolInterface;
  /** Whether a field was read: an empty section means ethtool could not query the device. */
  fields: number;
  firstLine?: string;
}

export function parseEthtool(text: string): ParseResult<EthtoolInterface[]> {
  const problems: string[] = [];
  const complain = (m: string) => {
    if (problems.length < 20) problems.push(m);
  };
  const sections: Section[] = [];
  let current: Section | undefined;
  const open = (name?: string): Section => {
    const s: Section = { iface: name === undefined ? {} : { name }, fields: 0 };
    sections.push(s);
    return s;
  };

  for (const raw of splitLines(text)) {
    const line = raw.trim();
    if (line === '') continue;
    const header = SECTION.exec(line);
    if (header) {
      current = open(header[1]!.trim());
      continue;
    }
    if (line === '--- driver') continue;
    const settings = SETTINGS_FOR.exec(line);
    if (settings) {
      if (!current || (current.iface.name !== undefined && current.iface.name !== settings[1])) current = open(settings[1]);
      else current.iface.name ??= settings[1];
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      // Continuation lines of link-mode lists and message levels.
      if (current && current.firstLine === undefined) current.firstLine = line;
      continue;
    }
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    current ??= open();
    current.firstLine ??= line;
    if (readField(current.iface, key, value, complain)) current.fields++;
  }

  const out: EthtoolInterface[] = [];
  for (const s of sections) {
    if (s.fields === 0) {
      const label = s.iface.name ?? 'the interface';
      complain(`ethtool: nothing readable for ${label}${s.firstLine ? `: ${quoteLine(s.firstLine)}` : ''}`);
      if (s.iface.name === undefined) continue;
    }
    out.push(s.iface);
  }
  return parsed(out, problems);
}

/** Stores one `Key: value` line; false when the key is not one preflight uses. */
function readField(iface: EthtoolInterface, key: string, value: string, complain: (m: string) => void): boolean {
  const who = iface.name ?? 'the interface';
  switch (key) {
    case 'Speed': {
      if (/^unknown/i.test(value)) {
        iface.speedMbps = null;
        return true;
      }
      const m = /^(\d+)\s*Mb\/s$/i.exec(value);
      if (!m) {
        complain(`ethtool: speed of ${who} not understood: ${quoteLine(value)}`);
        return false;
      }
      const n = Number(m[1]);
      iface.speedMbps = n > 0 && !UNKNOWN_SPEEDS.has(n) ? n : null;
      return true;
    }
    case 'Duplex': {
      const d = value.toLowerCase();
      if (d === 'full' || d === 'half') iface.duplex = d;
      return true;
    }
    case 'Auto-negotiation':
      if (value === 'on' || value === 'off') iface.autoNegotiation = value === 'on';
      return true;
    case 'Port':
      if (value) iface.port = value;
      return true;
    case 'Link detected':
      if (value === 'yes' || value === 'no') iface.linkDetected = value === 'yes';
      else complain(`ethtool: "Link detected" of ${who} is neither yes nor no: ${quoteLine(value)}`);
      return true;
    case 'driver':
      if (value) iface.driver = value;
      return true;
    case 'version':
      if (value) iface.driverVersion = value;
      return true;
    case 'firmware-version':
      if (value) iface.firmwareVersion = value;
      return true;
    case 'bus-info': {
      if (!value) return true;
      iface.busInfo = value;
      const pci = PCI_ADDRESS.exec(value);
      if (pci) iface.pciSlot = pci[1]!.toLowerCase();
      return true;
    }
    default:
      // Supported modes, wake-on, message level, "Cannot get ...": not needed.
      return /^(Supported|Advertised|Link partner|Supports|Wake-on|Current message level|PHYAD|Transceiver|MDI-X|expansion-rom-version|supports-)/.test(key);
  }
}
