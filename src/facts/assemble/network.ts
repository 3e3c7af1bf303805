import type { Evidence } from '../../collect/evidence.js';
import { parseBonding } from '../bonding.js';
import { parseDhcpClients } from '../dhcpClients.js';
import { parseEthtool } from '../ethtool.js';
import { parseIpAddr } from '../ipAddr.js';
import { parseIpRoute } from '../ipRoute.js';
import { parseResolvConf } from '../resolvConf.js';
import type { IpConfigFacts, NicFacts, ParseProblem, RouteFacts, XenServerFacts } from '../schema.js';
import { parseSysNet } from '../sysNet.js';
import { collectIpConfig } from './ipConfig.js';
import { mergeNics } from './nics.js';
import { parseProbe } from './probeOutput.js';

/**
 * The network part of HostFacts: interfaces (sysfs + ip addr + ethtool + bonding), routes, the
 * configured addressing of each interface, running DHCP clients and DNS servers. Facts no probe
 * could give are left out, never guessed.
 */

export interface NetworkFacts {
  nics?: NicFacts[];
  routes?: RouteFacts[];
  ipConfig?: IpConfigFacts[];
  dhcpClients?: string[];
  dns?: { nameservers: string[]; source: string };
  problems: ParseProblem[];
}

export const RESOLV_CONF = '/etc/resolv.conf';
export const RESOLVED_UPSTREAM_CONF = '/run/systemd/resolve/resolv.conf';

export function assembleNetwork(evidence: Record<string, Evidence>, xenserver: XenServerFacts | undefined): NetworkFacts {
  const problems: ParseProblem[] = [];
  const out: NetworkFacts = { problems };

  const sysNet = parseProbe(evidence, 'sys.net', parseSysNet, problems);
  const ipAddr = parseProbe(evidence, 'ip.addr', parseIpAddr, problems);
  const ethtool = parseProbe(evidence, 'ethtool', parseEthtool, problems);
  const bonds = parseProbe(evidence, 'net.bonding', parseBonding, problems);
  const merged = mergeNics({
    ...(sysNet ? { sysNet } : {}),
    ...(ipAddr ? { ipAddr } : {}),
    ...(ethtool ? { ethtool } : {}),
    ...(bonds ? { bonds } : {}),
  });
  if (merged.nics) {
    out.nics = merged.nics;
    if (merged.inferredKinds.length > 0) {
      const basis = ethtool?.length ? '"ip addr" and ethtool' : '"ip addr" and the interface names';
      problems.push({
        probe: 'sys.net',
        message: sysNet?.length
          ? `sysfs did not list ${merged.inferredKinds.join(', ')}: their kind (physical, bridge, ...) was inferred from ${basis}`
          : `no interface was read from sysfs: the kind (physical, bridge, ...) of ${merged.inferredKinds.join(', ')} was inferred from ${basis}`,
      });
    }
  }

  const routes = parseProbe(evidence, 'ip.route', parseIpRoute, problems);
  if (routes) out.routes = routes;

  const known = (out.nics ?? []).map((n) => ({ name: n.name, ...(n.mac !== undefined ? { mac: n.mac } : {}) }));
  const ipConfig = collectIpConfig(evidence, xenserver, known, problems);
  if (ipConfig) out.ipConfig = ipConfig;

  const dhcpClients = parseProbe(evidence, 'proc.dhcp-clients', parseDhcpClients, problems);
  if (dhcpClients) out.dhcpClients = dhcpClients;

  const dns = chooseDns(evidence, problems);
  if (dns) out.dns = dns;
  return out;
}

/** 127.0.0.0/8 and ::1: a local stub or cache, not a DNS server of the network. */
function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === '::1' || address === '0:0:0:0:0:0:0:1';
}

/**
 * /etc/resolv.conf, unless it lists only loopback stubs (systemd-resolved's 127.0.0.53) and
 * resolved's own file names the upstream servers: those are the servers the guide asks about.
 */
function chooseDns(evidence: Record<string, Evidence>, problems: ParseProblem[]): NetworkFacts['dns'] {
  const etc = parseProbe(evidence, 'etc.resolv-conf', parseResolvConf, problems);
  if (!etc) return undefined;
  if (etc.nameservers.length > 0 && etc.nameservers.every(isLoopback)) {
    const upstream = parseProbe(evidence, 'run.resolved-conf', parseResolvConf, problems);
    const real = upstream?.nameservers.filter((ns) => !isLoopback(ns)) ?? [];
    if (real.length > 0) {
      return { nameservers: real, source: `${RESOLVED_UPSTREAM_CONF} (upstream servers of the stub ${etc.nameservers.join(', ')} in ${RESOLV_CONF})` };
    }
  }
  return { nameservers: [...etc.nameservers], source: RESOLV_CONF };
}
