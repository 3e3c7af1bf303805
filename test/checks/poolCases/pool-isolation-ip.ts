import type { PoolCheckCase } from '../caseTable.js';
import { ev, GATEWAY, netHost, pingOutput } from '../netEvidence.js';

const ok = (target = GATEWAY) => ev('net.ping.isolation', pingOutput(target, 3, 3, undefined, 56));
const dead = (target = GATEWAY) => ev('net.ping.isolation', pingOutput(target, 3, 0, undefined, 56), { exitCode: 1 });

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: both hosts reach their management gateway (the default isolation IP)',
    hosts: [netHost('h1', [ok()]), netHost('h2', [ok()])],
    status: 'pass',
    observed: /^h1: 10\.0\.0\.1 answers \(3\/3, rtt 0\.061 ms\); h2: 10\.0\.0\.1 answers/,
  },
  {
    // A site plan (or --isolation-ip) names another device; the expectation says which.
    name: 'pass: the planned isolation IP answers both hosts',
    hosts: [netHost('h1', [ok('10.0.0.5')]), netHost('h2', [ok('10.0.0.5')])],
    plan: { isolationIp: '10.0.0.5' },
    status: 'pass',
    observed: /10\.0\.0\.5 answers/,
  },
  {
    name: 'fail: h2 gets no answer from the isolation IP',
    hosts: [netHost('h1', [ok()]), netHost('h2', [dead()])],
    status: 'fail',
    message: /^Not every host reaches the isolation IP: h2: 10\.0\.0\.1 does not answer \(3 sent, 0 received\)/,
  },
  {
    name: 'skip: no default gateway and no isolation IP given',
    hosts: [netHost('h1', [], { noRoute: true }), netHost('h2', [], { noRoute: true })],
    status: 'skip',
    message: /--isolation-ip/,
  },
  {
    name: 'error: the network tests did not run (--no-network-tests)',
    hosts: [netHost('h1', []), netHost('h2', [])],
    status: 'error',
    message: /h1: ping of 10\.0\.0\.1 not run/,
  },
  {
    name: 'error: the test was cut off on h1',
    hosts: [netHost('h1', [ev('net.ping.isolation', '', { exitCode: null, error: 'the connection was lost' })]), netHost('h2', [ok()])],
    status: 'error',
    message: /h1: ping of 10\.0\.0\.1 could not run: the connection was lost/,
  },
  {
    name: 'fail: proven on the scanned host although the other could not be scanned',
    hosts: [netHost('h1', [dead()])],
    unreachable: [{ host: 'h2', role: 'member', error: 'connect ETIMEDOUT 10.0.0.12:22' }],
    status: 'fail',
    message: /h2 \(member\) could not be scanned/,
  },
];
