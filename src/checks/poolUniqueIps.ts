import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { PifFacts } from '../facts/schema.js';
import { NET_PROBES, parseArpProbe } from '../collect/networkTests.js';
import { hostPifs, samePath } from './hostNetwork.js';
import { netEvidence } from './poolNetTests.js';
import { cannotCompare, incomplete, joinNames } from './poolHosts.js';
import type { HostContext, PoolCheck } from './types.js';

const Params = z
  .object({
    hostOnlyInterfaces: z
      .array(z.string().min(1))
      .describe('interface name globs (* and ?) of host-internal bridges whose addresses never leave the host, e.g. docker0, virbr*'),
  })
  .strict();
export type PoolUniqueIpsParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

const ADDRESS_PROBES = ['ip.addr', 'sys.net', 'xe.pif-list'];

/** One place an address is given to a host: a live address, a XenServer PIF, or a configuration file. */
interface Holder {
  host: HostContext;
  iface: string;
  sources: string[];
  pifUuid?: string;
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);

/** Addresses that are unique by construction or never on a shared wire: loopback, link-local (XenServer's 169.254 host-internal network), ... */
function counts(address: string): boolean {
  if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return false;
  return !['unspecified', 'loopback', 'linkLocal', 'broadcast', 'multicast'].includes(ipaddr.IPv4.parse(address).range());
}

/** This host's PIFs, less those another scanned host owns (a pool master's xe lists every host's PIFs). */
function ownPifs(h: HostContext, others: readonly HostContext[]): PifFacts[] {
  const foreignUuids = new Set(others.flatMap((o) => o.facts.xenserver?.installationUuid ?? []));
  const foreignNames = new Set(others.flatMap((o) => o.facts.xenserver?.hostName ?? []));
  const ownUuid = h.facts.xenserver?.installationUuid;
  return hostPifs(h.facts).filter(
    (p) => !(p.hostUuid && p.hostUuid !== ownUuid && foreignUuids.has(p.hostUuid)) && !(p.hostName && p.hostName !== h.facts.xenserver?.hostName && foreignNames.has(p.hostName)),
  );
}

/** Every IPv4 address the host holds or is configured to hold, merged per network path (eth0, xenbr0 and ifcfg-xenbr0 are one holder). */
function holdersOf(h: HostContext, others: readonly HostContext[], hostOnly: RegExp[]): Map<string, Holder[]> {
  const found: { address: string; iface: string; source: string; pifUuid?: string }[] = [];
  const skip = (iface: string) => hostOnly.some((re) => re.test(iface));
  for (const n of h.facts.nics ?? []) {
    if (n.kind === 'loopback' || skip(n.name)) continue;
    for (const a of n.addresses) if (a.family === 'inet') found.push({ address: a.address, iface: n.name, source: 'ip addr' });
  }
  for (const p of ownPifs(h, others)) {
    if (p.ip && (!p.device || !skip(p.device))) found.push({ address: p.ip.trim(), iface: p.device ?? `PIF ${p.uuid}`, source: 'xe pif-list', pifUuid: p.uuid });
  }
  for (const c of h.facts.ipConfig ?? []) {
    if (c.address && !skip(c.interface)) found.push({ address: c.address.split('/')[0]!.trim(), iface: c.interface, source: c.source });
  }
  const byAddress = new Map<string, Holder[]>();
  for (const f of found) {
    if (!counts(f.address)) continue;
    const list = byAddress.get(f.address) ?? [];
    const same = list.find((x) => samePath(h.facts, x.iface, f.iface) || (f.pifUuid !== undefined && x.pifUuid === f.pifUuid));
    if (same) {
      if (!same.sources.includes(f.source)) same.sources.push(f.source);
      if (f.pifUuid && !same.pifUuid) same.pifUuid = f.pifUuid;
    } else {
      list.push({ host: h, iface: f.iface, sources: [f.source], ...(f.pifUuid ? { pifUuid: f.pifUuid } : {}) });
    }
    byAddress.set(f.address, list);
  }
  return byAddress;
}

const holderText = (x: Holder) => `${x.host.host}:${x.iface} (${x.sources.join(', ')})`;

/**
 * The wire: the ARP answers each host collected in the exercise phase (net.arp). Every MAC is
 * named by the scanned host NIC(s) carrying it; answers from several NICs of ONE host are that host
 * (Linux answers ARP on every NIC it receives a request on, and a bond or bridge shares its MAC), so
 * a duplicate is an address answered by two hosts, or by a host and a MAC no scanned host has.
 */
function wireFindings(hosts: readonly HostContext[]): { duplicates: Map<string, string[]>; notes: string[]; asked: number } {
  const owners = new Map<string, { host: string; nics: string[] }>();
  for (const h of hosts) {
    for (const n of h.facts.nics ?? []) {
      const mac = n.mac?.toLowerCase();
      if (!mac || mac === '00:00:00:00:00:00') continue;
      const o = owners.get(mac) ?? { host: h.host, nics: [] };
      if (o.host === h.host) o.nics.push(n.name);
      owners.set(mac, o);
    }
  }
  const macText = (mac: string) => {
    const o = owners.get(mac);
    return o ? `${mac} (${o.host}:${o.nics.join('/')})` : `${mac} (not a NIC of a scanned host)`;
  };
  const ownerOf = (mac: string) => owners.get(mac)?.host ?? `?${mac}`;
  const duplicates = new Map<string, string[]>();
  const add = (address: string, text: string) => duplicates.set(address, [...(duplicates.get(address) ?? []), text]);
  const notes: string[] = [];
  let asked = 0;
  for (const h of hosts) {
    const ev = netEvidence(h, NET_PROBES.arp);
    if (!ev) {
      notes.push(`${h.host}: not tested on the wire`);
      continue;
    }
    if (ev.error !== undefined) {
      notes.push(`${h.host}: the ARP test failed (${ev.error})`);
      continue;
    }
    const r = parseArpProbe(ev.stdout);
    if (r.missing) {
      notes.push(`${h.host} has no arping (iputils arping): the wire is not checked from it`);
      continue;
    }
    for (const p of r.probes) {
      asked++;
      if (p.problem && p.macs.length === 0) {
        notes.push(`${h.host}: arping on ${p.dev} for ${p.address} failed (${p.problem})`);
        continue;
      }
      if (p.kind === 'dad') {
        // Duplicate address detection of the host's own address: any other host's MAC answering holds it too.
        const foreign = p.macs.filter((m) => ownerOf(m) !== h.host);
        if (foreign.length) add(p.address, `${h.host} holds it on ${p.dev}, and ${foreign.map(macText).join(' and ')} answered ARP for it (${h.host}: arping -D -I ${p.dev})`);
      } else {
        const byOwner = new Map<string, string[]>();
        for (const m of p.macs) byOwner.set(ownerOf(m), [...(byOwner.get(ownerOf(m)) ?? []), m]);
        if (byOwner.size > 1) add(p.address, `${p.macs.map(macText).join(' and ')} answered ARP for it (${h.host}: arping -I ${p.dev})`);
      }
    }
  }
  // Without any ARP result (network tests off, older evidence) one note says so, not one per host.
  if (hosts.length > 0 && hosts.every((h) => !netEvidence(h, NET_PROBES.arp))) return { duplicates, notes: ['not tested on the wire (no ARP results: the network tests did not run)'], asked };
  return { duplicates, notes, asked };
}

export const poolUniqueIps: PoolCheck<PoolUniqueIpsParams> = {
  name: 'pool-unique-ips',
  scope: 'pool',
  description:
    "no IPv4 address is held twice across the hosts and their interfaces, in the configuration (live addresses, XenServer PIFs, interface configuration files) and on the wire: each host sends ARP requests for the pool's addresses (arping, in the exercise phase) and no address may be answered by two hosts, or by a host and a MAC that is no scanned host's",
  params: Params,
  probes: [...ADDRESS_PROBES, 'net.ifcfg', 'net.debian-interfaces', 'net.networkmanager', 'net.networkd', 'net.netplan'],
  evaluate(ctx, { hostOnlyInterfaces }) {
    const expected = 'every IPv4 address on exactly one interface of one host';
    const notComparable = cannotCompare(ctx, expected, "the hosts' addresses");
    if (notComparable) return notComparable;

    const hostOnly = hostOnlyInterfaces.map(glob);
    const all = new Map<string, Holder[]>();
    for (const h of ctx.hosts) {
      for (const [address, holders] of holdersOf(h, ctx.hosts.filter((o) => o !== h), hostOnly)) {
        const list = all.get(address) ?? [];
        for (const x of holders) {
          // The same PIF record seen from two hosts of one pool is one holder.
          if (x.pifUuid && list.some((y) => y.pifUuid === x.pifUuid)) continue;
          list.push(x);
        }
        all.set(address, list);
      }
    }
    const total = all.size;
    const duplicates = [...all].filter(([, holders]) => holders.length > 1);
    const unscanned = ctx.unreachable.length ? `; not scanned: ${joinNames(ctx.unreachable.map((u) => u.host))}` : '';
    const wire = wireFindings(ctx.hosts);
    const wireNotes = wire.notes.length ? `; ${wire.notes.join('; ')}` : '';
    if (duplicates.length || wire.duplicates.size) {
      const lines = [
        ...duplicates.map(([address, holders]) => `${address} is held by ${joinNames(holders.map(holderText))}`),
        ...[...wire.duplicates].map(([address, texts]) => `on the wire, ${address}: ${texts.join('; ')}`),
      ];
      return {
        status: 'fail',
        observed: lines.join('; ') + unscanned + wireNotes,
        expected,
        message: `${lines.join('; ')}. An address used twice makes traffic go to whichever host answers ARP first: give each interface its own address (XenServer: "xe pif-reconfigure-ip uuid=PIF_UUID mode=static IP=... netmask=..."; elsewhere the interface's configuration file) and check with "ip -4 addr" on every host${wire.duplicates.size ? '; a MAC that is no scanned host\'s belongs to another machine on that network: find it by its MAC in the switch\'s MAC table, or with "arping -I IFACE ADDRESS" from a host' : ''}.`,
      };
    }
    const wireText = wire.asked ? `; on the wire, ${wire.asked} ARP ${wire.asked === 1 ? 'probe' : 'probes'}, each address answered by one host only` : '';
    const observed = `${total} IPv4 ${total === 1 ? 'address' : 'addresses'} on ${ctx.hosts.length} hosts, none used twice${wireText}${unscanned}${wireNotes}`;
    const missing = ctx.hosts
      .filter((h) => h.facts.nics === undefined && hostPifs(h.facts).length === 0 && h.facts.ipConfig === undefined)
      .map((h) => ({ host: h, probes: ADDRESS_PROBES }));
    const gap = incomplete(ctx, missing, 'the addresses are unique across the hosts', 'Run "ip -4 addr" on each host by hand.');
    if (gap) return { status: 'error', observed, expected, message: gap };
    return {
      status: 'pass',
      observed,
      expected,
      message: `No IPv4 address is configured twice across ${joinNames(ctx.hosts.map((h) => h.host))}${wire.asked ? ', and no address of the pool is answered on the wire by two hosts or by a machine that was not scanned' : ''}.${wire.notes.length ? ` Not checked on the wire: ${wire.notes.join('; ')}.` : ''}`,
    };
  },
};
