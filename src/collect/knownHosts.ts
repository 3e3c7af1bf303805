import { createHash, createHmac, randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * OpenSSH known_hosts: reading, host lookup, fingerprints and accept-new appends.
 *
 * Line format (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"):
 *   [@revoked|@cert-authority] patterns keytype base64-key [comment]
 * where patterns is a comma list of host names, `[host]:port` forms, wildcards (* ?) and
 * negations (!pattern), or one hashed name `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`.
 */

export type HostKeyStatus = 'known' | 'unknown' | 'changed' | 'revoked';

export interface KnownHostEntry {
  file: string;
  /** 1-based line number, for messages like OpenSSH's "Offending key in FILE:LINE". */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** The host field as written (a comma list, or one hashed `|1|...` name). */
  hosts: string;
  keyType: string;
  key: Buffer;
}

export interface KnownHosts {
  entries: KnownHostEntry[];
  /** Lines that were skipped, as `FILE:LINE: reason` (OpenSSH skips them too). */
  problems: string[];
}

export interface HostKeyCheck {
  status: HostKeyStatus;
  /** The presented key's type (from the key blob) and OpenSSH-style fingerprint. */
  keyType: string;
  fingerprint: string;
  /** For 'known': the matching line; for 'changed': the lines it contradicts; for 'revoked': the revocation. */
  entries: KnownHostEntry[];
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise; lower-cased. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** `SHA256:` + unpadded base64 of sha256(key blob), as `ssh-keygen -l` and ssh print it. */
export function sha256Fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The type name inside an SSH public key blob (its first string), e.g. `ssh-ed25519`; '' if malformed. */
export function keyBlobType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return '';
  const len = keyBlob.readUInt32BE(0);
  if (len < 1 || len > 64 || 4 + len > keyBlob.length) return '';
  const type = keyBlob.subarray(4, 4 + len).toString('latin1');
  return /^[\x21-\x7e]+$/.test(type) ? type : '';
}

/** Reads a known_hosts file; a missing file is an empty one (as for OpenSSH). */
export function readKnownHosts(file: string): KnownHosts {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { entries: [], problems: [] };
    throw new Error(`${file}: cannot read the known hosts file (${code ?? (err as Error).message})`);
  }
  return parseKnownHosts(text, file);
}

export function parseKnownHosts(text: string, file = 'known_hosts'): KnownHosts {
  const entries: KnownHostEntry[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.replace(/\r$/, '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/[ \t]+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]!.startsWith('@')) {
      const m = fields.shift()!;
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else {
        problems.push(`${file}:${line}: unknown marker ${JSON.stringify(m.slice(0, 40))}`);
        return;
      }
    }
    const [hosts, keyType, b64] = fields;
    if (hosts === undefined || keyType === undefined || b64 === undefined) {
      problems.push(`${file}:${line}: expected "hosts keytype key"`);
      return;
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
      problems.push(`${file}:${line}: the key is not base64`);
      return;
    }
    const key = Buffer.from(b64, 'base64');
    const blobType = keyBlobType(key);
    if (blobType === '') {
      problems.push(`${file}:${line}: the key is not an SSH public key`);
      return;
    }
    if (blobType !== keyType && !keyType.startsWith(`${blobType}-cert`)) {
      problems.push(`${file}:${line}: the line says ${keyType} but the key is ${blobType}`);
      return;
    }
    if (hosts.startsWith('|') && parseHashedName(hosts) === undefined) {
      problems.push(`${file}:${line}: malformed hashed host name`);
      return;
    }
    entries.push({ file, line, ...(marker ? { marker } : {}), hosts, keyType: blobType, key });
  });
  return { entries, problems };
}

function parseHashedName(field: string): { salt: Buffer; hash: Buffer } | undefined {
  const m = /^\|1\|([A-Za-z0-9+/]+={0,2})\|([A-Za-z0-9+/]+={0,2})$/.exec(field);
  if (!m) return undefined;
  const salt = Buffer.from(m[1]!, 'base64');
  const hash = Buffer.from(m[2]!, 'base64');
  // HMAC-SHA1: a 20-byte key (salt) and a 20-byte digest.
  return salt.length === 20 && hash.length === 20 ? { salt, hash } : undefined;
}

/** `ssh-keygen -H` form of a name: `|1|salt|HMAC-SHA1(salt, name)`. */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest();
  return `|1|${salt.toString('base64')}|${hash.toString('base64')}`;
}

/** OpenSSH's wildcard match: `*` any run, `?` one character, case-insensitive. */
function wildcardMatch(pattern: string, name: string): boolean {
  const re = pattern
    .toLowerCase()
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`, 's').test(name);
}

/** Whether an entry's host field names `name` (the output of knownHostsName). */
export function hostFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|')) {
    const h = parseHashedName(hosts);
    return h !== undefined && createHmac('sha1', h.salt).update(name).digest().equals(h.hash);
  }
  // A negated pattern that matches vetoes the whole line, whatever else matches.
  let matched = false;
  for (const pattern of hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (wildcardMatch(pattern.slice(1), name)) return false;
    } else if (wildcardMatch(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

/**
 * Checks a presented host key against the entries for host:port.
 *   revoked: a matching `@revoked` line lists this key: refuse.
 *   known:   a matching line has exactly this key.
 *   changed: the host is listed, but not with this key: either with another key of the same
 *            type, or only with keys of other types. (OpenSSH's accept-new would add the key in
 *            the second case; preflight asks for `ssh-keygen -R` instead, and offers the server
 *            the known types first — see orderHostKeyAlgorithms — so it only happens when the
 *            server no longer has the listed key.)
 *   unknown: the host is not listed at all.
 * `@cert-authority` lines are ignored: preflight does not use host certificates.
 */
export function checkHostKey(known: KnownHosts, host: string, port: number, keyBlob: Buffer): HostKeyCheck {
  const name = knownHostsName(host, port);
  const keyType = keyBlobType(keyBlob);
  const fingerprint = sha256Fingerprint(keyBlob);
  const forHost = known.entries.filter((e) => e.marker !== 'cert-authority' && hostFieldMatches(e.hosts, name));
  const revoked = forHost.filter((e) => e.marker === 'revoked' && e.key.equals(keyBlob));
  if (revoked.length) return { status: 'revoked', keyType, fingerprint, entries: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const same = plain.filter((e) => e.key.equals(keyBlob));
  if (same.length) return { status: 'known', keyType, fingerprint, entries: same };
  if (plain.length === 0) return { status: 'unknown', keyType, fingerprint, entries: [] };
  const sameType = plain.filter((e) => e.keyType === keyType);
  return { status: 'changed', keyType, fingerprint, entries: sameType.length ? sameType : plain };
}

/** Key types listed for host:port (plain entries only), in file order, to offer those first. */
export function knownKeyTypes(known: KnownHosts, host: string, port: number): string[] {
  const name = knownHostsName(host, port);
  const types = known.entries.filter((e) => e.marker === undefined && hostFieldMatches(e.hosts, name)).map((e) => e.keyType);
  return [...new Set(types)];
}

export interface AppendOptions {
  /** Write the name hashed, like `HashKnownHosts yes` (Debian's default for ssh). */
  hashName?: boolean;
}

/**
 * Adds `name keytype base64` for host:port (OpenSSH's accept-new). The file is rewritten through a
 * temporary file in the same directory and renamed over it, so a reader never sees half a line;
 * the existing mode is kept, a new file is 0600 in a 0700 directory. Synchronous on purpose: the
 * read-modify-rename cannot interleave with another host's append in this process.
 */
export function appendKnownHost(file: string, host: string, port: number, keyBlob: Buffer, opts: AppendOptions = {}): string {
  const keyType = keyBlobType(keyBlob);
  if (keyType === '') throw new Error(`${file}: refusing to add a malformed host key`);
  const name = knownHostsName(host, port);
  const line = `${opts.hashName ? hashHostName(name) : name} ${keyType} ${keyBlob.toString('base64')}\n`;
  // Write next to the real file when known_hosts is a symlink (dotfile managers), keeping the link.
  let target = file;
  try {
    target = realpathSync(file);
  } catch {
    /* does not exist yet */
  }
  const dir = dirname(target);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new Error(`${file}: cannot create its directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let existing = '';
  let mode = 0o600;
  try {
    existing = readFileSync(target, 'utf8');
    mode = statSync(target).mode & 0o7777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`${file}: cannot read the known hosts file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  const text = existing === '' || existing.endsWith('\n') ? existing + line : `${existing}\n${line}`;
  const tmp = join(dir, `.${randomBytes(6).toString('hex')}.preflight-tmp`);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, mode); // openSync's mode is filtered by the umask
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new Error(`${file}: cannot add the host key (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return line.trimEnd();
}
