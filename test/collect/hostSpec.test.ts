import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostProblem, hostSpecName, pairRoles, parseHostSpec, portProblem, userProblem } from '../../src/collect/hostSpec.js';
import { InputError } from '../../src/engine/inputError.js';
import { inputError } from '../support/inputError.js';

const EXPECTED = 'expected host, user@host, user@host:port, [IPv6]:port or an alias from ~/.ssh/config';
const refused = (text: string, why: string) => `invalid host ${JSON.stringify(text)}: ${why}; ${EXPECTED}`;

describe('parseHostSpec: the address forms of --host', () => {
  it.each([
    ['xs1', { host: 'xs1' }],
    ['lab-h1', { host: 'lab-h1' }], // an alias from ~/.ssh/config
    ['xs1.example.com.', { host: 'xs1.example.com.' }], // a fully qualified name with its root dot
    ['10.0.0.11', { host: '10.0.0.11' }],
    ['root@10.0.0.11', { user: 'root', host: '10.0.0.11' }],
    ['root@10.0.0.11:2222', { user: 'root', host: '10.0.0.11', port: 2222 }],
    ['xs1:22', { host: 'xs1', port: 22 }],
    ['xs1:0022', { host: 'xs1', port: 22 }],
    ['[2001:db8::1]:2222', { host: '2001:db8::1', port: 2222 }],
    ['user@[::1]', { user: 'user', host: '::1' }],
    ['admin@[::1]:65535', { user: 'admin', host: '::1', port: 65535 }],
    ['[xs1]:2200', { host: 'xs1', port: 2200 }],
    ['2001:db8::1', { host: '2001:db8::1' }], // a bare IPv6 address has no port
    ['fe80::1%eth0', { host: 'fe80::1%eth0' }], // link-local with its zone
    ['svc_scan.ops-1@xs_2', { user: 'svc_scan.ops-1', host: 'xs_2' }],
  ])('%s', (text, expected) => {
    expect(parseHostSpec(text)).toEqual(expected);
  });

  it.each([
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['root@xs 1', 'whitespace is not allowed'],
    ['root@xs1\t', 'whitespace is not allowed'],
    ['xs1:0', 'port 0 is out of range 1..65535'],
    ['xs1:65536', 'port 65536 is out of range 1..65535'],
    ['[::1]:99999', 'port 99999 is out of range 1..65535'],
    ['xs1:', 'the port after ":" is empty'],
    ['xs1:ssh', 'port "ssh" is not a number'],
    ['xs1:-1', 'port "-1" is not a number'],
    ['root@', 'the host part is empty'],
    [':22', 'the host part is empty'],
    ['[]:22', 'the host part is empty'],
    ['@xs1', 'the user name before "@" is empty'],
    ['xs1;reboot', 'character ";" is not allowed in a host name (letters, digits, ".", "-" and "_" only)'],
    ['xs1|nc', 'character "|" is not allowed in a host name (letters, digits, ".", "-" and "_" only)'],
    ['$(id)', 'character "$" is not allowed in a host name (letters, digits, ".", "-" and "_" only)'],
    ['`id`@xs1', 'character "`" is not allowed in a user name (letters, digits, ".", "-" and "_" only)'],
    ["ro'ot@xs1", 'character "\'" is not allowed in a user name (letters, digits, ".", "-" and "_" only)'],
    ['a@b@xs1', 'character "@" is not allowed in a user name (letters, digits, ".", "-" and "_" only)'],
    ['-oProxyCommand@xs1', 'a user name cannot start with "-"'],
    ['-xs1', 'a host name cannot start with "-"'],
    ['xs1..lab', 'a host name cannot have an empty label ("." at the start or "..")'],
    ['.xs1', 'a host name cannot have an empty label ("." at the start or "..")'],
    ['10.0.0.256', '"10.0.0.256" is not a valid IPv4 address'],
    ['10.0.1', '"10.0.1" is not a valid IPv4 address'],
    ['010.0.0.1', '"010.0.0.1" is not a valid IPv4 address'],
    ['2001:db8::1::2', '"2001:db8::1::2" is not a valid IPv6 address (to give a port, write [address]:port)'],
    ['xs1:22:33', '"xs1:22:33" is not a valid IPv6 address (to give a port, write [address]:port)'],
    ['[::1', '"[" without a closing "]"'],
    ['[::1]x', 'unexpected "x" after "]"'],
    ['[fe80::zz]', '"fe80::zz" is not a valid IPv6 address'],
    [`${'a'.repeat(254)}`, 'the host name is longer than 253 characters'],
    [`${'u'.repeat(257)}@xs1`, 'the user name is longer than 256 characters'],
  ])('refuses %j in one line, saying what was expected', (text, why) => {
    expect(inputError(() => parseHostSpec(text))).toBe(refused(text, why));
  });

  it('shows terminal escape sequences as inert text', () => {
    const message = inputError(() => parseHostSpec('xs1\u001b[31m'));
    expect(message).toBe(refused('xs1\u001b[31m', 'character "\\u001b" is not allowed in a host name (letters, digits, ".", "-" and "_" only)'));
    expect(message).not.toContain('\u001b');
  });

  it('never throws anything but an InputError, and what it accepts is valid (property)', () => {
    const interesting = fc.constantFrom('a', 'Z', '0', '9', '.', '-', '_', '@', ':', '[', ']', '%', ' ', ';', '$', '\u001b', 'é', '::', 'ff');
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.array(interesting, { maxLength: 16 }).map((p) => p.join('')));
    fc.assert(
      fc.property(text, (t) => {
        let spec;
        try {
          spec = parseHostSpec(t);
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          expect(err.message).not.toContain('\n');
          return;
        }
        expect(hostProblem(spec.host)).toBeUndefined();
        if (spec.user !== undefined) expect(userProblem(spec.user)).toBeUndefined();
        if (spec.port !== undefined) expect(spec.port >= 1 && spec.port <= 65535).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back what it is given in every form (property)', () => {
    const label = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,10}$/).filter((s) => !/^[0-9]+$/.test(s));
    const name = fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join('.'));
    const ipv4 = fc.ipV4();
    const ipv6 = fc.ipV6();
    const user = fc.stringMatching(/^[a-z_][a-z0-9._-]{0,15}$/);
    const port = fc.integer({ min: 1, max: 65535 });
    fc.assert(
      fc.property(fc.oneof(name, ipv4, ipv6), fc.option(user, { nil: undefined }), fc.option(port, { nil: undefined }), (host, u, p) => {
        const hostPart = host.includes(':') && p !== undefined ? `[${host}]` : host;
        const text = `${u !== undefined ? `${u}@` : ''}${hostPart}${p !== undefined ? `:${p}` : ''}`;
        expect(parseHostSpec(text)).toEqual({ ...(u !== undefined ? { user: u } : {}), host, ...(p !== undefined ? { port: p } : {}) });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('the validators inventories reuse', () => {
  it('portProblem', () => {
    expect(portProblem('22')).toBeUndefined();
    expect(portProblem('65535')).toBeUndefined();
    expect(portProblem('0')).toBe('port 0 is out of range 1..65535');
    expect(portProblem('00000')).toBe('port 0 is out of range 1..65535');
    expect(portProblem('2.2')).toBe('port "2.2" is not a number');
  });

  it('hostProblem and userProblem accept what OpenSSH users write', () => {
    expect(hostProblem('xs-lab-01.example.com')).toBeUndefined();
    expect(hostProblem('::ffff:10.0.0.1')).toBeUndefined();
    expect(userProblem('root')).toBeUndefined();
    expect(hostProblem('')).toBe('the host is empty');
  });
});

describe('hostSpecName: how a --host is named in reports and site plans', () => {
  it('is the host, with the port when one was given (IPv6 in brackets)', () => {
    expect(hostSpecName(parseHostSpec('root@xs1'))).toBe('xs1');
    expect(hostSpecName(parseHostSpec('root@xs1:2222'))).toBe('xs1:2222');
    expect(hostSpecName(parseHostSpec('[2001:db8::1]:2222'))).toBe('[2001:db8::1]:2222');
    expect(hostSpecName(parseHostSpec('2001:db8::1'))).toBe('2001:db8::1');
  });
});

describe('pairRoles: repeated --host and --role', () => {
  it('without --role, makes the first host master and the others members', () => {
    expect(pairRoles(['root@10.0.0.11', 'root@10.0.0.12', 'xs3:2222'], [])).toEqual([
      { user: 'root', host: '10.0.0.11', name: '10.0.0.11', role: 'master' },
      { user: 'root', host: '10.0.0.12', name: '10.0.0.12', role: 'member' },
      { host: 'xs3', port: 2222, name: 'xs3:2222', role: 'member' },
    ]);
  });

  it('with one host and no --role, that host is the master', () => {
    expect(pairRoles(['xs1'], [])).toEqual([{ host: 'xs1', name: 'xs1', role: 'master' }]);
  });

  it('pairs the n-th --role with the n-th --host', () => {
    const targets = pairRoles(['xs1', 'xs2', 'q1', 'mgmt'], ['member', 'master', 'quorum', 'management']);
    expect(targets.map((t) => [t.name, t.role])).toEqual([
      ['xs1', 'member'],
      ['xs2', 'master'],
      ['q1', 'quorum'],
      ['mgmt', 'management'],
    ]);
  });

  it('allows no master when every role is given (scanning only members)', () => {
    expect(pairRoles(['xs2', 'xs3'], ['member', 'member']).map((t) => t.role)).toEqual(['member', 'member']);
  });

  it('treats the same host on two ports as two hosts', () => {
    expect(pairRoles(['127.0.0.1:2201', '127.0.0.1:2202'], []).map((t) => t.name)).toEqual(['127.0.0.1:2201', '127.0.0.1:2202']);
  });

  it('refuses more roles than hosts', () => {
    expect(inputError(() => pairRoles(['xs1', 'xs2'], ['master', 'member', 'member']))).toBe(
      '--role given 3 times for 2 --host options: give one --role after each --host, or none (then the first host is master and the others members)',
    );
  });

  it('refuses fewer roles than hosts: which host a lone --role belongs to cannot be known', () => {
    expect(inputError(() => pairRoles(['xs1', 'xs2'], ['master']))).toBe(
      '--role given 1 time for 2 --host options: give one --role after each --host, or none (then the first host is master and the others members)',
    );
  });

  it('refuses an unknown role', () => {
    expect(inputError(() => pairRoles(['xs1', 'xs2'], ['master', 'slave']))).toBe(
      'unknown role "slave" (--role number 2): expected master, member, quorum, management',
    );
  });

  it('refuses two masters', () => {
    expect(inputError(() => pairRoles(['xs1', 'xs2', 'xs3'], ['master', 'member', 'master']))).toBe(
      '2 hosts have --role master ("xs1", "xs3"): a pool has exactly one master',
    );
  });

  it('refuses the same host twice, whatever the user', () => {
    expect(inputError(() => pairRoles(['root@xs1', 'xs2', 'admin@xs1'], []))).toBe(
      'host "xs1" is given twice (--host number 1 and 3): each host is scanned once',
    );
  });

  it('refuses an empty list of hosts', () => {
    expect(inputError(() => pairRoles([], ['master']))).toBe('expected at least one --host to pair --role with');
  });

  it('passes on a bad --host as parseHostSpec words it', () => {
    expect(inputError(() => pairRoles(['xs1', 'xs2;id'], []))).toBe(
      refused('xs2;id', 'character ";" is not allowed in a host name (letters, digits, ".", "-" and "_" only)'),
    );
  });
});
