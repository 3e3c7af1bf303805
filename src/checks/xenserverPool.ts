import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    minimumHosts: z.number().int().min(2).describe('hosts a pool needs for everRun to protect VMs across them'),
  })
  .strict();
export type XenserverPoolParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

export const xenserverPool: HostCheck<XenserverPoolParams> = {
  name: 'xenserver-pool',
  scope: 'host',
  description: 'the host belongs to a XenServer resource pool of at least two hosts (as master or member)',
  params: Params,
  probes: ['xen.pool-conf', 'xe.pool-list', 'xe.host-list'],
  evaluate({ facts }, p) {
    const expected = `a member of a XenServer resource pool, or the master of a pool with at least ${p.minimumHosts} hosts`;
    const xs = facts.xenserver;
    if (!xs) {
      return { status: 'skip', observed: 'not a XenServer host', expected, message: `This host does not run XenServer (${whyMissing(facts, ['xen.inventory'])}), so it cannot be in a resource pool yet.` };
    }
    const pool = xs.poolName ? ` "${xs.poolName}"` : '';
    if (xs.poolRole === 'member') {
      return {
        status: 'pass',
        observed: `pool member${pool}${xs.masterAddress ? `, master at ${xs.masterAddress}` : ''}`,
        expected,
        message: 'The host is a member of a resource pool.',
      };
    }
    if (xs.poolRole === 'master') {
      if (xs.poolHostCount === undefined) {
        return {
          status: 'error',
          observed: `pool master${pool}, number of hosts not known`,
          expected,
          message: `Cannot tell whether the pool has other hosts: ${whyMissing(facts, ['xe.host-list'])}. Run "xe host-list" on the master.`,
        };
      }
      const observed = `master of pool${pool} with ${xs.poolHostCount} host${xs.poolHostCount === 1 ? '' : 's'}`;
      if (xs.poolHostCount < p.minimumHosts) {
        return {
          status: 'fail',
          observed,
          expected,
          message: 'The host stands alone (a pool of one): in XenCenter create a pool from the master and add the member host ("Creating a pool", "Adding a server to the pool"), preferably before installing everRun.',
        };
      }
      return { status: 'pass', observed, expected, message: `The host is the master of a pool of ${xs.poolHostCount} hosts.` };
    }
    return {
      status: 'error',
      observed: 'pool role not known',
      expected,
      message: `Cannot tell the host's pool role: ${whyMissing(facts, ['xen.pool-conf', 'xe.pool-list'])}. Check /etc/xensource/pool.conf ("master" or "slave:MASTER").`,
    };
  },
};
