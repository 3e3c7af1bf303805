import { describe, expect, it } from 'vitest';
import { parseIomem } from '../../src/facts/iomem.js';
import { fixture } from './support.js';

describe('parseIomem', () => {
  it('the preflight VM read as root: three System RAM ranges summed, nested kernel ranges not added', () => {
    const { value, problems } = parseIomem(fixture('iomem/preflight-vm-iomem-root.txt'));
    expect(problems).toEqual([]);
    // 00001000-0009fbff, 00100000-bfffffff, 100000000-63fffffff
    expect(value).toEqual({ systemRamRanges: 3, systemRamBytes: 0x9ec00 + 0xbff00000 + 0x540000000 });
    expect(value.systemRamBytes).toBe(25769405440);
  });

  it('the same machine read as an ordinary user: addresses hidden, total unknown, and said why', () => {
    const { value, problems } = parseIomem(fixture('iomem/preflight-vm-iomem-nonroot.txt'));
    expect(value.systemRamBytes).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/hides them from non-root users/);
  });

  it('(synthetic) System RAM nested in another System RAM range is counted once', () => {
    const text = '00000000-0fffffff : System RAM\n  00100000-001fffff : System RAM\n10000000-1fffffff : Reserved\n  10000000-10ffffff : System RAM\n';
    expect(parseIomem(text).value).toEqual({ systemRamRanges: 2, systemRamBytes: 0x10000000 + 0x1000000 });
  });
});
