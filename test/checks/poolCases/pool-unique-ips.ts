import type { AddressFacts, NicFacts, PifFacts } from '../../../src/facts/schema.js';
import type { PoolCheckCase, PoolCaseHost } from '../caseTable.js';
import type { Evidence } from '../../../src/collect/evidence.js';
import { absent, failed, hostFacts, inet, ipConfig, linkedNic, nic, pif, xenserver } from '../hostFacts.js';
import { ev, evidenceOf } from '../netEvidence.js';

const UUID = { h1: '5efc236c-f137-4df7-9902-ba8fbf9a2ac2', h2: 'a1b2c3d4-0000-4000-8000-000000000002', h3: 'a1b2c3d4-0000-4000-8000-000000000003' } as const;
type Name = keyof typeof UUID;

interface Plan {
  mgmt: string;
  eth1?: AddressFacts[];
  eth2?: AddressFacts[];
  /** PIF records xe lists, of this host and (on a master) the other hosts. */
  pifs?: PifFacts[];
  extraNics?: NicFacts[];
  ifcfg?: ReturnType<typeof ipConfig>[];
  noUuid?: boolean;
}

/** A XenServer 5.5 host: management address on xenbr0 over eth0, A-link addresses on eth1 and eth2. */
function xs(host: Name, plan: Plan): PoolCaseHost {
  return {
    host,
    role: host === 'h1' ? 'master' : 'member',
    facts: hostFacts({
      nics: [
        nic('lo', { kind: 'loopback', addresses: [inet('127.0.0.1', 8, { scope: 'host' })] }),
        linkedNic('eth0', { master: 'xenbr0' }),
        nic('xenbr0', { kind: 'bridge', addresses: [inet(plan.mgmt, 24)] }),
        linkedNic('eth1', { addresses: plan.eth1 ?? [] }),
        linkedNic('eth2', { addresses: plan.eth2 ?? [] }),
        linkedNic('eth3'),
        ...(plan.extraNics ?? []),
      ],
      ...(plan.ifcfg ? { ipConfig: plan.ifcfg } : {}),
      xenserver: xenserver({
        ...(plan.noUuid ? { installationUuid: undefined, hostName: undefined } : { installationUuid: UUID[host], hostName: `xs${host.slice(1)}` }),
        pifs: plan.pifs ?? [pif('eth0', { uuid: `pif-${host}-eth0`, hostUuid: UUID[host], management: true, ip: plan.mgmt, netmask: '255.255.255.0', ipConfigurationMode: 'Static' })],
      }),
    }),
  };
}

const h1 = (over: Partial<Plan> = {}) => xs('h1', { mgmt: '10.0.0.11', eth1: [inet('10.10.1.1')], eth2: [inet('10.10.2.1')], ...over });
const h2 = (over: Partial<Plan> = {}) => xs('h2', { mgmt: '10.0.0.12', eth1: [inet('10.10.1.2')], eth2: [inet('10.10.2.2')], ...over });

/** A Linux box with docker and libvirt bridges, whose addresses are the same on every such machine. */
const linuxBox = (host: Name, ip: string): PoolCaseHost => ({
  host,
  role: host === 'h1' ? 'master' : 'member',
  facts: hostFacts({
    nics: [
      linkedNic('eth0', { addresses: [inet(ip, 24)] }),
      nic('docker0', { kind: 'bridge', addresses: [inet('172.17.0.1', 16)] }),
      nic('virbr0', { kind: 'bridge', addresses: [inet('192.168.122.1', 24)] }),
      // XenServer's and the kernel's host-internal link-local addresses are never unique.
      nic('xenapi', { kind: 'bridge', addresses: [inet('169.254.0.1', 16)] }),
    ],
  }),
});

/** Two plain Linux hosts with MACs: eth0 management (eth4 on the same LAN, no address), eth3 production. */
const MACS = {
  h1: { eth0: '02:00:00:01:00:00', eth3: '02:00:00:01:00:03', eth4: '02:00:00:01:00:04' },
  h2: { eth0: '02:00:00:02:00:00', eth3: '02:00:00:02:00:03', eth4: '02:00:00:02:00:04' },
} as const;
const STRANGER = '0a:bb:cc:dd:ee:ff';
const ADDRS = { h1: { eth0: '10.0.0.11', eth3: '10.0.50.11' }, h2: { eth0: '10.0.0.12', eth3: '10.0.50.12' } } as const;

/** iputils arping output lines as the network test script prefixes them ("dad|ask ADDRESS DEV ..."). */
function arping(kind: 'dad' | 'ask', address: string, dev: string, macs: readonly string[]): string[] {
  const from = kind === 'dad' ? '0.0.0.0' : '10.0.0.99';
  return [`ARPING ${address} from ${from} ${dev}`, ...macs.map((m) => `Unicast reply from ${address} [${m.toUpperCase()}]  0.551ms`), `Sent 1 probes (1 broadcast(s))`, `Received ${macs.length} response(s)`].map(
    (l) => `${kind} ${address} ${dev} ${l}`,
  );
}

function wired(host: 'h1' | 'h2', arp: readonly string[] | Evidence): PoolCaseHost {
  const m = MACS[host];
  const a = ADDRS[host];
  return {
    host,
    role: host === 'h1' ? 'master' : 'member',
    facts: hostFacts({
      nics: [
        linkedNic('eth0', { mac: m.eth0, addresses: [inet(a.eth0)] }),
        linkedNic('eth3', { mac: m.eth3, addresses: [inet(a.eth3)] }),
        linkedNic('eth4', { mac: m.eth4 }),
      ],
    }),
    evidence: evidenceOf([Array.isArray(arp) ? ev('net.arp', `${(arp as string[]).join('\n')}\n`) : (arp as Evidence)]),
  };
}

/** What each host sees in a healthy pool: its own addresses unanswered by others (its eth4 answers for eth0: ARP flux), the other's answered by the other only. */
const healthy = (host: 'h1' | 'h2'): string[] => {
  const other = host === 'h1' ? 'h2' : 'h1';
  return [
    ...arping('dad', ADDRS[host].eth0, 'eth0', [MACS[host].eth4]),
    ...arping('dad', ADDRS[host].eth3, 'eth3', []),
    ...arping('ask', ADDRS[other].eth0, 'eth0', [MACS[other].eth0, MACS[other].eth4]),
    ...arping('ask', ADDRS[other].eth3, 'eth3', [MACS[other].eth3]),
  ];
};

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: on the wire every address is answered by one host only (two NICs of h2 answering for its address is ARP flux, not a duplicate)',
    hosts: [wired('h1', healthy('h1')), wired('h2', healthy('h2'))],
    status: 'pass',
    observed: /^4 IPv4 addresses on 2 hosts, none used twice; on the wire, 8 ARP probes, each address answered by one host only$/,
    message: /no address of the pool is answered on the wire by two hosts/,
  },
  {
    name: "fail on the wire only: a machine that is not scanned also answers for h1's production address",
    hosts: [
      wired('h1', [...arping('dad', ADDRS.h1.eth0, 'eth0', []), ...arping('dad', ADDRS.h1.eth3, 'eth3', [STRANGER])]),
      wired('h2', [...arping('ask', ADDRS.h1.eth3, 'eth3', [MACS.h1.eth3, STRANGER])]),
    ],
    status: 'fail',
    observed:
      /^on the wire, 10\.0\.50\.11: h1 holds it on eth3, and 0a:bb:cc:dd:ee:ff \(not a NIC of a scanned host\) answered ARP for it \(h1: arping -D -I eth3\); 02:00:00:01:00:03 \(h1:eth3\) and 0a:bb:cc:dd:ee:ff \(not a NIC of a scanned host\) answered ARP for it \(h2: arping -I eth3\)$/,
    message: /switch's MAC table/,
  },
  {
    name: 'fail on the wire: two scanned hosts answer for one address the configuration does not show twice (e.g. an alias the probes missed)',
    hosts: [wired('h1', [...arping('ask', ADDRS.h2.eth0, 'eth0', [MACS.h2.eth0, MACS.h1.eth0])]), wired('h2', [])],
    status: 'fail',
    observed: /^on the wire, 10\.0\.0\.12: 02:00:00:02:00:00 \(h2:eth0\) and 02:00:00:01:00:00 \(h1:eth0\) answered ARP for it \(h1: arping -I eth0\)$/,
  },
  {
    name: 'pass, and says so: h2 has no arping, so the wire is checked from h1 only',
    hosts: [wired('h1', healthy('h1')), wired('h2', ev('net.arp', 'no arping on this host\n', { exitCode: 127 }))],
    status: 'pass',
    observed: /; h2 has no arping \(iputils arping\): the wire is not checked from it$/,
    message: /Not checked on the wire: h2 has no arping/,
  },
  {
    name: 'pass: management 10.0.0.11/.12, A-links 10.10.1.x and 10.10.2.x: every address once',
    hosts: [h1(), h2()],
    status: 'pass',
    observed: /^6 IPv4 addresses on 2 hosts, none used twice; not tested on the wire \(no ARP results: the network tests did not run\)$/,
    message: /Not checked on the wire: not tested on the wire/,
  },
  {
    // The same address on xenbr0 (ip addr), the eth0 PIF (xe) and ifcfg-xenbr0 is one holder, not three.
    name: 'pass: one address seen live, in the PIF and in ifcfg-xenbr0 is counted once',
    hosts: [h1({ ifcfg: [ipConfig('xenbr0', 'static', 'ifcfg:/etc/sysconfig/network-scripts/ifcfg-xenbr0', { address: '10.0.0.11' })] }), h2()],
    status: 'pass',
  },
  {
    // A master's xe pif-list lists the member's PIFs too; without its own uuid they cannot be told apart by hostPifs.
    name: "pass: the master's xe lists the member's PIF; it is the member's address, not a second holder",
    hosts: [
      h1({
        noUuid: true,
        pifs: [
          pif('eth0', { uuid: 'pif-h1-eth0', hostUuid: UUID.h1, management: true, ip: '10.0.0.11' }),
          pif('eth0', { uuid: 'pif-h2-eth0', hostUuid: UUID.h2, management: true, ip: '10.0.0.12' }),
        ],
      }),
      h2(),
    ],
    status: 'pass',
  },
  {
    name: 'pass: docker0, virbr0, loopback and link-local addresses repeat on every machine and are left out',
    hosts: [linuxBox('h1', '192.168.1.21'), linuxBox('h2', '192.168.1.22')],
    status: 'pass',
    observed: /^2 IPv4 addresses on 2 hosts/,
  },
  {
    name: "fail: h2's management address is h1's (10.0.0.11 on both xenbr0)",
    hosts: [h1(), h2({ mgmt: '10.0.0.11', pifs: [pif('eth0', { uuid: 'pif-h2-eth0', hostUuid: UUID.h2, management: true, ip: '10.0.0.11' })] })],
    status: 'fail',
    observed: /^10\.0\.0\.11 is held by h1:xenbr0 \(ip addr, xe pif-list\) and h2:xenbr0 \(ip addr, xe pif-list\); not tested on the wire/,
    message: /xe pif-reconfigure-ip/,
  },
  {
    name: 'fail: A-link 1 address copied to both hosts (10.10.1.1 on h1:eth1 and h2:eth1)',
    hosts: [h1(), h2({ eth1: [inet('10.10.1.1')] })],
    status: 'fail',
    observed: /^10\.10\.1\.1 is held by h1:eth1 \(ip addr\) and h2:eth1 \(ip addr\);/,
  },
  {
    name: 'fail: one host has the same address on eth1 and eth2',
    hosts: [h1({ eth2: [inet('10.10.1.1')] }), h2()],
    status: 'fail',
    observed: /^10\.10\.1\.1 is held by h1:eth1 \(ip addr\) and h1:eth2 \(ip addr\);/,
  },
  {
    // Not live yet, but the next "ifup eth1" or reboot puts it on the wire.
    name: "fail: h2's ifcfg-eth1 is configured with h1's A-link address",
    hosts: [h1(), h2({ eth1: [], ifcfg: [ipConfig('eth1', 'static', 'ifcfg:/etc/sysconfig/network-scripts/ifcfg-eth1', { address: '10.10.1.1' })] })],
    status: 'fail',
    observed: /10\.10\.1\.1 is held by h1:eth1 \(ip addr\) and h2:eth1 \(ifcfg:\/etc\/sysconfig\/network-scripts\/ifcfg-eth1\)/,
  },
  {
    name: 'fail: a duplicate is proven even though a third host could not be scanned',
    hosts: [h1(), h2({ eth1: [inet('10.10.1.1')] })],
    unreachable: [{ host: 'h3', role: 'member', error: 'connect ETIMEDOUT 10.0.0.13:22' }],
    status: 'fail',
    observed: /; not scanned: h3;/,
  },
  {
    name: "error: h2's addresses are not known (ip and sysfs unreadable, not XenServer)",
    hosts: [h1(), { host: 'h2', role: 'member', facts: hostFacts({ probes: { 'ip.addr': absent('ip: not installed'), 'sys.net': failed('Permission denied'), 'xe.pif-list': absent('xe: not installed') } }) }],
    status: 'error',
    message: /Cannot tell whether the addresses are unique across the hosts: h2: ip: not installed; .*failed: Permission denied \(run as root\)/,
  },
  {
    name: 'error: the member could not be scanned',
    hosts: [h1()],
    unreachable: [{ host: 'h2', role: 'member', error: 'connect ECONNREFUSED 10.0.0.12:22' }],
    status: 'error',
  },
  {
    name: 'skip: only one host in the scan',
    hosts: [{ ...h1(), address: 'local' }],
    status: 'skip',
  },
];
