import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCpufreq } from '../../src/facts/cpufreq.js';
import { parseCpuinfo } from '../../src/facts/cpuinfo.js';
import { parseDf } from '../../src/facts/df.js';
import { parseDmidecodeMemory, parseDmidecodeProcessor } from '../../src/facts/dmidecode.js';
import { parseIomem } from '../../src/facts/iomem.js';
import { parseKernelVirtLog } from '../../src/facts/kernelLog.js';
import { parseLscpu } from '../../src/facts/lscpu.js';
import { parseMeminfo } from '../../src/facts/meminfo.js';
import { parseMsr } from '../../src/facts/msr.js';
import { parseOsRelease, parseRedhatRelease } from '../../src/facts/osRelease.js';
import type { ParseResult } from '../../src/facts/parseResult.js';
import { parsePoolConf } from '../../src/facts/poolConf.js';
import { parseSysBlock } from '../../src/facts/sysBlock.js';
import { parseSysHypervisor } from '../../src/facts/sysHypervisor.js';
import { parseUname } from '../../src/facts/uname.js';
import { parseXeRecords } from '../../src/facts/xeRecords.js';
import { parseXenInfo } from '../../src/facts/xenInfo.js';
import { parseXensourceInventory } from '../../src/facts/xensourceInventory.js';
import { fixture } from './support.js';

/** Every parser with a real capture (or a format sample) to mutate. */
const PARSERS: [string, (text: string) => ParseResult<unknown>, string][] = [
  ['parseCpuinfo', parseCpuinfo, fixture('cpuinfo/ul-dell-r710-2socket-e5540-vmx.txt')],
  ['parseLscpu', parseLscpu, fixture('lscpu/lscpu-4socket-xeon-x7550.txt')],
  ['parseCpufreq', parseCpufreq, '/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq:2667000\n'],
  ['parseMsr', parseMsr, 'feature_control= 0000000000000005\nvm_cr=\n'],
  ['parseKernelVirtLog', parseKernelVirtLog, fixture('kernel_log/preflight-vm-dmesg-virt.txt')],
  ['parseSysHypervisor', parseSysHypervisor, '/sys/hypervisor/type:xen\n/sys/hypervisor/properties/capabilities:xen-3.0-x86_64 hvm-3.0-x86_64\n'],
  ['parseXenInfo', parseXenInfo, 'nr_cpus : 4\nxen_caps : xen-3.0-x86_64 hvm-3.0-x86_64\ntotal_memory : 4096\n'],
  ['parseDmidecodeMemory', parseDmidecodeMemory, 'Handle 0x1100, DMI type 17, 28 bytes\nMemory Device\n\tSize: 4096 MB\n\tLocator: DIMM_A1\n'],
  ['parseDmidecodeProcessor', parseDmidecodeProcessor, 'Handle 0x0400, DMI type 4, 40 bytes\nProcessor Information\n\tVersion: Xeon\n\tMax Speed: 3600 MHz\n'],
  ['parseMeminfo', parseMeminfo, fixture('meminfo/jc-meminfo-4g.txt')],
  ['parseIomem', parseIomem, fixture('iomem/preflight-vm-iomem-root.txt')],
  ['parseSysBlock', parseSysBlock, fixture('disk/preflight-vm-sys-block.txt')],
  ['parseDf', parseDf, fixture('disk/glpi-df-PT-linux.txt')],
  ['parseXeRecords', parseXeRecords, fixture('xe_sr/sr-list-params-all-lvm-empty-local.txt')],
  ['parseXensourceInventory', parseXensourceInventory, "PRODUCT_VERSION='5.5.0'\nINSTALLATION_UUID='abc'\n"],
  ['parsePoolConf', parsePoolConf, 'slave:10.0.0.1\n'],
  ['parseUname', parseUname, fixture('os_release/preflight-vm-uname.txt')],
  ['parseOsRelease', parseOsRelease, fixture('os_release/preflight-vm-os-release.txt')],
  ['parseRedhatRelease', parseRedhatRelease, 'XenServer release 5.5.0-25727p (xenenterprise)\n'],
];

/** Probe-like text: lines of separators, digits, hex, keys and junk the parsers look for. */
const probeLikeText = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.constantFrom(': ', ':', ' ( RO): ', ' (MRO): ', '=', "='", '"', '-', ' @ ', 'GHz', ' kB', 'MB', '\t', '/', 'Handle 0x0011, DMI type 17', 'processor', 'flags', 'System RAM', '<not in database>', 'uuid', ';', ' -> '),
      fc.stringMatching(/^[0-9a-f]{1,20}$/),
      fc.integer().map(String),
    ),
    { maxLength: 40 },
  )
  .chain((parts) => fc.shuffledSubarray([...parts, '\n', '\r\n', '\r', '\n\n'], { minLength: 0 }).map((seps) => parts.map((p, i) => p + (seps[i % Math.max(1, seps.length)] ?? '')).join('')));

describe.each(PARSERS)('%s never throws', (_name, parse, sample) => {
  it('on arbitrary strings, and returns a value with a problems list', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (text) => {
        const result = parse(text);
        expect(Array.isArray(result.problems)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('on probe-like text', () => {
    fc.assert(
      fc.property(probeLikeText, (text) => {
        expect(Array.isArray(parse(text).problems)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('on a real sample cut at any point or with a line replaced (truncated or damaged output)', () => {
    fc.assert(
      fc.property(fc.nat({ max: sample.length }), fc.string({ maxLength: 40 }), (cut, junk) => {
        expect(Array.isArray(parse(sample.slice(0, cut)).problems)).toBe(true);
        const lines = sample.split('\n');
        lines[cut % Math.max(1, lines.length)] = junk;
        expect(Array.isArray(parse(lines.join('\n')).problems)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('parsers read back what the tools print (round trips)', () => {
  it('parseMeminfo: "Key:   N kB" lines give N KiB in bytes, bare numbers stay counts', () => {
    const entries = fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_()]{0,15}$/), fc.tuple(fc.nat({ max: 2 ** 40 }), fc.boolean()), { minKeys: 1 });
    fc.assert(
      fc.property(entries, (map) => {
        const text = Object.entries(map)
          .map(([k, [n, kb]]) => `${k}:${' '.repeat(8)}${n}${kb ? ' kB' : ''}`)
          .join('\n');
        const { value } = parseMeminfo(text);
        for (const [k, [n, kb]] of Object.entries(map)) expect(value.values[k]).toBe(kb ? n * 1024 : n);
      }),
    );
  });

  it('parseXeRecords: records printed in xe\'s layout (aligned keys, blank lines) come back field for field', () => {
    const key = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,20}$/).filter((k) => k !== 'uuid');
    const value = fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ' '));
    const record = fc.tuple(fc.uuid(), fc.dictionary(key, value, { maxKeys: 8 }), fc.constantFrom('RO', 'RW', 'MRO', 'SRO'));
    fc.assert(
      fc.property(fc.array(record, { maxLength: 5 }), (records) => {
        const text = records
          .map(([uuid, fields, mode]) => {
            const all: [string, string][] = [['uuid', uuid], ...Object.entries(fields)];
            const width = Math.max(...all.map(([k]) => k.length));
            return all.map(([k, v]) => `${k.padStart(width)} (${mode.padStart(3)}): ${v}`).join('\n');
          })
          .join('\n\n\n');
        const { value: parsed, problems } = parseXeRecords(text);
        expect(problems).toEqual([]);
        expect(parsed).toEqual(records.map(([uuid, fields]) => Object.fromEntries([['uuid', uuid], ...Object.entries(fields).map(([k, v]) => [k, v.trimEnd()])])));
      }),
    );
  });

  it('parseCpuinfo: N processor blocks are N logical CPUs with the first block\'s flags', () => {
    const flag = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(flag, { minLength: 1, maxLength: 30 }), (n, flags) => {
        const text = Array.from({ length: n }, (_, i) => `processor\t: ${i}\nvendor_id\t: GenuineIntel\nflags\t\t: ${flags.join(' ')}\n`).join('\n');
        const { value, problems } = parseCpuinfo(text);
        expect(problems).toEqual([]);
        expect(value.logicalCpus).toBe(n);
        expect(value.flags).toEqual(flags);
      }),
    );
  });
});
