import type { Evidence } from '../../collect/evidence.js';
import { parsePoolConf } from '../poolConf.js';
import type { ParseProblem, PifFacts, XenServerFacts } from '../schema.js';
import { parseXeRecords, xeMap, xeText, type XeRecord } from '../xeRecords.js';
import { definedOnly } from './definedOnly.js';
import { parseProbe, probeOutput } from './probeOutput.js';
import { pifFacts } from './xePif.js';
import { xenHostView } from './xenHost.js';

export interface XenServerAssembly {
  /** Undefined when this is not a XenServer host. */
  xenserver?: XenServerFacts;
  problems: ParseProblem[];
}

type Patch = NonNullable<XenServerFacts['patches']>[number];

const XE_PROBES = ['xe.host-list', 'xe.pool-list', 'xe.pif-list', 'xe.patch-list', 'xe.sr-list', 'xe.network-list', 'xe.bond-list'];

/**
 * XenServer's view of this host and its pool: version and build (inventory first, else the host
 * record's software-version), pool role (pool.conf, else the pool's master uuid), the pool's hosts,
 * this host's PIFs and the updates uploaded to the pool with whether each is applied here.
 * A host is XenServer when it has the inventory or pool.conf, or when xe answered.
 */
export function assembleXenServer(ev: Record<string, Evidence>): XenServerAssembly {
  const problems: ParseProblem[] = [];
  const view = xenHostView(ev, problems);
  const poolConf = parseProbe(ev, 'xen.pool-conf', parsePoolConf, problems);
  const pools = parseProbe(ev, 'xe.pool-list', parseXeRecords, problems);
  const pifRecords = parseProbe(ev, 'xe.pif-list', parseXeRecords, problems);
  const patchRecords = parseProbe(ev, 'xe.patch-list', parseXeRecords, problems);

  const xeAnswered = XE_PROBES.some((id) => probeOutput(ev, id) !== undefined);
  const isXenServer = view.inventory !== undefined || probeOutput(ev, 'xen.pool-conf') !== undefined || xeAnswered;
  if (!isXenServer) return { problems };

  const inventory = view.inventory;
  const self = view.self;
  const software = xeMap(self?.['software-version']);
  const myUuid = inventory?.installationUuid ?? xeText(self?.['uuid']);
  const hostName = xeText(self?.['name-label']) ?? xeText(self?.['hostname']);
  const pool = pools?.find((p) => xeText(p['uuid']) !== undefined);
  const masterUuid = xeText(pool?.['master']);
  const poolRole = poolConf?.role ?? (masterUuid !== undefined && myUuid !== undefined ? (masterUuid === myUuid ? 'master' : 'member') : undefined);
  const master = masterUuid !== undefined ? view.hosts?.find((h) => xeText(h['uuid']) === masterUuid) : undefined;
  const cpuInfo = xeMap(self?.['cpu_info']);

  const xenserver: XenServerFacts = definedOnly({
    productBrand: inventory?.productBrand ?? xeText(software['product_brand']),
    productVersion: inventory?.productVersion ?? xeText(software['product_version']),
    buildNumber: inventory?.buildNumber ?? xeText(software['build_number']),
    installationUuid: myUuid,
    managementInterface: inventory?.managementInterface,
    poolRole,
    masterAddress: poolConf?.masterAddress ?? (poolRole === 'member' ? xeText(master?.['address']) : undefined),
    poolUuid: xeText(pool?.['uuid']),
    poolName: xeText(pool?.['name-label']),
    // `xe host-list` lists every host of the pool.
    poolHostCount: view.hosts !== undefined && view.hosts.length > 0 ? view.hosts.length : undefined,
    hostName,
    patches: patchRecords ? withUuid(patchRecords, 'xe.patch-list', problems).map((r) => patchFacts(r, myUuid, hostName)) : undefined,
    pifs: pifRecords ? withUuid(pifRecords, 'xe.pif-list', problems).map((r) => pifFacts(r) as PifFacts) : undefined,
    cpuInfo: Object.keys(cpuInfo).length > 0 ? cpuInfo : undefined,
  });
  return { xenserver, problems };
}

/** Records that carry a uuid; the others (fragments of garbled or pasted output) are reported. */
function withUuid(records: XeRecord[], probe: string, problems: ParseProblem[]): XeRecord[] {
  return records.filter((r) => {
    if (xeText(r['uuid']) !== undefined) return true;
    problems.push({ probe, message: `a record without a uuid was skipped (fields: ${Object.keys(r).join(', ')})` });
    return false;
  });
}

/**
 * An uploaded update. `hosts` lists the uuids of the hosts it is applied on, comma-separated
 * (semicolons accepted too); appliedHere is unknown when the field or this host's uuid is missing.
 */
function patchFacts(r: XeRecord, myUuid: string | undefined, myName: string | undefined): Patch {
  const uuid = xeText(r['uuid']) as string;
  const hostsField = r['hosts'];
  const hosts = hostsField === undefined ? undefined : hostsField.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== '');
  const known = myUuid !== undefined || myName !== undefined;
  return definedOnly({
    uuid,
    nameLabel: xeText(r['name-label']) ?? uuid,
    nameDescription: xeText(r['name-description']),
    appliedHere: hosts !== undefined && known ? hosts.some((h) => h === myUuid || h === myName) : undefined,
  });
}
