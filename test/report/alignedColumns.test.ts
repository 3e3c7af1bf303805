import { describe, expect, it } from 'vitest';
import { alignColumns } from '../../src/report/alignedColumns.js';

describe('alignColumns', () => {
  it('pads every column but the last to its widest cell, two spaces apart', () => {
    expect(alignColumns(['HOST', 'NIC', 'VERDICT'], [['h1', 'eth10', 'ok'], ['host-two', 'eth1', 'crossed']])).toBe(
      'HOST      NIC    VERDICT\nh1        eth10  ok\nhost-two  eth1   crossed\n',
    );
  });

  it('shows control characters from hosts as "?", measured after that, so no escape reaches the terminal', () => {
    const out = alignColumns(['A', 'B'], [['x\u001b[2Jy', 'z']]);
    expect(out).toBe('A       B\nx?[2Jy  z\n');
    expect(out).not.toMatch(/\u001b/);
  });
});
