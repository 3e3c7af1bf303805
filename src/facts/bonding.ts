import { ABSOLUTE_PATH_PREFIX, splitConfigFiles } from './configFileOutput.js';
import { baseName } from './grepOutput.js';
import { parsed, type ParseResult } from './parseResult.js';
import { parseUint, quoteLine } from './textLines.js';

/**
 * Parser for probe `net.bonding`: `grep -H ""` over /proc/net/bonding/*, one file per bond
 * (`/proc/net/bonding/bond0:Bonding Mode: fault-tolerance (active-backup)`). A single file pasted
 * plainly is read too; its bond name is then unknown. On kernels without a sysfs `bonding/` directory
 * (CentOS 5 Dom0 has one, but it may be unreadable) this is where bond membership comes from.
 */

export interface BondSlave {
  name: string;
  miiStatus?: string;
  /** null when the driver says "Unknown" (no link). */
  speedMbps?: number | null;
  duplex?: string;
  linkFailureCount?: number;
  permanentMac?: string;
}

export interface BondInfo {
  /** The file name under /proc/net/bonding; absent for plain text. */
  name?: string;
  /** The kernel's mode name, as sysfs bonding/mode prints it: balance-rr, active-backup, 802.3ad, ... */
  mode?: string;
  /** The mode as /proc prints it, e.g. "fault-tolerance (active-backup)". */
  modeDescription?: string;
  miiStatus?: string;
  activeSlave?: string;
  primarySlave?: string;
  slaves: BondSlave[];
}

/** /proc texts of the bonding driver's modes (bond_mode_name in the kernel), to the sysfs names. */
const MODES: [RegExp, string][] = [
  [/round-robin/i, 'balance-rr'],
  [/active-backup/i, 'active-backup'],
  [/\(xor\)/i, 'balance-xor'],
  [/broadcast/i, 'broadcast'],
  [/802\.3ad/i, '802.3ad'],
  [/transmit load balancing/i, 'balance-tlb'],
  [/adaptive load balancing/i, 'balance-alb'],
];

export function parseBonding(text: string): ParseResult<BondInfo[]> {
  const problems: string[] = [];
  const complain = (m: string) => {
    if (problems.length < 20) problems.push(m);
  };
  const { files, stray } = splitConfigFiles(text, { isPrefixed: ABSOLUTE_PATH_PREFIX });
  for (const line of stray.slice(0, 3)) complain(`net.bonding: line without a file name: ${quoteLine(line)}`);
  const bonds: BondInfo[] = [];
  for (const f of files) {
    const bond = readBond(f.lines, f.file === undefined ? undefined : baseName(f.file), complain);
    if (bond) bonds.push(bond);
  }
  return parsed(bonds, problems);
}

function readBond(lines: string[], name: string | undefined, complain: (m: string) => void): BondInfo | undefined {
  const bond: BondInfo = { slaves: [] };
  if (name !== undefined) bond.name = name;
  const who = name ?? 'the bond';
  let slave: BondSlave | undefined;
  let meaningful = false;
  for (const line of lines) {
    // Indented lines are 802.3ad aggregator and LACP details.
    if (line.trim() === '' || /^\s/.test(line)) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'Slave Interface') {
      if (!value) {
        complain(`net.bonding: a slave of ${who} has no name`);
        slave = undefined;
        continue;
      }
      slave = { name: value };
      bond.slaves.push(slave);
      meaningful = true;
      continue;
    }
    if (slave) {
      readSlaveField(slave, key, value, who, complain);
      continue;
    }
    switch (key) {
      case 'Bonding Mode': {
        meaningful = true;
        bond.modeDescription = value;
        const mode = MODES.find(([re]) => re.test(value))?.[1];
        if (mode) bond.mode = mode;
        else complain(`net.bonding: bonding mode of ${who} not recognised: ${quoteLine(value)}`);
        break;
      }
      case 'MII Status':
        bond.miiStatus = value;
        break;
      case 'Currently Active Slave':
        if (value && value !== 'None') bond.activeSlave = value;
        break;
      case 'Primary Slave': {
        // "em3 (primary_reselect failure)": the name is the first word.
        const primary = value.split(/\s+/)[0];
        if (primary && primary !== 'None') bond.primarySlave = primary;
        break;
      }
      default:
        break;
    }
  }
  if (!meaningful) {
    complain(`net.bonding: nothing readable for ${who}`);
    return name === undefined ? undefined : bond;
  }
  return bond;
}

function readSlaveField(slave: BondSlave, key: string, value: string, who: string, complain: (m: string) => void): void {
  switch (key) {
    case 'MII Status':
      slave.miiStatus = value;
      break;
    case 'Speed': {
      const m = /^(\d+)\s*Mbps$/i.exec(value);
      if (m) slave.speedMbps = Number(m[1]) > 0 ? Number(m[1]) : null;
      else if (/^unknown/i.test(value)) slave.speedMbps = null;
      else complain(`net.bonding: speed of ${slave.name} in ${who} not understood: ${quoteLine(value)}`);
      break;
    }
    case 'Duplex': {
      const d = value.toLowerCase();
      if (d === 'full' || d === 'half') slave.duplex = d;
      break;
    }
    case 'Link Failure Count': {
      const n = parseUint(value);
      if (n !== undefined) slave.linkFailureCount = n;
      break;
    }
    case 'Permanent HW addr':
      if (/^[0-9a-f]{2}(:[0-9a-f]{2})+$/i.test(value)) slave.permanentMac = value.toLowerCase();
      break;
    default:
      break;
  }
}
