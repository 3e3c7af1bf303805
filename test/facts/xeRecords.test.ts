import { describe, expect, it } from 'vitest';
import { parseXeRecords, xeBool, xeMap, xeNumber, xeSet, xeText } from '../../src/facts/xeRecords.js';
import { fixture } from './support.js';

const read = (path: string) => parseXeRecords(fixture(path));

describe('parseXeRecords on real captures', () => {
  it('xe sr-list params=all (CRLF, a prompt line, trailing spaces after empty values)', () => {
    const { value, problems } = read('xe_sr/sr-list-params-all-lvm-empty-local.txt');
    expect(value).toHaveLength(1);
    expect(value[0]).toMatchObject({
      uuid: 'b233727a-ca4b-f244-8ee4-6573e6926138',
      'name-label': 'Local',
      'name-description': '',
      host: 'XEN08.RACK06.IDC01.HS.COM',
      'physical-size': '1199088599040',
      'physical-utilisation': '4194304',
      type: 'lvm',
      'content-type': 'user',
      shared: 'false',
      'introduced-by': '<not in database>',
    });
    expect(xeMap(value[0]?.['sm-config'])).toEqual({ allocation: 'thick', use_vhd: 'true', devserial: 'scsi-36b82a720d65c19002949b51036f8cdf7' });
    // The echoed command is not a field; it is reported.
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^line 1: not an xe field/);
  });

  it('xe pbd-list with a "[DEPRECATED]" field and a map', () => {
    const { value } = read('xe_sr/pbd-list-params-all-ext.txt');
    expect(value[0]).toMatchObject({ host: '5f2572ba-4aee-4c4e-8342-ce7fda9725a9', 'host-uuid': '5f2572ba-4aee-4c4e-8342-ce7fda9725a9', 'currently-attached': 'true' });
    expect(xeMap(value[0]?.['device-config'])).toEqual({ device: '/dev/disk/by-id/scsi-361866da0bcfcd400211b52f306011d06-part3' });
  });

  it('xe pif-list (xcp-ng docs): four records separated by two blank lines', () => {
    const { value, problems } = read('xe_pif/pif-list-bond0-eth1-eth2-unattached.txt');
    expect(problems).toEqual([]);
    expect(value.map((r) => [r['device'], r['currently-attached']])).toEqual([
      ['eth2', 'false'],
      ['eth0', 'true'],
      ['eth1', 'false'],
      ['bond0', 'true'],
    ]);
    expect(value[3]?.['uuid']).toBe('65380308-0c53-3d96-f564-06a724a792be');
  });

  it('an echoed xe command before the output is skipped without a problem', () => {
    const { value, problems } = read('xe_pif/pif-list-management-bond0.txt');
    expect(problems).toEqual([]);
    expect(value).toEqual([
      { uuid: '76608ca2-e099-9344-af36-5b63c0022913', device: 'bond0', 'currently-attached': 'true', VLAN: '-1', 'network-uuid': 'cc966455-d5f8-0257-04a7-d3d7c671636b' },
    ]);
  });

  it('params=device,IP output after shell prompts: records without uuid, an empty IP', () => {
    const { value } = read('xe_pif/xenapi-commit-pif-list-params-device-IP-bond.txt');
    expect(value).toEqual([
      { device: 'eth1', IP: '' },
      { device: 'eth2', IP: '10.0.0.2' },
      { device: 'bond0', IP: '10.0.0.1' },
    ]);
  });

  it('host-param-list | grep mem inside markdown fences', () => {
    const { value, problems } = read('xe_host/xenapi-commit-host-param-list-grep-mem.txt');
    expect(problems).toEqual([]);
    expect(value).toEqual([{ 'memory-overhead': '639635456', 'memory-total': '33849733120', 'memory-free': '26117525504', 'memory-free-computed': '26077683712' }]);
  });

  it('network-list and vm-list', () => {
    expect(read('xe_network/network-list-params-uuid-namelabel-mtu.txt').value.map((r) => r['name-label'])).toEqual([
      'Host internal management network',
      'Pool-wide network associated with eth0',
      'Pool-wide network associated with eth1',
      'Pool-wide network associated with eth2',
    ]);
    const doc = read('xe_network/cloudstack-doc-network-list-placeholder-uuid.txt').value;
    expect(doc).toEqual([{ uuid: 'aaa-bbb-ccc-ddd', 'name-label': 'MGMT', 'name-description': '', bridge: 'xenbr0' }]);
    const vms = read('xe_vm/glpi-xenserver62-vm-list.txt');
    expect(vms.problems).toEqual([]);
    expect(vms.value).toHaveLength(10);
    expect(vms.value.filter((r) => r['name-label']?.startsWith('Control domain on host:'))).toHaveLength(3);
  });
});

describe('parseXeRecords on the setup guide\'s printed output', () => {
  it('Chapter 3 pif-list: three PIFs, typos as printed ("e*h1", a short uuid)', () => {
    const { value, problems } = read('xe_pif/guide-ch3-pif-list.txt');
    expect(problems).toEqual([]);
    expect(value.map((r) => r['device'])).toEqual(['eth0', 'eth2', 'e*h1']);
    expect(value[2]?.['uuid']).toBe('efb710d-dba8-75a4-d024-8479fd81dd4e');
    expect(value.every((r) => r['currently-attached'] === 'true' && r['VLAN'] === '-1')).toBe(true);
  });

  it('Chapter 3 pif-param-list: "etc..." is reported; the cable-removed copy lost its "uuid ( RO)" label', () => {
    const first = read('xe_pif/guide-ch3-pif-param-list-eth0.txt');
    expect(first.value).toEqual([{ uuid: '5b430bc0-d4fd-098f-5d33-4f9cbf84c4a4', device: 'eth0', MAC: '00:1e:4f:f5:7f:7e', physical: 'true' }]);
    expect(first.problems).toHaveLength(1);
    const removed = read('xe_pif/guide-ch3-pif-param-list-eth0-cable-removed.txt');
    expect(removed.value).toEqual([{ device: 'eth0', MAC: '00:1e:4f:f5:7f:7e', physical: 'true' }, { carrier: 'false' }]);
    expect(removed.problems).toHaveLength(2);
    expect(read('xe_pif/guide-ch3-pif-param-list-carrier-true.txt').value).toEqual([{ carrier: 'true' }]);
  });

  it('Appendix A sr-list: a record split by a page break is joined back', () => {
    const { value, problems } = read('xe_sr/guide-appA-sr-list-type-lvm.txt');
    expect(value.map((r) => [r['uuid'], r['host'], r['type'], r['content-type']])).toEqual([
      ['c4571f60-cee4-f929-f19a-e7e816a8d545', 'test1-master', 'lvm', 'user'],
      ['88d5ddb-b-a864-5cf9-e6dc-68ba4a5dd0d7', 'test1-slave', 'lvm', 'user'],
    ]);
    expect(problems).toEqual(['fields host, type, content-type follow a blank line without a uuid: read as the rest of record 88d5ddb-b-a864-5cf9-e6dc-68ba4a5dd0d7']);
  });
});

describe('xe value helpers', () => {
  it('xeMap splits at the first ": " so keys and values may hold colons', () => {
    expect(xeMap('product_version: 5.5.0; build_number: 25727p; xs:main: XenServer Pack, version 6.5.0')).toEqual({
      product_version: '5.5.0',
      build_number: '25727p',
      'xs:main': 'XenServer Pack, version 6.5.0',
    });
    expect(xeMap(undefined)).toEqual({});
  });

  it('xeSet, xeBool, xeNumber, xeText', () => {
    expect(xeSet('xen-3.0-x86_64; hvm-3.0-x86_64; ')).toEqual(['xen-3.0-x86_64', 'hvm-3.0-x86_64']);
    expect([xeBool('true'), xeBool('False'), xeBool('<unknown>')]).toEqual([true, false, undefined]);
    expect([xeNumber('-1'), xeNumber('1073336320'), xeNumber('<expensive field>')]).toEqual([-1, 1073336320, undefined]);
    expect([xeText(' eth0 '), xeText(''), xeText('<not in database>'), xeText('<shared>')]).toEqual(['eth0', undefined, undefined, undefined]);
  });
});
