import { isIPv4 } from 'node:net';
import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { hostPifs } from './hostNetwork.js';
import { whyMissing } from './missingFacts.js';
import { cannotCompare, certainlyNotXenServer, incomplete, joinNames } from './poolHosts.js';
import type { HostContext, PoolCheck } from './types.js';

const Params = z.object({}).strict();
export type PoolMembershipParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

const ROLE_PROBES = ['xen.pool-conf', 'xe.pool-list'];

/** The host part of a scan address: "root@10.0.0.11:2222" -> "10.0.0.11", "[fe80::1]:22" -> "fe80::1". */
export function addressHost(address: string): string {
  const noUser = address.slice(address.lastIndexOf('@') + 1);
  const bracket = /^\[([^\]]+)\]/.exec(noUser);
  if (bracket) return bracket[1]!;
  const colons = noUser.split(':').length - 1;
  return colons === 1 ? noUser.slice(0, noUser.indexOf(':')) : noUser;
}

/** Every name a member's pool.conf could use for this host: its IPv4 addresses, names, and the address it was scanned at. */
function namesOf(h: HostContext): Set<string> {
  const names = new Set<string>();
  for (const n of h.facts.nics ?? []) for (const a of n.addresses) if (a.family === 'inet') names.add(a.address);
  for (const p of hostPifs(h.facts)) if (p.ip) names.add(p.ip);
  for (const c of h.facts.ipConfig ?? []) if (c.address) names.add(c.address.split('/')[0]!);
  if (h.address && h.address !== 'local') names.add(addressHost(h.address));
  for (const n of [h.facts.os.hostname, h.facts.xenserver?.hostName]) if (n) names.add(n);
  return names;
}

/** True when the names include an IPv4 address (host names alone do not prove a member's master is someone else). */
const knowsAddresses = (names: Set<string>) => [...names].some((n) => isIPv4(n));

const poolText = (h: HostContext) => {
  const xs = h.facts.xenserver!;
  return xs.poolName ? `"${xs.poolName}" (${xs.poolUuid ?? 'uuid ?'})` : (xs.poolUuid ?? '?');
};

export const poolMembership: PoolCheck<PoolMembershipParams> = {
  name: 'pool-membership',
  scope: 'pool',
  description: 'every master and member host is in the same XenServer resource pool, which has exactly one master among them',
  params: Params,
  probes: ['xen.pool-conf', 'xe.pool-list', 'xe.host-list', 'xe.pif-list'],
  evaluate(ctx) {
    const expected = 'all hosts in the same XenServer resource pool: exactly one master, every other host a member whose master is that host';
    const notComparable = cannotCompare(ctx, expected, 'the XenServer pool membership');
    if (notComparable) return notComparable;

    const xen = ctx.hosts.filter((h) => h.facts.xenserver !== undefined);
    const notXen = ctx.hosts.filter((h) => certainlyNotXenServer(h.facts));
    const unsure = ctx.hosts.filter((h) => h.facts.xenserver === undefined && !certainlyNotXenServer(h.facts));
    const describe = (h: HostContext) => {
      const xs = h.facts.xenserver;
      if (!xs) return `${h.host}: ${notXen.includes(h) ? 'not XenServer' : 'XenServer not known'}`;
      const role = xs.poolRole === 'master' ? 'master' : xs.poolRole === 'member' ? `member, master at ${xs.masterAddress ?? '?'}` : 'pool role ?';
      return `${h.host}: ${role} of pool ${poolText(h)}`;
    };
    const observed = ctx.hosts.map(describe).join('; ') + (ctx.unreachable.length ? `; not scanned: ${joinNames(ctx.unreachable.map((u) => u.host))}` : '');

    if (xen.length === 0 && unsure.length === 0) {
      return {
        status: 'skip',
        observed,
        expected,
        message: `None of the scanned hosts runs XenServer (${notXen.map((h) => `${h.host}: ${whyMissing(h.facts, ['xen.inventory'])}`).join('; ')}), so there is no XenServer pool to check.`,
      };
    }

    const faults: string[] = [];
    if (xen.length > 0 && notXen.length > 0) {
      faults.push(`${joinNames(notXen.map((h) => h.host))} ${notXen.length === 1 ? 'does' : 'do'} not run XenServer, so ${notXen.length === 1 ? 'it' : 'they'} cannot be in the pool of ${joinNames(xen.map((h) => h.host))}`);
    }
    const pools = new Map<string, string[]>();
    for (const h of xen) {
      const uuid = h.facts.xenserver!.poolUuid;
      if (uuid) pools.set(uuid, [...(pools.get(uuid) ?? []), h.host]);
    }
    if (pools.size > 1) {
      faults.push(`the hosts are in ${pools.size} different pools (${[...pools].map(([, hosts]) => `${joinNames(hosts)}: ${poolText(xen.find((h) => h.host === hosts[0])!)}`).join('; ')})`);
    }
    const masters = xen.filter((h) => h.facts.xenserver!.poolRole === 'master');
    const members = xen.filter((h) => h.facts.xenserver!.poolRole === 'member');
    if (masters.length > 1) {
      faults.push(`${joinNames(masters.map((h) => h.host))} are ${masters.length === 2 ? 'both' : 'all'} pool masters (XenServer makes every host the master of its own pool until it joins another)`);
    }
    // What each member's /etc/xensource/pool.conf names as its master.
    const named = new Map<string, string[]>();
    for (const m of members) {
      const a = m.facts.xenserver!.masterAddress;
      if (a) named.set(a, [...(named.get(a) ?? []), m.host]);
    }
    if (named.size > 1) {
      faults.push(`the members name different masters (${[...named].map(([a, hosts]) => `${joinNames(hosts)}: ${a}`).join('; ')})`);
    }
    let verifiedByAddress = false;
    if (masters.length === 1) {
      const master = masters[0]!;
      const names = namesOf(master);
      const strangers = [...named].filter(([a]) => !names.has(a));
      // Only an IPv4 address proves "someone else": a DNS name given to xe pool-join may still be this host.
      const provenStrangers = strangers.filter(([a]) => isIPv4(a));
      if (knowsAddresses(names)) {
        for (const [a, hosts] of provenStrangers) {
          faults.push(`${joinNames(hosts)} ${hosts.length === 1 ? 'is a member' : 'are members'} of the pool whose master is ${a}, which is not ${master.host} (${[...names].filter((n) => isIPv4(n)).join(', ')})`);
        }
      }
      verifiedByAddress = strangers.length === 0 && named.size > 0 && members.every((m) => m.facts.xenserver!.masterAddress !== undefined);
    }

    if (faults.length) {
      const join = `join every member to the master's pool: in XenCenter, "Adding a server to the pool", or on each member "xe pool-join master-address=MASTER_IP master-username=root master-password=..." (a joining host loses its own VMs and local pool settings).`;
      const fix = xen.length > 0 && notXen.length > 0 ? `Install XenServer on every host, then ${join}` : `Choose one master and ${join}`;
      return { status: 'fail', observed, expected, message: `The hosts are not one XenServer pool: ${faults.join('; ')}. ${fix} Check with "xe host-list" on the master.` };
    }

    const missing = [
      ...unsure.map((h) => ({ host: h, probes: ['xen.inventory'] })),
      ...xen.filter((h) => h.facts.xenserver!.poolRole === undefined).map((h) => ({ host: h, probes: ROLE_PROBES })),
      ...members.filter((h) => !h.facts.xenserver!.masterAddress && !h.facts.xenserver!.poolUuid).map((h) => ({ host: h, probes: ROLE_PROBES })),
    ];
    const gap = incomplete(ctx, missing, 'the hosts are one pool', 'Run "cat /etc/xensource/pool.conf" and "xe pool-list params=uuid,name-label,master" as root on each host by hand.');
    if (gap) return { status: 'error', observed, expected, message: gap };

    if (masters.length === 0) {
      const master = [...named.keys()][0];
      return {
        status: 'error',
        observed,
        expected,
        message: `None of the scanned hosts is the pool master${master ? ` (the members name ${master})` : ''}: add the master to the scan (--host root@MASTER) to check the pool.`,
      };
    }
    // The members named the master by an address preflight could not tie to it: the pool uuid decides.
    const samePool = pools.size === 1 && [...pools.values()][0]!.length === xen.length;
    if (!verifiedByAddress && !samePool && members.length > 0) {
      return {
        status: 'error',
        observed,
        expected,
        message: `Cannot tell whether ${joinNames(members.map((h) => h.host))} ${members.length === 1 ? 'is a member' : 'are members'} of ${masters[0]!.host}'s pool: the master's addresses and the pool uuids are not known (${xen.map((h) => `${h.host}: ${whyMissing(h.facts, ['xe.pool-list', 'ip.addr'])}`).join('; ')}). Run "xe pool-list params=uuid" on each host by hand.`,
      };
    }
    const extra = masters[0]!.facts.xenserver!.poolHostCount;
    const note = extra !== undefined && extra > xen.length ? ` The pool has ${extra} hosts; ${xen.length} were scanned.` : '';
    return {
      status: 'pass',
      observed,
      expected,
      message: `${masters[0]!.host} is the only master and ${joinNames(members.map((h) => h.host))} ${members.length === 1 ? 'is its member' : 'are its members'}${masters[0]!.facts.xenserver!.poolUuid || masters[0]!.facts.xenserver!.poolName ? ` (pool ${poolText(masters[0]!)})` : ''}.${note}`,
    };
  },
};
