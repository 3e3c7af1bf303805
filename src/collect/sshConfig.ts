import { readdirSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';
import SSHConfig, { glob as sshGlob, LineType, type Line, type Section } from 'ssh-config';

/**
 * How OpenSSH users name a host: `host`, `user@host`, `user@host:port`, or an alias of
 * ~/.ssh/config whose HostName, User, Port and IdentityFile preflight honours.
 *
 * Parsing and `Host`/`Match` evaluation are the `ssh-config` package's; it does not follow
 * `Include`, so Include is expanded here first (as OpenSSH does: relative paths live in ~/.ssh,
 * globs sorted, an Include inside a Host block only counts when the block matches). `Match exec`
 * is never run: reading a config must not execute commands.
 */

export const SSH_DEFAULT_PORT = 22;

/** The parts of an address as typed: `[user@]host[:port]`, with IPv6 as `[::1]` or `[::1]:22`. */
export interface SshAddress {
  user?: string;
  host: string;
  port?: number;
}

/** What ~/.ssh/config says about one alias. Unset fields are not in the config. */
export interface SshHostConfig {
  alias: string;
  hostName: string;
  user?: string;
  port?: number;
  /** IdentityFile values in config order, `~`, `%` tokens and `${VAR}` expanded. */
  identityFiles: string[];
}

export interface SshConfigOptions {
  /** The config to read; default ~/.ssh/config (a missing default file means "no config"). */
  configFile?: string;
  homeDir?: string;
  localUser?: string;
}

/** Where a scan goes and as whom: the address resolved through the config, with defaults applied. */
export interface SshDestination {
  /** What the user typed (used to name the host in reports). */
  alias: string;
  host: string;
  port: number;
  user: string;
  identityFiles: string[];
}

export interface DestinationOptions extends SshConfigOptions {
  /** `-i/--identity` files: tried before the config's IdentityFile entries. */
  identityFiles?: string[];
  /** User when neither the address nor the config names one (default: the local user, as ssh). */
  defaultUser?: string;
}

export class SshConfigError extends Error {
  override name = 'SshConfigError';
}

const MAX_INCLUDE_DEPTH = 16; // OpenSSH's READCONF_MAX_DEPTH

/** Splits `[user@]host[:port]`. Throws SshConfigError on anything else. */
export function parseSshAddress(address: string): SshAddress {
  // No trimming: an address with whitespace or control characters is a mistake worth naming.
  const text = address;
  if (text === '' || /[\s\x00-\x1f\x7f]/.test(text)) throw new SshConfigError(`invalid host address ${JSON.stringify(address)}`);
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  if (user === '') throw new SshConfigError(`invalid host address ${JSON.stringify(address)}: empty user name`);
  let host = rest;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(rest);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    [host, portText] = rest.split(':') as [string, string];
  }
  if (host === '' || host.startsWith('-')) throw new SshConfigError(`invalid host address ${JSON.stringify(address)}: no host name`);
  let port: number | undefined;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) throw new SshConfigError(`invalid host address ${JSON.stringify(address)}: port must be 1-65535`);
  }
  return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
}

/** OpenSSH's default identities, in its order (security-key and XMSS types are left out: ssh2 has no use for them). */
export function defaultIdentityFiles(home: string = homedir()): string[] {
  return ['id_rsa', 'id_ecdsa', 'id_ed25519', 'id_dsa'].map((f) => join(home, '.ssh', f));
}

export function defaultKnownHostsFile(home: string = homedir()): string {
  return join(home, '.ssh', 'known_hosts');
}

/** Resolves an alias through the config. Without a config, the alias is the host name. */
export function resolveSshAlias(alias: string, opts: SshConfigOptions = {}): SshHostConfig {
  const home = opts.homeDir ?? homedir();
  const file = opts.configFile ?? join(home, '.ssh', 'config');
  const config = loadConfig(file, home, alias, opts.configFile !== undefined);
  const found = config ? config.compute(alias, { ignoreCase: true, matchExec: false }) : {};
  const first = (key: string): string | undefined => {
    const v = found[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const localUser = opts.localUser ?? safeLocalUser();
  const rawHostName = first('hostname');
  const hostName = rawHostName !== undefined ? expandTokens(rawHostName, 'HostName', { h: alias }, file) : alias;
  const user = first('user');
  const portText = first('port');
  let port: number | undefined;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1 && port <= 65535)) throw new SshConfigError(`${file}: Port ${JSON.stringify(portText)} for ${alias} is not 1-65535`);
  }
  const rawFiles = found['identityfile'];
  const identityFiles = (Array.isArray(rawFiles) ? rawFiles : rawFiles !== undefined ? [rawFiles] : [])
    .filter((f) => f.toLowerCase() !== 'none')
    .map((f) =>
      expandPath(
        f,
        'IdentityFile',
        {
          h: hostName,
          n: alias,
          r: user ?? localUser,
          u: localUser,
          d: home,
          p: String(port ?? SSH_DEFAULT_PORT),
          i: String(process.getuid?.() ?? ''),
        },
        home,
        file,
      ),
    );
  return { alias, hostName, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}), identityFiles };
}

/**
 * An address as `ssh` would connect to it: what the address says wins over the config, the config
 * over the defaults (port 22, the local user, OpenSSH's default identity files when none is named).
 */
export function resolveSshDestination(address: string, opts: DestinationOptions = {}): SshDestination {
  const parsed = parseSshAddress(address);
  const cfg = resolveSshAlias(parsed.host, opts);
  const home = opts.homeDir ?? homedir();
  const given = (opts.identityFiles ?? []).map((f) => expandTilde(f, home, '--identity'));
  const identityFiles = given.length || cfg.identityFiles.length ? [...given, ...cfg.identityFiles] : defaultIdentityFiles(home);
  return {
    alias: address,
    host: cfg.hostName,
    port: parsed.port ?? cfg.port ?? SSH_DEFAULT_PORT,
    user: parsed.user ?? cfg.user ?? opts.defaultUser ?? opts.localUser ?? safeLocalUser(),
    identityFiles: [...new Set(identityFiles)],
  };
}

function safeLocalUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

function loadConfig(file: string, home: string, alias: string, explicit: boolean): SSHConfig | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return undefined;
    throw new SshConfigError(`${file}: cannot read the SSH config (${code ?? (err as Error).message})`);
  }
  const out = new SSHConfig();
  flatten(parseText(text, file), file, home, alias, 0, out);
  return out;
}

function parseText(text: string, file: string): SSHConfig {
  try {
    return SSHConfig.parse(text);
  } catch (err) {
    throw new SshConfigError(`${file}: cannot parse the SSH config: ${(err as Error).message}`);
  }
}

function values(line: Line): string[] {
  if (line.type !== LineType.DIRECTIVE) return [];
  return typeof line.value === 'string' ? [line.value] : line.value.map((v) => v.val);
}

function isSection(line: Line): line is Section {
  return line.type === LineType.DIRECTIVE && 'config' in line;
}

/**
 * Copies `config` into `out` with every Include replaced by the included files' lines. An Include
 * inside a Host block splits the block: the lines before it, the included lines (only when the
 * block matches `alias`, as OpenSSH skips them otherwise), then the rest of the block.
 */
function flatten(config: SSHConfig, file: string, home: string, alias: string, depth: number, out: SSHConfig): void {
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE) continue;
    if (isSection(line)) {
      const isHost = /^host$/i.test(line.param);
      let part = copySection(line);
      out.push(part);
      for (const sub of line.config) {
        if (sub.type === LineType.DIRECTIVE && /^include$/i.test(sub.param)) {
          if (!isHost) throw new SshConfigError(`${file}: Include inside a Match block is not supported; move it into a Host block or to the top`);
          if (sshGlob(values(line), alias)) {
            for (const included of includedFiles(values(sub), file, home, depth)) {
              flatten(parseText(readIncluded(included, file), included), included, home, alias, depth + 1, out);
            }
          }
          part = copySection(line);
          out.push(part);
        } else {
          part.config.push(sub);
        }
      }
    } else if (/^include$/i.test(line.param)) {
      for (const included of includedFiles(values(line), file, home, depth)) {
        flatten(parseText(readIncluded(included, file), included), included, home, alias, depth + 1, out);
      }
    } else {
      out.push(line);
    }
  }
}

function copySection(line: Section): Section {
  return { ...line, config: new SSHConfig() };
}

function readIncluded(path: string, from: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new SshConfigError(`${from}: cannot read included file ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Include arguments to file names: `~` expanded, relative to ~/.ssh, globs expanded and sorted. */
function includedFiles(patterns: string[], file: string, home: string, depth: number): string[] {
  if (depth + 1 > MAX_INCLUDE_DEPTH) throw new SshConfigError(`${file}: Include nested more than ${MAX_INCLUDE_DEPTH} deep`);
  const files: string[] = [];
  for (const pattern of patterns) {
    const expanded = expandTilde(pattern, home, `${file}: Include`);
    const absolute = isAbsolute(expanded) ? expanded : join(home, '.ssh', expanded);
    // A pattern that matches nothing is not an error (OpenSSH: glob returns no paths).
    files.push(...expandGlob(absolute));
  }
  return files;
}

/** Minimal glob(3): `*`, `?` and `[...]` in any path component, results sorted. */
function expandGlob(path: string): string[] {
  if (!/[*?[]/.test(path)) return [path];
  const parts = path.split('/');
  let bases = ['/'];
  for (const part of parts.slice(1)) {
    if (part === '') continue;
    const next: string[] = [];
    for (const base of bases) {
      if (!/[*?[]/.test(part)) {
        next.push(join(base, part));
        continue;
      }
      let names: string[] = [];
      try {
        names = readdirSync(base);
      } catch {
        continue;
      }
      const re = globRegExp(part);
      next.push(...names.filter((n) => !n.startsWith('.') && re.test(n)).map((n) => join(base, n)));
    }
    bases = next;
  }
  return bases.sort();
}

function globRegExp(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = part.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = part.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function expandTilde(path: string, home: string, what: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  if (path.startsWith('~')) throw new SshConfigError(`${what} ${JSON.stringify(path)}: ~user paths are not supported; write the path out`);
  return path;
}

/** `%` tokens (ssh_config(5) TOKENS): the ones given in `values`, and `%%`; any other is refused. */
function expandTokens(text: string, directive: string, tokens: Record<string, string>, file: string): string {
  return text.replace(/%(.?)/g, (_, t: string) => {
    if (t === '%') return '%';
    const v = tokens[t];
    if (v === undefined) {
      throw new SshConfigError(
        `${file}: ${directive} ${JSON.stringify(text)} uses %${t}, which preflight does not expand (it knows ${Object.keys(tokens)
          .map((k) => `%${k}`)
          .join(' ')} %%); write the value out`,
      );
    }
    return v;
  });
}

function expandPath(text: string, directive: string, tokens: Record<string, string>, home: string, file: string): string {
  const withEnv = text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = process.env[name];
    if (v === undefined) throw new SshConfigError(`${file}: ${directive} ${JSON.stringify(text)} uses \${${name}}, which is not set`);
    return v;
  });
  return expandTilde(expandTokens(withEnv, directive, tokens, file), home, `${file}: ${directive}`);
}
