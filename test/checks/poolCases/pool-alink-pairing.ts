import type { PoolCheckCase } from '../caseTable.js';
import { ADDR, ev, MAC, neigh, netHost } from '../netEvidence.js';

const direct = (host: 'h1' | 'h2') => {
  const [peer, mac] = host === 'h1' ? [ADDR.h2, MAC.h2] : [ADDR.h1, MAC.h1];
  return [ev('net.neigh.alink1', neigh(peer.alink1, mac.eth1)), ev('net.neigh.alink2', neigh(peer.alink2, mac.eth2, 'STALE'))];
};

export const cases: PoolCheckCase[] = [
  {
    name: "pass: h1:eth1 hears h2:eth1's MAC, eth2 hears eth2's, and back",
    hosts: [netHost('h1', direct('h1')), netHost('h2', direct('h2'))],
    status: 'pass',
    observed: /^A-link 1 h1:eth1 reaches h2:eth1 \(02:00:00:02:00:01\); A-link 2 h1:eth2 reaches h2:eth2/,
  },
  {
    // Crossed cables: h2 answers ARP for its eth1 address out of eth2 (Linux answers for any local address).
    name: "fail: crossed cables: h1:eth1 hears h2:eth2's MAC",
    hosts: [
      netHost('h1', [ev('net.neigh.alink1', neigh(ADDR.h2.alink1, MAC.h2.eth2)), ev('net.neigh.alink2', neigh(ADDR.h2.alink2, MAC.h2.eth1))]),
      netHost('h2', [ev('net.neigh.alink1', neigh(ADDR.h1.alink1, MAC.h1.eth2)), ev('net.neigh.alink2', neigh(ADDR.h1.alink2, MAC.h1.eth1))]),
    ],
    status: 'fail',
    message: /^A-link 1 h1:eth1 reaches h2:eth2 \(02:00:00:02:00:02\), not h2:eth1: the cables are crossed/,
  },
  {
    name: 'fail: A-link 1 does not reach its peer (no ARP answer)',
    hosts: [netHost('h1', [ev('net.neigh.alink1', neigh(ADDR.h2.alink1, undefined, 'FAILED')), direct('h1')[1]!]), netHost('h2', direct('h2'))],
    status: 'fail',
    message: /A-link 1 h1:eth1 does not reach its peer h2:eth1 \(10\.10\.1\.2\): no ARP answer \(FAILED\)/,
  },
  {
    name: 'fail: the answer comes from a MAC that is no NIC of h2',
    hosts: [netHost('h1', [ev('net.neigh.alink1', neigh(ADDR.h2.alink1, '02:99:99:99:99:99')), direct('h1')[1]!]), netHost('h2', direct('h2'))],
    status: 'fail',
    message: /from 02:99:99:99:99:99, which is no NIC of h2/,
  },
  {
    name: 'skip: no A-link addresses to test with yet',
    hosts: [netHost('h1', [], { noAlinkAddresses: true }), netHost('h2', [], { noAlinkAddresses: true })],
    status: 'skip',
  },
  {
    name: 'error: the neighbour tables were not read',
    hosts: [netHost('h1', []), netHost('h2', [])],
    status: 'error',
    message: /neighbour table not read/,
  },
];
