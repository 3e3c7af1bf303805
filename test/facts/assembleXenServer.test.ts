import { describe, expect, it } from 'vitest';
import { assembleXenServer } from '../../src/facts/assemble/xenserver.js';
import { XenServerFacts } from '../../src/facts/schema.js';
import { BOND_UUID, HOST_LIST, INVENTORY_55, MASTER_UUID, MEMBER_UUID, PATCH_LIST, PIF_LIST_BOND, POOL_LIST, POOL_UUID } from './samples.js';
import { absent, evidence, evidenceSet, fixture } from './support.js';

function assemble(...items: Parameters<typeof evidenceSet>) {
  const result = assembleXenServer(evidenceSet(...items));
  if (result.xenserver) XenServerFacts.parse(result.xenserver);
  return result;
}

const NO_XE = ['xe.host-list', 'xe.pool-list', 'xe.pif-list', 'xe.patch-list', 'xe.sr-list'].map((id) => absent(id, 'xe: not installed'));

describe('assembleXenServer: the setup guide\'s pool', () => {
  it('the Chapter 3 pif-list: three PIFs with device, attachment, VLAN -1 and network, typos as printed', () => {
    const { xenserver, problems } = assemble(
      evidence('xen.inventory', INVENTORY_55),
      evidence('xen.pool-conf', 'master'),
      evidence('xe.pif-list', fixture('xe_pif/guide-ch3-pif-list.txt')),
    );
    expect(problems).toEqual([]);
    expect(xenserver?.pifs).toEqual([
      { uuid: '5b430bc0-d4fd-098f-5d33-4f9cbf84c4a4', device: 'eth0', currentlyAttached: true, vlan: -1, networkUuid: '7a002152-ed55-bbfe-01a9-1aa4c24cea1b' },
      { uuid: 'b7f1fae1-911f-5305-60be-cbeccf801127', device: 'eth2', currentlyAttached: true, vlan: -1, networkUuid: 'df6b1575-4b72-b606-458b-67dd06e222db' },
      { uuid: 'efb710d-dba8-75a4-d024-8479fd81dd4e', device: 'e*h1', currentlyAttached: true, vlan: -1, networkUuid: '67b4ee16-390b-b947-a604-5e760fd3eb31' },
    ]);
    expect(xenserver).toMatchObject({ productBrand: 'XenServer', productVersion: '5.5.0', buildNumber: '25727p', installationUuid: MASTER_UUID, managementInterface: 'xenbr0', poolRole: 'master' });
  });

  it('the Chapter 3 pif-param-list: MAC and physical read; the cable-removed copy lost its uuid label, so it is reported', () => {
    const plugged = assemble(evidence('xen.inventory', INVENTORY_55), evidence('xe.pif-list', fixture('xe_pif/guide-ch3-pif-param-list-eth0.txt')));
    expect(plugged.xenserver?.pifs).toEqual([{ uuid: '5b430bc0-d4fd-098f-5d33-4f9cbf84c4a4', device: 'eth0', mac: '00:1e:4f:f5:7f:7e', physical: true }]);
    const removed = assemble(evidence('xen.inventory', INVENTORY_55), evidence('xe.pif-list', fixture('xe_pif/guide-ch3-pif-param-list-eth0-cable-removed.txt')));
    expect(removed.xenserver?.pifs).toEqual([]);
    expect(removed.problems.filter((p) => p.probe === 'xe.pif-list').map((p) => p.message)).toEqual([
      'line 1: not an xe field "key ( RO): value": "      : 5b430bc0-d4fd-098f-5d33-4f9cbf84c4a4"',
      'line 5: not an xe field "key ( RO): value": "                                   etc..."',
      'a record without a uuid was skipped (fields: device, MAC, physical)',
      'a record without a uuid was skipped (fields: carrier)',
    ]);
  });

  it('a real xcp-ng pif-list: bond slaves unattached, the bond attached', () => {
    const { xenserver } = assemble(evidence('xe.pif-list', fixture('xe_pif/pif-list-bond0-eth1-eth2-unattached.txt')));
    expect(xenserver?.pifs?.map((p) => [p.device, p.currentlyAttached])).toEqual([
      ['eth2', false],
      ['eth0', true],
      ['eth1', false],
      ['bond0', true],
    ]);
  });
});

describe('assembleXenServer: a two-host pool (synthetic xe output)', () => {
  const master = [
    evidence('xen.inventory', INVENTORY_55),
    evidence('xen.pool-conf', 'master'),
    evidence('xe.host-list', HOST_LIST),
    evidence('xe.pool-list', POOL_LIST),
    evidence('xe.pif-list', PIF_LIST_BOND),
    evidence('xe.patch-list', PATCH_LIST),
  ];

  it('the master: version, pool, host count, name, cpu_info, updates applied here', () => {
    const { xenserver, problems } = assemble(...master);
    expect(problems).toEqual([]);
    expect(xenserver).toMatchObject({
      productBrand: 'XenServer',
      productVersion: '5.5.0',
      buildNumber: '25727p',
      installationUuid: MASTER_UUID,
      poolRole: 'master',
      poolUuid: POOL_UUID,
      poolName: 'everRun-pool',
      poolHostCount: 2,
      hostName: 'test1-master',
    });
    expect(xenserver?.masterAddress).toBeUndefined();
    expect(xenserver?.patches).toEqual([
      { uuid: '7f2e9c1a-5b3d-4f6e-8a0b-2c4d6e8f0a1b', nameLabel: 'XS55EU002', nameDescription: 'Public Availability: fixes to XenServer 5.5.0', appliedHere: true },
      { uuid: '3a5c7e9b-1d2f-4a6b-8c0d-e2f4a6b8c0d2', nameLabel: 'XS55EU003', appliedHere: false },
    ]);
    expect(xenserver?.cpuInfo).toMatchObject({ cpu_count: '16', vendor: 'GenuineIntel', family: '6', model: '26' });
  });

  it('PIFs: the management bond with static IP and DNS list, its slave, a link without carrier', () => {
    const pifs = assemble(...master).xenserver?.pifs ?? [];
    expect(pifs.find((p) => p.device === 'bond0')).toEqual({
      uuid: '9d2b4f6a-8c0e-4a1b-9c3d-5e7f9a1b3c5d',
      device: 'bond0',
      mac: '00:1e:4f:f5:7f:7e',
      physical: false,
      currentlyAttached: true,
      vlan: -1,
      bondMasterOf: BOND_UUID,
      management: true,
      networkUuid: '1c3e5a7b-9d0f-4b2c-8e4a-6c8e0a2c4e6a',
      hostUuid: MASTER_UUID,
      hostName: 'test1-master',
      ipConfigurationMode: 'Static',
      ip: '10.20.30.1',
      netmask: '255.255.255.0',
      gateway: '10.20.30.254',
      dns: ['10.20.30.10', '10.20.30.11'],
      carrier: true,
      speedMbps: 1000,
    });
    const eth0 = pifs.find((p) => p.device === 'eth0');
    expect(eth0).toMatchObject({ bondSlaveOf: BOND_UUID, management: false, ipConfigurationMode: 'None', physical: true });
    expect(eth0?.bondMasterOf).toBeUndefined();
    expect(eth0?.ip).toBeUndefined();
    expect(eth0?.dns).toBeUndefined();
    const eth2 = pifs.find((p) => p.device === 'eth2');
    expect(eth2).toMatchObject({ carrier: false, speedMbps: 0 });
    expect(eth2?.bondSlaveOf).toBeUndefined();
  });

  it('the member: role and master address from pool.conf; its own updates', () => {
    const memberInventory = INVENTORY_55.replace(MASTER_UUID, MEMBER_UUID);
    const { xenserver } = assemble(
      evidence('xen.inventory', memberInventory),
      evidence('xen.pool-conf', 'slave:10.20.30.1\n'),
      evidence('xe.host-list', HOST_LIST),
      evidence('xe.patch-list', PATCH_LIST),
    );
    expect(xenserver).toMatchObject({ poolRole: 'member', masterAddress: '10.20.30.1', hostName: 'test1-slave', installationUuid: MEMBER_UUID, poolHostCount: 2 });
    expect(xenserver?.patches?.map((p) => p.appliedHere)).toEqual([true, true]);
  });

  it('without pool.conf the role comes from the pool\'s master uuid, and a member learns the master\'s address', () => {
    const memberInventory = INVENTORY_55.replace(MASTER_UUID, MEMBER_UUID);
    const { xenserver } = assemble(evidence('xen.inventory', memberInventory), absent('xen.pool-conf'), evidence('xe.host-list', HOST_LIST), evidence('xe.pool-list', POOL_LIST));
    expect(xenserver).toMatchObject({ poolRole: 'member', masterAddress: '10.20.30.1' });
  });

  it('without the inventory, version and uuid come from the host record; a lone host is the pool of one', () => {
    const single = HOST_LIST.split(/\n\n\n/)[0] as string;
    const { xenserver } = assemble(absent('xen.inventory'), evidence('xe.host-list', single));
    expect(xenserver).toMatchObject({ productBrand: 'XenServer', productVersion: '5.5.0', buildNumber: '25727p', installationUuid: MASTER_UUID, poolHostCount: 1, hostName: 'test1-master' });
  });

  it('an inventory whose uuid has no host record is reported', () => {
    const other = INVENTORY_55.replace(MASTER_UUID, '11111111-2222-4333-8444-555555555555');
    const { xenserver, problems } = assemble(evidence('xen.inventory', other), evidence('xe.host-list', HOST_LIST), evidence('xe.patch-list', PATCH_LIST));
    expect(problems).toEqual([{ probe: 'xe.host-list', message: "no host record has this host's INSTALLATION_UUID 11111111-2222-4333-8444-555555555555" }]);
    expect(xenserver?.hostName).toBeUndefined();
    expect(xenserver?.patches?.map((p) => p.appliedHere)).toEqual([false, false]);
  });
});

describe('assembleXenServer: not XenServer, or xe unusable', () => {
  it('no inventory and no xe (exit 127): xenserver is absent', () => {
    expect(assemble(absent('xen.inventory'), absent('xen.pool-conf'), ...NO_XE)).toEqual({ problems: [] });
  });

  it('an xe CLI that cannot reach a xapi (exit 1) and no inventory: not a XenServer host', () => {
    const failing = ['xe.host-list', 'xe.pif-list'].map((id) => evidence(id, '', { exitCode: 1, stderr: 'Error: Unable to contact server. Please check server and port settings.' }));
    expect(assemble(absent('xen.inventory'), ...failing).xenserver).toBeUndefined();
  });

  it('the inventory alone is enough; failed xe probes leave their facts absent', () => {
    const { xenserver } = assemble(evidence('xen.inventory', INVENTORY_55), evidence('xe.patch-list', '', { exitCode: 1, stderr: 'Error' }), absent('xe.pif-list'));
    expect(xenserver).toEqual({ productBrand: 'XenServer', productVersion: '5.5.0', buildNumber: '25727p', installationUuid: MASTER_UUID, managementInterface: 'xenbr0' });
  });

  it('a patch-list that printed nothing means no updates uploaded', () => {
    expect(assemble(evidence('xen.inventory', INVENTORY_55), evidence('xe.patch-list', '')).xenserver?.patches).toEqual([]);
  });
});
