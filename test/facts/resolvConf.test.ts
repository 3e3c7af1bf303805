import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResolvConf } from '../../src/facts/resolvConf.js';
import { fixture } from './support.js';

describe('parseResolvConf on real captures', () => {
  it('reads the preflight VM\'s /etc/resolv.conf', () => {
    expect(parseResolvConf(fixture('resolv_conf/preflight-vm-etc-resolv.conf'))).toEqual({
      value: { nameservers: ['10.255.255.53'], search: [], options: [] },
      problems: [],
    });
  });

  it('reads three servers, search domains and options, skipping comments', () => {
    expect(parseResolvConf(fixture('resolv_conf/insights-resolvconf-puppet-search-options.txt'))).toEqual({
      value: { nameservers: ['10.160.224.51', '10.160.225.51', '10.61.193.11'], search: ['a.b.com', 'b.c.com'], options: ['timeout:2', 'attempts:2'] },
      problems: [],
    });
  });

  it('skips ";" comments and lets the last of search/domain win', () => {
    expect(parseResolvConf(fixture('resolv_conf/insights-resolvconf-networkmanager-domain.txt')).value).toEqual({
      nameservers: ['192.168.30.1'],
      search: ['ttt.com'],
      options: [],
    });
  });

  it('reads the systemd-resolved stub file: only 127.0.0.53', () => {
    expect(parseResolvConf(fixture('resolv_conf/darclaw-lunar-stub-resolv.conf')).value).toEqual({ nameservers: ['127.0.0.53'], search: ['lxd'], options: [] });
  });

  it('reads the upstream servers systemd-resolved lists, IPv6 included', () => {
    expect(parseResolvConf(fixture('resolv_conf/dannis999-ubuntu2004-run-resolved-resolv.conf')).value.nameservers).toEqual(['108.61.10.10', '2001:19f0:300:1704::6']);
    expect(parseResolvConf(fixture('resolv_conf/darclaw-lunar-run-resolved-resolv.conf')).value.nameservers).toEqual(['10.107.102.1']);
  });
});

describe('parseResolvConf edge cases (synthetic)', () => {
  it('reports nameserver lines it cannot use and unknown keywords', () => {
    const { value, problems } = parseResolvConf('nameserver\nnameserver .254\nnameserver fe80::1%eth0\nnameserver 10.0.0.1 # primary\nbogus line\n');
    expect(value.nameservers).toEqual(['fe80::1%eth0', '10.0.0.1']);
    expect(problems).toEqual([
      'resolv.conf: nameserver line without an address: "nameserver"',
      'resolv.conf: nameserver is not an IP address: ".254"',
      'resolv.conf: unknown keyword in "bogus line"',
    ]);
  });
});

describe('parseResolvConf never throws', () => {
  const lines = fc.constantFrom('nameserver 10.0.0.1', 'nameserver', 'nameserver ::1', 'search a b', 'domain x', 'options ndots:2', '# c', '; c', 'sortlist 1.2.3.4');
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => void parseResolvConf(s)));
  });
  it('on text made of resolv.conf-like lines and noise', () => {
    fc.assert(fc.property(fc.array(fc.oneof(lines, fc.string({ maxLength: 30 })), { maxLength: 40 }), (parts) => void parseResolvConf(parts.join('\n'))));
  });
});
