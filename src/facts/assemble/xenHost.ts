import type { Evidence } from '../../collect/evidence.js';
import type { ParseProblem } from '../schema.js';
import { parseUname } from '../uname.js';
import { parseXeRecords, type XeRecord } from '../xeRecords.js';
import { parseXensourceInventory, type XensourceInventory } from '../xensourceInventory.js';
import { parseProbe } from './probeOutput.js';

/** This host as XenServer knows it. */
export interface XenHostView {
  inventory?: XensourceInventory;
  /** All records of `xe host-list params=all` (the whole pool); undefined when xe gave nothing. */
  hosts?: XeRecord[];
  /** The record of the host being scanned, when it could be told apart. */
  self?: XeRecord;
}

/**
 * Finds this host's record in `xe host-list`: the one whose uuid is INSTALLATION_UUID from the
 * inventory; without the inventory, the only record of a one-host pool, or the record whose
 * hostname or name-label is this host's name. Problems go to `problems` (pass a scratch array
 * when another assembler already reports the XenServer probes).
 */
export function xenHostView(evidence: Record<string, Evidence>, problems: ParseProblem[]): XenHostView {
  const view: XenHostView = {};
  const inventory = parseProbe(evidence, 'xen.inventory', parseXensourceInventory, problems);
  if (inventory) view.inventory = inventory;
  const hosts = parseProbe(evidence, 'xe.host-list', parseXeRecords, problems);
  if (hosts === undefined) return view;
  view.hosts = hosts;
  const uuid = inventory?.installationUuid;
  let self: XeRecord | undefined;
  if (uuid !== undefined) {
    self = hosts.find((h) => h['uuid'] === uuid);
    if (!self && hosts.length > 0) problems.push({ probe: 'xe.host-list', message: `no host record has this host's INSTALLATION_UUID ${uuid}` });
  } else if (hosts.length === 1) {
    self = hosts[0];
  } else {
    const name = parseProbe(evidence, 'uname', parseUname, [])?.hostname;
    const short = (s: string | undefined) => s?.split('.')[0]?.toLowerCase();
    const matches = name === undefined ? [] : hosts.filter((h) => short(h['hostname']) === short(name) || short(h['name-label']) === short(name));
    if (matches.length === 1) self = matches[0];
  }
  if (self) view.self = self;
  return view;
}
