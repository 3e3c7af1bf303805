import type { PifFacts } from '../schema.js';
import { xeBool, xeNumber, xeSet, xeText, type XeRecord } from '../xeRecords.js';
import { definedOnly } from './definedOnly.js';

/**
 * One `xe pif-list params=all` record as PifFacts; undefined without a uuid (a fragment, as in
 * pasted or garbled output). Bond fields hold the bond's uuid: a bond master PIF names the bond it
 * is the master of, each slave the bond it belongs to, so masters and slaves meet on that uuid.
 */
export function pifFacts(r: XeRecord): PifFacts | undefined {
  const uuid = xeText(r['uuid']);
  if (uuid === undefined) return undefined;
  const vlan = xeNumber(r['VLAN']);
  return definedOnly({
    uuid,
    device: xeText(r['device']),
    mac: xeText(r['MAC']),
    physical: xeBool(r['physical']),
    carrier: xeBool(r['carrier']),
    currentlyAttached: xeBool(r['currently-attached']),
    management: xeBool(r['management']),
    ipConfigurationMode: xeText(r['IP-configuration-mode']),
    ip: xeText(r['IP']),
    netmask: xeText(r['netmask']),
    gateway: xeText(r['gateway']),
    dns: dnsServers(r['DNS']),
    // -1 is kept: it is how xe says "not a VLAN".
    vlan: vlan !== undefined && Number.isInteger(vlan) ? vlan : undefined,
    hostUuid: xeText(r['host-uuid']),
    hostName: xeText(r['host-name-label']),
    networkUuid: xeText(r['network-uuid']),
    bondMasterOf: xeSet(r['bond-master-of']).map(xeText).find((u) => u !== undefined),
    bondSlaveOf: xeText(r['bond-slave-of']),
    speedMbps: speedMbps(r['speed']),
  });
}

/** DNS is a comma-separated list ("10.0.0.2,10.0.0.3"); spaces and semicolons are tolerated. */
function dnsServers(value: string | undefined): string[] | undefined {
  const list = (xeText(value) ?? '').split(/[,;\s]+/).filter((s) => s !== '');
  return list.length > 0 ? list : undefined;
}

/** "1000 Mbit/s" (PIF metrics) or a bare number. */
function speedMbps(value: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(?:Mbit\/s|Mb\/s)?$/i.exec(xeText(value) ?? '');
  return m ? Number(m[1]) : undefined;
}
