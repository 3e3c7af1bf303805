import { z } from 'zod';
import { parsePing } from '../collect/networkTests.js';
import { defaultIsolationIp } from '../engine/exercise.js';
import type { Status } from '../engine/types.js';
import { NicLayout } from './nicLayout.js';
import { unreachableText } from './poolHosts.js';
import { hostLayout, netEvidence, worst } from './poolNetTests.js';
import type { PoolCheck } from './types.js';

const Params = z.object({ layout: NicLayout }).strict();
export type PoolIsolationIpParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

const PROBE = 'net.ping.isolation';

export const poolIsolationIp: PoolCheck<PoolIsolationIpParams> = {
  name: 'pool-isolation-ip',
  scope: 'pool',
  description: "every host answers a ping from the isolation IP (--isolation-ip, the site plan's isolationIp, else the host's management gateway): the host pings it over SSH",
  params: Params,
  // The test's own evidence (net.ping.isolation) is not a batch probe of src/collect/probes.ts.
  probes: ['ip.route', 'xe.pif-list'],
  evaluate(ctx, { layout }) {
    const given = ctx.plan?.isolationIp;
    const expected = `every host reaches the isolation IP ${given ?? "(default: the management network's gateway)"} by ping`;
    const rows = ctx.hosts.map((h) => {
      const iso = given ?? defaultIsolationIp(h.facts, hostLayout(h, layout));
      const ev = netEvidence(h, PROBE);
      if (iso === undefined && !ev) {
        return { status: 'skip' as Status, text: `${h.host}: no isolation IP (no default gateway found and none given)` };
      }
      if (!ev) return { status: 'error' as Status, text: `${h.host}: ping of ${iso} not run (network tests turned off, or not in this bundle)` };
      if (ev.error !== undefined) return { status: 'error' as Status, text: `${h.host}: ping of ${iso ?? 'the isolation IP'} could not run: ${ev.error}` };
      const p = parsePing(ev.stdout);
      const target = p.target ?? iso ?? 'the isolation IP';
      if (p.received === undefined) return { status: 'error' as Status, text: `${h.host}: ping of ${target} gave no result${p.problem ? ` (${p.problem})` : ''}` };
      if (p.received === 0) return { status: 'fail' as Status, text: `${h.host}: ${target} does not answer (${p.transmitted} sent, 0 received)` };
      return { status: 'pass' as Status, text: `${h.host}: ${target} answers (${p.received}/${p.transmitted}${p.rttAvgMs !== undefined ? `, rtt ${p.rttAvgMs} ms` : ''})` };
    });
    const statuses = rows.map((r) => r.status);
    if (ctx.unreachable.length > 0) statuses.push('error');
    const observed = rows.length ? rows.map((r) => r.text).join('; ') : 'no host scanned';
    const missing = ctx.unreachable.length ? ` ${unreachableText(ctx.unreachable)}: not tested.` : '';
    if (rows.length === 0) {
      return { status: ctx.unreachable.length ? 'error' : 'skip', observed, expected, message: ctx.unreachable.length ? `No host could be tested.${missing}` : 'No host was scanned.' };
    }
    const status = worst(statuses);
    const failing = rows.filter((r) => r.status === 'fail').map((r) => r.text);
    switch (status) {
      case 'fail':
        return {
          status,
          observed,
          expected,
          message: `Not every host reaches the isolation IP: ${failing.join('; ')}. everRun pings it to tell a failed host from a failed management network; without an answer it cannot decide correctly.${missing}`,
        };
      case 'skip':
        return { status, observed, expected, message: 'No isolation IP can be determined: no host has a default gateway. Give one with --isolation-ip ADDRESS or isolationIp in the site plan.' };
      case 'error':
        return { status, observed, expected, message: `Cannot tell whether every host reaches the isolation IP: ${rows.filter((r) => r.status !== 'pass').map((r) => r.text).join('; ')}.${missing}` };
      default:
        return { status: 'pass', observed, expected, message: 'Every host reaches the isolation IP.' };
    }
  },
};
