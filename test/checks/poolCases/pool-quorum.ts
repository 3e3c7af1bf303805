import type { Evidence } from '../../../src/collect/evidence.js';
import type { PoolCaseHost, PoolCheckCase } from '../caseTable.js';
import { hostFacts, inet, linkedNic } from '../hostFacts.js';
import { ADDR, ev, evidenceOf, netHost, pingOutput } from '../netEvidence.js';

const Q = { preferred: { address: '10.0.5.21', port: 2189 }, alternate: { address: '10.0.6.22', port: 2189 } };
const answers = [ev('net.ping.quorum1', pingOutput('10.0.5.21', 3, 3, undefined, 56)), ev('net.ping.quorum2', pingOutput('10.0.6.22', 3, 3, undefined, 56))];

/** The UDP prober's output (net.udp) as src/collect/networkTests.ts's Python program prints it. */
function udp(lines: { listen?: string; got?: string[]; send?: string[] }): Evidence {
  const text = ['python python3', ...(lines.listen ? [`listen ${lines.listen}`] : []), ...(lines.got ?? []).map((t) => `got ${t} 10.0.0.99 40000`), ...(lines.send ?? []).map((s) => `send ${s}`), `end ${(lines.got ?? []).length}`];
  return ev('net.udp', `${text.join('\n')}\n`);
}

/** Tokens: h<host><server> for host -> quorum, q<server><host> for quorum -> host (hex, as the real ones). */
const T = { h1q1: 'a1a1a1a1', h1q2: 'a1a2a1a2', h2q1: 'a2a1a2a1', h2q2: 'a2a2a2a2', q1h1: 'b1b1b1b1', q1h2: 'b1b2b1b2', q2h1: 'b2b1b2b1', q2h2: 'b2b2b2b2' };

/** A host that sent to both quorum computers (states per server) and listened on 2188 (tokens it got). */
function xsHost(host: 'h1' | 'h2', state: [string, string], got: string[], listen = '2188 bound'): PoolCaseHost {
  const n = host === 'h1' ? 'h1' : 'h2';
  return netHost(host, [...answers, udp({ listen, got, send: [`${T[`${n}q1`]} 10.0.5.21 2189 ${state[0]}`, `${T[`${n}q2`]} 10.0.6.22 2189 ${state[1]}`] })]);
}

/** A scanned quorum computer (role quorum) holding `address`, listening on 2189 and sending to both hosts' 2188. */
function quorumComputer(name: 'q1' | 'q2', address: string, got: string[], listen = '2189 bound'): PoolCaseHost {
  const [toH1, toH2] = name === 'q1' ? [T.q1h1, T.q1h2] : [T.q2h1, T.q2h2];
  return {
    host: name,
    role: 'quorum',
    facts: hostFacts({ nics: [linkedNic('eth0', { mac: name === 'q1' ? '02:00:00:0a:00:00' : '02:00:00:0b:00:00', addresses: [inet(address)] })] }),
    evidence: evidenceOf([udp({ listen, got, send: [`${toH1} ${ADDR.h1.mgmt} 2188 open`, `${toH2} ${ADDR.h2.mgmt} 2188 open`] })]),
  };
}

const switched = { alinks: 'switched' as const, quorum: Q };
const allOpen = (): PoolCaseHost[] => [
  xsHost('h1', ['open', 'open'], [T.q1h1, T.q2h1]),
  xsHost('h2', ['open', 'open'], [T.q1h2, T.q2h2]),
  quorumComputer('q1', Q.preferred.address, [T.h1q1, T.h2q1]),
  quorumComputer('q2', Q.alternate.address, [T.h1q2, T.h2q2]),
];

export const cases: PoolCheckCase[] = [
  {
    name: 'skip: a direct-cabled pair needs no quorum service',
    hosts: [netHost('h1', []), netHost('h2', [])],
    status: 'skip',
    message: /needs no quorum service/,
  },
  {
    name: 'pass: switched A-links, both quorum computers scanned, ping and UDP proven both ways by the listeners',
    hosts: allOpen(),
    plan: switched,
    status: 'pass',
    observed: /^required \(switched A-links \(site plan\)\); quorum servers: 10\.0\.5\.21 UDP 2189, 10\.0\.6\.22 UDP 2189; h1 -> 10\.0\.5\.21: answers ping; h1 -> 10\.0\.5\.21 UDP 2189: open \(the datagram arrived at q1\); 10\.0\.5\.21 -> h1 UDP 2188: open \(the datagram arrived at h1\)/,
    message: /delivered both ways/,
  },
  {
    name: 'warn: both answer ping, but no UDP test ran (older evidence, or tests without UDP): not proven',
    hosts: [netHost('h1', answers), netHost('h2', answers)],
    plan: switched,
    status: 'warn',
    observed: /h1 -> 10\.0\.5\.21: answers ping; h1 -> 10\.0\.5\.21 UDP 2189: UDP not tested; 10\.0\.5\.21 -> h1 UDP 2188: not tested \(scan the quorum computer too/,
    message: /UDP is not proven/,
  },
  {
    name: 'warn: quorum computers not scanned: refused (ICMP port unreachable) and no answer are not proof',
    hosts: [xsHost('h1', ['refused', 'silent'], []), xsHost('h2', ['refused', 'silent'], [])],
    plan: switched,
    status: 'warn',
    observed: /h1 -> 10\.0\.5\.21 UDP 2189: refused \(ICMP port unreachable: reachable and not dropped, but nothing listens or a firewall rejects; delivery not proven\).*h1 -> 10\.0\.6\.22 UDP 2189: no answer \(open or filtered/,
  },
  {
    name: 'fail: the listener on q1 was up and h2 datagram never arrived: filtered',
    hosts: [xsHost('h1', ['open', 'open'], [T.q1h1, T.q2h1]), xsHost('h2', ['silent', 'open'], [T.q1h2, T.q2h2]), quorumComputer('q1', Q.preferred.address, [T.h1q1]), quorumComputer('q2', Q.alternate.address, [T.h1q2, T.h2q2])],
    plan: switched,
    status: 'fail',
    message: /h2 -> 10\.0\.5\.21 UDP 2189: filtered \(preflight listened on q1, nothing arrived\)/,
  },
  {
    name: 'fail: q2 datagram to h1 UDP 2188 is rejected although h1 listened',
    hosts: [
      xsHost('h1', ['open', 'open'], [T.q1h1]),
      xsHost('h2', ['open', 'open'], [T.q1h2, T.q2h2]),
      quorumComputer('q1', Q.preferred.address, [T.h1q1, T.h2q1]),
      {
        ...quorumComputer('q2', Q.alternate.address, [T.h1q2, T.h2q2]),
        evidence: evidenceOf([udp({ listen: '2189 bound', got: [T.h1q2, T.h2q2], send: [`${T.q2h1} ${ADDR.h1.mgmt} 2188 refused`, `${T.q2h2} ${ADDR.h2.mgmt} 2188 open`] })]),
      },
    ],
    plan: switched,
    status: 'fail',
    message: /10\.0\.6\.22 -> h1 UDP 2188: rejected \(ICMP port unreachable although preflight listened on h1/,
  },
  {
    name: 'warn: UDP 2189 already in use on q1 (the quorum service running?): preflight cannot listen there',
    hosts: [...allOpen().slice(0, 2), quorumComputer('q1', Q.preferred.address, [], '2189 failed [Errno_98]_Address_already_in_use'), allOpen()[3]!],
    plan: switched,
    status: 'warn',
    observed: /h1 -> 10\.0\.5\.21 UDP 2189: not proven \(UDP 2189 is in use on q1: \[Errno 98\] Address already in use/,
  },
  {
    name: 'warn: no Python on the hosts: UDP not tested, said so',
    hosts: [netHost('h1', [...answers, ev('net.udp', 'no python (python3, python, python2) on this host\n', { exitCode: 127 })]), netHost('h2', answers)],
    plan: switched,
    status: 'warn',
    observed: /h1 -> 10\.0\.5\.21 UDP 2189: UDP not tested: no python/,
  },
  {
    name: 'fail: three hosts and no quorum computer planned',
    hosts: [netHost('h1', []), netHost('h2', []), { ...netHost('h2', []), host: 'h3' }],
    status: 'fail',
    message: /required here \(3 hosts\) but no quorum computer is planned/,
  },
  {
    name: 'skip: a scanned quorum computer is not counted as a pool host (two hosts + q1 need no quorum)',
    hosts: [netHost('h1', []), netHost('h2', []), quorumComputer('q1', Q.preferred.address, [])],
    status: 'skip',
    observed: /^2 hosts/,
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
    plan: switched,
    status: 'fail',
    message: /h2 -> 10\.0\.6\.22: no answer to ping/,
  },
  {
    name: 'error: required and planned, but the pings did not run',
    hosts: [netHost('h1', []), netHost('h2', [])],
    plan: switched,
    status: 'error',
    message: /h1 -> 10\.0\.5\.21: not tested/,
  },
];
