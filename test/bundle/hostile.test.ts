import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBundle } from '../../src/bundle/create.js';
import { openBundle } from '../../src/bundle/read.js';
import { collectLocal } from '../../src/collect/localTransport.js';
import { probeById } from '../../src/collect/probes.js';
import { InputError } from '../../src/engine/inputError.js';
import { loadProfile } from '../../src/engine/loadRules.js';
import { listAll, preflight, requireBuild, tempDir, unpack, cleanupTempDirs } from './helpers.js';

afterAll(cleanupTempDirs);

/**
 * Hostile bundles, built byte by byte with the tar package's Header: absolute paths, "..", links
 * pointing out (and a file written through one), devices, FIFOs, a declared-size bomb and a real
 * decompression bomb, nested compression, duplicates, garbage. `preflight report` refuses each with
 * one line and exit 2, and writes nothing anywhere: not in its working folder, not next to its
 * private extraction folder (TMPDIR), not at the absolute path the archive names.
 */

const dir = tempDir('hostile');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function entry(h: HeaderData, body: Buffer | string = Buffer.alloc(0), declaredSize?: number): Buffer {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  const header = new Header({ mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), type: 'File', ...h, size: declaredSize ?? data.length });
  const block = Buffer.alloc(512);
  header.encode(block, 0);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512);
  return Buffer.concat([block, data, pad]);
}

function archive(name: string, entries: Buffer[], opts: { gzip?: boolean; end?: boolean } = {}): string {
  const raw = Buffer.concat([...entries, ...(opts.end === false ? [] : [Buffer.alloc(1024)])]);
  const file = join(dir, name);
  writeFileSync(file, opts.gzip === false ? raw : gzipSync(raw));
  return file;
}

const outside = join(dir, 'outside');
mkdirSync(outside);
const absTarget = join(dir, 'abs-target', 'pwned.txt');

const hostile: [string, () => string, RegExp][] = [
  ['an absolute path', () => archive('abs.tar.gz', [entry({ path: absTarget }, 'pwned')]), /has an absolute path/],
  ['a ../ path', () => archive('dotdot.tar.gz', [entry({ path: '../pwned.txt' }, 'pwned')]), /climbs out of the bundle/],
  ['a ../ deeper in the path', () => archive('dotdot2.tar.gz', [entry({ path: 'case/', type: 'Directory' }), entry({ path: 'case/a/../../../pwned.txt' }, 'pwned')]), /climbs out of the bundle/],
  ['a symbolic link to an absolute path', () => archive('symabs.tar.gz', [entry({ path: 'case/etc', type: 'SymbolicLink', linkpath: '/etc' })]), /symbolic link pointing outside/],
  ['a symbolic link climbing out', () => archive('symrel.tar.gz', [entry({ path: 'case/up', type: 'SymbolicLink', linkpath: '../../..' })]), /symbolic link pointing outside/],
  [
    'a file written through a link to the outside',
    () => archive('through.tar.gz', [entry({ path: 'case/s', type: 'SymbolicLink', linkpath: outside }), entry({ path: 'case/s/pwned.txt' }, 'pwned')]),
    /symbolic link pointing outside/,
  ],
  ['a hard link to an absolute path', () => archive('hardabs.tar.gz', [entry({ path: 'case/passwd', type: 'Link', linkpath: '/etc/passwd' })]), /hard link pointing outside/],
  ['a hard link climbing out', () => archive('hardrel.tar.gz', [entry({ path: 'case/x', type: 'Link', linkpath: '../x' })]), /hard link pointing outside/],
  ['a character device', () => archive('chr.tar.gz', [entry({ path: 'case/null', type: 'CharacterDevice', devmaj: 1, devmin: 3 })]), /is a device file/],
  ['a block device', () => archive('blk.tar.gz', [entry({ path: 'case/sda', type: 'BlockDevice', devmaj: 8, devmin: 0 })]), /is a device file/],
  ['a FIFO', () => archive('fifo.tar.gz', [entry({ path: 'case/fifo', type: 'FIFO' })]), /is a FIFO/],
  ['an entry declaring 8 GiB (size bomb, refused before reading)', () => archive('big.tar.gz', [entry({ path: 'case/big' }, 'x', 8 * 1024 ** 3 - 1)], { end: false }), /over the \d+-byte cap/],
  ['the same entry twice', () => archive('dup.tar.gz', [entry({ path: 'case/a' }, 'one'), entry({ path: 'case/a' }, 'two')]), /appears twice/],
  ['a tar.gz inside the gzip (nested compression)', () => {
    const inner = gzipSync(Buffer.concat([entry({ path: 'case/a' }, 'x'), Buffer.alloc(1024)]));
    const file = join(dir, 'nested.tar.gz');
    writeFileSync(file, gzipSync(Buffer.concat([inner, Buffer.alloc(4096)])));
    return file;
  }, /does not hold a tar stream/],
  ['garbage after a gzip header', () => {
    const file = join(dir, 'garbage.tar.gz');
    writeFileSync(file, Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.from('definitely not deflate data, just text')]));
    return file;
  }, /corrupt gzip data|not a valid tar archive|does not hold a tar stream/],
  ['a tar with a damaged header', () => {
    const good = entry({ path: 'case/a' }, 'x');
    good[150] = good[150]! ^ 0xff; // breaks the checksum
    return archive('cksum.tar', [good], { gzip: false });
  }, /not a valid tar archive/],
  ['an empty archive', () => archive('empty.tar.gz', []), /the archive is empty|not a bundle|not a valid tar archive|does not hold a tar stream/],
  ['a text file', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'hello, not a bundle at all\n'.repeat(30));
    return file;
  }, /not a bundle/],
];

describe('preflight report refuses hostile archives: exit 2, one line, nothing written', () => {
  beforeAll(() => requireBuild());

  for (const [label, make, message] of hostile) {
    it(label, () => {
      const file = make();
      const cwd = tempDir('cwd');
      const tmp = tempDir('tmp');
      try {
        const r = preflight(['report', file], { cwd, env: { TMPDIR: tmp } });
        expect(r.code, r.stderr).toBe(2);
        const lines = r.stderr.trim().split('\n');
        expect(lines, r.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/^preflight: /);
        expect(lines[0]).toMatch(message);
        expect(r.stdout).toBe('');
        expect(listAll(cwd)).toEqual([]);
        expect(listAll(tmp)).toEqual([]);
        expect(readdirSync(outside)).toEqual([]);
        expect(existsSync(absTarget)).toBe(false);
        expect(existsSync(join(dir, 'pwned.txt'))).toBe(false);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  }
});

describe('caps while streaming (library)', () => {
  it('stops a real decompression bomb at the uncompressed cap, writing no more than the cap', async () => {
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const file = archive('bomb.tar.gz', [entry({ path: 'case/zeros' }, zeros)]);
    expect(readFileSync(file).length).toBeLessThan(200 * 1024); // ~64 MiB in under 200 KiB
    const tmp = tempDir('bomb');
    try {
      const start = performance.now();
      await expect(openBundle(file, { tmpRoot: tmp, caps: { maxTotalBytes: 4 * 1024 * 1024, maxEntryBytes: 128 * 1024 * 1024 } })).rejects.toThrow(/more than 4194304 bytes uncompressed/);
      expect(performance.now() - start).toBeLessThan(5000);
      expect(listAll(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('refuses more entries than the cap', async () => {
    const file = archive('many.tar.gz', Array.from({ length: 50 }, (_, i) => entry({ path: `case/f${i}` }, 'x')));
    const tmp = tempDir('many');
    try {
      const err = await openBundle(file, { tmpRoot: tmp, caps: { maxEntries: 10 } }).catch((e) => e);
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toMatch(/more than 10 entries/);
      expect(listAll(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('what a real bundle may contain, and folder bundles', () => {
  let good: string;
  let unpacked: { dir: string; root: string };
  const profile = loadProfile('everrun-6.0');

  beforeAll(async () => {
    const uname = probeById('uname')!;
    const res = await createBundle({
      out: join(dir, 'good.tar.gz'),
      targets: [{ name: 'g', address: 'local', role: 'master', transport: 'local', collect: () => collectLocal([uname]) }],
      scanProbes: [uname],
      supportProbes: [],
      maxFileBytes: 4096,
      obfuscate: false,
      secrets: [],
      profile: profile.name,
      rules: profile.rules,
    });
    good = res.archive;
    unpacked = await unpack(good);
  });
  afterAll(() => rmSync(unpacked.dir, { recursive: true, force: true }));

  it('skips a link that stays inside the bundle, with a warning, and still reads it', async () => {
    const root = join(unpacked.dir, unpacked.root);
    const entries: Buffer[] = [];
    const walk = (rel: string) => {
      for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          entries.push(entry({ path: `good/${r}/`, type: 'Directory', mode: 0o755 }));
          walk(r);
        } else entries.push(entry({ path: `good/${r}` }, readFileSync(join(root, r))));
      }
    };
    entries.push(entry({ path: 'good/', type: 'Directory', mode: 0o755 }));
    walk('');
    entries.push(entry({ path: 'good/latest', type: 'SymbolicLink', linkpath: 'report.json' }));
    const file = archive('withlink.tar.gz', entries);
    const b = await openBundle(file, { tmpRoot: dir });
    try {
      expect(b.warnings).toEqual(['good/latest: symbolic link inside the bundle, skipped']);
      expect(b.problems).toEqual([]);
      expect(b.manifest.hosts[0]!.name).toBe('g');
    } finally {
      await b.close();
    }
  });

  it('refuses a folder bundle with a link pointing outside', () => {
    const root = join(unpacked.dir, unpacked.root);
    const link = join(root, 'hosts', 'escape');
    symlinkSync('/etc', link);
    try {
      const r = preflight(['report', root], { env: { DEBUG: '1' } });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/refused: hosts\/escape is a symbolic link pointing outside the bundle/);
    } finally {
      rmSync(link);
    }
  });

  it('refuses a manifest whose host folder leaves the bundle', () => {
    const root = join(unpacked.dir, unpacked.root);
    const mPath = join(root, 'manifest.json');
    const original = readFileSync(mPath, 'utf8');
    try {
      const m = JSON.parse(original);
      m.hosts[0].evidence = '../../etc/passwd';
      writeFileSync(mPath, JSON.stringify(m));
      const r = preflight(['report', root]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/manifest\.json: hosts\.0\.evidence/);
    } finally {
      writeFileSync(mPath, original);
    }
  });

  it('refuses a bundle of another major format version', () => {
    const root = join(unpacked.dir, unpacked.root);
    const mPath = join(root, 'manifest.json');
    const original = readFileSync(mPath, 'utf8');
    try {
      writeFileSync(mPath, original.replace('"formatVersion": "1.0.0"', '"formatVersion": "2.0.0"'));
      const r = preflight(['report', root]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/bundle format 2\.0\.0 is not supported \(this preflight reads 1\.x\)/);
    } finally {
      writeFileSync(mPath, original);
    }
  });

  it('reports a damaged evidence.json as bad input, not as an unreachable host', () => {
    const root = join(unpacked.dir, unpacked.root);
    const ePath = join(root, 'hosts', 'g', 'evidence.json');
    const original = readFileSync(ePath, 'utf8');
    try {
      writeFileSync(ePath, '{"transport": "local", "evidence": 42}');
      const r = preflight(['report', root]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/hosts\/g\/evidence\.json: /);
    } finally {
      writeFileSync(ePath, original);
    }
  });
});
