import { describe, expect, it } from 'vitest';
import { parsePoolConf } from '../../src/facts/poolConf.js';

// /etc/xensource/pool.conf holds one word; synthetic inputs in XenServer's two forms.
describe('parsePoolConf', () => {
  it('(synthetic) "master"', () => {
    expect(parsePoolConf('master\n')).toEqual({ value: { role: 'master' }, problems: [] });
  });

  it('(synthetic) "slave:ADDRESS" is a member with the master\'s address', () => {
    expect(parsePoolConf('slave:10.20.30.1')).toEqual({ value: { role: 'member', masterAddress: '10.20.30.1' }, problems: [] });
  });

  it('(synthetic) "slave" without an address, garbage and emptiness are problems', () => {
    expect(parsePoolConf('slave\n')).toEqual({ value: { role: 'member' }, problems: ['"slave" without the master\'s address'] });
    expect(parsePoolConf('primary\n').value).toBeUndefined();
    expect(parsePoolConf('\n').problems).toEqual(['pool.conf is empty']);
  });
});
