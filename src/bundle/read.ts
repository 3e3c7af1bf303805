import { createHash } from 'node:crypto';
import { closeSync, createReadStream, mkdirSync, openSync, writeSync } from 'node:fs';
import { lstat, mkdtemp, open, readdir, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix, relative, resolve, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import type { HostEvidence } from '../collect/evidence.js';
import { InputError } from '../engine/inputError.js';
import { isSafeRelativePath, MANIFEST } from './layout.js';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_MAJOR, HostEvidenceFile, Manifest, type BundleHost } from './manifest.js';

/**
 * Reading a bundle, defensively: it may come from anywhere. An archive is unpacked into a private
 * temporary folder (0700, removed by close()) by our own writer, never by tar's extractor:
 *  - only regular files and folders are written; paths must be relative without "." or "..";
 *  - symbolic and hard links are never created: one pointing outside the bundle is refused, one
 *    inside is skipped with a warning; devices, FIFOs and unknown entry types are refused;
 *  - each entry's declared size is checked before its data is read, the bytes written are counted
 *    again, and the uncompressed stream is counted as it is inflated, so a decompression bomb
 *    stops at the cap instead of filling the disk; entry count and path depth are capped too;
 *  - a file is created with O_EXCL inside the folder, so a duplicate entry is refused.
 * Any refusal is an InputError (one line, exit 2) and the folder is removed.
 * A folder bundle is read in place (nothing written) with the same checks.
 */

export interface ReadCaps {
  /** Largest single file. */
  maxEntryBytes: number;
  /** All uncompressed bytes together (tar headers included). */
  maxTotalBytes: number;
  maxEntries: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_READ_CAPS: ReadCaps = { maxEntryBytes: 512 * MiB, maxTotalBytes: 2048 * MiB, maxEntries: 50_000 };
const MAX_DEPTH = 64;
const MAX_PATH = 4096;

export interface OpenBundleOptions {
  caps?: Partial<ReadCaps>;
  /** Where the private extraction folder is made (default: the OS temporary folder). */
  tmpRoot?: string;
}

export interface OpenedBundle {
  /** The path the user gave. */
  source: string;
  /** The folder holding manifest.json. */
  root: string;
  manifest: Manifest;
  /** Checksum problems: files changed, missing, or not listed (one line each). Empty when all match. */
  problems: string[];
  /** Things skipped while reading (links inside the bundle). */
  warnings: string[];
  /** Files checked against the manifest. */
  checked: number;
  /** Removes the extraction folder (no-op for a folder bundle). */
  close(): Promise<void>;
}

class Refused extends Error {}

/** True when the path looks like a bundle (folder, gzip or tar) rather than a JSON report. */
export async function looksLikeBundle(path: string): Promise<boolean> {
  const st = await lstat(path).catch(() => undefined);
  if (!st) return false;
  if (st.isDirectory()) return true;
  const head = await readHead(path, 512);
  return isGzip(head) || isUstar(head);
}

export async function openBundle(path: string, opts: OpenBundleOptions = {}): Promise<OpenedBundle> {
  const caps = { ...DEFAULT_READ_CAPS, ...opts.caps };
  const st = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    throw new InputError(`${path}: cannot read: ${err.code ?? err.message}`);
  });
  if (st.isSymbolicLink()) {
    const target = await realpath(path).catch(() => undefined);
    if (!target) throw new InputError(`${path}: a broken symbolic link`);
    return openBundle(target, opts).then((b) => ({ ...b, source: path }));
  }
  if (st.isDirectory()) {
    const warnings: string[] = [];
    const root = await findRoot(path);
    await checkFolder(root, caps, warnings);
    return finish(path, root, warnings, async () => undefined);
  }
  if (!st.isFile()) throw new InputError(`${path}: not a file or folder`);

  const dir = await mkdtemp(join(opts.tmpRoot ?? tmpdir(), 'preflight-bundle-'));
  const close = () => rm(dir, { recursive: true, force: true });
  try {
    const warnings: string[] = [];
    await extract(path, dir, caps, warnings);
    const root = await findRoot(dir).catch((err: Error) => {
      throw new InputError(`${path}: ${err.message.replace(`${dir}: `, '')}`);
    });
    return await finish(path, root, warnings, close);
  } catch (err) {
    await close();
    if (err instanceof Refused) throw new InputError(`${path}: refused: ${err.message}`);
    throw err;
  }
}

async function finish(source: string, root: string, warnings: string[], close: () => Promise<unknown>): Promise<OpenedBundle> {
  try {
    const manifest = await readManifest(source, root);
    const { problems, checked } = await verify(root, manifest);
    return { source, root, manifest, problems, warnings, checked, close: async () => void (await close()) };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The folder with manifest.json: the given one, or its only subfolder (an archive's top folder). */
async function findRoot(dir: string): Promise<string> {
  const here = await lstat(join(dir, MANIFEST)).catch(() => undefined);
  if (here?.isFile()) return dir;
  const entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory());
  if (entries.length === 1) {
    const inner = join(dir, entries[0]!.name);
    const st = await lstat(join(inner, MANIFEST)).catch(() => undefined);
    if (st?.isFile()) return inner;
  }
  throw new InputError(`${dir}: not a preflight bundle (no ${MANIFEST} at its top)`);
}

async function readManifest(source: string, root: string): Promise<Manifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(join(root, MANIFEST), 'utf8'));
  } catch (err) {
    throw new InputError(`${source}: ${MANIFEST} is not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const head = raw as { format?: unknown; formatVersion?: unknown };
  if (head?.format !== BUNDLE_FORMAT) throw new InputError(`${source}: not a preflight bundle (${MANIFEST} has no "format": "${BUNDLE_FORMAT}")`);
  const major = typeof head.formatVersion === 'string' ? Number(head.formatVersion.split('.')[0]) : NaN;
  if (major !== BUNDLE_FORMAT_MAJOR) {
    throw new InputError(`${source}: bundle format ${String(head.formatVersion)} is not supported (this preflight reads ${BUNDLE_FORMAT_MAJOR}.x)`);
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(`${source}: ${MANIFEST}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  for (const h of parsed.data.hosts) {
    for (const p of [h.dir, h.evidence]) {
      if (p !== undefined && !isSafeRelativePath(p)) throw new InputError(`${source}: ${MANIFEST}: host ${h.name}: path "${p}" leaves the bundle`);
    }
  }
  return parsed.data;
}

/** Every file listed is there with its size and sha256; every file there is listed. */
async function verify(root: string, manifest: Manifest): Promise<{ problems: string[]; checked: number }> {
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.path);
    if (!isSafeRelativePath(f.path)) {
      problems.push(`${f.path}: listed path leaves the bundle (not checked)`);
      continue;
    }
    const abs = join(root, ...f.path.split('/'));
    const st = await lstat(abs).catch(() => undefined);
    if (!st) {
      problems.push(`${f.path}: listed in the manifest but missing`);
      continue;
    }
    if (!st.isFile()) {
      problems.push(`${f.path}: not a regular file`);
      continue;
    }
    const digest = await sha256File(abs);
    if (digest !== f.sha256 || st.size !== f.size) problems.push(`${f.path}: checksum mismatch (changed after the bundle was made)`);
  }
  for (const rel of await listFiles(root)) {
    if (rel !== MANIFEST && !listed.has(rel)) problems.push(`${rel}: not listed in the manifest`);
  }
  return { problems, checked: manifest.files.length };
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(root, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(root, rel)));
    else out.push(rel);
  }
  return out;
}

/** The stored evidence of a host, validated, as the scan would have produced it (transport "bundle"). */
export async function loadHostEvidence(b: OpenedBundle, host: Pick<BundleHost, 'evidence' | 'error'>): Promise<HostEvidence> {
  if (!host.evidence) throw new Error(host.error ?? 'not collected');
  const file = join(b.root, ...host.evidence.split('/'));
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new InputError(`${b.source}: ${host.evidence}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `not valid JSON (${(err as Error).message.split('\n')[0]})`}`);
  }
  const parsed = HostEvidenceFile.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new InputError(`${b.source}: ${host.evidence}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return { ...parsed.data, transport: 'bundle' };
}

// --- folder bundles -------------------------------------------------------------------------

async function checkFolder(root: string, caps: ReadCaps, warnings: string[]): Promise<void> {
  const realRoot = await realpath(root);
  let total = 0;
  let count = 0;
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) throw new InputError(`${root}: refused: deeper than ${MAX_DEPTH} folders`);
    for (const e of await readdir(join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const abs = join(root, r);
      if (++count > caps.maxEntries) throw new InputError(`${root}: refused: more than ${caps.maxEntries} entries`);
      const st = await lstat(abs);
      if (st.isSymbolicLink()) {
        const target = await realpath(abs).catch(() => undefined);
        if (target === undefined || !(target === realRoot || target.startsWith(realRoot + sep))) {
          throw new InputError(`${root}: refused: ${r} is a symbolic link pointing outside the bundle`);
        }
        warnings.push(`${r}: symbolic link inside the bundle, not followed`);
      } else if (st.isDirectory()) {
        await walk(r, depth + 1);
      } else if (st.isFile()) {
        if (st.size > caps.maxEntryBytes) throw new InputError(`${root}: refused: ${r} is ${st.size} bytes, over the ${caps.maxEntryBytes}-byte cap`);
        total += st.size;
        if (total > caps.maxTotalBytes) throw new InputError(`${root}: refused: more than ${caps.maxTotalBytes} bytes in all`);
      } else {
        throw new InputError(`${root}: refused: ${r} is a device, FIFO or socket`);
      }
    }
  };
  await walk('', 0);
}

// --- archives -------------------------------------------------------------------------------

async function readHead(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

const isGzip = (b: Buffer) => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const isUstar = (b: Buffer) => b.length >= 262 && b.subarray(257, 262).toString('latin1') === 'ustar';

/** Where an entry may land, or a refusal. */
function entryPath(raw: string): string {
  let p = raw;
  if (p.length > MAX_PATH) throw new Refused(`an entry path is longer than ${MAX_PATH} characters`);
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.startsWith('\\')) throw new Refused(`entry "${shown(raw)}" has an absolute path`);
  if (p.includes('\\')) throw new Refused(`entry "${shown(raw)}" has a backslash in its path`);
  if (p.includes('\0')) throw new Refused(`entry "${shown(raw)}" has a NUL in its path`);
  while (p.startsWith('./')) p = p.slice(2);
  p = p.replace(/\/+$/, '');
  const parts = p.split('/');
  if (parts.includes('..')) throw new Refused(`entry "${shown(raw)}" climbs out of the bundle (..)`);
  if (p === '' || p === '.' || parts.some((s) => s === '' || s === '.')) throw new Refused(`entry "${shown(raw)}" has an empty or "." path segment`);
  if (parts.length > MAX_DEPTH) throw new Refused(`entry "${shown(raw)}" is deeper than ${MAX_DEPTH} folders`);
  return p;
}

/** Entry names shown in a one-line message: no control characters, bounded. */
function shown(s: string): string {
  const t = s.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
  return t.length > 120 ? `${t.slice(0, 117)}...` : t;
}

/** True when a link's target stays inside the bundle. Hard links name a path from the top. */
function linkInside(entry: string, linkpath: string, hard: boolean): boolean {
  if (linkpath.startsWith('/') || /^[A-Za-z]:/.test(linkpath) || linkpath.includes('\\')) return false;
  const from = hard ? '' : posix.dirname(entry);
  const target = posix.normalize(posix.join(from, linkpath));
  return !(target === '..' || target.startsWith('../') || target.startsWith('/'));
}

async function extract(archive: string, dir: string, caps: ReadCaps, warnings: string[]): Promise<void> {
  const head = await readHead(archive, 512);
  const gz = isGzip(head);
  if (!gz && !isUstar(head)) throw new InputError(`${archive}: not a bundle (neither a .tar.gz nor a tar archive, nor a folder)`);

  const parser = new Parser({ strict: true });
  let failure: Error | undefined;
  let entries = 0;
  let checkedMagic = false;
  const openFds = new Set<number>();
  const fail = (err: Error) => {
    failure ??= err;
  };
  parser.on('warn', (_code: string, message: string | Error) => fail(new Refused(`not a valid tar archive (${typeof message === 'string' ? message : message.message})`)));
  parser.on('error', (err: Error) => fail(new Refused(`not a valid tar archive (${err.message})`)));
  parser.on('ignoredEntry', (entry: ReadEntry) => fail(new Refused(`entry "${shown(entry.path)}" has an unsupported type (${entry.type})`)));
  parser.on('entry', (entry: ReadEntry) => {
    try {
      if (failure) throw failure;
      if (++entries > caps.maxEntries) throw new Refused(`more than ${caps.maxEntries} entries`);
      const rel = entryPath(entry.path);
      const abs = resolve(dir, ...rel.split('/'));
      if (!abs.startsWith(dir + sep)) throw new Refused(`entry "${shown(entry.path)}" lands outside the bundle`);
      switch (entry.type) {
        case 'Directory':
          mkdirSync(abs, { recursive: true, mode: 0o700 });
          entry.resume();
          return;
        case 'File':
        case 'OldFile':
        case 'ContiguousFile': {
          if ((entry.size ?? 0) > caps.maxEntryBytes) throw new Refused(`entry "${shown(entry.path)}" is ${entry.size} bytes, over the ${caps.maxEntryBytes}-byte cap`);
          mkdirSync(resolve(abs, '..'), { recursive: true, mode: 0o700 });
          let fd: number;
          try {
            fd = openSync(abs, 'wx', 0o600);
          } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            throw new Refused(code === 'EEXIST' ? `entry "${shown(entry.path)}" appears twice` : `entry "${shown(entry.path)}" cannot be written (${code})`);
          }
          openFds.add(fd);
          let written = 0;
          entry.on('data', (chunk: Buffer) => {
            if (failure) return;
            written += chunk.length;
            if (written > caps.maxEntryBytes) return fail(new Refused(`entry "${shown(entry.path)}" is over the ${caps.maxEntryBytes}-byte cap`));
            try {
              writeSync(fd, chunk);
            } catch (err) {
              fail(err as Error);
            }
          });
          entry.on('end', () => {
            openFds.delete(fd);
            closeSync(fd);
          });
          return;
        }
        case 'SymbolicLink':
        case 'Link': {
          const hard = entry.type === 'Link';
          const to = entry.linkpath ?? '';
          if (!linkInside(rel, to, hard)) throw new Refused(`entry "${shown(entry.path)}" is a ${hard ? 'hard' : 'symbolic'} link pointing outside the bundle (${shown(to)})`);
          warnings.push(`${rel}: ${hard ? 'hard' : 'symbolic'} link inside the bundle, skipped`);
          entry.resume();
          return;
        }
        case 'CharacterDevice':
        case 'BlockDevice':
        case 'FIFO':
          throw new Refused(`entry "${shown(entry.path)}" is a ${entry.type === 'FIFO' ? 'FIFO' : 'device file'}`);
        default:
          throw new Refused(`entry "${shown(entry.path)}" has an unsupported type (${entry.type})`);
      }
    } catch (err) {
      fail(err as Error);
      entry.resume();
    }
  });

  const source = createReadStream(archive);
  const stream = gz ? source.pipe(createGunzip()) : source;
  source.on('error', (err) => fail(err));
  let total = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!checkedMagic) {
        checkedMagic = true;
        // A tar inside, nothing else: a second gzip (or zstd) layer would be inflated by the tar
        // parser itself, out of reach of the byte count below.
        if (chunk.length >= 262 && !isUstar(chunk)) throw new Refused('the archive does not hold a tar stream');
      }
      total += chunk.length;
      if (total > caps.maxTotalBytes) throw new Refused(`more than ${caps.maxTotalBytes} bytes uncompressed (decompression bomb?)`);
      const ok = parser.write(chunk);
      if (failure) throw failure;
      if (!ok) await new Promise<void>((r) => parser.once('drain', () => r()));
      if (failure) throw failure;
    }
    await new Promise<void>((r) => {
      parser.once('end', () => r());
      parser.once('close', () => r());
      parser.once('error', () => r());
      parser.end();
    });
    if (failure) throw failure;
    if (entries === 0) throw new Refused('the archive is empty');
  } catch (err) {
    for (const fd of openFds) closeSync(fd);
    source.destroy();
    if (stream !== source) (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
    if (err instanceof Refused || err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || code === 'Z_STREAM_ERROR') throw new Refused(`corrupt gzip data (${(err as Error).message})`);
    throw err;
  }
}

function sha256File(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}

/** The bundle path of a file under the root (for messages). */
export function bundleRelative(b: OpenedBundle, abs: string): string {
  return relative(b.root, abs).split(sep).join('/');
}
