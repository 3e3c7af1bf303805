import type { PoolCheckCase } from '../caseTable.js';
import { ev, netHost, pingOutput } from '../netEvidence.js';

const Q = { preferred: { address: '10.0.5.21', port: 2189 }, alternate: { address: '10.0.6.22', port: 2189 } };
const answers = [ev('net.ping.quorum1', pingOutput('10.0.5.21', 3, 3, undefined, 56)), ev('net.ping.quorum2', pingOutput('10.0.6.22', 3, 3, undefined, 56))];

export const cases: PoolCheckCase[] = [
  {
    name: 'skip: a direct-cabled pair needs no quorum service',
    hosts: [netHost('h1', []), netHost('h2', [])],
    status: 'skip',
    message: /needs no quorum service/,
  },
  {
    name: 'pass: switched A-links, both quorum computers planned and answering every host',
    hosts: [netHost('h1', answers), netHost('h2', answers)],
    plan: { alinks: 'switched', quorum: Q },
    status: 'pass',
    observed: /^required \(switched A-links \(site plan\)\); quorum servers: 10\.0\.5\.21 UDP 2189, 10\.0\.6\.22 UDP 2189; h1 -> 10\.0\.5\.21: answers/,
    message: /UDP 2189 .* not tested/,
  },
  {
    name: 'fail: three hosts and no quorum computer planned',
    hosts: [netHost('h1', []), netHost('h2', []), { ...netHost('h2', []), host: 'h3' }],
    status: 'fail',
    message: /required here \(3 hosts\) but no quorum computer is planned/,
  },
  {
    name: 'fail: switched A-links with only a preferred quorum computer',
    hosts: [netHost('h1', []), netHost('h2', [])],
    plan: { alinks: 'switched', quorum: { preferred: Q.preferred } },
    status: 'fail',
    message: /only a preferred quorum computer is planned/,
  },
  {
    name: 'fail: the alternate quorum computer does not answer h2',
    hosts: [netHost('h1', answers), netHost('h2', [answers[0]!, ev('net.ping.quorum2', pingOutput('10.0.6.22', 3, 0, undefined, 56), { exitCode: 1 })])],
    plan: { alinks: 'switched', quorum: Q },
    status: 'fail',
    message: /h2 -> 10\.0\.6\.22: no answer/,
  },
  {
    name: 'error: required and planned, but the pings did not run',
    hosts: [netHost('h1', []), netHost('h2', [])],
    plan: { alinks: 'switched', quorum: Q },
    status: 'error',
    message: /h1 -> 10\.0\.5\.21: not tested/,
  },
];
