import type { Evidence } from '../../collect/evidence.js';
import { parseDf } from '../df.js';
import type { DiskFacts, FilesystemFacts, ParseProblem, StorageRepositoryFacts } from '../schema.js';
import { parseSysBlock } from '../sysBlock.js';
import { parseXeRecords, xeBool, xeNumber, xeText, type XeRecord } from '../xeRecords.js';
import { definedOnly } from './definedOnly.js';
import { parseProbe } from './probeOutput.js';

export interface StorageAssembly {
  disks?: DiskFacts[];
  filesystems?: FilesystemFacts[];
  storageRepositories?: StorageRepositoryFacts[];
  problems: ParseProblem[];
}

/**
 * Block devices (sysfs), mounted file systems (df) and, on XenServer, the storage repositories
 * (`xe sr-list params=all`). A list is absent when its probe gave nothing usable, and empty only
 * when the probe ran and found none.
 */
export function assembleStorage(ev: Record<string, Evidence>): StorageAssembly {
  const problems: ParseProblem[] = [];
  const disks = parseProbe(ev, 'sys.block', parseSysBlock, problems);
  const filesystems = parseProbe(ev, 'df', parseDf, problems);
  const srRecords = parseProbe(ev, 'xe.sr-list', parseXeRecords, problems);
  let storageRepositories: StorageRepositoryFacts[] | undefined;
  if (srRecords) {
    storageRepositories = [];
    for (const r of srRecords) {
      const sr = storageRepository(r);
      if (sr) storageRepositories.push(sr);
      else problems.push({ probe: 'xe.sr-list', message: `a record without a uuid was skipped (fields: ${Object.keys(r).join(', ')})` });
    }
  }
  return { ...definedOnly({ disks, filesystems, storageRepositories }), problems };
}

/** One `xe sr-list` record; undefined without a uuid (nothing could refer to it). */
export function storageRepository(r: XeRecord): StorageRepositoryFacts | undefined {
  const uuid = xeText(r['uuid']);
  if (uuid === undefined) return undefined;
  return definedOnly({
    uuid,
    nameLabel: xeText(r['name-label']),
    type: xeText(r['type']),
    contentType: xeText(r['content-type']),
    shared: xeBool(r['shared']),
    physicalSizeBytes: bytes(r['physical-size']),
    physicalUtilisationBytes: bytes(r['physical-utilisation']),
    // The name-label of the host a local SR belongs to; xe prints "<shared>" for a shared one.
    host: xeText(r['host']),
  });
}

/** A size in bytes; xe prints -1 where an SR (an ISO library, say) has no size. */
function bytes(value: string | undefined): number | undefined {
  const n = xeNumber(value);
  return n !== undefined && n >= 0 ? n : undefined;
}
