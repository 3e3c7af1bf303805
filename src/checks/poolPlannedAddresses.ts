import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { plannedNicName } from '../engine/planLayout.js';
import type { Status } from '../engine/types.js';
import type { AddressFacts } from '../facts/schema.js';
import { isDefaultRoute, mastersOf, nicNamed, samePath } from './hostNetwork.js';
import { joinNames } from './poolHosts.js';
import { worst } from './poolNetTests.js';
import type { PoolCheck, PoolPlan } from './types.js';

const Params = z.object({}).strict();
export type PoolPlannedAddressesParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

type PlannedNic = NonNullable<PoolPlan['hosts']>[number]['nics'][number];

const family = (address: string) => (address.includes(':') ? 'inet6' : 'inet');
const withPrefix = (a: AddressFacts) => `${a.address}/${a.prefixLength}`;

/** The addresses of the interface that carries a NIC's address (itself, or the bond or bridge above it), of the family asked for. */
function foundAddresses(facts: Parameters<typeof nicNamed>[0], name: string, fam: 'inet' | 'inet6'): { holder: string; addresses: AddressFacts[] } {
  for (const candidate of [name, ...mastersOf(facts, name)]) {
    const list = (nicNamed(facts, candidate)?.addresses ?? []).filter((a) => a.family === fam && a.scope !== 'link' && !a.address.startsWith('fe80:'));
    if (list.length) return { holder: candidate, addresses: list };
  }
  return { holder: name, addresses: [] };
}

function inSubnet(address: string, subnet: string): boolean {
  try {
    const ip = ipaddr.parse(address);
    const cidr = ipaddr.parseCIDR(subnet);
    return ip.kind() === cidr[0].kind() && ip.match(cidr);
  } catch {
    return false;
  }
}

export const poolPlannedAddresses: PoolCheck<PoolPlannedAddressesParams> = {
  name: 'pool-planned-addresses',
  scope: 'pool',
  description:
    'every address, subnet and gateway the site plan (--plan) gives a NIC of a host is what that host has: the planned address with the planned prefix on the planned NIC (or the bond or bridge above it), an address inside a planned subnet, the default route through that NIC via the planned gateway',
  params: Params,
  probes: ['ip.addr', 'ip.route', 'sys.net'],
  evaluate(ctx) {
    const plannedHosts = (ctx.plan?.hosts ?? []).filter((h) => h.nics.some((n) => n.address !== undefined || n.subnet !== undefined || n.gateway !== undefined));
    const expected = ctx.plan?.file ? `the addresses, subnets and gateways of the site plan ${ctx.plan.file}, on the planned NICs` : 'the addresses, subnets and gateways of the site plan, on the planned NICs';
    if (plannedHosts.length === 0) {
      return {
        status: 'skip',
        observed: ctx.plan?.hosts ? 'the site plan gives no address, subnet or gateway' : 'no site plan',
        expected,
        message: ctx.plan?.hosts
          ? 'Nothing to compare: the site plan names NICs but no addresses, subnets or gateways.'
          : 'Nothing to compare: give the intended addresses in a site plan (--plan FILE, nics: address, subnet, gateway) to have them compared with what the hosts have.',
      };
    }
    const rows: { status: Status; text: string }[] = [];
    for (const planned of plannedHosts) {
      const h = ctx.hosts.find((x) => x.host === planned.name);
      if (!h) {
        const u = ctx.unreachable.find((x) => x.host === planned.name);
        rows.push({ status: 'error', text: u ? `${planned.name}: could not be scanned (${u.error})` : `${planned.name}: planned, but not in this scan` });
        continue;
      }
      for (const n of planned.nics.filter((x) => x.address !== undefined || x.subnet !== undefined || x.gateway !== undefined)) {
        rows.push(...compareNic(h, n));
      }
    }
    // A host of the scan that could not be scanned may hold a planned address: never pass without it.
    for (const u of ctx.unreachable) {
      if (!plannedHosts.some((p) => p.name === u.host)) rows.push({ status: 'error', text: `${u.host}: could not be scanned (${u.error})` });
    }
    const observed = rows.map((r) => r.text).join('; ');
    const status = worst(rows.map((r) => r.status));
    if (status === 'fail') {
      return {
        status: 'fail',
        observed,
        expected,
        message: `Not as planned: ${rows.filter((r) => r.status === 'fail').map((r) => r.text).join('; ')}. Give each NIC its planned address (XenServer: "xe pif-reconfigure-ip uuid=PIF_UUID mode=static IP=ADDRESS netmask=MASK gateway=GATEWAY"; elsewhere the interface's configuration file), or correct the site plan if it is the plan that is wrong.`,
      };
    }
    if (status === 'error') {
      return { status: 'error', observed, expected, message: `Cannot compare every planned host: ${rows.filter((r) => r.status === 'error').map((r) => r.text).join('; ')}.` };
    }
    return {
      status: 'pass',
      observed,
      expected,
      message: `${joinNames(plannedHosts.map((p) => p.name))} ${plannedHosts.length === 1 ? 'has' : 'have'} the addresses, subnets and gateways the site plan gives.`,
    };
  },
};

function compareNic(h: Parameters<PoolCheck['evaluate']>[0]['hosts'][number], n: PlannedNic): { status: Status; text: string }[] {
  const label = `${h.host} ${n.nic} (${n.role})`;
  const name = plannedNicName(n, h.facts);
  if (h.facts.nics === undefined) return [{ status: 'error', text: `${label}: the host's interfaces are not known` }];
  if (name === undefined) return [{ status: 'fail', text: `${label}: planned, but the host has no NIC ${n.match === 'mac' ? 'with that MAC address' : 'of that name'}` }];
  const where = name === n.nic ? label : `${label} = ${name}`;
  const rows: { status: Status; text: string }[] = [];
  const fam = family(n.address ?? n.subnet ?? n.gateway ?? '');
  const found = foundAddresses(h.facts, name, fam);
  const foundText = found.addresses.length ? `found ${found.addresses.map(withPrefix).join(', ')}${found.holder !== name ? ` on ${found.holder}` : ''}` : `found no ${fam === 'inet' ? 'IPv4' : 'IPv6'} address`;
  const prefix = n.subnet?.split('/')[1];
  if (n.address !== undefined) {
    const want = `${n.address}/${prefix}`;
    const ok = found.addresses.some((a) => a.address === n.address && String(a.prefixLength) === prefix);
    rows.push({ status: ok ? 'pass' : 'fail', text: `${where}: planned ${want}, ${foundText}` });
  } else if (n.subnet !== undefined) {
    const ok = found.addresses.some((a) => inSubnet(a.address, n.subnet!) && String(a.prefixLength) === prefix);
    rows.push({ status: ok ? 'pass' : 'fail', text: `${where}: planned an address in ${n.subnet}, ${foundText}` });
  }
  if (n.gateway !== undefined) {
    const routes = (h.facts.routes ?? []).filter((r) => isDefaultRoute(r) && r.gateway !== undefined);
    const mine = routes.filter((r) => r.device === undefined || samePath(h.facts, r.device, name) || r.device === found.holder);
    const gws = [...new Set(mine.map((r) => r.gateway!))];
    if (h.facts.routes === undefined) rows.push({ status: 'error', text: `${where}: planned gateway ${n.gateway}, the routes are not known` });
    else rows.push({ status: gws.includes(n.gateway) ? 'pass' : 'fail', text: `${where}: planned gateway ${n.gateway}, ${gws.length ? `found ${gws.join(', ')}` : 'found no default route through it'}` });
  }
  return rows;
}
