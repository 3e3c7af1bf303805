import type { Evidence } from '../../../src/collect/evidence.js';
import type { PoolCheckCase } from '../caseTable.js';
import { listener } from '../hostFacts.js';
import { ev, evidenceOf, netHost } from '../netEvidence.js';

type State = 'open' | 'refused' | 'filtered' | 'unreachable';
const access = (host: string, address: string, tcp: Partial<Record<'22' | '443' | '8080' | '8081', State>> = {}, alive = true): Evidence =>
  ev(`net.access.${host}`, `${JSON.stringify({ address, ping: { alive, ...(alive ? { timeMs: 0.4 } : {}) }, tcp: { '22': 'open', '443': 'open', '8080': 'refused', '8081': 'refused', ...tcp } })}\n`);
const pool = (...e: Evidence[]) => evidenceOf(e);
const hosts = () => [netHost('h1', []), netHost('h2', [])];

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: both hosts answer ping, 22 and 443 open, 8080/8081 refused (everRun not installed yet)',
    hosts: hosts(),
    evidence: pool(access('h1', '10.0.0.11'), access('h2', '10.0.0.12')),
    status: 'pass',
    observed: /^h1 \(10\.0\.0\.11\): ping answers \(0\.4 ms\); TCP 22 open, 443 open, 8080 refused, 8081 refused/,
  },
  {
    name: 'warn: a firewall drops 8080 and 8081 to h2',
    hosts: hosts(),
    evidence: pool(access('h1', '10.0.0.11'), access('h2', '10.0.0.12', { '8080': 'filtered', '8081': 'filtered' })),
    status: 'warn',
    message: /h2 \(10\.0\.0\.12\).* -> TCP 8080 filtered, TCP 8081 filtered/,
  },
  {
    name: 'fail: 443 refused on h1 (nothing listens)',
    hosts: hosts(),
    evidence: pool(access('h1', '10.0.0.11', { '443': 'refused' }), access('h2', '10.0.0.12')),
    status: 'fail',
    message: /h1 .* -> TCP 443 refused/,
  },
  {
    name: 'fail: 22 filtered on h2 although sshd listens there (a firewall blocks it)',
    hosts: [netHost('h1', []), { ...netHost('h2', []), facts: { ...netHost('h2', []).facts, listeners: [listener('tcp', '0.0.0.0', 22)] } }],
    evidence: pool(access('h1', '10.0.0.11'), access('h2', '10.0.0.12', { '22': 'filtered' })),
    status: 'fail',
    message: /TCP 22 filtered \(the host listens on it: a firewall blocks it\)/,
  },
  {
    name: 'fail: h2 does not answer ping',
    hosts: hosts(),
    evidence: pool(access('h1', '10.0.0.11'), access('h2', '10.0.0.12', {}, false)),
    status: 'fail',
    message: /no ping answer/,
  },
  {
    // An SSH failure does not stop the management computer's own tests of that host.
    name: 'fail: a host that could not be scanned over SSH is still tested from here',
    hosts: [netHost('h1', [])],
    unreachable: [{ host: 'h2', role: 'member', error: 'connect ECONNREFUSED 10.0.0.12:22' }],
    evidence: pool(access('h1', '10.0.0.11'), access('h2', '10.0.0.12', { '22': 'refused', '443': 'refused' })),
    status: 'fail',
    message: /h2 .* -> TCP 22 refused, TCP 443 refused/,
  },
  {
    name: 'skip: the network tests did not run',
    hosts: hosts(),
    status: 'skip',
    message: /did not run/,
  },
  {
    name: 'skip: a local scan',
    hosts: [{ ...netHost('h1', []), address: 'local' }],
    evidence: pool(),
    status: 'skip',
  },
  {
    name: 'error: no result recorded for h2',
    hosts: hosts(),
    evidence: pool(access('h1', '10.0.0.11')),
    status: 'error',
    message: /h2: the management computer did not test it/,
  },
];
