import { describe, expect, it } from 'vitest';
import { parseMeminfo } from '../../src/facts/meminfo.js';
import { fixture } from './support.js';

describe('parseMeminfo', () => {
  it('a 4 GB host (jc): MemTotal 3997272 kB in bytes; counts stay counts', () => {
    const { value, problems } = parseMeminfo(fixture('meminfo/jc-meminfo-4g.txt'));
    expect(problems).toEqual([]);
    expect(value.memTotalBytes).toBe(3997272 * 1024);
    expect(value.values['MemFree']).toBe(2760316 * 1024);
    expect(value.values['HugePages_Total']).toBe(0);
    expect(value.values['Hugepagesize']).toBe(2048 * 1024);
  });

  it('an 8 GB RHEL host (insights-core)', () => {
    const { value, problems } = parseMeminfo(fixture('meminfo/insights-meminfo-8g-rhel.txt'));
    expect(problems).toEqual([]);
    expect(value.memTotalBytes).toBe(8202149888);
    expect(value.values['MemFree']).toBe(538760 * 1024);
  });

  it('the preflight VM', () => {
    const { value, problems } = parseMeminfo(fixture('meminfo/preflight-vm-meminfo.txt'));
    expect(problems).toEqual([]);
    expect(value.memTotalBytes).toBe(24684084 * 1024);
  });

  it('(synthetic) no MemTotal and a malformed line are problems', () => {
    const { value, problems } = parseMeminfo('MemFree: 12 kB\nnonsense\n');
    expect(value.memTotalBytes).toBeUndefined();
    expect(problems).toEqual(['line 2: not "Key: number [kB]": "nonsense"', 'no MemTotal line']);
  });
});
