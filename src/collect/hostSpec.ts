import ipaddr from 'ipaddr.js';
import { InputError } from '../engine/inputError.js';
import { Role } from '../engine/types.js';

/**
 * `--host` values and `--role` pairing. A host spec is `host`, `user@host`, `user@host:port`,
 * `[IPv6]:port`, `user@[IPv6]`, a bare IPv6 address (no port) or an alias from `~/.ssh/config`.
 * User and host are validated strictly even though they are never pasted into a shell: a typo or
 * a stray quote should be refused here, in one line, not become a DNS lookup of garbage.
 */

export interface HostSpec {
  user?: string;
  host: string;
  port?: number;
}

/** A host to scan: its spec, the name it goes by in reports and site plans, and its pool role. */
export interface HostTarget extends HostSpec {
  name: string;
  role: Role;
}

const EXPECTED = 'expected host, user@host, user@host:port, [IPv6]:port or an alias from ~/.ssh/config';
const MAX_HOST_LENGTH = 253;
const MAX_USER_LENGTH = 256;

export function parseHostSpec(text: string): HostSpec {
  const refuse = (why: string) => new InputError(`invalid host ${JSON.stringify(text)}: ${why}; ${EXPECTED}`);
  if (text.trim() === '') throw refuse('it is empty');
  if (/\s/.test(text)) throw refuse('whitespace is not allowed');

  let rest = text;
  let user: string | undefined;
  // OpenSSH splits at the last "@", so the host part never contains one.
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const problem = userProblem(user);
    if (problem) throw refuse(problem);
  }

  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw refuse('"[" without a closing "]"');
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after !== '') {
      if (!after.startsWith(':')) throw refuse(`unexpected ${JSON.stringify(after)} after "]"`);
      portText = after.slice(1);
    }
  } else {
    const colons = rest.split(':').length - 1;
    if (colons === 1) {
      [host, portText] = rest.split(':') as [string, string];
    } else {
      // Two or more colons: a bare IPv6 address, which cannot carry a port without brackets.
      if (colons > 1 && !ipaddr.IPv6.isValid(rest)) {
        throw refuse(`${JSON.stringify(rest)} is not a valid IPv6 address (to give a port, write [address]:port)`);
      }
      host = rest;
    }
  }

  if (host === '') throw refuse('the host part is empty');
  const hostIssue = hostProblem(host);
  if (hostIssue) throw refuse(hostIssue);
  let port: number | undefined;
  if (portText !== undefined) {
    const portIssue = portProblem(portText);
    if (portIssue) throw refuse(portIssue);
    port = Number(portText);
  }
  return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port } : {}) };
}

/** Why `host` is not a usable host name, IPv4 or IPv6 address, or undefined when it is. */
export function hostProblem(host: string): string | undefined {
  if (host === '') return 'the host is empty';
  if (host.includes(':')) {
    return ipaddr.IPv6.isValid(host) ? undefined : `${JSON.stringify(host)} is not a valid IPv6 address`;
  }
  const bad = /[^A-Za-z0-9._-]/.exec(host);
  if (bad) return `character ${JSON.stringify(bad[0])} is not allowed in a host name (letters, digits, ".", "-" and "_" only)`;
  if (/^[0-9.]+$/.test(host)) {
    // All digits and dots is meant as IPv4; "10.0.0.256" or "10.0.1" must not become a DNS lookup.
    return ipaddr.IPv4.isValidFourPartDecimal(host) ? undefined : `${JSON.stringify(host)} is not a valid IPv4 address`;
  }
  if (host.length > MAX_HOST_LENGTH) return `the host name is longer than ${MAX_HOST_LENGTH} characters`;
  if (host.startsWith('-')) return 'a host name cannot start with "-"';
  if (host.startsWith('.') || host.includes('..')) return 'a host name cannot have an empty label ("." at the start or "..")';
  return undefined;
}

/** Why `user` is not a usable login name, or undefined when it is. */
export function userProblem(user: string): string | undefined {
  if (user === '') return 'the user name before "@" is empty';
  const bad = /[^A-Za-z0-9._-]/.exec(user);
  if (bad) return `character ${JSON.stringify(bad[0])} is not allowed in a user name (letters, digits, ".", "-" and "_" only)`;
  if (user.startsWith('-')) return 'a user name cannot start with "-"';
  if (user.length > MAX_USER_LENGTH) return `the user name is longer than ${MAX_USER_LENGTH} characters`;
  return undefined;
}

/** Why `text` is not a TCP port number 1..65535, or undefined when it is. */
export function portProblem(text: string): string | undefined {
  if (text === '') return 'the port after ":" is empty';
  if (!/^[0-9]+$/.test(text)) return `port ${JSON.stringify(text)} is not a number`;
  const port = Number(text);
  if (port < 1 || port > 65535) return `port ${text.replace(/^0+(?=\d)/, '')} is out of range 1..65535`;
  return undefined;
}

/** The name a host goes by in reports and site plans: the host, with its port when one was given. */
export function hostSpecName(spec: HostSpec): string {
  if (spec.port === undefined) return spec.host;
  return spec.host.includes(':') ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
}

/**
 * Pairs repeated `--host` and `--role` options. Commander hands over two separate arrays and loses
 * how they were interleaved, so a partial list of roles could not be attributed reliably
 * (`--host a --host b --role master` would silently make `a` the master). The rule is therefore:
 *
 * - no `--role` at all: the first host is master, the others are members;
 * - otherwise exactly one `--role` per `--host`, paired by position (the n-th role is the n-th host's);
 * - roles are master, member, quorum or management; at most one host is master;
 * - the same host (same name: host and port) may not be given twice.
 *
 * Called for remote scans only: at least one `--host` is required.
 */
export function pairRoles(hosts: readonly string[], roles: readonly string[]): HostTarget[] {
  if (hosts.length === 0) throw new InputError('expected at least one --host to pair --role with');
  const specs = hosts.map(parseHostSpec);
  const parsedRoles = roles.map((text, i): Role => {
    const role = Role.safeParse(text);
    if (!role.success) {
      throw new InputError(`unknown role ${JSON.stringify(text)} (--role number ${i + 1}): expected ${Role.options.join(', ')}`);
    }
    return role.data;
  });
  if (roles.length !== 0 && roles.length !== hosts.length) {
    throw new InputError(
      `--role given ${roles.length} time${roles.length === 1 ? '' : 's'} for ${hosts.length} --host options: give one --role after each --host, or none (then the first host is master and the others members)`,
    );
  }
  const targets = specs.map((spec, i): HostTarget => ({
    ...spec,
    name: hostSpecName(spec),
    role: parsedRoles[i] ?? (i === 0 ? 'master' : 'member'),
  }));
  const seen = new Map<string, number>();
  targets.forEach((t, i) => {
    const first = seen.get(t.name);
    if (first !== undefined) throw new InputError(`host ${JSON.stringify(t.name)} is given twice (--host number ${first + 1} and ${i + 1}): each host is scanned once`);
    seen.set(t.name, i);
  });
  const masters = targets.filter((t) => t.role === 'master');
  if (masters.length > 1) {
    throw new InputError(`${masters.length} hosts have --role master (${masters.map((t) => JSON.stringify(t.name)).join(', ')}): a pool has exactly one master`);
  }
  return targets;
}
