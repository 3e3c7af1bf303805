import { describe, expect, it } from 'vitest';
import { dmiSizeBytes, parseDmidecodeMemory, parseDmidecodeProcessor } from '../../src/facts/dmidecode.js';
import { fixture } from './support.js';

const MiB = 1024 * 1024;

/** Synthetic: `dmidecode -t 17` in dmidecode 2.9 layout, modelled on a Dell R710 (two slots shown). */
const MEMORY_2_9 = `# dmidecode 2.9
SMBIOS 2.6 present.

Handle 0x1100, DMI type 17, 28 bytes
Memory Device
\tArray Handle: 0x1000
\tError Information Handle: Not Provided
\tTotal Width: 72 bits
\tData Width: 64 bits
\tSize: 4096 MB
\tForm Factor: DIMM
\tSet: 1
\tLocator: DIMM_A1
\tBank Locator: Not Specified
\tType: Other
\tSpeed: 1066 MHz (0.9 ns)

Handle 0x1101, DMI type 17, 28 bytes
Memory Device
\tArray Handle: 0x1000
\tSize: No Module Installed
\tLocator: DIMM_A2

Handle 0x1102, DMI type 17, 28 bytes
Memory Device
\tArray Handle: 0x1000
\tSize: 8 GB
\tLocator: DIMM_B1
\tBank Locator: BANK 1
`;

/** Synthetic: `dmidecode -t 4`, a populated Xeon E5540 socket and an empty one. */
const PROCESSOR = `# dmidecode 3.0
Getting SMBIOS data from sysfs.
SMBIOS 2.6 present.

Handle 0x0400, DMI type 4, 40 bytes
Processor Information
\tSocket Designation: CPU1
\tType: Central Processor
\tManufacturer: Intel
\tFlags:
\t\tFPU (Floating-point unit on-chip)
\t\tVME (Virtual mode extension)
\tVersion: Intel(R) Xeon(R) CPU           E5540  @ 2.53GHz
\tMax Speed: 3600 MHz
\tCurrent Speed: 2533 MHz
\tStatus: Populated, Enabled
\tCore Count: 4
\tCore Enabled: 4
\tThread Count: 8
\tCharacteristics:
\t\t64-bit capable

Handle 0x0401, DMI type 4, 40 bytes
Processor Information
\tSocket Designation: CPU2
\tManufacturer: Not Specified
\tVersion: Not Specified
\tMax Speed: 3600 MHz
\tCurrent Speed: Unknown
\tStatus: Unpopulated
`;

describe('parseDmidecodeMemory', () => {
  it('(synthetic, dmidecode 2.9 layout) sums installed modules in MB and GB; empty slots are not installed', () => {
    const { value, problems } = parseDmidecodeMemory(MEMORY_2_9);
    expect(problems).toEqual([]);
    expect(value.devices).toEqual([
      { locator: 'DIMM_A1', bankLocator: 'Not Specified', sizeBytes: 4096 * MiB, installed: true },
      { locator: 'DIMM_A2', installed: false },
      { locator: 'DIMM_B1', bankLocator: 'BANK 1', sizeBytes: 8192 * MiB, installed: true },
    ]);
    expect(value.totalBytes).toBe(12 * 1024 * MiB);
  });

  it('(synthetic, dmidecode 2.6 layout) "Handle" and "DMI type" on separate lines', () => {
    const text = 'Handle 0x0011\n\tDMI type 17, 23 bytes.\n\tMemory Device\n\t\tSize: 2048 MB\n\t\tLocator: DIMM1\n';
    expect(parseDmidecodeMemory(text).value.totalBytes).toBe(2048 * MiB);
  });

  it('the preflight VM, which has no SMBIOS table: only the preamble, no modules, no problem', () => {
    const { value, problems } = parseDmidecodeMemory(fixture('dmidecode/preflight-vm-dmidecode-t17-no-smbios.stdout.txt'));
    expect(value).toEqual({ devices: [] });
    expect(problems).toEqual([]);
  });

  it('(synthetic) text that is not dmidecode output is a problem', () => {
    expect(parseDmidecodeMemory('Permission denied\n').problems).toEqual(['not dmidecode output: "Permission denied"']);
  });
});

describe('parseDmidecodeProcessor', () => {
  it('(synthetic) a populated socket with version, speeds and cores; the empty socket is not populated', () => {
    const { value, problems } = parseDmidecodeProcessor(PROCESSOR);
    expect(problems).toEqual([]);
    expect(value).toEqual([
      {
        populated: true,
        socket: 'CPU1',
        manufacturer: 'Intel',
        version: 'Intel(R) Xeon(R) CPU           E5540  @ 2.53GHz',
        maxSpeedMhz: 3600,
        currentSpeedMhz: 2533,
        coreCount: 4,
        coreEnabled: 4,
        threadCount: 8,
        status: 'Populated, Enabled',
      },
      { populated: false, socket: 'CPU2', maxSpeedMhz: 3600, status: 'Unpopulated' },
    ]);
  });
});

describe('dmiSizeBytes', () => {
  it.each([
    ['4096 MB', 4096 * MiB],
    ['16 GB', 16 * 1024 * MiB],
    ['512 kB', 512 * 1024],
    ['No Module Installed', undefined],
    [undefined, undefined],
  ])('%s -> %s', (text, bytes) => {
    expect(dmiSizeBytes(text)).toBe(bytes);
  });
});
