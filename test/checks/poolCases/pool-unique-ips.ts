import type { AddressFacts, NicFacts, PifFacts } from '../../../src/facts/schema.js';
import type { PoolCheckCase, PoolCaseHost } from '../caseTable.js';
import { absent, failed, hostFacts, inet, ipConfig, linkedNic, nic, pif, xenserver } from '../hostFacts.js';

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

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: management 10.0.0.11/.12, A-links 10.10.1.x and 10.10.2.x: every address once',
    hosts: [h1(), h2()],
    status: 'pass',
    observed: /^6 IPv4 addresses on 2 hosts, none used twice$/,
    message: /active network probes/,
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
    observed: /^10\.0\.0\.11 is held by h1:xenbr0 \(ip addr, xe pif-list\) and h2:xenbr0 \(ip addr, xe pif-list\)$/,
    message: /xe pif-reconfigure-ip/,
  },
  {
    name: 'fail: A-link 1 address copied to both hosts (10.10.1.1 on h1:eth1 and h2:eth1)',
    hosts: [h1(), h2({ eth1: [inet('10.10.1.1')] })],
    status: 'fail',
    observed: /^10\.10\.1\.1 is held by h1:eth1 \(ip addr\) and h2:eth1 \(ip addr\)$/,
  },
  {
    name: 'fail: one host has the same address on eth1 and eth2',
    hosts: [h1({ eth2: [inet('10.10.1.1')] }), h2()],
    status: 'fail',
    observed: /^10\.10\.1\.1 is held by h1:eth1 \(ip addr\) and h1:eth2 \(ip addr\)$/,
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
    observed: /; not scanned: h3$/,
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
