import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadPlan, PlanFile } from '../../src/engine/plan.js';
import { inputError } from '../support/inputError.js';

const dir = mkdtempSync(join(tmpdir(), 'preflight-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Writes a synthetic plan (hand-written edge case) and returns its path. */
function file(text: string): string {
  const path = join(dir, `plan${n++}.yaml`);
  writeFileSync(path, text);
  return path;
}

function errorOf(text: string): string {
  const path = file(text);
  return inputError(() => loadPlan(path)).replace(path, 'F');
}

/** A one-host plan whose NIC list is `nics` (YAML flow mappings, one per line). */
const withNics = (...nics: string[]) => `hosts:\n  xs1:\n    nics:\n${nics.map((x) => `      - ${x}\n`).join('')}`;

describe('the example plan (examples/plan.yaml)', () => {
  it('loads with every field, normalised', () => {
    const plan = loadPlan(join(__dirname, '../../examples/plan.yaml'));
    expect(plan.alinks).toBe('direct');
    expect(plan.isolationIp).toBe('10.0.0.1');
    expect(plan.quorum).toEqual({ preferred: { address: '10.0.0.21', port: 2189 }, alternate: { address: '10.0.0.22', port: 2189 } });
    expect(plan.hosts.map((h) => h.name)).toEqual(['xs-lab-01', 'xs-lab-02']);
    expect(plan.hosts[0]!.nics).toEqual([
      { nic: 'eth0', match: 'name', role: 'management', address: '10.0.0.11', subnet: '10.0.0.0/24', gateway: '10.0.0.1' },
      { nic: 'eth1', match: 'name', role: 'alink1', address: '192.168.101.11', subnet: '192.168.101.0/24' },
      { nic: 'eth2', match: 'name', role: 'alink2', address: '192.168.102.11', subnet: '192.168.102.0/24' },
      { nic: 'eth3', match: 'name', role: 'production', subnet: '10.0.50.0/24' },
      { nic: '00:1b:21:3a:4f:14', match: 'mac', role: 'bond', bondWith: 'management' },
    ]);
    expect(plan.hosts[1]!.nics[4]).toEqual({ nic: 'eth4', match: 'name', role: 'bond', bondWith: 'management' });
  });
});

describe('site plans (synthetic)', () => {
  it('needs only hosts and their NICs; the rest is absent', () => {
    const path = file(withNics('{ nic: eth1, role: alink1 }'));
    expect(loadPlan(path)).toEqual({ file: path, hosts: [{ name: 'xs1', nics: [{ nic: 'eth1', match: 'name', role: 'alink1' }] }] });
  });

  it('names a NIC by MAC in either notation, stored lower-case with colons', () => {
    const plan = loadPlan(file(withNics('{ nic: 00-1B-21-3A-4F-10, role: management }', '{ nic: "00:1B:21:3A:4F:11", role: alink1 }')));
    expect(plan.hosts[0]!.nics.map((x) => [x.nic, x.match])).toEqual([
      ['00:1b:21:3a:4f:10', 'mac'],
      ['00:1b:21:3a:4f:11', 'mac'],
    ]);
  });

  it('accepts IPv6 addresses and subnets, normalised', () => {
    const plan = loadPlan(file(withNics('{ nic: eth0, role: management, address: "2001:DB8:0::11", subnet: "2001:db8::/64", gateway: "2001:db8::1" }')));
    expect(plan.hosts[0]!.nics[0]).toMatchObject({ address: '2001:db8::11', subnet: '2001:db8::/64', gateway: '2001:db8::1' });
  });

  it('accepts a /31 and /32 without network and broadcast checks, and a bond member of production', () => {
    const plan = loadPlan(
      file(
        withNics(
          '{ nic: eth1, role: alink1, address: 192.168.1.0, subnet: 192.168.1.0/31 }',
          '{ nic: eth2, role: alink2, address: 192.168.2.7, subnet: 192.168.2.7/32 }',
          '{ nic: eth3, role: production }',
          '{ nic: eth5, role: bond, bondWith: production }',
        ),
      ),
    );
    expect(plan.hosts[0]!.nics.map((x) => x.address ?? x.bondWith)).toEqual(['192.168.1.0', '192.168.2.7', undefined, 'production']);
  });

  it('takes a quorum port and the switched A-link layout', () => {
    const plan = loadPlan(
      file(`alinks: switched\nquorum:\n  preferred: { address: 10.0.0.21, port: 3189 }\n  alternate: { address: 10.0.0.21 }\n${withNics('{ nic: eth1, role: alink1 }')}`),
    );
    expect(plan.alinks).toBe('switched');
    expect(plan.quorum).toEqual({ preferred: { address: '10.0.0.21', port: 3189 }, alternate: { address: '10.0.0.21', port: 2189 } });
  });

  it('keeps hosts in file order, named as with --host', () => {
    const plan = loadPlan(file('hosts:\n  "10.0.0.12:2222":\n    nics: [{ nic: eth0, role: management }]\n  "[2001:db8::1]:22":\n    nics: [{ nic: eth0, role: management }]\n'));
    expect(plan.hosts.map((h) => h.name)).toEqual(['10.0.0.12:2222', '[2001:db8::1]:22']);
  });

  it('exports a schema that converts to JSON Schema for editors', () => {
    const schema = z.toJSONSchema(PlanFile, { io: 'input', unrepresentable: 'any' }) as { properties: Record<string, unknown>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(['alinks', 'isolationIp', 'quorum', 'hosts']);
    expect(schema.required).toEqual(['hosts']);
  });
});

describe('refused plans: one line with file:line:col (synthetic)', () => {
  it.each([
    ['hosts: {}\n', 'F:1:8: hosts: expected at least one host: an empty plan asserts nothing'],
    ['alinks: direct\n', 'F:1:1: hosts: expected record (missing)'],
    ['hosts:\n  xs1:\n    nics: []\n', 'F:3:11: hosts.xs1.nics: expected at least 1 item(s): an empty list asserts nothing'],
    ['hosts:\n  xs1:\n    nic: []\n', 'F:3:5: hosts.xs1.nics: expected array (missing)'],
    ['hosts:\n  xs1:\n    nics: [{nic: eth0, role: management}]\n    bond: eth4\n', 'F:3:5: hosts.xs1: unknown key "bond"'],
    [withNics('{ nic: eth0, role: management, mtu: 9000 }'), 'F:4:9: hosts.xs1.nics[0]: unknown key "mtu"'],
    [`quorum:\n  preferred: { address: 10.0.0.21, port: 2189.5 }\n${withNics('{ nic: eth1, role: alink1 }')}`, 'F:2:42: quorum.preferred.port: expected int, got number 2189.5'],
    [`quorum:\n  preferred: { address: 10.0.0.21, port: "2189" }\n${withNics('{ nic: eth1, role: alink1 }')}`, 'F:2:42: quorum.preferred.port: expected number, got the string "2189"'],
    ['hosts:\n  xs1:\n    nics: [{nic: eth0, role: management}]\n  xs1:\n    nics: [{nic: eth1, role: alink1}]\n', 'F:4:3: duplicate key: a later block would silently replace the earlier one'],
    [`alinks: crossed\n${withNics('{ nic: eth1, role: alink1 }')}`, 'F:1:9: alinks: expected one of "direct", "switched"'],
    [withNics('{ nic: eth1, role: alink3 }'), 'F:4:28: hosts.xs1.nics[0].role: expected one of "management", "alink1", "alink2", "production", "bond"'],
    [
      withNics('{ nic: "eth 1", role: alink1 }'),
      'F:4:16: hosts.xs1.nics[0].nic: expected an interface name (eth1: up to 15 characters, no spaces, "/" or ":") or a MAC address (00:1b:21:3a:4f:10), got "eth 1"',
    ],
    [
      withNics('{ nic: averyveryverylongname, role: alink1 }'),
      'F:4:16: hosts.xs1.nics[0].nic: expected an interface name (eth1: up to 15 characters, no spaces, "/" or ":") or a MAC address (00:1b:21:3a:4f:10), got "averyveryverylongname"',
    ],
    [
      withNics('{ nic: "00:1b:21:3a:4f", role: alink1 }'),
      'F:4:16: hosts.xs1.nics[0].nic: expected an interface name (eth1: up to 15 characters, no spaces, "/" or ":") or a MAC address (00:1b:21:3a:4f:10), got "00:1b:21:3a:4f"',
    ],
    [
      withNics('{ nic: eth0, role: management, address: 10.0.0.256, subnet: 10.0.0.0/24 }'),
      'F:4:49: hosts.xs1.nics[0].address: expected an IPv4 or IPv6 address such as 10.0.0.11, got "10.0.0.256"',
    ],
    [
      withNics('{ nic: eth0, role: management, address: "fe80::1%eth0", subnet: "fe80::/64" }'),
      'F:4:49: hosts.xs1.nics[0].address: expected an IPv4 or IPv6 address such as 10.0.0.11, got "fe80::1%eth0"',
    ],
    [
      withNics('{ nic: eth0, role: management, subnet: 10.0.0.0/33 }'),
      'F:4:48: hosts.xs1.nics[0].subnet: expected a subnet in CIDR form such as 10.0.0.0/24, got "10.0.0.0/33"',
    ],
    [
      withNics('{ nic: eth0, role: management, subnet: 10.0.0.0 }'),
      'F:4:48: hosts.xs1.nics[0].subnet: expected a subnet in CIDR form such as 10.0.0.0/24, got "10.0.0.0"',
    ],
    [
      withNics('{ nic: eth0, role: management, subnet: 10.0.0.5/24 }'),
      'F:4:48: subnet 10.0.0.5/24 has host bits set: did you mean 10.0.0.0/24?',
    ],
    [
      withNics('{ nic: eth0, role: management, address: 10.0.1.11, subnet: 10.0.0.0/24 }'),
      'F:4:49: address 10.0.1.11 is outside its subnet 10.0.0.0/24',
    ],
    [
      withNics('{ nic: eth0, role: management, address: 10.0.0.11, subnet: "2001:db8::/64" }'),
      'F:4:49: address 10.0.0.11 is outside its subnet 2001:db8::/64',
    ],
    [
      withNics('{ nic: eth0, role: management, address: 10.0.0.11 }'),
      'F:4:49: address 10.0.0.11 of NIC eth0 needs the subnet it is in (subnet: NETWORK/PREFIX)',
    ],
    [
      withNics('{ nic: eth0, role: management, address: 10.0.0.0, subnet: 10.0.0.0/24 }'),
      'F:4:49: address 10.0.0.0 is the network address of 10.0.0.0/24, not a host address',
    ],
    [
      withNics('{ nic: eth0, role: management, address: 10.0.0.255, subnet: 10.0.0.0/24 }'),
      'F:4:49: address 10.0.0.255 is the broadcast address of 10.0.0.0/24, not a host address',
    ],
    [
      withNics('{ nic: eth0, role: management, address: 10.0.0.11, subnet: 10.0.0.0/24, gateway: 10.9.0.1 }'),
      'F:4:90: gateway 10.9.0.1 is outside its subnet 10.0.0.0/24',
    ],
    [
      withNics('{ nic: eth0, role: management, address: 10.0.0.11, subnet: 10.0.0.0/24, gateway: 10.0.0.11 }'),
      "F:4:90: gateway 10.0.0.11 is the NIC's own address",
    ],
    [
      withNics('{ nic: eth0, role: management }', '{ nic: eth4, role: bond, address: 10.0.0.14 }'),
      'F:5:43: NIC eth4 is a bond member (role bond): its address belongs on the management NIC it is bonded with',
    ],
    [
      withNics('{ nic: eth3, role: production }', '{ nic: eth4, role: bond, bondWith: production, subnet: 10.0.50.0/24 }'),
      'F:5:64: NIC eth4 is a bond member (role bond): its subnet belongs on the production NIC it is bonded with',
    ],
    [withNics('{ nic: eth1, role: alink1, bondWith: management }'), 'F:4:46: bondWith is for NICs with role bond; NIC eth1 has role alink1'],
    [withNics('{ nic: eth4, role: bond }'), 'F:4:28: bond member eth4 is bonded with the management NIC, but host "xs1" has no NIC with role management'],
    [withNics('{ nic: eth1, role: alink1 }', '{ nic: eth1, role: production }'), 'F:5:16: NIC eth1 of host "xs1" is given two roles: alink1 (nics[0]) and production'],
    [
      withNics('{ nic: "00:1b:21:3a:4f:10", role: alink1 }', '{ nic: 00-1B-21-3A-4F-10, role: alink2 }'),
      'F:5:16: NIC 00:1b:21:3a:4f:10 of host "xs1" is given two roles: alink1 (nics[0]) and alink2',
    ],
    [withNics('{ nic: eth0, role: management }', '{ nic: eth3, role: management }'), 'F:5:28: host "xs1" has two management NICs: eth0 (nics[0]) and eth3'],
    [
      'hosts:\n  xs1:\n    nics: [{ nic: eth0, role: management, address: 10.0.0.11, subnet: 10.0.0.0/24 }]\n  xs2:\n    nics: [{ nic: eth0, role: management, address: 10.0.0.11, subnet: 10.0.0.0/24 }]\n',
      'F:5:52: address 10.0.0.11 is planned twice: for host "xs1" eth0 and for host "xs2" eth0',
    ],
    ['hosts:\n  "xs 1":\n    nics: [{ nic: eth0, role: management }]\n', 'F:3:5: host name "xs 1" is empty or contains whitespace: use the name given with --host or in the inventory'],
    [`isolationIp: gateway\n${withNics('{ nic: eth1, role: alink1 }')}`, 'F:1:14: isolationIp: expected an IPv4 or IPv6 address such as 10.0.0.11, got "gateway"'],
    [
      `quorum:\n  preferred: { address: 10.0.0.21, port: 0 }\n${withNics('{ nic: eth1, role: alink1 }')}`,
      'F:2:42: quorum.preferred.port: expected a port number 1..65535',
    ],
    [
      `quorum:\n  preferred: { address: 10.0.0.21, port: 2189 }\n  alternate: { address: 10.0.0.21 }\n${withNics('{ nic: eth1, role: alink1 }')}`,
      'F:3:14: the alternate quorum server is the preferred one (10.0.0.21 port 2189): give two different computers',
    ],
    [`quorum:\n  alternate: { address: 10.0.0.22 }\n${withNics('{ nic: eth1, role: alink1 }')}`, 'F:2:3: quorum.preferred: expected object (missing)'],
    ['- xs1\n', 'F:1:1: expected object, got a list'],
  ])('%j', (text, message) => {
    expect(errorOf(text)).toBe(message);
  });

  it('says when the file is missing', () => {
    const missing = join(dir, 'none.yaml');
    expect(inputError(() => loadPlan(missing))).toBe(`${missing}: no such file`);
  });
});
