import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { byName, nicNamed, physicalNicNames } from './hostNetwork.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    requiredNics: z.number().int().positive().describe('physical NICs needed for the four active networks'),
    recommendedNics: z.number().int().positive().describe('physical NICs recommended (the fifth bonds the management LAN)'),
  })
  .strict();
export type NetworkNicCountParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'error'];

export const networkNicCount: HostCheck<NetworkNicCountParams> = {
  name: 'network-nic-count',
  scope: 'host',
  description: 'number of physical NICs against the four networks required and the five NICs recommended',
  params: Params,
  probes: ['sys.net', 'xe.pif-list'],
  evaluate({ facts }, p) {
    const expected = `at least ${p.requiredNics} physical NICs (management, A-link 1, A-link 2, production); ${p.recommendedNics} recommended (the extra one bonds the management LAN)`;
    const names = physicalNicNames(facts);
    if (!names) {
      return {
        status: 'error',
        observed: 'network interfaces not known',
        expected,
        message: `Cannot count the NICs: ${whyMissing(facts, ['sys.net', 'xe.pif-list'])}. Run "ip link" by hand.`,
      };
    }
    const sorted = [...names].sort(byName);
    const describe = (n: string) => {
      const nic = nicNamed(facts, n);
      return nic?.driver ? `${n} (${nic.driver})` : n;
    };
    const observed = `${sorted.length} physical NIC${sorted.length === 1 ? '' : 's'}${sorted.length ? `: ${sorted.map(describe).join(', ')}` : ''}`;
    if (sorted.length < p.requiredNics) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `The host has ${sorted.length} physical NIC${sorted.length === 1 ? '' : 's'}; the four networks need ${p.requiredNics}: add network cards.`,
      };
    }
    if (sorted.length < p.recommendedNics) {
      return {
        status: 'warn',
        observed,
        expected,
        message: `The host has ${sorted.length} physical NICs: enough for the four networks, but ${p.recommendedNics} are recommended so that one can bond the management LAN (required for XenServer HA).`,
      };
    }
    return { status: 'pass', observed, expected, message: `The host has ${sorted.length} physical NICs.` };
  },
};
