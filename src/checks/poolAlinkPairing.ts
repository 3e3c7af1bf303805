import { z } from 'zod';
import { NET_PROBES, neighbourOf } from '../collect/networkTests.js';
import type { Status } from '../engine/types.js';
import { NicLayout } from './nicLayout.js';
import { addressOn, alinkDev, alinkPair, hostLayout, isOnPath, netEvidence, nicsWithMac, summarizeRows } from './poolNetTests.js';
import type { PoolCheck } from './types.js';

const Params = z.object({ layout: NicLayout }).strict();
export type PoolAlinkPairingParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

export const poolAlinkPairing: PoolCheck<PoolAlinkPairingParams> = {
  name: 'pool-alink-pairing',
  scope: 'pool',
  description:
    "proves which NIC of the other host answers each A-link NIC: after the A-link ping, the MAC in the neighbour table for the peer's A-link address must be the peer's own A-link NIC (eth1 to eth1, eth2 to eth2)",
  params: Params,
  // The neighbour tables (net.neigh.alink1/2) are the exercise phase's evidence, not batch probes.
  probes: ['sys.net', 'ip.addr'],
  evaluate(ctx, { layout }) {
    const expected = `A-link 1 cabled ${layout.alink1} to ${layout.alink1} and A-link 2 ${layout.alink2} to ${layout.alink2}: each A-link NIC reaches the same A-link NIC of the other host`;
    const pair = alinkPair(ctx, expected, 'A-link pairing');
    if (!Array.isArray(pair)) return pair;
    const rows: { status: Status; text: string }[] = [];
    for (const [h, peer] of [pair, [pair[1], pair[0]]] as const) {
      for (const link of [1, 2] as const) {
        const dev = alinkDev(hostLayout(h, layout), link);
        const peerDev = alinkDev(hostLayout(peer, layout), link);
        const peerAddress = addressOn(peer, peerDev);
        const name = `${h.host}:${dev}`;
        if (peerAddress === undefined) {
          rows.push({ status: 'skip', text: `A-link ${link}: ${peer.host}:${peerDev} has no IPv4 address to test with` });
          continue;
        }
        const ev = netEvidence(h, NET_PROBES.alinkNeigh(link));
        if (!ev || ev.error !== undefined) {
          rows.push({ status: 'error', text: `A-link ${link} ${name}: neighbour table not read${ev?.error ? ` (${ev.error})` : ' (network tests turned off, or not in this bundle)'}` });
          continue;
        }
        const n = neighbourOf(ev.stdout, peerAddress);
        if (!n?.mac) {
          rows.push({ status: 'fail', text: `A-link ${link} ${name} does not reach its peer ${peer.host}:${peerDev} (${peerAddress}): no ARP answer${n ? ` (${n.state})` : ''}` });
          continue;
        }
        const holders = nicsWithMac(peer, n.mac);
        if (isOnPath(peer, holders, peerDev)) {
          rows.push({ status: 'pass', text: `A-link ${link} ${name} reaches ${peer.host}:${peerDev} (${n.mac})` });
        } else if (holders.length > 0) {
          rows.push({ status: 'fail', text: `A-link ${link} ${name} reaches ${peer.host}:${holders.join('/')} (${n.mac}), not ${peer.host}:${peerDev}: the cables are crossed` });
        } else {
          rows.push({
            status: 'fail',
            text: `A-link ${link} ${name} gets the answer for ${peerAddress} from ${n.mac}, which is no NIC of ${peer.host}: not a direct cable to ${peer.host}:${peerDev} (a router, proxy ARP, or another machine holds the address)`,
          });
        }
      }
    }
    const { observed, status, worstText: bad } = summarizeRows(rows);
    switch (status) {
      case 'fail':
        return { status, observed, expected, message: `${bad}. Cable A-link 1 from ${layout.alink1} to ${layout.alink1} and A-link 2 from ${layout.alink2} to ${layout.alink2}, directly, and check that each NIC has link.` };
      case 'error':
        return { status, observed, expected, message: `Cannot prove the A-link cabling: ${bad}.` };
      case 'skip':
        return { status, observed, expected, message: `Nothing to test with yet: ${bad}. The A-link addresses are usually set in the eAC after everRun is installed; scan again then.` };
      default:
        return { status: 'pass', observed, expected, message: `Each A-link NIC reaches the same NIC of the other host (the MAC that answered ARP is the peer's own A-link NIC).` };
    }
  },
};
