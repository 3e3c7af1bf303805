import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { listing, num } from './formatUnits.js';
import { partProbes, whyPartMissing } from './mgmtShared.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    computer: z.string().min(1).describe('what the machine is, for messages'),
    minimumMbps: z.number().positive().describe('the NIC speed the guide asks for, in Mbit/s (the guide\'s "100 MB" and "1 GB" read as 100 Mbit/s and 1 Gbit/s)'),
  })
  .strict();
export type MgmtNicParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

export const mgmtNic: HostCheck<MgmtNicParams> = {
  name: 'mgmt-nic',
  scope: 'host',
  description: 'a network card of the management or quorum service computer that links at the speed the guide asks for (virtual adapters do not count)',
  params: Params,
  probes: ['si.system', 'sys.net', 'macos.ifconfig', 'windows.systeminfo'],
  evaluate({ facts }, p) {
    const want = p.minimumMbps >= 1000 ? `${num(p.minimumMbps / 1000)} Gbit/s` : `${num(p.minimumMbps)} Mbit/s`;
    const expected = `at least one network card linked at ${want} or faster`;
    const nics = facts.computer?.nics;
    const probes = partProbes(facts, 'nics');
    if (!nics) return { status: 'error', observed: 'network cards not known', expected, message: `Cannot list the network cards of the ${p.computer}: ${whyPartMissing(facts, 'nics')}.`, probes };
    const physical = nics.filter((n) => !n.virtual);
    const describe = (n: (typeof nics)[number]) => `${n.name}${n.description ? ` (${n.description})` : ''}: ${n.speedMbps !== null ? `${num(n.speedMbps)} Mbit/s` : `speed not known${n.up === false ? ', no link' : ''}`}`;
    const observed = physical.length ? `${physical.map(describe).join('; ')} (from ${facts.computer?.nicsSource ?? 'unknown'})` : `no network card (${nics.length} virtual interface${nics.length === 1 ? '' : 's'} only)`;
    const fast = physical.filter((n) => n.speedMbps !== null && n.speedMbps >= p.minimumMbps);
    if (fast.length) return { status: 'pass', observed, expected, message: `${listing(fast.map((n) => n.name))} link${fast.length === 1 ? 's' : ''} at ${want} or faster.`, probes };
    if (!physical.length) return { status: 'fail', observed, expected, message: `The ${p.computer} has no network card, only virtual interfaces: it needs one linked at ${want} or faster.`, probes };
    // A NIC without link cannot carry the traffic now, whatever it could do: only NICs that are up
    // (or whose state is unknown) with an unknown speed keep the verdict open.
    const unknown = physical.filter((n) => n.speedMbps === null && n.up !== false);
    if (unknown.length) {
      return {
        status: 'error',
        observed,
        expected,
        message: `No network card is known to link at ${want}: the speed of ${listing(unknown.map((n) => n.name))} is not known (no link, a Wi-Fi or virtual NIC, or a driver that reports none). Check the link speed by hand (Windows: the adapter's Status dialog; Linux: ethtool; macOS: ifconfig media).`,
        probes,
      };
    }
    return { status: 'fail', observed, expected, message: `No network card links at ${want}: ${physical.map(describe).join('; ')}. Use a ${want} NIC, cable and switch port, and check that the cable is plugged in.`, probes };
  },
};
