import { z } from 'zod';
import { NET_PROBES, parsePing } from '../collect/networkTests.js';
import type { Status } from '../engine/types.js';
import { NicLayout } from './nicLayout.js';
import { addressOn, alinkDev, alinkPair, hostLayout, netEvidence, summarizeRows } from './poolNetTests.js';
import type { PoolCheck } from './types.js';

const Params = z
  .object({
    layout: NicLayout,
    maxLossPercent: z.number().min(0).max(100).describe('packet loss above this (percent) warns'),
    maxRttMs: z.number().positive().describe('a round trip slower than this (milliseconds, the worst of the pings) warns; a direct cable answers in well under 1 ms'),
  })
  .strict();
export type PoolAlinkHealthParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'skip', 'error'];

export const poolAlinkHealth: PoolCheck<PoolAlinkHealthParams> = {
  name: 'pool-alink-health',
  scope: 'pool',
  description:
    "each host pings the other host's A-link address out of its own A-link NIC with 1500-byte packets and the don't-fragment bit (ping -M do -s 1472 -I ethN); reports round-trip time, loss and whether full-size frames pass",
  params: Params,
  // The ping results (net.ping.alink1/2) are the exercise phase's evidence, not batch probes.
  probes: ['ip.addr', 'sys.net'],
  evaluate(ctx, { layout, maxLossPercent, maxRttMs }) {
    const expected = `both A-links carry 1500-byte packets unfragmented in both directions, loss <= ${maxLossPercent}%, round trip <= ${maxRttMs} ms`;
    const pair = alinkPair(ctx, expected, 'A-link health');
    if (!Array.isArray(pair)) return pair;
    const rows: { status: Status; text: string }[] = [];
    for (const [h, peer] of [pair, [pair[1], pair[0]]] as const) {
      for (const link of [1, 2] as const) {
        const dev = alinkDev(hostLayout(h, layout), link);
        const peerDev = alinkDev(hostLayout(peer, layout), link);
        const peerAddress = addressOn(peer, peerDev);
        const name = `A-link ${link} ${h.host}:${dev} -> ${peer.host}:${peerDev}`;
        const ev = netEvidence(h, NET_PROBES.alinkPing(link));
        if (peerAddress === undefined) {
          rows.push({ status: 'skip', text: `${name}: ${peer.host}:${peerDev} has no IPv4 address to ping` });
          continue;
        }
        if (!ev) {
          rows.push({ status: 'error', text: `${name} (${peerAddress}): not tested (network tests turned off, or not in this bundle)` });
          continue;
        }
        if (ev.error !== undefined) {
          rows.push({ status: 'error', text: `${name} (${peerAddress}): ${ev.error}` });
          continue;
        }
        const p = parsePing(ev.stdout);
        if (p.tooBig && !(p.received && p.received > 0)) {
          rows.push({ status: 'fail', text: `${name} (${peerAddress}): 1500-byte packets with don't-fragment are refused: the path MTU is below 1500` });
        } else if (p.received === undefined) {
          rows.push({ status: 'fail', text: `${name} (${peerAddress}): no path${p.problem ? ` (${p.problem})` : ''}` });
        } else if (p.received === 0) {
          rows.push({ status: 'fail', text: `${name} (${peerAddress}): no path (${p.transmitted} sent, 0 received)` });
        } else {
          const stats = `${p.received}/${p.transmitted} received, loss ${p.lossPercent}%, rtt avg ${p.rttAvgMs ?? '?'} ms max ${p.rttMaxMs ?? '?'} ms, MTU 1500 passes unfragmented`;
          const slow = p.rttMaxMs !== undefined && p.rttMaxMs > maxRttMs;
          const lossy = (p.lossPercent ?? 0) > maxLossPercent;
          rows.push({ status: slow || lossy ? 'warn' : 'pass', text: `${name} (${peerAddress}): ${stats}` });
        }
      }
    }
    const { observed, status, worstText: bad } = summarizeRows(rows);
    switch (status) {
      case 'fail':
        return { status, observed, expected, message: `An A-link does not carry full-size frames between the hosts: ${bad}. Check the cable (eth1 to eth1, eth2 to eth2), both NICs' link and MTU (1500), and that both A-link addresses are in the same subnet.` };
      case 'error':
        return { status, observed, expected, message: `Cannot judge every A-link: ${bad}.` };
      case 'warn':
        return { status, observed, expected, message: `An A-link loses packets or is slow: ${bad}. A direct cable should lose nothing and answer in well under a millisecond: replace the cable, check duplex and speed (ethtool), and look for errors in "ip -s link".` };
      case 'skip':
        return { status, observed, expected, message: `Nothing to ping yet: ${bad}. The A-link addresses are usually set in the eAC after everRun is installed; scan again then.` };
      default:
        return { status: 'pass', observed, expected, message: 'Both A-links carry full-size frames in both directions without loss.' };
    }
  },
};
