import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { joinNames, scanSize, unreachableText } from './poolHosts.js';
import type { PoolCheck } from './types.js';

const Params = z
  .object({
    minimumHosts: z.number().int().min(2).describe('XenServer hosts (master and members) a pool needs; the guide: two'),
  })
  .strict();
export type PoolHostCountParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

export const poolHostCount: PoolCheck<PoolHostCountParams> = {
  name: 'pool-host-count',
  scope: 'pool',
  description: 'the scan holds at least two XenServer hosts (a master and a member); a scan of only the local machine is not judged',
  params: Params,
  probes: ['xen.pool-conf', 'xe.host-list'],
  evaluate(ctx, { minimumHosts }) {
    const expected = `at least ${minimumHosts} hosts (a master and ${minimumHosts === 2 ? 'a member' : 'members'}) scanned together`;
    const scanned = ctx.hosts.map((h) => `${h.host} (${h.role})`);
    const observed =
      `${ctx.hosts.length} ${ctx.hosts.length === 1 ? 'host' : 'hosts'} scanned${scanned.length ? `: ${scanned.join(', ')}` : ''}` +
      (ctx.unreachable.length ? `; not reachable: ${ctx.unreachable.map((u) => `${u.host} (${u.role})`).join(', ')}` : '');
    if (ctx.hosts.length >= minimumHosts) {
      return {
        status: 'pass',
        observed,
        expected,
        message: `The scan holds ${ctx.hosts.length} hosts, enough for a pool.${ctx.unreachable.length ? ` (${unreachableText(ctx.unreachable)}.)` : ''}`,
      };
    }
    if (scanSize(ctx) >= minimumHosts) {
      return {
        status: 'error',
        observed,
        expected,
        message: `${scanSize(ctx)} hosts were given, but only ${ctx.hosts.length} could be scanned: ${unreachableText(ctx.unreachable)}. Fix the connection and scan again.`,
      };
    }
    if (ctx.hosts.length === 0) {
      return {
        status: 'error',
        observed,
        expected,
        message: 'No master or member host is in the scan: give the XenServer hosts with --host (the first is the master) or in the master and members groups of the inventory.',
      };
    }
    const only = ctx.hosts[0]!;
    if (ctx.hosts.length === 1 && only.address === 'local') {
      return {
        status: 'skip',
        observed: `only this machine (${only.host}) was scanned, locally`,
        expected,
        message: `A local scan checks this machine only, so the pool is not judged: scan its hosts together (preflight scan --host root@HOST1 --host root@HOST2) to check the pool.`,
      };
    }
    // XenServer's own view tells whether the rest of the pool exists but was left out of the scan.
    const poolSize = Math.max(0, ...ctx.hosts.map((h) => h.facts.xenserver?.poolHostCount ?? 0));
    const hint =
      poolSize >= minimumHosts
        ? ` XenServer lists ${poolSize} hosts in the pool of ${joinNames(ctx.hosts.map((h) => h.host))}: add the others to the scan (--host, or the members group of the inventory).`
        : ` Install XenServer on a second server with identical processors and join it to the pool as a member, then scan both (--host MASTER --host MEMBER).`;
    return {
      status: 'fail',
      observed,
      expected,
      message: `A pool needs at least ${minimumHosts} hosts, and the scan holds ${ctx.hosts.length}: ${joinNames(ctx.hosts.map((h) => h.host))}.${hint}`,
    };
  },
};
