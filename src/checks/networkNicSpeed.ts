import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { byName, nicNamed, pifForDevice, physicalNicNames } from './hostNetwork.js';
import { listing, num } from './formatUnits.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    minimumMbps: z.number().positive().describe('every link must be faster than this (the guide\'s ">155 MBps", read as 155 Mbit/s)'),
    recommendedMbps: z.number().positive().describe('link speed the guide recommends ("1 GB" NICs, read as 1000 Mbit/s)'),
  })
  .strict();
export type NetworkNicSpeedParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

interface Link {
  name: string;
  mbps: number | undefined;
  carrier: boolean | null | undefined;
}

export const networkNicSpeed: HostCheck<NetworkNicSpeedParams> = {
  name: 'network-nic-speed',
  scope: 'host',
  description: 'negotiated speed of every physical NIC against the minimum capacity and the recommended 1 Gb/s',
  params: Params,
  probes: ['sys.net', 'ethtool', 'xe.pif-list'],
  evaluate({ facts }, p) {
    // 155 MBps read literally would be 1.24 Gb/s, more than the 1 Gb NICs the same table recommends:
    // the figure is the OC-3/STM-1 line rate, 155.52 Mbit/s.
    const expected = `every NIC faster than ${num(p.minimumMbps)} Mbit/s (the guide's ">155 MBps" is the OC-3/STM-1 line rate, 155.52 Mbit/s: a 100 Mb/s NIC is below it, 1 Gb/s above); ${num(p.recommendedMbps)} Mbit/s (1 Gb) NICs recommended`;
    const names = physicalNicNames(facts);
    if (!names || names.length === 0) {
      return {
        status: 'error',
        observed: names ? 'no physical NICs' : 'network interfaces not known',
        expected,
        message: `Cannot judge NIC speeds: ${names ? 'no physical NIC was found' : whyMissing(facts, ['sys.net', 'xe.pif-list'])}.`,
      };
    }
    const links: Link[] = names.sort(byName).map((name) => {
      const nic = nicNamed(facts, name);
      const pif = pifForDevice(facts, name);
      const mbps = typeof nic?.speedMbps === 'number' && nic.speedMbps > 0 ? nic.speedMbps : pif?.speedMbps && pif.speedMbps > 0 ? pif.speedMbps : undefined;
      return { name, mbps, carrier: nic?.carrier ?? pif?.carrier };
    });
    const known = links.filter((l) => l.mbps !== undefined);
    const unknownWithLink = links.filter((l) => l.mbps === undefined && l.carrier === true).map((l) => l.name);
    const unknownNote = unknownWithLink.length ? `; speed not reported although the link is up: ${listing(unknownWithLink)}` : '';
    const noLink = links.filter((l) => l.mbps === undefined && l.carrier !== true).map((l) => l.name);
    const observed =
      (known.length ? known.map((l) => `${l.name} ${num(l.mbps!)} Mb/s`).join(', ') : 'no negotiated speed known') +
      unknownNote +
      (noLink.length ? `; no link (speed not negotiated): ${listing(noLink)}` : '');
    if (known.length === 0) {
      return {
        status: 'error',
        observed,
        expected,
        message: `No NIC reported a negotiated speed (${whyMissing(facts, ['ethtool', 'sys.net'])}): connect the cables and run "ethtool ethN" for each NIC.`,
      };
    }
    const slow = known.filter((l) => l.mbps! <= p.minimumMbps);
    if (slow.length) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `${listing(slow.map((l) => `${l.name} (${num(l.mbps!)} Mb/s)`))} ${slow.length === 1 ? 'runs' : 'run'} at or below the ${num(p.minimumMbps)} Mbit/s minimum: use 1 Gb NICs, switch ports and cables, and check auto-negotiation.${unknownWithLink.length ? ` Also check ${listing(unknownWithLink)}, whose speed is unknown.` : ''}`,
      };
    }
    const belowRecommended = known.filter((l) => l.mbps! < p.recommendedMbps);
    if (belowRecommended.length) {
      return {
        status: 'warn',
        observed,
        expected,
        message: `${listing(belowRecommended.map((l) => `${l.name} (${num(l.mbps!)} Mb/s)`))} ${belowRecommended.length === 1 ? 'is' : 'are'} slower than the recommended 1 Gb/s: check the switch port, cable and auto-negotiation.`,
      };
    }
    return {
      status: 'pass',
      observed,
      expected,
      message: `Every NIC with a link runs at ${num(p.recommendedMbps)} Mbit/s or more${unknownWithLink.length ? `; the speed of ${listing(unknownWithLink)} is unknown: check it with "ethtool"` : ''}.`,
    };
  },
};
