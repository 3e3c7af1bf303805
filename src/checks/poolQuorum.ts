import { z } from 'zod';
import { NET_PROBES, parsePing } from '../collect/networkTests.js';
import type { Status } from '../engine/types.js';
import { unreachableText } from './poolHosts.js';
import { netEvidence } from './poolNetTests.js';
import type { PoolCheck } from './types.js';

const Params = z.object({}).strict();
export type PoolQuorumParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

export const poolQuorum: PoolCheck<PoolQuorumParams> = {
  name: 'pool-quorum',
  scope: 'pool',
  description:
    'quorum service is required with more than two hosts or switched A-links (site plan alinks: switched); then a preferred and an alternate quorum computer must be planned and answer ping from every host',
  params: Params,
  // The pings (net.ping.quorum1/2) are the exercise phase's evidence; the pool size comes from XenServer.
  probes: ['xen.pool-conf', 'xe.host-list'],
  evaluate(ctx) {
    // XenServer's own host list counts hosts left out of the scan too.
    const total = Math.max(ctx.hosts.length + ctx.unreachable.length, ...ctx.hosts.map((h) => h.facts.xenserver?.poolHostCount ?? 0));
    const reasons = [...(total > 2 ? [`${total} hosts`] : []), ...(ctx.plan?.alinks === 'switched' ? ['switched A-links (site plan)'] : [])];
    const q = ctx.plan?.quorum;
    const servers = [q?.preferred, q?.alternate].flatMap((s) => (s ? [s] : []));
    const planned = servers.length ? servers.map((s) => `${s.address} UDP ${s.port}`).join(', ') : 'none planned';
    const expected = 'with more than two hosts, switched A-links or several sites: a preferred and an alternate quorum service computer, reachable from every host';
    if (reasons.length === 0) {
      return {
        status: 'skip',
        observed: `${total} hosts, A-links ${ctx.plan?.alinks ?? 'direct (assumed)'}; quorum servers: ${planned}`,
        expected,
        message: 'A two-host pool with direct-cabled A-links needs no quorum service. (Several sites cannot be seen from the hosts: if the hosts are in different places, plan two quorum computers with quorum: in the site plan and set alinks: switched.)',
      };
    }
    const observedBase = `required (${reasons.join(', ')}); quorum servers: ${planned}`;
    if (!q || !q.alternate) {
      return {
        status: 'fail',
        observed: observedBase,
        expected,
        message: `Quorum service is required here (${reasons.join(', ')}) but ${q ? 'only a preferred quorum computer is' : 'no quorum computer is'} planned: give quorum.preferred and quorum.alternate in the site plan (--plan).`,
      };
    }
    const rows: { status: Status; text: string }[] = [];
    for (const h of ctx.hosts) {
      servers.forEach((s, i) => {
        const ev = netEvidence(h, NET_PROBES.quorum(i + 1));
        if (!ev) return rows.push({ status: 'error', text: `${h.host} -> ${s.address}: not tested` });
        if (ev.error !== undefined) return rows.push({ status: 'error', text: `${h.host} -> ${s.address}: ${ev.error}` });
        const p = parsePing(ev.stdout);
        if (p.received === undefined) return rows.push({ status: 'error', text: `${h.host} -> ${s.address}: no result${p.problem ? ` (${p.problem})` : ''}` });
        rows.push(p.received > 0 ? { status: 'pass', text: `${h.host} -> ${s.address}: answers` } : { status: 'fail', text: `${h.host} -> ${s.address}: no answer` });
      });
    }
    const observed = `${observedBase}; ${rows.map((r) => r.text).join('; ') || 'no host scanned'}`;
    const missing = ctx.unreachable.length ? ` ${unreachableText(ctx.unreachable)}: not tested.` : '';
    if (rows.some((r) => r.status === 'fail')) {
      return { status: 'fail', observed, expected, message: `A quorum computer does not answer: ${rows.filter((r) => r.status === 'fail').map((r) => r.text).join('; ')}. Check that it is on, on the network, and that firewalls pass ICMP and UDP ${servers[0]!.port}.${missing}` };
    }
    if (rows.some((r) => r.status === 'error') || ctx.unreachable.length || rows.length === 0) {
      return { status: 'error', observed, expected, message: `Cannot tell whether every host reaches the quorum computers: ${rows.filter((r) => r.status === 'error').map((r) => r.text).join('; ') || 'no host tested'}.${missing}` };
    }
    return {
      status: 'pass',
      observed,
      expected,
      message: `Both quorum computers answer ping from every host. UDP ${servers[0]!.port} (hosts to quorum) and 2188 (quorum to hosts) are not tested by this rule: check them with the quorum service running.`,
    };
  },
};
