import { describe, expect, it } from 'vitest';
import { assembleStorage } from '../../src/facts/assemble/storage.js';
import { DiskFacts, FilesystemFacts, StorageRepositoryFacts } from '../../src/facts/schema.js';
import { absent, evidence, evidenceSet, fixture } from './support.js';

function assemble(...items: Parameters<typeof evidenceSet>) {
  const result = assembleStorage(evidenceSet(...items));
  result.disks?.forEach((d) => DiskFacts.parse(d));
  result.filesystems?.forEach((f) => FilesystemFacts.parse(f));
  result.storageRepositories?.forEach((s) => StorageRepositoryFacts.parse(s));
  return result;
}

describe('assembleStorage', () => {
  it('the preflight VM: block devices and file systems as the probes print them', () => {
    const { disks, filesystems, storageRepositories, problems } = assemble(
      evidence('sys.block', fixture('disk/preflight-vm-sys-block.txt')),
      evidence('df', fixture('disk/preflight-vm-df.txt')),
      absent('xe.sr-list', 'xe: not installed'),
    );
    expect(problems).toEqual([]);
    expect(disks?.filter((d) => d.local)).toEqual([{ name: 'vda', sizeBytes: 274877906944, local: true, removable: false, rotational: true, readOnly: false, vendor: '0x1af4', bus: 'virtio' }]);
    expect(disks).toHaveLength(10);
    expect(filesystems?.find((f) => f.mountpoint === '/')?.sizeBytes).toBe(264212084 * 1024);
    expect(storageRepositories).toBeUndefined();
  });

  it('a real xe sr-list params=all (CRLF, echoed command): size and utilisation in bytes, local, owning host', () => {
    const { storageRepositories, problems } = assemble(evidence('xe.sr-list', fixture('xe_sr/sr-list-params-all-lvm-empty-local.txt')));
    expect(storageRepositories).toEqual([
      {
        uuid: 'b233727a-ca4b-f244-8ee4-6573e6926138',
        nameLabel: 'Local',
        type: 'lvm',
        contentType: 'user',
        shared: false,
        physicalSizeBytes: 1199088599040,
        physicalUtilisationBytes: 4194304,
        host: 'XEN08.RACK06.IDC01.HS.COM',
      },
    ]);
    expect(problems.map((p) => p.probe)).toEqual(['xe.sr-list']);
  });

  it('the setup guide\'s sr-list (Appendix A): two local LVM SRs, one per host, sizes not printed', () => {
    const { storageRepositories } = assemble(evidence('xe.sr-list', fixture('xe_sr/guide-appA-sr-list-type-lvm.txt')));
    expect(storageRepositories).toEqual([
      { uuid: 'c4571f60-cee4-f929-f19a-e7e816a8d545', nameLabel: 'Local storage', type: 'lvm', contentType: 'user', host: 'test1-master' },
      { uuid: '88d5ddb-b-a864-5cf9-e6dc-68ba4a5dd0d7', nameLabel: 'Local storage', type: 'lvm', contentType: 'user', host: 'test1-slave' },
    ]);
  });

  it('(synthetic) a shared NFS SR and an ISO library with no size (-1); "<shared>" is not a host', () => {
    const text = [
      'uuid ( RO)                : 1d3f5b7c-9e0a-4c2e-8f4a-6b8d0f2a4c6e',
      '          name-label ( RW): NFS VMs',
      '                host ( RO): <shared>',
      '                type ( RO): nfs',
      '        content-type ( RO): user',
      '              shared ( RW): true',
      '       physical-size ( RO): 536870912000',
      'physical-utilisation ( RO): 107374182400',
      '',
      'uuid ( RO)                : 6e8a0c2e-4f6a-4b8c-9d0e-2f4a6c8e0a2c',
      '          name-label ( RW): XenServer Tools',
      '                type ( RO): iso',
      '       physical-size ( RO): -1',
    ].join('\n');
    const { storageRepositories } = assemble(evidence('xe.sr-list', text));
    expect(storageRepositories).toEqual([
      { uuid: '1d3f5b7c-9e0a-4c2e-8f4a-6b8d0f2a4c6e', nameLabel: 'NFS VMs', type: 'nfs', contentType: 'user', shared: true, physicalSizeBytes: 536870912000, physicalUtilisationBytes: 107374182400 },
      { uuid: '6e8a0c2e-4f6a-4b8c-9d0e-2f4a6c8e0a2c', nameLabel: 'XenServer Tools', type: 'iso' },
    ]);
  });

  it('a record without a uuid is skipped and reported; an sr-list that printed nothing is "no SRs"', () => {
    const { storageRepositories, problems } = assemble(evidence('xe.sr-list', 'name-label ( RW): orphan\n'));
    expect(storageRepositories).toEqual([]);
    expect(problems).toEqual([{ probe: 'xe.sr-list', message: 'a record without a uuid was skipped (fields: name-label)' }]);
    expect(assemble(evidence('xe.sr-list', '')).storageRepositories).toEqual([]);
  });

  it('absent or failed probes leave the lists absent (not empty)', () => {
    const result = assemble(absent('sys.block', ''), evidence('df', 'df: cannot read table of mounted file systems\n', { exitCode: 1 }), evidence('xe.sr-list', '', { exitCode: 1, stderr: 'Error: Connection refused' }));
    expect(result).toEqual({ problems: [] });
  });
});
