import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { whyMissing } from './missingFacts.js';
import { cannotCompare, certainlyNotXenServer, incomplete, joinNames } from './poolHosts.js';
import type { HostContext, PoolCheck } from './types.js';

const Params = z.object({}).strict();
export type PoolSameSoftwareParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

interface Software {
  host: HostContext;
  product?: string;
  build?: string;
  /** Updates applied on this host (an update whose hosts are unknown counts as applied, as in xenserver.updates). */
  updates?: string[];
}

function software(h: HostContext): Software {
  const xs = h.facts.xenserver!;
  const s: Software = { host: h };
  if (xs.productVersion) s.product = `${xs.productBrand ?? 'XenServer'} ${xs.productVersion}`;
  if (xs.buildNumber) s.build = xs.buildNumber;
  if (xs.patches) s.updates = [...new Set(xs.patches.filter((p) => p.appliedHere !== false).map((p) => p.nameLabel))].sort();
  return s;
}

const show = (s: Software) =>
  `${s.product ?? 'version ?'} build ${s.build ?? '?'}, ${s.updates === undefined ? 'updates ?' : s.updates.length ? `updates ${s.updates.join(', ')}` : 'no updates'}`;

/** Hosts grouped by a known value. */
function groups(list: readonly Software[], get: (s: Software) => string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of list) {
    const v = get(s);
    if (v !== undefined) out.set(v, [...(out.get(v) ?? []), s.host.host]);
  }
  return out;
}

const groupText = (label: string, g: Map<string, string[]>) => `${label} ${[...g].map(([v, hosts]) => `${v} on ${joinNames(hosts)}`).join(', ')}`;

export const poolSameSoftware: PoolCheck<PoolSameSoftwareParams> = {
  name: 'pool-same-software',
  scope: 'pool',
  description: 'every master and member host runs the same XenServer product version and build with the same updates applied',
  params: Params,
  probes: ['xen.inventory', 'xe.host-list', 'xe.patch-list'],
  evaluate(ctx) {
    const expected = 'the same XenServer version, build and applied updates on every host';
    const notComparable = cannotCompare(ctx, expected, 'the XenServer software');
    if (notComparable) return notComparable;

    const xen = ctx.hosts.filter((h) => h.facts.xenserver !== undefined);
    const notXen = ctx.hosts.filter((h) => certainlyNotXenServer(h.facts));
    const unsure = ctx.hosts.filter((h) => h.facts.xenserver === undefined && !certainlyNotXenServer(h.facts));
    const list = xen.map(software);
    const observed =
      ctx.hosts
        .map((h) => {
          const s = list.find((x) => x.host === h);
          return `${h.host}: ${s ? show(s) : notXen.includes(h) ? 'not XenServer' : 'XenServer not known'}`;
        })
        .join('; ') + (ctx.unreachable.length ? `; not scanned: ${joinNames(ctx.unreachable.map((u) => u.host))}` : '');

    if (xen.length === 0 && unsure.length === 0) {
      return {
        status: 'skip',
        observed,
        expected,
        message: `None of the scanned hosts runs XenServer (${notXen.map((h) => `${h.host}: ${whyMissing(h.facts, ['xen.inventory'])}`).join('; ')}), so there is no XenServer software to compare.`,
      };
    }
    if (xen.length > 0 && notXen.length > 0) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `${joinNames(xen.map((h) => h.host))} ${xen.length === 1 ? 'runs' : 'run'} XenServer, but ${joinNames(notXen.map((h) => h.host))} ${notXen.length === 1 ? 'does' : 'do'} not (/etc/xensource-inventory is absent): install the same XenServer release (5.5.0 from the Marathon download site) on every host, setting eth0 as the management network.`,
      };
    }

    const product = groups(list, (s) => s.product);
    const build = groups(list, (s) => s.build);
    const differences: string[] = [];
    if (product.size > 1) differences.push(groupText('', product).trim());
    if (build.size > 1) differences.push(groupText('build', build));
    const withUpdates = list.filter((s) => s.updates !== undefined);
    if (withUpdates.length > 1) {
      const all = [...new Set(withUpdates.flatMap((s) => s.updates!))].sort();
      for (const u of all) {
        const on = withUpdates.filter((s) => s.updates!.includes(u)).map((s) => s.host.host);
        const off = withUpdates.filter((s) => !s.updates!.includes(u)).map((s) => s.host.host);
        if (off.length) differences.push(`update ${u} is applied on ${joinNames(on)} but not on ${joinNames(off)}`);
      }
    }
    if (differences.length) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `The hosts run different XenServer software: ${differences.join('; ')}. Install the same XenServer release on every host and apply the same updates (exactly those the everRun Release Notes name: "xe patch-apply uuid=PATCH_UUID host-uuid=HOST_UUID", then reboot); check with "xe host-list params=name-label,software-version" and "xe patch-list params=name-label,hosts".`,
      };
    }

    const missing = [
      ...unsure.map((h) => ({ host: h, probes: ['xen.inventory'] })),
      ...list.flatMap((s) => {
        const probes = [...(s.product === undefined || s.build === undefined ? ['xen.inventory', 'xe.host-list'] : []), ...(s.updates === undefined ? ['xe.patch-list'] : [])];
        return probes.length ? [{ host: s.host, probes }] : [];
      }),
    ];
    const gap = incomplete(ctx, missing, 'the XenServer software is the same on every host', 'Run "cat /etc/xensource-inventory" and "xe patch-list params=name-label,hosts" as root on each host by hand.');
    if (gap) return { status: 'error', observed, expected, message: gap };

    return { status: 'pass', observed, expected, message: `Every host runs ${show(list[0]!)}.` };
  },
};
