import { describe, expect, it } from 'vitest';
import { parseOsRelease, parseRedhatRelease } from '../../src/facts/osRelease.js';
import { fixture } from './support.js';

describe('parseOsRelease', () => {
  it('the preflight VM (Debian 12): quoted and bare values', () => {
    const { value, problems } = parseOsRelease(fixture('os_release/preflight-vm-os-release.txt'));
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)', ID: 'debian', VERSION_ID: '12', VERSION_CODENAME: 'bookworm' });
  });

  it('(synthetic) single quotes, backslash escapes, comments; unbalanced quotes are reported', () => {
    const { value, problems } = parseOsRelease(`# comment\nNAME='XenServer'\nPRETTY_NAME="Say \\"hi\\""\nBROKEN="open\n`);
    expect(value).toEqual({ NAME: 'XenServer', PRETTY_NAME: 'Say "hi"' });
    expect(problems).toEqual(['line 4: unbalanced quotes: "BROKEN=\\"open"']);
  });
});

describe('parseRedhatRelease', () => {
  it('(synthetic) the XenServer 5.5 Dom0 line: product, version, build, variant', () => {
    expect(parseRedhatRelease('XenServer release 5.5.0-25727p (xenenterprise)\n')).toEqual({
      value: { line: 'XenServer release 5.5.0-25727p (xenenterprise)', product: 'XenServer', version: '5.5.0', build: '25727p', variant: 'xenenterprise' },
      problems: [],
    });
  });

  it('(synthetic) CentOS 5 and a line without "release"', () => {
    expect(parseRedhatRelease('CentOS release 5.4 (Final)').value).toMatchObject({ product: 'CentOS', version: '5.4', variant: 'Final' });
    expect(parseRedhatRelease('Something else').problems).toEqual(['no "release VERSION" in "Something else"']);
  });
});
