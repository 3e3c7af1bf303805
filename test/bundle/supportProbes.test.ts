import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROBES } from '../../src/collect/probes.js';
import { DEFAULT_MAX_FILE_BYTES, scanProbePersonalData, supportProbes } from '../../src/collect/supportProbes.js';
import { tempDir, cleanupTempDirs } from './helpers.js';

afterAll(cleanupTempDirs);

/** The support items: fixed, valid sh, tagged, with the byte cap built in; log tails keep the end. */

const dir = tempDir('support');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sh = (script: string) => spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });

describe('support items', () => {
  const items = supportProbes(4096);

  it('cover what support asks for, with ids apart from the scan catalogue', () => {
    const ids = items.map((p) => p.id);
    for (const id of ['support.dmesg', 'support.log.messages', 'support.log.syslog', 'support.log.xensource', 'support.log.smlog', 'support.lspci', 'support.ethtool.driver', 'support.ethtool.stats', 'support.ip.link', 'support.ip.route-all', 'support.ip.neigh', 'support.product.logs', 'support.product.log-list']) {
      expect(ids).toContain(id);
    }
    const scan = new Set(PROBES.map((p) => p.id));
    for (const id of ids) expect(scan.has(id), id).toBe(false);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('are valid sh, with the cap in place of CAP and no other value put in', () => {
    for (const p of items) {
      expect(p.script, p.id).not.toMatch(/\bCAP\b/);
      const r = spawnSync('/bin/sh', ['-n', '-c', p.script], { encoding: 'utf8' });
      expect(r.status, `${p.id}: ${r.stderr}`).toBe(0);
      if (p.keepTail) expect(p.script, p.id).toContain('tail -c 4097');
      expect(p.maxBytes).toBe(4097);
      expect(typeof p.personalData).toBe('boolean');
    }
    expect(supportProbes().find((p) => p.id === 'support.dmesg')!.script).toContain(`tail -c ${DEFAULT_MAX_FILE_BYTES + 1}`);
    expect(() => supportProbes(12)).toThrow(/maxFileBytes/);
  });

  it('a log tail: absent -> 127, present -> its last cap+1 bytes (so the bundle sees it was cut)', () => {
    const p = items.find((x) => x.id === 'support.log.messages')!;
    expect(p.path).toBe('/var/log/messages');
    const file = join(dir, 'messages');
    const script = p.script.replaceAll('/var/log/messages', file);
    const absent = sh(script);
    expect(absent.status).toBe(127);
    expect(absent.stderr).toMatch(/no such file/);
    const text = Array.from({ length: 1000 }, (_, i) => `Dec  1 10:00:${String(i % 60).padStart(2, '0')} host kernel: line ${i}`).join('\n') + '\n';
    writeFileSync(file, text);
    const r = sh(script);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBe(4097);
    expect(text.endsWith(r.stdout)).toBe(true);
  });

  it('run on this machine: each ends with a status and never hangs', () => {
    for (const p of items) {
      const r = spawnSync('/bin/sh', ['-c', p.script], { encoding: 'utf8', timeout: 30_000 });
      expect(r.error, p.id).toBeUndefined();
      expect(typeof r.status, p.id).toBe('number');
      if (p.keepTail) expect(Buffer.byteLength(r.stdout), p.id).toBeLessThanOrEqual(4097);
    }
    if (!existsSync('/var/log/xensource.log')) {
      expect(sh(items.find((x) => x.id === 'support.log.xensource')!.script).status).toBe(127);
    }
  });

  it('tags the scan probes too (unknown ones as personal, the safe side)', () => {
    expect(scanProbePersonalData('uname')).toBe(true);
    expect(scanProbePersonalData('proc.cpuinfo')).toBe(false);
    expect(scanProbePersonalData('some.future.probe')).toBe(true);
  });
});
