import type { PoolCheckCase } from '../caseTable.js';
import { hostFacts, xenserver } from '../hostFacts.js';

const master = (address?: string, facts = hostFacts()) => ({ host: 'h1', role: 'master' as const, facts, ...(address !== undefined ? { address } : {}) });
const member = (host = 'h2', address?: string) => ({ host, role: 'member' as const, facts: hostFacts(), ...(address !== undefined ? { address } : {}) });

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: a master and a member scanned over SSH',
    hosts: [master('root@10.0.0.11'), member('h2', 'root@10.0.0.12')],
    status: 'pass',
    observed: /^2 hosts scanned: h1 \(master\), h2 \(member\)$/,
  },
  {
    name: 'pass: a master and two members from an inventory',
    hosts: [master(), member('h2'), member('h3')],
    status: 'pass',
    observed: /^3 hosts scanned/,
  },
  {
    // Two scanned hosts prove the pool has two; the third that timed out is named, not hidden.
    name: 'pass: two hosts scanned, a third unreachable (named in the message)',
    hosts: [master('root@10.0.0.11'), member('h2', 'root@10.0.0.12')],
    unreachable: [{ host: 'h3', role: 'member', error: 'connect ETIMEDOUT 10.0.0.13:22' }],
    status: 'pass',
    observed: /not reachable: h3 \(member\)$/,
    message: /h3 \(member\) could not be scanned: connect ETIMEDOUT/,
  },
  {
    name: 'fail: one remote host',
    hosts: [master('root@10.0.0.11')],
    status: 'fail',
    observed: /^1 host scanned: h1 \(master\)$/,
    message: /A pool needs at least 2 hosts, and the scan holds 1: h1\. Install XenServer on a second server/,
  },
  {
    // XenServer knows the rest of the pool: the operator left the member out of the inventory.
    name: 'fail: one host of an inventory whose XenServer pool has two hosts: add the other to the scan',
    hosts: [master(undefined, hostFacts({ xenserver: xenserver({ poolRole: 'master', poolHostCount: 2 }) }))],
    status: 'fail',
    message: /XenServer lists 2 hosts in the pool of h1: add the others to the scan/,
  },
  {
    // Quorum computers are not XenServer hosts: the rule's roles are master and member.
    name: 'fail: a master and a quorum computer are not a pool',
    hosts: [master('root@10.0.0.11'), { host: 'q1', role: 'quorum', facts: hostFacts(), address: 'root@10.0.0.21' }],
    status: 'fail',
    observed: /^1 host scanned: h1 \(master\)$/,
  },
  {
    name: 'skip: a single local scan (preflight scan without --host)',
    hosts: [master('local')],
    status: 'skip',
    observed: /only this machine \(h1\) was scanned, locally/,
    message: /--host root@HOST1 --host root@HOST2/,
  },
  {
    name: 'error: two hosts given, the member could not be scanned',
    hosts: [master('root@10.0.0.11')],
    unreachable: [{ host: 'h2', role: 'member', error: 'All configured authentication methods failed' }],
    status: 'error',
    message: /2 hosts were given, but only 1 could be scanned: h2 \(member\) could not be scanned: All configured authentication methods failed/,
  },
  {
    name: 'error: only quorum computers in the scan',
    hosts: [{ host: 'q1', role: 'quorum', facts: hostFacts() }],
    status: 'error',
    message: /No master or member host is in the scan/,
  },
];
