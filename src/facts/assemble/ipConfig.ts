import type { Evidence } from '../../collect/evidence.js';
import { debianIpConfig, parseDebianInterfaces } from '../debianInterfaces.js';
import { ifcfgIpConfig, parseIfcfg } from '../ifcfg.js';
import type { KnownInterface } from '../interfaceMatch.js';
import { readPrefixLength } from '../ipv4Address.js';
import { netplanIpConfig, parseNetplan } from '../netplan.js';
import { networkdIpConfig, parseNetworkd } from '../networkd.js';
import { networkManagerIpConfig, parseNetworkManager } from '../networkManager.js';
import type { IpConfigFacts, ParseProblem, PifFacts, XenServerFacts } from '../schema.js';
import { parseProbe } from './probeOutput.js';

/**
 * HostFacts.ipConfig: how each interface is told to get its IPv4 address, from every source found
 * on the host. XenServer's PIFs come first (xapi owns the Dom0 configuration and rewrites the ifcfg
 * files from them), then ifcfg, ifupdown, NetworkManager, systemd-networkd and netplan files.
 * Undefined when no source could be read at all.
 */
export function collectIpConfig(
  evidence: Record<string, Evidence>,
  xenserver: XenServerFacts | undefined,
  known: KnownInterface[],
  problems: ParseProblem[],
): IpConfigFacts[] | undefined {
  const out: IpConfigFacts[] = [];
  let anySource = false;
  if (xenserver?.pifs !== undefined) {
    anySource = true;
    out.push(...pifIpConfig(xenserver));
  }
  const ifcfg = parseProbe(evidence, 'net.ifcfg', parseIfcfg, problems);
  if (ifcfg) out.push(...ifcfgIpConfig(ifcfg));
  const debian = parseProbe(evidence, 'net.debian-interfaces', parseDebianInterfaces, problems);
  if (debian) out.push(...debianIpConfig(debian));
  const nm = parseProbe(evidence, 'net.networkmanager', parseNetworkManager, problems);
  if (nm) out.push(...networkManagerIpConfig(nm));
  const networkd = parseProbe(evidence, 'net.networkd', parseNetworkd, problems);
  if (networkd) out.push(...networkdIpConfig(networkd, known));
  const netplan = parseProbe(evidence, 'net.netplan', parseNetplan, problems);
  if (netplan) out.push(...netplanIpConfig(netplan, known));
  anySource ||= [ifcfg, debian, nm, networkd, netplan].some((x) => x !== undefined);
  return anySource ? out : undefined;
}

/** `xe pif-list` lists every host of the pool: keep this host's PIFs (same rule as the checks). */
function thisHostPifs(xs: XenServerFacts): PifFacts[] {
  return (xs.pifs ?? []).filter((p) => {
    if (p.hostUuid && xs.installationUuid) return p.hostUuid === xs.installationUuid;
    if (p.hostName && xs.hostName) return p.hostName === xs.hostName;
    return true;
  });
}

const PIF_MODES = new Map<string, IpConfigFacts['method']>([
  ['static', 'static'],
  ['dhcp', 'dhcp'],
  ['none', 'none'],
]);

/**
 * One entry per untagged PIF with a known IP configuration mode. XenServer puts a physical NIC ethN
 * on the bridge xenbrN and the address on the bridge, so the same entry is repeated for xenbrN:
 * configuration is then found whichever of the two names the management interface goes by. VLAN
 * PIFs share their device's name and are left out, so they cannot pass for the untagged network.
 */
export function pifIpConfig(xs: XenServerFacts): IpConfigFacts[] {
  const out: IpConfigFacts[] = [];
  for (const pif of thisHostPifs(xs)) {
    if (!pif.device || pif.ipConfigurationMode === undefined) continue;
    if (pif.vlan !== undefined && pif.vlan >= 0) continue;
    const method = PIF_MODES.get(pif.ipConfigurationMode.trim().toLowerCase()) ?? 'unknown';
    const base: Omit<IpConfigFacts, 'interface'> = { method, source: 'xe:pif' };
    if (pif.ip) {
      const prefix = readPrefixLength(pif.netmask);
      base.address = prefix === undefined ? pif.ip : `${pif.ip}/${prefix}`;
    }
    if (pif.gateway) base.gateway = pif.gateway;
    if (pif.dns?.length) base.dns = [...pif.dns];
    out.push({ interface: pif.device, ...base });
    const eth = /^eth(\d+)$/.exec(pif.device);
    // A bond slave's bridge carries nothing: the bond's own PIF has the configuration.
    if (eth && pif.bondSlaveOf === undefined) out.push({ interface: `xenbr${eth[1]}`, ...base, ...(base.dns ? { dns: [...base.dns] } : {}) });
  }
  return out;
}
