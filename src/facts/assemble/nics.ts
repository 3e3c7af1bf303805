import type { BondInfo, BondSlave } from '../bonding.js';
import type { EthtoolInterface } from '../ethtool.js';
import type { IpAddrInterface } from '../ipAddr.js';
import type { NicFacts } from '../schema.js';
import { classifyNic, type SysNetInterface } from '../sysNet.js';

/**
 * Merges what four probes say about each interface into one NicFacts. sysfs (sys.net) is the
 * authority for link state, kind, driver, PCI identity and bond/bridge membership; `ip addr` gives
 * the addresses and covers interfaces sysfs missed; ethtool and /proc/net/bonding fill in speed,
 * duplex and driver where sysfs has none (old Dom0 kernels, drivers without a speed file).
 */

export interface NicSources {
  sysNet?: SysNetInterface[];
  ipAddr?: IpAddrInterface[];
  ethtool?: EthtoolInterface[];
  bonds?: BondInfo[];
}

export interface MergedNics {
  /** Undefined when neither sysfs nor `ip addr` listed any interface. */
  nics?: NicFacts[];
  /** Interfaces whose kind was inferred from `ip addr` alone (sysfs did not list them). */
  inferredKinds: string[];
}

export function mergeNics(sources: NicSources): MergedNics {
  const sys = sources.sysNet?.length ? sources.sysNet : undefined;
  const ip = sources.ipAddr?.length ? sources.ipAddr : undefined;
  if (!sys && !ip) return { inferredKinds: [] };

  const sysBy = new Map((sys ?? []).map((s) => [s.name, s]));
  const ipBy = new Map((ip ?? []).map((a) => [a.name, a]));
  const ethBy = new Map((sources.ethtool ?? []).flatMap((e) => (e.name !== undefined ? [[e.name, e] as const] : [])));
  const bondBy = new Map((sources.bonds ?? []).flatMap((b) => (b.name !== undefined ? [[b.name, b] as const] : [])));
  const slaveOf = new Map<string, { bond: BondInfo; slave: BondSlave }>();
  for (const bond of bondBy.values()) for (const slave of bond.slaves) slaveOf.set(slave.name, { bond, slave });

  const ipMasters = new Set((ip ?? []).flatMap((a) => (a.master !== undefined ? [a.master] : [])));
  const ethtoolRan = (sources.ethtool?.length ?? 0) > 0;

  const inferredKinds: string[] = [];
  const nics = orderedNames(sys ?? [], ip ?? []).map((name) => {
    const s = sysBy.get(name);
    const a = ipBy.get(name);
    const e = ethBy.get(name);
    const bond = bondBy.get(name);
    const asSlave = slaveOf.get(name);
    if (!s) inferredKinds.push(name);
    const kind = kindOf(name, s, a, e, bond, { ethtoolRan, isMaster: ipMasters.has(name) });
    const nic: NicFacts = { name, kind, addresses: a ? a.addresses.map((x) => ({ ...x })) : [] };

    const mac = s?.mac ?? a?.mac;
    if (mac !== undefined) nic.mac = mac;
    const driver = s?.driver ?? e?.driver;
    if (driver !== undefined) nic.driver = driver;
    if (s?.pciId !== undefined) nic.pciId = s.pciId;
    const pciSlot = s?.pciSlot ?? e?.pciSlot;
    if (pciSlot !== undefined) nic.pciSlot = pciSlot;

    const speed = speedOf(s, e, asSlave?.slave);
    if (speed !== undefined) nic.speedMbps = speed;
    const duplex = [s?.duplex, e?.duplex, asSlave?.slave.duplex].map((d) => d?.toLowerCase()).find((d) => d === 'full' || d === 'half');
    if (duplex !== undefined) nic.duplex = duplex;

    const carrier = carrierOf(s, a, e);
    if (carrier !== undefined) nic.carrier = carrier;
    const operstate = (s?.operstate ?? a?.state)?.toLowerCase();
    if (operstate !== undefined) nic.operstate = operstate;
    const adminUp = s?.adminUp ?? (a ? a.flags.includes('UP') : undefined);
    if (adminUp !== undefined) nic.adminUp = adminUp;
    const mtu = s?.mtu ?? a?.mtu;
    if (mtu !== undefined) nic.mtu = mtu;

    const master = s?.master ?? a?.master ?? asSlave?.bond.name;
    if (master !== undefined) nic.master = master;
    const bondSlaves = s?.bondSlaves?.length ? s.bondSlaves : bond?.slaves.length ? bond.slaves.map((x) => x.name) : s?.bondSlaves;
    if (bondSlaves !== undefined) nic.bondSlaves = [...bondSlaves];
    const bondMode = s?.bondMode ?? bond?.mode;
    if (bondMode !== undefined) nic.bondMode = bondMode;
    return nic;
  });
  return { nics, inferredKinds };
}

/** Interface order as the kernel numbers them (ifindex), which is also `ip addr` order. */
function orderedNames(sys: SysNetInterface[], ip: IpAddrInterface[]): string[] {
  const index = new Map<string, number | undefined>();
  for (const s of sys) index.set(s.name, s.ifindex);
  for (const a of ip) if (index.get(a.name) === undefined) index.set(a.name, a.ifindex);
  return [...index.entries()]
    .sort(([an, ai], [bn, bi]) => {
      if (ai !== undefined && bi !== undefined && ai !== bi) return ai - bi;
      if (ai !== undefined && bi === undefined) return -1;
      if (ai === undefined && bi !== undefined) return 1;
      return an.localeCompare(bn, 'en', { numeric: true });
    })
    .map(([name]) => name);
}

/** Names the kernel (ethN, wlanN) and udev (eno1, ens3, enp2s0, em1, p1p1, ...) give network cards. */
const NIC_NAME = /^(eth\d|wlan\d|em\d|en[osxp]|wl[osxp]|p\d+p\d|ib\d)/;

function kindOf(
  name: string,
  s: SysNetInterface | undefined,
  a: IpAddrInterface | undefined,
  e: EthtoolInterface | undefined,
  bond: BondInfo | undefined,
  context: { ethtoolRan: boolean; isMaster: boolean },
): NicFacts['kind'] {
  if (s) return bond && s.kind !== 'loopback' ? 'bond' : s.kind;
  const bonding = bond !== undefined || (a?.flags.includes('MASTER') ?? false);
  // Only `ip addr` knows this interface. Others enslaved to it, and it is no bond: a bridge.
  if (context.isMaster && !bonding) return 'bridge';
  // The ethtool probe covers exactly the interfaces with a sysfs `device` link, so when it ran, its
  // sections say which are backed by a bus device. When it did not, only an Ethernet link with a
  // name the kernel or udev gives NICs, and no veth peer, is taken to be backed by one
  // (assembleNetwork reports that it inferred this).
  const hasDevice = context.ethtoolRan ? e !== undefined : a?.linkType === 'ether' && a.link === undefined && NIC_NAME.test(name);
  return classifyNic({ name, ...(a?.linkType === 'loopback' ? { type: 772 } : {}), ...(e?.driver ? { driver: e.driver } : {}), hasDevice }, bonding);
}

/** sysfs first; ethtool, then the bonding driver, when sysfs has no number. null when a source says "unknown". */
function speedOf(s: SysNetInterface | undefined, e: EthtoolInterface | undefined, slave: BondSlave | undefined): number | null | undefined {
  for (const v of [s?.speedMbps, e?.speedMbps, slave?.speedMbps]) if (typeof v === 'number') return v;
  if (s !== undefined || e?.speedMbps === null || slave?.speedMbps === null) return null;
  return undefined;
}

/**
 * sysfs carrier (null when the kernel refused to say: interface down). Without sysfs, `ip addr`
 * flags: LOWER_UP is a link, NO-CARRIER on an up interface is none. ethtool's "Link detected: yes"
 * settles an unknown; its "no" does not, as drivers report no link on a downed interface.
 */
function carrierOf(s: SysNetInterface | undefined, a: IpAddrInterface | undefined, e: EthtoolInterface | undefined): boolean | null | undefined {
  let carrier: boolean | null | undefined;
  if (s) carrier = s.carrier;
  else if (a) {
    if (a.flags.includes('LOWER_UP')) carrier = true;
    else if (a.flags.includes('NO-CARRIER') && a.flags.includes('UP')) carrier = false;
    else if (!a.flags.includes('UP')) carrier = null;
  }
  if ((carrier === null || carrier === undefined) && e?.linkDetected === true) carrier = true;
  return carrier;
}
