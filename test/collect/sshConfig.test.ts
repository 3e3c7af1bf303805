import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultIdentityFiles,
  defaultKnownHostsFile,
  parseSshAddress,
  resolveSshAlias,
  resolveSshDestination,
  SshConfigError,
} from '../../src/collect/sshConfig.js';

const home = mkdtempSync(join(tmpdir(), 'pft-sshcfg-'));
const sshDir = join(home, '.ssh');
mkdirSync(sshDir, { mode: 0o700 });
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** Writes ~/.ssh/<name> in the test home and returns its path. */
function sshFile(name: string, text: string): string {
  const file = join(sshDir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

const opts = (configFile: string) => ({ configFile, homeDir: home, localUser: 'operator' });

describe('parseSshAddress', () => {
  it.each([
    ['h1', { host: 'h1' }],
    ['root@h1', { user: 'root', host: 'h1' }],
    ['root@10.0.0.11:2222', { user: 'root', host: '10.0.0.11', port: 2222 }],
    ['h1:22', { host: 'h1', port: 22 }],
    ['[fe80::1]:2200', { host: 'fe80::1', port: 2200 }],
    ['admin@[::1]', { user: 'admin', host: '::1' }],
    ['::1', { host: '::1' }],
    ['me@corp@h1', { user: 'me@corp', host: 'h1' }],
  ])('%s', (address, expected) => {
    expect(parseSshAddress(address)).toEqual(expected);
  });

  it.each(['', '@h1', 'root@', 'h1:0', 'h1:65536', 'h1:ssh', '-oProxyCommand=x', 'h 1', 'h1\n', '[::1]:x'])('refuses %j', (address) => {
    expect(() => parseSshAddress(address)).toThrow(SshConfigError);
  });
});

describe('resolveSshAlias', () => {
  const config = sshFile(
    'config',
    [
      '# the pool',
      'Host h1 xen-a',
      '  HostName 10.0.0.11',
      '  User root',
      '  Port 2222',
      '  IdentityFile ~/.ssh/id_pool',
      '  IdentityFile %d/.ssh/id_%r@%h_%p',
      '',
      'Host *.lab !skip.lab',
      '  HostName %h.example.org',
      '  User labber',
      '',
      'Host quoted',
      '  IdentityFile "~/.ssh/with space"',
      '',
      'Host *',
      '  User fallback',
      '  Port 22',
      '  IdentityFile ~/.ssh/id_all',
      '',
    ].join('\n'),
  );

  it('takes HostName, User, Port and every IdentityFile (first value wins, files accumulate)', () => {
    expect(resolveSshAlias('xen-a', opts(config))).toEqual({
      alias: 'xen-a',
      hostName: '10.0.0.11',
      user: 'root',
      port: 2222,
      identityFiles: [join(sshDir, 'id_pool'), join(home, '.ssh/id_root@10.0.0.11_2222'), join(sshDir, 'id_all')],
    });
  });

  it('matches wildcards and negations, and expands %h in HostName', () => {
    expect(resolveSshAlias('db.lab', opts(config))).toMatchObject({ hostName: 'db.lab.example.org', user: 'labber', port: 22 });
    expect(resolveSshAlias('skip.lab', opts(config))).toMatchObject({ hostName: 'skip.lab', user: 'fallback' });
    expect(resolveSshAlias('quoted', opts(config)).identityFiles[0]).toBe(join(sshDir, 'with space'));
  });

  it('gives the alias back as the host when nothing matches or there is no config', () => {
    const none = sshFile('empty', '');
    expect(resolveSshAlias('10.1.1.1', opts(none))).toEqual({ alias: '10.1.1.1', hostName: '10.1.1.1', identityFiles: [] });
    // The default file is optional; a file the user named is not.
    expect(resolveSshAlias('x', { homeDir: join(home, 'nobody') })).toEqual({ alias: 'x', hostName: 'x', identityFiles: [] });
    expect(() => resolveSshAlias('x', opts(join(sshDir, 'missing')))).toThrow(/missing: cannot read the SSH config \(ENOENT\)/);
  });

  it('refuses tokens it does not expand, and bad ports, clearly', () => {
    const file = sshFile('tokens', 'Host a\n  IdentityFile ~/.ssh/%C\nHost b\n  Port none\nHost c\n  IdentityFile ${PFT_UNSET_VAR}/k\nHost d\n  IdentityFile ~other/.ssh/k\n');
    expect(() => resolveSshAlias('a', opts(file))).toThrow(/IdentityFile "~\/\.ssh\/%C" uses %C, which preflight does not expand/);
    expect(() => resolveSshAlias('b', opts(file))).toThrow(/Port "none" for b is not 1-65535/);
    expect(() => resolveSshAlias('c', opts(file))).toThrow(/uses \$\{PFT_UNSET_VAR\}, which is not set/);
    expect(() => resolveSshAlias('d', opts(file))).toThrow(/~user paths are not supported/);
  });

  it('expands ${VAR} and %% in IdentityFile', () => {
    process.env.PFT_KEYS = '/keys';
    const file = sshFile('env', 'Host e\n  IdentityFile ${PFT_KEYS}/id_100%%\n');
    expect(resolveSshAlias('e', opts(file)).identityFiles).toEqual(['/keys/id_100%']);
    delete process.env.PFT_KEYS;
  });

  it('follows Include: top level (relative to ~/.ssh, globbed, sorted) and inside a matching Host only', () => {
    sshFile('conf.d/20-b.conf', 'Host b\n  HostName 10.0.0.22\n');
    sshFile('conf.d/10-a.conf', 'Host a\n  HostName 10.0.0.21\n  User from-a\n');
    sshFile('conf.d/ignored.txt', 'Host a\n  HostName wrong\n');
    sshFile('pool-extra', 'Port 2201\nIdentityFile ~/.ssh/id_extra\nHost other\n  User nope\n');
    const main = sshFile(
      'config-include',
      ['Include conf.d/*.conf', 'Host a', '  Include pool-extra', '  User late', 'Host z', '  Include pool-extra', 'Host *', '  User star', ''].join('\n'),
    );
    expect(resolveSshAlias('a', opts(main))).toEqual({ alias: 'a', hostName: '10.0.0.21', user: 'from-a', port: 2201, identityFiles: [join(sshDir, 'id_extra')] });
    expect(resolveSshAlias('b', opts(main))).toMatchObject({ hostName: '10.0.0.22', user: 'star' });
    // Host z does not match "b": its Include is skipped, so no Port 2201.
    expect(resolveSshAlias('b', opts(main)).port).toBeUndefined();
    expect(resolveSshAlias('c', opts(main))).toMatchObject({ hostName: 'c', user: 'star' });
  });

  it('refuses Include loops and Include inside Match, and never runs Match exec', () => {
    const loop = sshFile('loop', 'Include loop\n');
    expect(() => resolveSshAlias('x', opts(loop))).toThrow(/nested more than 16 deep/);
    const inMatch = sshFile('inmatch', 'Match host x\n  Include pool-extra\n');
    expect(() => resolveSshAlias('x', opts(inMatch))).toThrow(/Include inside a Match block is not supported/);
    const flag = join(home, 'match-exec-ran');
    const exec = sshFile('exec', `Match exec "touch ${flag}"\n  User evil\nMatch host m\n  User matched\n`);
    expect(resolveSshAlias('m', opts(exec)).user).toBe('matched');
    expect(existsSync(flag)).toBe(false);
  });
});

describe('resolveSshDestination', () => {
  const config = sshFile('config-dest', 'Host pool1\n  HostName 10.0.0.11\n  User admin\n  Port 2022\n  IdentityFile ~/.ssh/id_pool\n');

  it('lets the address win over the config, and the config over the defaults', () => {
    expect(resolveSshDestination('pool1', opts(config))).toEqual({ alias: 'pool1', host: '10.0.0.11', port: 2022, user: 'admin', identityFiles: [join(sshDir, 'id_pool')] });
    expect(resolveSshDestination('root@pool1:22', opts(config))).toMatchObject({ host: '10.0.0.11', port: 22, user: 'root' });
    expect(resolveSshDestination('10.9.9.9', opts(config))).toEqual({
      alias: '10.9.9.9',
      host: '10.9.9.9',
      port: 22,
      user: 'operator',
      identityFiles: defaultIdentityFiles(home),
    });
    expect(resolveSshDestination('10.9.9.9', { ...opts(config), defaultUser: 'root' }).user).toBe('root');
  });

  it('puts -i files first, then the config ones, without the defaults', () => {
    expect(resolveSshDestination('pool1', { ...opts(config), identityFiles: ['~/k1', '/abs/k2'] }).identityFiles).toEqual([join(home, 'k1'), '/abs/k2', join(sshDir, 'id_pool')]);
    expect(resolveSshDestination('other', { ...opts(config), identityFiles: ['/abs/k2'] }).identityFiles).toEqual(['/abs/k2']);
  });

  it('knows the default files', () => {
    expect(defaultKnownHostsFile('/h')).toBe('/h/.ssh/known_hosts');
    expect(defaultIdentityFiles('/h')).toEqual(['/h/.ssh/id_rsa', '/h/.ssh/id_ecdsa', '/h/.ssh/id_ed25519', '/h/.ssh/id_dsa']);
  });
});
