import type { PoolCheckCase } from '../caseTable.js';
import { ADDR, ev, netHost, pingOutput } from '../netEvidence.js';

const good = (host: 'h1' | 'h2') => {
  const peer = host === 'h1' ? ADDR.h2 : ADDR.h1;
  return [ev('net.ping.alink1', pingOutput(peer.alink1, 5, 5)), ev('net.ping.alink2', pingOutput(peer.alink2, 5, 5))];
};

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: both A-links carry 1500-byte DF packets both ways, no loss',
    hosts: [netHost('h1', good('h1')), netHost('h2', good('h2'))],
    status: 'pass',
    observed: /^A-link 1 h1:eth1 -> h2:eth1 \(10\.10\.1\.2\): 5\/5 received, loss 0%, rtt avg 0\.061 ms max 0\.093 ms, MTU 1500 passes unfragmented/,
  },
  {
    name: 'warn: A-link 2 loses 2 of 5 packets from h2',
    hosts: [netHost('h1', good('h1')), netHost('h2', [good('h2')[0]!, ev('net.ping.alink2', pingOutput(ADDR.h1.alink2, 5, 3))])],
    status: 'warn',
    message: /A-link 2 h2:eth2 -> h1:eth2 \(10\.10\.2\.1\): 3\/5 received, loss 40%/,
  },
  {
    name: 'warn: a 12 ms round trip on A-link 1 (maxRttMs 5)',
    hosts: [netHost('h1', [ev('net.ping.alink1', pingOutput(ADDR.h2.alink1, 5, 5, { avg: 8.2, max: 12.4 })), good('h1')[1]!]), netHost('h2', good('h2'))],
    status: 'warn',
    message: /max 12\.4 ms/,
  },
  {
    name: 'fail: no path on A-link 1 (cable pulled)',
    hosts: [netHost('h1', [ev('net.ping.alink1', pingOutput(ADDR.h2.alink1, 5, 0), { exitCode: 1 }), good('h1')[1]!]), netHost('h2', good('h2'))],
    status: 'fail',
    message: /A-link 1 h1:eth1 -> h2:eth1 \(10\.10\.1\.2\): no path \(5 sent, 0 received\)/,
  },
  {
    name: 'fail: 1500-byte packets with DF are refused (path MTU below 1500)',
    hosts: [
      netHost('h1', [ev('net.ping.alink1', `PING 10.10.1.2 (10.10.1.2) 1472(1500) bytes of data.\nping: local error: message too long, mtu=1400\n\n--- 10.10.1.2 ping statistics ---\n5 packets transmitted, 0 received, +5 errors, 100% packet loss, time 804ms\n`, { exitCode: 1 }), good('h1')[1]!]),
      netHost('h2', good('h2')),
    ],
    status: 'fail',
    message: /the path MTU is below 1500/,
  },
  {
    name: 'skip: the A-link NICs have no addresses yet (set in the eAC after install)',
    hosts: [netHost('h1', [], { noAlinkAddresses: true }), netHost('h2', [], { noAlinkAddresses: true })],
    status: 'skip',
    message: /h2:eth1 has no IPv4 address to ping/,
  },
  {
    name: 'skip: three hosts have switched A-links',
    hosts: [netHost('h1', good('h1')), netHost('h2', good('h2')), { ...netHost('h2', good('h2')), host: 'h3' }],
    status: 'skip',
    observed: /^3 hosts in the scan$/,
  },
  {
    name: 'error: the network tests did not run',
    hosts: [netHost('h1', []), netHost('h2', [])],
    status: 'error',
    message: /not tested/,
  },
  {
    name: 'error: the other host could not be scanned',
    hosts: [netHost('h1', good('h1'))],
    unreachable: [{ host: 'h2', role: 'member', error: 'connect ETIMEDOUT 10.0.0.12:22' }],
    status: 'error',
    message: /h2 \(member\) could not be scanned/,
  },
];
