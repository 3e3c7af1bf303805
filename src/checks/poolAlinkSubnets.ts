import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { readPrefixLength } from '../facts/ipv4Address.js';
import { addressHolder, hostPifs, ipv4, nicNamed, pifForDevice, samePath } from './hostNetwork.js';
import { findManagementInterface } from './managementInterface.js';
import { incomplete, joinNames } from './poolHosts.js';
import { NicLayout } from './nicLayout.js';
import { effectiveLayout } from '../engine/planLayout.js';
import type { HostContext, PoolCheck } from './types.js';

const Params = z.object({ layout: NicLayout }).strict();
export type PoolAlinkSubnetsParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

const ADDRESS_PROBES = ['ip.addr', 'sys.net', 'xe.pif-list'];

/** The RFC 1918 blocks. */
const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => ipaddr.IPv4.parseCIDR(c));

/** An IPv4 subnet on one interface of one host, and what the layout makes of it. */
interface Net {
  host: HostContext;
  iface: string;
  /** "A-link 1", "A-link 2", "management", "production", or "other". */
  role: string;
  address: string;
  prefix: number;
}

const cidr = (n: Net) => `${ipaddr.IPv4.networkAddressFromCIDR(`${n.address}/${n.prefix}`).toString()}/${n.prefix}`;
const where = (n: Net) => `${n.host.host}:${n.iface} ${n.address}/${n.prefix}`;

function isPrivate(n: Net): boolean {
  const a = ipaddr.IPv4.parse(n.address);
  return PRIVATE.some(([block, bits]) => n.prefix >= bits && a.match(block, bits));
}

function overlap(a: Net, b: Net): boolean {
  return ipaddr.IPv4.parse(a.address).match(ipaddr.IPv4.parse(b.address), Math.min(a.prefix, b.prefix));
}

/** Addresses worth comparing: not loopback or link-local (XenServer's host-internal 169.254 network). */
function counts(address: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(address) && !['unspecified', 'loopback', 'linkLocal'].includes(ipaddr.IPv4.parse(address).range());
}

/**
 * The host's IPv4 subnets: live addresses (on the NIC, or the bond or bridge above it), else the
 * XenServer PIF's IP and netmask. `alinks` are the A-link NICs' own; `others` everything else.
 */
function hostNets(h: HostContext, layout: NicLayout): { alinks: Map<string, Net[]>; others: Net[]; known: boolean } {
  const facts = h.facts;
  const known = facts.nics !== undefined || hostPifs(facts).length > 0;
  const mgmt = findManagementInterface(facts, layout).name;
  const alinkNames = [layout.alink1, layout.alink2];
  const roleOf = (iface: string) =>
    samePath(facts, iface, layout.alink1)
      ? 'A-link 1'
      : samePath(facts, iface, layout.alink2)
        ? 'A-link 2'
        : samePath(facts, iface, mgmt) || samePath(facts, iface, layout.management)
          ? 'management'
          : samePath(facts, iface, layout.production)
            ? 'production'
            : 'other';
  const alinks = new Map<string, Net[]>();
  for (const [i, name] of alinkNames.entries()) {
    const role = `A-link ${i + 1}`;
    const holder = addressHolder(facts, name);
    let nets: Net[] = ipv4(holder).filter((a) => counts(a.address)).map((a) => ({ host: h, iface: holder!.name, role, address: a.address, prefix: a.prefixLength }));
    if (nets.length === 0) {
      const pif = pifForDevice(facts, name);
      const prefix = readPrefixLength(pif?.netmask);
      if (pif?.ip && prefix !== undefined && counts(pif.ip)) nets = [{ host: h, iface: name, role, address: pif.ip, prefix }];
    }
    alinks.set(name, nets);
  }
  const others: Net[] = [];
  const add = (iface: string, address: string, prefix: number) => {
    if (!counts(address) || alinkNames.some((a) => samePath(facts, iface, a) || addressHolder(facts, a)?.name === iface)) return;
    if (others.some((o) => o.address === address && o.prefix === prefix)) return;
    others.push({ host: h, iface, role: roleOf(iface), address, prefix });
  };
  for (const n of facts.nics ?? []) if (n.kind !== 'loopback') for (const a of ipv4(n)) add(n.name, a.address, a.prefixLength);
  for (const p of hostPifs(facts)) {
    const prefix = readPrefixLength(p.netmask);
    if (p.ip && p.device && prefix !== undefined && !nicNamed(facts, p.device)?.addresses.length) add(p.device, p.ip, prefix);
  }
  return { alinks, others, known };
}

export const poolAlinkSubnets: PoolCheck<PoolAlinkSubnetsParams> = {
  name: 'pool-alink-subnets',
  scope: 'pool',
  description:
    'the A-link NICs of every master and member host have private (RFC 1918) subnets of their own, shared with no other network of any host and not overlapping the management or production subnets',
  params: Params,
  probes: [...ADDRESS_PROBES, 'xen.inventory'],
  evaluate(ctx, { layout }) {
    const expected = `A-link 1 (${layout.alink1}) and A-link 2 (${layout.alink2}) each in a private (RFC 1918) subnet of its own, overlapping no management, production or other subnet of any host`;
    if (ctx.hosts.length === 0) {
      return ctx.unreachable.length
        ? { status: 'error', observed: 'no host scanned', expected, message: incomplete(ctx, [], 'the A-link subnets are private and dedicated on every host', 'Fix the connection and scan again.')! }
        : { status: 'skip', observed: 'no host scanned', expected, message: 'No master or member host is in the scan, so there are no A-links to check.' };
    }
    // A site plan's NIC roles (HostContext.layout) take precedence, host by host.
    const perHost = ctx.hosts.map((h) => ({ h, ...hostNets(h, effectiveLayout(layout, h.layout)) }));
    const alinkNets = perHost.flatMap((p) => [...p.alinks.values()].flat());
    const otherNets = perHost.flatMap((p) => p.others);
    const unaddressed = perHost.filter((p) => p.known).flatMap((p) => [...p.alinks].filter(([, nets]) => nets.length === 0).map(([name]) => ({ host: p.h.host, name, present: nicNamed(p.h.facts, name) !== undefined || pifForDevice(p.h.facts, name) !== undefined })));
    const observed =
      perHost
        .map((p) => `${p.h.host}: ${[...p.alinks].map(([name, nets]) => `${name} ${!p.known ? 'not known' : nets.length ? nets.map((n) => `${n.address}/${n.prefix}`).join(', ') : 'no IPv4 address'}`).join(', ')}`)
        .join('; ') + (ctx.unreachable.length ? `; not scanned: ${joinNames(ctx.unreachable.map((u) => u.host))}` : '');

    const problems: string[] = [];
    for (const n of alinkNets) {
      if (!isPrivate(n)) {
        const range = ipaddr.IPv4.parse(n.address).range();
        problems.push(`${n.role} ${where(n)} is not in a private RFC 1918 range (10/8, 172.16/12, 192.168/16)${range !== 'unicast' && range !== 'private' ? `: it is ${range}` : ''}`);
      }
    }
    // Each A-link on a subnet of its own: A-link 1 and A-link 2 must not share one, on any host.
    const seen = new Set<string>();
    for (const a of alinkNets) {
      for (const b of alinkNets) {
        if (a.role !== 'A-link 1' || b.role !== 'A-link 2' || !overlap(a, b)) continue;
        const key = `${cidr(a)}|${cidr(b)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push(`A-link 1 (${where(a)}) and A-link 2 (${where(b)}) share a subnet (${cidr(a)}, ${cidr(b)})`);
      }
      for (const o of otherNets) {
        if (!overlap(a, o)) continue;
        const key = `${a.role}|${cidr(a)}|${where(o)}`;
        if (seen.has(key)) continue;
        seen.add(key);
        problems.push(`the ${a.role} subnet ${cidr(a)} (${where(a)}) overlaps ${o.role === 'other' ? `the subnet of ${o.iface}` : `the ${o.role} subnet`} ${cidr(o)} (${where(o)})`);
      }
    }
    if (problems.length) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `${problems.join('; ')}. Give each A-link a private subnet used nowhere else in your infrastructure, for example 10.10.1.0/24 for A-link 1 and 10.10.2.0/24 for A-link 2, the same on every host (the eAC's pool-wide network configuration, and the hosts' ${layout.alink1}/${layout.alink2} addresses if you set any).`,
      };
    }

    const missing = perHost.filter((p) => !p.known).map((p) => ({ host: p.h, probes: ADDRESS_PROBES }));
    const gap = incomplete(ctx, missing, 'the A-link subnets are private and dedicated on every host', 'Run "ip -4 addr" on each host by hand.');
    if (gap) return { status: 'error', observed, expected, message: gap };

    const lacking = unaddressed.map((u) => `${u.host}:${u.name}${u.present ? '' : ' (not present)'}`);
    if (alinkNets.length === 0) {
      return {
        status: 'skip',
        observed,
        expected,
        message: `No A-link NIC has an IPv4 address (${joinNames(lacking)}), so there is no A-link subnet to judge yet; the A-link address scheme is set in the eAC after everRun is installed (Configuring an everRun Pool > Pool-Wide Network Configuration). Give the A-link NICs their planned addresses to have the subnets checked now.`,
      };
    }
    if (lacking.length) {
      return {
        status: 'error',
        observed,
        expected,
        message: `The A-link subnets that have addresses are private and dedicated, but ${joinNames(lacking)} ${lacking.length === 1 ? 'has' : 'have'} no IPv4 address, so ${lacking.length === 1 ? 'its subnet' : 'their subnets'} cannot be judged: give ${lacking.length === 1 ? 'it an address' : 'them addresses'} in the same A-link subnet as the other end (check with "ip -4 addr show dev ${unaddressed[0]!.name}").`,
      };
    }
    return {
      status: 'pass',
      observed,
      expected,
      message: `The A-link subnets (${[...new Set(alinkNets.map((n) => `${n.role} ${cidr(n)}`))].join(', ')}) are private and overlap no other subnet of the scanned hosts.`,
    };
  },
};
