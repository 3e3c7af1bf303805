import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import {
  appendKnownHost,
  checkHostKey,
  hashHostName,
  hostFieldMatches,
  keyBlobType,
  knownHostsName,
  knownKeyTypes,
  parseKnownHosts,
  readKnownHosts,
  sha256Fingerprint,
} from '../../src/collect/knownHosts.js';

const dir = mkdtempSync(join(tmpdir(), 'pft-known-hosts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh public key: the `.pub` line and its blob. */
function newKey(type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519'): { line: string; blob: Buffer; b64: string; type: string } {
  const pair = type === 'rsa' ? ssh2.utils.generateKeyPairSync('rsa', { bits: 2048 }) : type === 'ecdsa' ? ssh2.utils.generateKeyPairSync('ecdsa', { bits: 256 }) : ssh2.utils.generateKeyPairSync('ed25519');
  const [keyType, b64] = pair.public.split(' ') as [string, string];
  return { line: `${keyType} ${b64}`, blob: Buffer.from(b64, 'base64'), b64, type: keyType };
}

const keygen = (args: string[]) => spawnSync('ssh-keygen', args, { encoding: 'utf8' });
const hasKeygen = !keygen(['-?']).error;

const ED = newKey('ed25519');
const ED2 = newKey('ed25519');
const EC = newKey('ecdsa');

describe('known_hosts parsing', () => {
  it('reads plain, bracketed, listed, wildcard and negated host fields', () => {
    const kh = parseKnownHosts(
      [
        '# a comment',
        '',
        `h1.example,10.0.0.11 ${ED.line} root@h1`,
        `[10.0.0.12]:2222 ${ED.line}`,
        `*.lab,!bad.lab ${EC.line}`,
        `   \tindented ${ED2.line}`,
      ].join('\n'),
      'kh',
    );
    expect(kh.problems).toEqual([]);
    expect(kh.entries.map((e) => [e.line, e.hosts, e.keyType])).toEqual([
      [3, 'h1.example,10.0.0.11', 'ssh-ed25519'],
      [4, '[10.0.0.12]:2222', 'ssh-ed25519'],
      [5, '*.lab,!bad.lab', 'ecdsa-sha2-nistp256'],
      [6, 'indented', 'ssh-ed25519'],
    ]);
    expect(hostFieldMatches('h1.example,10.0.0.11', '10.0.0.11')).toBe(true);
    expect(hostFieldMatches('h1.example,10.0.0.11', 'H1.EXAMPLE'.toLowerCase())).toBe(true);
    expect(hostFieldMatches('[10.0.0.12]:2222', knownHostsName('10.0.0.12', 2222))).toBe(true);
    expect(hostFieldMatches('[10.0.0.12]:2222', knownHostsName('10.0.0.12', 22))).toBe(false);
    expect(hostFieldMatches('*.lab,!bad.lab', 'good.lab')).toBe(true);
    expect(hostFieldMatches('*.lab,!bad.lab', 'bad.lab')).toBe(false);
    expect(hostFieldMatches('h?.lab', 'h1.lab')).toBe(true);
    expect(hostFieldMatches('h?.lab', 'h12.lab')).toBe(false);
  });

  it('names file:line for every line it skips', () => {
    const kh = parseKnownHosts(
      [`@bogus h ${ED.line}`, 'onlyhost', `h ssh-ed25519 not*base64`, `h ssh-ed25519 ${Buffer.from('junk').toString('base64')}`, `h ssh-rsa ${ED.b64}`, `|1|short|x= ${ED.line}`, `ok ${ED.line}`].join('\n'),
      '/x/known_hosts',
    );
    expect(kh.entries.map((e) => e.line)).toEqual([7]);
    expect(kh.problems).toEqual([
      '/x/known_hosts:1: unknown marker "@bogus"',
      '/x/known_hosts:2: expected "hosts keytype key"',
      '/x/known_hosts:3: the key is not base64',
      '/x/known_hosts:4: the key is not an SSH public key',
      '/x/known_hosts:5: the line says ssh-rsa but the key is ssh-ed25519',
      '/x/known_hosts:6: malformed hashed host name',
    ]);
  });

  it('treats a missing file as empty and names an unreadable one', () => {
    expect(readKnownHosts(join(dir, 'absent'))).toEqual({ entries: [], problems: [] });
    expect(() => readKnownHosts(dir)).toThrow(new RegExp(`^${dir}: cannot read the known hosts file \\(EISDIR\\)`));
  });
});

describe('host key check', () => {
  const name = '10.0.0.11';

  it('knows the listed key, with or without a port', () => {
    const kh = parseKnownHosts(`${name} ${ED.line}\n[${name}]:2222 ${EC.line}\n`, 'kh');
    expect(checkHostKey(kh, name, 22, ED.blob)).toMatchObject({ status: 'known', keyType: 'ssh-ed25519', entries: [{ line: 1 }] });
    expect(checkHostKey(kh, name, 2222, EC.blob).status).toBe('known');
    expect(checkHostKey(kh, name, 2222, ED.blob).status).toBe('changed');
    expect(checkHostKey(kh, '10.0.0.99', 22, ED.blob)).toMatchObject({ status: 'unknown', entries: [] });
  });

  it('says changed for another key of the same type, naming that line', () => {
    const kh = parseKnownHosts(`other ${ED2.line}\n${name} ${EC.line}\n${name} ${ED2.line}\n`, 'kh');
    const r = checkHostKey(kh, name, 22, ED.blob);
    expect(r.status).toBe('changed');
    expect(r.entries.map((e) => `${e.file}:${e.line}`)).toEqual(['kh:3']);
  });

  it('says changed when only keys of other types are listed', () => {
    const kh = parseKnownHosts(`${name} ${EC.line}\n`, 'kh');
    expect(checkHostKey(kh, name, 22, ED.blob)).toMatchObject({ status: 'changed', entries: [{ keyType: 'ecdsa-sha2-nistp256' }] });
  });

  it('refuses a revoked key even when it is also listed, and ignores @cert-authority lines', () => {
    const kh = parseKnownHosts(`@revoked * ${ED.line}\n${name} ${ED.line}\n@cert-authority * ${ED2.line}\n`, 'kh');
    expect(checkHostKey(kh, name, 22, ED.blob)).toMatchObject({ status: 'revoked', entries: [{ line: 1, marker: 'revoked' }] });
    // The CA line does not make the host "known" (or "changed").
    expect(checkHostKey(parseKnownHosts(`@cert-authority * ${ED2.line}\n`), name, 22, ED.blob).status).toBe('unknown');
  });

  it('matches hashed names, our own and those of `ssh-keygen -H`', () => {
    const ours = parseKnownHosts(`${hashHostName(knownHostsName(name, 2222))} ${ED.line}\n`);
    expect(checkHostKey(ours, name, 2222, ED.blob).status).toBe('known');
    expect(checkHostKey(ours, name, 22, ED.blob).status).toBe('unknown');
    if (!hasKeygen) return;
    const file = join(dir, 'hashed');
    writeFileSync(file, `${name} ${ED.line}\n[h2.lab]:2200 ${EC.line}\n`);
    expect(keygen(['-H', '-f', file]).status).toBe(0);
    const kh = readKnownHosts(file);
    expect(kh.entries.every((e) => e.hosts.startsWith('|1|'))).toBe(true);
    expect(checkHostKey(kh, name, 22, ED.blob).status).toBe('known');
    expect(checkHostKey(kh, 'H2.lab', 2200, EC.blob).status).toBe('known');
    expect(checkHostKey(kh, 'h2.lab', 2200, ED.blob).status).toBe('changed');
  });

  it('lists the known key types of a host so they can be offered first', () => {
    const kh = parseKnownHosts(`${name} ${EC.line}\n${name} ${ED.line}\nother ${newKey('rsa').line}\n`);
    expect(knownKeyTypes(kh, name, 22)).toEqual(['ecdsa-sha2-nistp256', 'ssh-ed25519']);
  });
});

describe('fingerprints', () => {
  it('are what ssh-keygen -l prints', () => {
    expect(keyBlobType(ED.blob)).toBe('ssh-ed25519');
    expect(keyBlobType(Buffer.from([0, 0]))).toBe('');
    const fp = sha256Fingerprint(ED.blob);
    expect(fp).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    if (!hasKeygen) return;
    for (const k of [ED, EC]) {
      const file = join(dir, `k-${k.type}.pub`);
      writeFileSync(file, `${k.line} test\n`);
      const out = keygen(['-l', '-E', 'sha256', '-f', file]);
      expect(out.stdout.split(' ')[1]).toBe(sha256Fingerprint(k.blob));
    }
  });
});

describe('accept-new append', () => {
  it('creates the file 0600 in a new 0700 directory', () => {
    const file = join(dir, 'new', 'deeper', 'known_hosts');
    const line = appendKnownHost(file, '10.0.0.11', 2222, ED.blob);
    expect(line).toBe(`[10.0.0.11]:2222 ${ED.line}`);
    expect(readFileSync(file, 'utf8')).toBe(`${line}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'new', 'deeper')).mode & 0o777).toBe(0o700);
    expect(checkHostKey(readKnownHosts(file), '10.0.0.11', 2222, ED.blob).status).toBe('known');
  });

  it('keeps existing lines, the mode, and a symlink; leaves no temporary file', () => {
    const sub = mkdtempSync(join(dir, 'keep-'));
    const real = join(sub, 'real_known_hosts');
    writeFileSync(real, `# mine\nh1 ${EC.line}`); // no final newline
    chmodSync(real, 0o644);
    const link = join(sub, 'known_hosts');
    symlinkSync(real, link);
    appendKnownHost(link, 'h2', 22, ED.blob);
    expect(readFileSync(real, 'utf8')).toBe(`# mine\nh1 ${EC.line}\nh2 ${ED.line}\n`);
    expect(statSync(real).mode & 0o777).toBe(0o644);
    expect(readdirSync(sub).sort()).toEqual(['known_hosts', 'real_known_hosts']);
  });

  it('can hash the name like HashKnownHosts', () => {
    const file = join(dir, 'hashed-append');
    const line = appendKnownHost(file, '10.0.0.13', 22, ED.blob, { hashName: true });
    expect(line).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
    expect(line).not.toContain('10.0.0.13');
    expect(checkHostKey(readKnownHosts(file), '10.0.0.13', 22, ED.blob).status).toBe('known');
  });

  it('refuses a malformed key and names the file when it cannot write', () => {
    expect(() => appendKnownHost(join(dir, 'x'), 'h', 22, Buffer.from('nope'))).toThrow(/malformed host key/);
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    expect(() => appendKnownHost(join(blocker, 'known_hosts'), 'h', 22, ED.blob)).toThrow(`${blocker}/known_hosts: cannot create its directory (EEXIST)`);
  });
});
