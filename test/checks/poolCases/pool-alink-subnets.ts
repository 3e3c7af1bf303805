import type { AddressFacts } from '../../../src/facts/schema.js';
import type { PoolCheckCase, PoolCaseHost } from '../caseTable.js';
import { absent, defaultRoute, failed, hostFacts, inet, linkedNic, nic, pif, xenserver } from '../hostFacts.js';

const UUID = { h1: '5efc236c-f137-4df7-9902-ba8fbf9a2ac2', h2: 'a1b2c3d4-0000-4000-8000-000000000002' } as const;
type Name = keyof typeof UUID;

interface Plan {
  /** Management address and prefix, on xenbr0 over eth0. */
  mgmt?: [string, number];
  eth1?: AddressFacts[];
  eth2?: AddressFacts[];
  /** Production address on xenbr3 over eth3 (Dom0 usually has none). */
  prod?: [string, number];
}

/** A XenServer 5.5 host with the guide's layout: eth0 management (xenbr0), eth1/eth2 A-links, eth3 production. */
function xs(host: Name, plan: Plan): PoolCaseHost {
  const [mgmt, mgmtPrefix] = plan.mgmt ?? [host === 'h1' ? '192.168.1.11' : '192.168.1.12', 24];
  return {
    host,
    role: host === 'h1' ? 'master' : 'member',
    facts: hostFacts({
      nics: [
        linkedNic('eth0', { master: 'xenbr0' }),
        nic('xenbr0', { kind: 'bridge', addresses: [inet(mgmt, mgmtPrefix)] }),
        linkedNic('eth1', { addresses: plan.eth1 ?? [] }),
        linkedNic('eth2', { addresses: plan.eth2 ?? [] }),
        linkedNic('eth3', { master: 'xenbr3' }),
        nic('xenbr3', { kind: 'bridge', addresses: plan.prod ? [inet(plan.prod[0], plan.prod[1])] : [] }),
      ],
      routes: [defaultRoute('192.168.1.1', 'xenbr0')],
      xenserver: xenserver({ installationUuid: UUID[host], hostName: `xs${host.slice(1)}`, managementInterface: 'xenbr0' }),
    }),
  };
}

const n = (host: Name) => (host === 'h1' ? 1 : 2);
/** The healthy plan: A-link 1 in 10.10.1.0/24, A-link 2 in 10.10.2.0/24. */
const good = (host: Name, over: Plan = {}) => xs(host, { eth1: [inet(`10.10.1.${n(host)}`)], eth2: [inet(`10.10.2.${n(host)}`)], ...over });

export const cases: PoolCheckCase[] = [
  {
    name: 'pass: A-link 1 10.10.1.0/24, A-link 2 10.10.2.0/24, management 192.168.1.0/24',
    hosts: [good('h1'), good('h2')],
    status: 'pass',
    observed: /^h1: eth1 10\.10\.1\.1\/24, eth2 10\.10\.2\.1\/24; h2: eth1 10\.10\.1\.2\/24, eth2 10\.10\.2\.2\/24$/,
    message: /A-link 1 10\.10\.1\.0\/24, A-link 2 10\.10\.2\.0\/24\) are private/,
  },
  {
    // eth1 bridged by xenbr1 (a XenServer network on the A-link NIC): the address is on the bridge.
    name: 'pass: the A-link address sits on the bridge above eth1 (xenbr1)',
    hosts: [
      {
        ...good('h1'),
        facts: hostFacts({
          ...good('h1').facts,
          nics: [
            linkedNic('eth0', { master: 'xenbr0' }),
            nic('xenbr0', { kind: 'bridge', addresses: [inet('192.168.1.11', 24)] }),
            linkedNic('eth1', { master: 'xenbr1' }),
            nic('xenbr1', { kind: 'bridge', addresses: [inet('172.16.1.1', 24)] }),
            linkedNic('eth2', { addresses: [inet('172.16.2.1', 24)] }),
          ],
        }),
      },
      good('h2', { eth1: [inet('172.16.1.2', 24)], eth2: [inet('172.16.2.2', 24)] }),
    ],
    status: 'pass',
    observed: /^h1: eth1 172\.16\.1\.1\/24/,
  },
  {
    // sysfs and ip unreadable, XenServer's PIF records give IP and netmask.
    name: 'pass: addresses only from the XenServer PIFs (IP and netmask)',
    hosts: [
      {
        host: 'h1',
        role: 'master',
        facts: hostFacts({
          probes: { 'ip.addr': failed('Permission denied'), 'sys.net': failed('Permission denied') },
          xenserver: xenserver({
            installationUuid: UUID.h1,
            pifs: [
              pif('eth0', { management: true, ip: '192.168.1.11', netmask: '255.255.255.0' }),
              pif('eth1', { ip: '10.10.1.1', netmask: '255.255.255.0', ipConfigurationMode: 'Static' }),
              pif('eth2', { ip: '10.10.2.1', netmask: '255.255.255.0', ipConfigurationMode: 'Static' }),
            ],
          }),
        }),
      },
      good('h2'),
    ],
    status: 'pass',
  },
  {
    // A site plan puts A-link 1 on eth5 (HostContext.layout): eth5's public address is judged as
    // A-link 1, and eth1 (the default layout's A-link 1) is no longer one.
    name: 'fail: a site plan names eth5 as A-link 1, and eth5 has a public address',
    hosts: [
      { ...good('h1'), layout: { alink1: 'eth5' }, facts: { ...good('h1').facts, nics: [...(good('h1').facts.nics ?? []), linkedNic('eth5', { addresses: [inet('11.0.5.1')] })] } },
      { ...good('h2'), layout: { alink1: 'eth5' }, facts: { ...good('h2').facts, nics: [...(good('h2').facts.nics ?? []), linkedNic('eth5', { addresses: [inet('11.0.5.2')] })] } },
    ],
    status: 'fail',
    message: /A-link 1 h1:eth5 11\.0\.5\.1\/24 is not in a private RFC 1918 range/,
  },
  {
    name: 'pass: a single host is judged on its own A-link subnets',
    hosts: [{ ...good('h1'), address: 'local' }],
    status: 'pass',
  },
  {
    // 11.x is a typo for 10.x: a public (US DoD) network.
    name: 'fail: A-link 1 in 11.0.1.0/24, a public network',
    hosts: [good('h1', { eth1: [inet('11.0.1.1')] }), good('h2', { eth1: [inet('11.0.1.2')] })],
    status: 'fail',
    message: /A-link 1 h1:eth1 11\.0\.1\.1\/24 is not in a private RFC 1918 range \(10\/8, 172\.16\/12, 192\.168\/16\); A-link 1 h2:eth1 11\.0\.1\.2\/24 is not/,
  },
  {
    name: 'fail: A-link 2 in the carrier-grade NAT range 100.64.0.0/10 is not RFC 1918',
    hosts: [good('h1', { eth2: [inet('100.64.2.1')] }), good('h2', { eth2: [inet('100.64.2.2')] })],
    status: 'fail',
    message: /A-link 2 h1:eth2 100\.64\.2\.1\/24 is not in a private RFC 1918 range .*: it is carrierGradeNat/,
  },
  {
    name: 'fail: A-link 1 and A-link 2 share 10.10.1.0/24',
    hosts: [good('h1', { eth2: [inet('10.10.1.101')] }), good('h2', { eth2: [inet('10.10.1.102')] })],
    status: 'fail',
    message: /A-link 1 \(h1:eth1 10\.10\.1\.1\/24\) and A-link 2 \(h1:eth2 10\.10\.1\.101\/24\) share a subnet/,
  },
  {
    name: 'fail: the management network 10.10.0.0/16 contains A-link 1 10.10.1.0/24',
    hosts: [good('h1', { mgmt: ['10.10.0.11', 16] }), good('h2', { mgmt: ['10.10.0.12', 16] })],
    status: 'fail',
    message: /the A-link 1 subnet 10\.10\.1\.0\/24 \(h1:eth1 10\.10\.1\.1\/24\) overlaps the management subnet 10\.10\.0\.0\/16 \(h1:xenbr0 10\.10\.0\.11\/16\)/,
  },
  {
    name: 'fail: A-link 2 overlaps the production subnet on xenbr3',
    hosts: [good('h1', { prod: ['10.10.2.200', 24] }), good('h2')],
    status: 'fail',
    message: /the A-link 2 subnet 10\.10\.2\.0\/24 \(h1:eth2 10\.10\.2\.1\/24\) overlaps the production subnet 10\.10\.2\.0\/24 \(h1:xenbr3 10\.10\.2\.200\/24\)/,
  },
  {
    // Overlaps count across hosts: h1's A-link subnet is h2's management LAN.
    name: "fail: h1's A-link 1 subnet is h2's management subnet",
    hosts: [good('h1'), good('h2', { mgmt: ['10.10.1.50', 24], eth1: [inet('10.10.1.2')] })],
    status: 'fail',
    message: /overlaps the management subnet 10\.10\.1\.0\/24 \(h2:xenbr0 10\.10\.1\.50\/24\)/,
  },
  {
    name: 'fail: a public A-link is proven even though the member could not be scanned',
    hosts: [good('h1', { eth1: [inet('11.0.1.1')] })],
    unreachable: [{ host: 'h2', role: 'member', error: 'connect ETIMEDOUT 10.0.0.12:22' }],
    status: 'fail',
    observed: /not scanned: h2$/,
  },
  {
    // The A-link scheme is set in the eAC after everRun is installed: Dom0's eth1/eth2 have none yet.
    name: 'skip: no A-link NIC has an address yet (XenServer before everRun)',
    hosts: [xs('h1', {}), xs('h2', {})],
    status: 'skip',
    observed: /^h1: eth1 no IPv4 address, eth2 no IPv4 address; h2: eth1 no IPv4 address, eth2 no IPv4 address$/,
    message: /No A-link NIC has an IPv4 address \(h1:eth1, h1:eth2, h2:eth1 and h2:eth2\).*Pool-Wide Network Configuration/,
  },
  {
    name: "error: h2's eth1 has no address while h1's has one",
    hosts: [good('h1'), good('h2', { eth1: [] })],
    status: 'error',
    message: /h2:eth1 has no IPv4 address, so its subnet cannot be judged/,
  },
  {
    name: 'error: h2 has no eth2 at all and no address on eth1',
    hosts: [good('h1'), { ...xs('h2', {}), facts: hostFacts({ nics: [linkedNic('eth0', { addresses: [inet('192.168.1.12')] }), linkedNic('eth1', { addresses: [inet('10.10.1.2')] })] }) }],
    status: 'error',
    message: /h2:eth2 \(not present\) has no IPv4 address/,
  },
  {
    name: "error: h2's network facts are not known",
    hosts: [good('h1'), { host: 'h2', role: 'member', facts: hostFacts({ probes: { 'ip.addr': absent('ip: not installed'), 'sys.net': failed('Permission denied'), 'xe.pif-list': absent('xe: not installed') } }) }],
    status: 'error',
    observed: /h2: eth1 not known, eth2 not known/,
    message: /Cannot tell whether the A-link subnets are private and dedicated on every host: h2: ip: not installed/,
  },
  {
    name: 'error: the member could not be scanned',
    hosts: [good('h1')],
    unreachable: [{ host: 'h2', role: 'member', error: 'Timed out while waiting for handshake' }],
    status: 'error',
    message: /h2 \(member\) could not be scanned: Timed out while waiting for handshake/,
  },
];
