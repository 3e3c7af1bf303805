import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBsdDf } from '../../src/facts/bsdDf.js';
import { parseFileLine } from '../../src/facts/fileType.js';
import { parseLinuxBrowsers, parseLinuxFlash, parseLinuxPackages } from '../../src/facts/linuxBrowsers.js';
import { parseKernelPowerStates, parseSleepConfig, parseSleepTargets } from '../../src/facts/linuxSleep.js';
import { parseMacBundles } from '../../src/facts/macBundles.js';
import { parseMacIfconfig } from '../../src/facts/macIfconfig.js';
import type { ParseResult } from '../../src/facts/parseResult.js';
import { parsePmset } from '../../src/facts/pmset.js';
import { parsePowercfgAvailable, parsePowercfgQuery, POWER_SETTING, sleepStateKind } from '../../src/facts/powercfg.js';
import { parseRegQuery, regChildren, regKey, regString } from '../../src/facts/regQuery.js';
import { parseSysctl } from '../../src/facts/sysctlValues.js';
import { parseSystemInformation } from '../../src/facts/systemInformation.js';
import { parseWindowsFolders } from '../../src/facts/windowsFolders.js';
import { parseWindowsSysteminfo } from '../../src/facts/windowsSysteminfo.js';
import { fixture } from './support.js';

/**
 * The parsers of the management and quorum computer probes, on real captures from Windows, macOS
 * and Linux (test/fixtures/*, sources in each folder's README.md). Inline inputs are marked
 * SYNTHETIC where they are written by hand.
 */

describe('systeminformation (si.system)', () => {
  it('reads this VM\'s result: Debian 12, no CPU clock, the OS total echoed as the only "module"', () => {
    const { value, problems } = parseSystemInformation(fixture('systeminformation/preflight-vm-si-system.json'));
    expect(problems).toEqual([]);
    expect(value.version).toBe('5.33.23');
    expect(value.os).toMatchObject({ platform: 'linux', distro: 'Debian GNU/Linux', release: '12', arch: 'x64' });
    expect(value.cpu).toEqual({ manufacturer: 'AMD', brand: 'EPYC' }); // speed 0: not a speed
    expect(value.memTotalBytes).toBeGreaterThan(0);
    expect(value.memModules).toBeUndefined(); // no SMBIOS in the VM
    expect(value.volumes?.find((v) => v.mount === '/')?.availableBytes).toBeGreaterThan(0);
    expect(value.nics?.find((n) => n.iface === 'eth0')).toMatchObject({ internal: false, virtual: false, type: 'wired', operstate: 'up' });
    expect(value.nics?.find((n) => n.iface === 'eth0')?.speedMbps).toBeUndefined(); // -1
    expect(value.listeners?.every((l) => l.protocol === 'tcp' || l.protocol === 'udp')).toBe(true);
  });

  it('computes free space from size - used where systeminformation 5.0.6 had no "available" (Windows, #478)', () => {
    const fsSize = JSON.parse(fixture('systeminformation/si-issue-478-windows10-fssize-no-available.json'));
    const { value } = parseSystemInformation(JSON.stringify({ fsSize }));
    expect(value.volumes).toEqual([{ fs: 'C:', mount: 'C:', type: 'NTFS', sizeBytes: 255239122944, availableBytes: 255239122944 - 75533164544 }]);
  });

  it('keeps "available" when present and skips nothing of a Spanish-locale header row (#799, Linux)', () => {
    const fsSize = JSON.parse(fixture('systeminformation/si-issue-799-linux-fssize-es-header-row.json'));
    const { value } = parseSystemInformation(JSON.stringify({ fsSize }));
    expect(value.volumes?.map((v) => v.mount)).toEqual(['Disponibles Capacidad Montado en', '/', '/boot/efi']);
    expect(value.volumes?.[1]).toMatchObject({ availableBytes: 181730361344, sizeBytes: 244466741248 });
    expect(value.volumes?.[0]?.sizeBytes).toBeUndefined(); // null size
  });

  it('reads Windows adapters: speed 0 and -1 are "not known", a Hyper-V adapter keeps its 10000 (#985, #248)', () => {
    const a = JSON.parse(fixture('systeminformation/si-issue-985-windows-networkinterfaces-i219-down.json'));
    const b = JSON.parse(fixture('systeminformation/si-issue-248-windows-networkinterfaces-hyperv.json'));
    const { value } = parseSystemInformation(JSON.stringify({ networkInterfaces: [...a, ...b] }));
    expect(value.nics).toEqual([
      { iface: 'Ethernet', ifaceName: 'Intel(R) Ethernet Connection (4) I219-LM', virtual: false, type: 'wired', operstate: 'down' },
      { iface: 'vEthernet (DS Alpin DEMO)', ifaceName: 'Hyper-V Virtual Ethernet Adapter #4', internal: false, type: 'wired', operstate: 'up', speedMbps: 10000 },
      { iface: 'vEthernet (Internet Access)', ifaceName: 'Realtek PCIe GBE Family Controller', internal: false, type: 'wired', operstate: 'up' },
    ]);
  });

  it('reads the macOS osInfo example of the systeminformation docs', () => {
    const osInfo = JSON.parse(fixture('systeminformation/si-docs-v5-osinfo-macos-catalina.json'));
    expect(parseSystemInformation(JSON.stringify({ osInfo })).value.os).toMatchObject({ platform: 'darwin', distro: 'Mac OS X', release: '10.15.3' });
  });

  it('keeps only listening TCP and bound UDP sockets, with process and pid (SYNTHETIC rows)', () => {
    const networkConnections = [
      { protocol: 'udp', localAddress: '0.0.0.0', localPort: '2189', state: '', pid: 2412, process: 'mtcgsrver.exe' },
      { protocol: 'tcp', localAddress: '10.0.0.5', localPort: '50000', state: 'ESTABLISHED', pid: 1, process: 'x' },
      { protocol: 'tcp6', localAddress: '::', localPort: '445', state: 'LISTEN', pid: null, process: '' },
    ];
    expect(parseSystemInformation(JSON.stringify({ networkConnections })).value.listeners).toEqual([
      { protocol: 'udp', address: '0.0.0.0', port: 2189, process: 'mtcgsrver.exe', pid: 2412 },
      { protocol: 'tcp', address: '::', port: 445 },
    ]);
  });

  it('reports failed calls and non-JSON as problems', () => {
    expect(parseSystemInformation('{"errors":{"memLayout":"timed out after 20000 ms"}}').problems).toEqual(['systeminformation memLayout: timed out after 20000 ms']);
    expect(parseSystemInformation('{"osInfo": {"platf').problems[0]).toMatch(/^not JSON/);
  });
});

describe('Windows systeminfo', () => {
  it('Windows 7 Professional SP1, x64, ~2501 MHz, 8,075 MB, five adapters (jc)', () => {
    const { value, problems } = parseWindowsSysteminfo(fixture('windows_systeminfo/jc-windows-7-professional-sp1-excerpt.out'));
    expect(problems).toEqual([]);
    expect(value).toMatchObject({ hostName: 'TEST', osName: 'Microsoft Windows 7 Professional', osVersion: '6.1.7601', servicePack: 1, bits: 64, totalPhysicalMemoryBytes: 8075 * 2 ** 20 });
    expect(value.processors).toEqual([{ description: 'Intel64 Family 6 Model 42 Stepping 7 GenuineIntel', mhz: 2501 }]);
    expect(value.nics.map((n) => [n.name, n.connectionName, n.status])).toEqual([
      ['Bluetooth Device (Personal Area Network)', 'Bluetooth Network Connection', 'Media disconnected'],
      ['Intel(R) 82579LM Gigabit Network Connection', 'Local Area Connection', 'Media disconnected'],
      ['Intel(R) Centrino(R) Advanced-N 6205', 'Wireless Network Connection', undefined],
      ['Microsoft Virtual WiFi Miniport Adapter', 'Wireless Network Connection 2', 'Hardware not present'],
      ['Microsoft Virtual WiFi Miniport Adapter', 'Wireless Network Connection 3', 'Hardware not present'],
    ]);
  });

  it('Windows 10 (no service pack: 0) and Server 2012 R2 with CRLF line ends (jc)', () => {
    expect(parseWindowsSysteminfo(fixture('windows_systeminfo/jc-windows-10-enterprise-vmware.out')).value).toMatchObject({ osName: 'Microsoft Windows 10 Enterprise', osVersion: '10.0.19042', servicePack: 0, bits: 64 });
    const s2012 = parseWindowsSysteminfo(fixture('windows_systeminfo/jc-windows-2012r2-hyperv-vm.out'));
    expect(s2012.problems).toEqual([]);
    expect(s2012.value).toMatchObject({ osName: 'Microsoft Windows Server 2012 R2 Standard', totalPhysicalMemoryBytes: 3555 * 2 ** 20 });
    expect(s2012.value.processors[0]?.mhz).toBe(2592);
    expect(s2012.value.nics).toEqual([{ name: 'Microsoft Hyper-V Network Adapter', connectionName: 'Ethernet 2' }]);
  });

  it('declines localised output with a problem (SYNTHETIC German labels)', () => {
    const r = parseWindowsSysteminfo('Betriebssystemname:                            Microsoft Windows 10 Pro\nSystemtyp:                                     x64-based PC\n');
    expect(r.value.osName).toBeUndefined();
    expect(r.problems[0]).toMatch(/not English/);
  });
});

describe('reg query', () => {
  it('reads the StartMenuInternet keys of a Windows runner (testcafe #4051)', () => {
    const { value, problems } = parseRegQuery(fixture('reg_query/testcafe-4051-reg-query-startmenuinternet-excerpt.txt'));
    expect(problems).toEqual([]);
    const root = 'HKLM\\SOFTWARE\\Clients\\StartMenuInternet';
    expect(regString(regKey(value, root), '')).toBe('IEXPLORE.EXE');
    expect(regChildren(value, root).map((k) => k.path.split('\\').pop())).toEqual(['Firefox-308046B0AF4A39CB']);
    const caps = regKey(value, `${root}\\Firefox-308046B0AF4A39CB\\Capabilities`);
    expect(regString(caps, 'ApplicationIcon')).toBe('C:\\Program Files\\Mozilla Firefox\\firefox.exe,0');
    expect(regString(caps, 'ApplicationName')).toBe('Firefox');
    expect(regKey(value, `${root}\\Firefox-308046B0AF4A39CB\\Capabilities\\FileAssociations`)?.values.get('.html')).toEqual({ type: 'REG_SZ', data: 'FirefoxHTML-308046B0AF4A39CB' });
  });

  it('reads empty data, REG_DWORD, a localised default name and merges a key queried twice (SYNTHETIC)', () => {
    const text = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\X\r\n    (Standard)    REG_SZ    a\r\n    Empty    REG_SZ    \r\n\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\X\r\n    Install    REG_DWORD    0x1\r\n';
    const [k] = parseRegQuery(text).value;
    expect(k?.values.get('')).toEqual({ type: 'REG_SZ', data: 'a' });
    expect(k?.values.get('Empty')).toEqual({ type: 'REG_SZ', data: '' });
    expect(k?.values.get('Install')).toEqual({ type: 'REG_DWORD', data: '0x1' });
  });
});

describe('powercfg', () => {
  it('/a: only S3 available, the reasons for the others (FanControl #3961)', () => {
    const { value, problems } = parsePowercfgAvailable(fixture('powercfg/fancontrol-3961-powercfg-a-s3-only.txt'));
    expect(problems).toEqual([]);
    expect(value.available).toEqual(['Standby (S3)']);
    expect(value.unavailable.map((u) => u.state)).toEqual(['Standby (S1)', 'Standby (S2)', 'Hibernate', 'Standby (S0 Low Power Idle)', 'Hybrid Sleep', 'Fast Startup']);
    expect(value.unavailable.find((u) => u.state === 'Hybrid Sleep')?.reasons).toEqual(['Hibernation is not available.', 'The hypervisor does not support this standby state.']);
  });

  it('/a: Modern Standby with blank lines between states (PowerToys #23806, g-helper #5773)', () => {
    expect(parsePowercfgAvailable(fixture('powercfg/powertoys-23806-powercfg-a-s0-excerpt.txt')).value.available).toEqual(['Standby (S0 Low Power Idle) Network Connected']);
    const g = parsePowercfgAvailable(fixture('powercfg/ghelper-5773-powercfg-a-s0-hibernate-excerpt.txt')).value;
    expect(g.available).toEqual(['Standby (S0 Low Power Idle) Network Disconnected', 'Hibernate']);
    expect(g.available.map(sleepStateKind)).toEqual(['standby', 'hibernate']);
  });

  it('/a: localised headings are told apart by their order (SYNTHETIC, wording of a Russian Windows)', () => {
    const ru = 'Следующие состояния сна доступны в этой системе:\n    Ждущий режим (S3)\n\nСледующие состояния сна недоступны в этой системе:\n    Гибернация\n        Гибернация не включена.\n';
    expect(parsePowercfgAvailable(ru).value).toEqual({ available: ['Ждущий режим (S3)'], unavailable: [{ state: 'Гибернация', reasons: ['Гибернация не включена.'] }] });
  });

  it('/q SCHEME_CURRENT SUB_SLEEP: "Sleep after" AC 0, DC 1800 s (g-helper #5345)', () => {
    const { value, problems } = parsePowercfgQuery(fixture('powercfg/ghelper-5345-powercfg-q-sub-sleep-excerpt.txt'));
    expect(problems).toEqual([]);
    expect(value.schemeName).toBe('Balanced');
    expect(value.settings.find((s) => s.guid === POWER_SETTING.sleepAfter)).toEqual({ guid: POWER_SETTING.sleepAfter, name: 'Sleep after', alias: 'STANDBYIDLE', subgroupGuid: '238c9fa8-0aad-41ed-83f4-97be242c8f20', ac: 0, dc: 0x708 });
  });

  it('/q: the current indexes, never the Maximum Possible Setting, across subgroups (BatterySimulator #11)', () => {
    const { value } = parsePowercfgQuery(fixture('powercfg/batterysimulator-11-powercfg-q-excerpt.txt'));
    expect(value.settings.map((s) => [s.alias ?? s.name, s.ac, s.dc])).toEqual([
      ['DISKIDLE', 0x4b0, 0x258],
      ['JavaScript Timer Frequency', 1, 0],
      ['Slide show', undefined, undefined],
    ]);
  });

  it('/q: localised labels read by position (SYNTHETIC: the #5345 capture with German labels)', () => {
    const de = fixture('powercfg/ghelper-5345-powercfg-q-sub-sleep-excerpt.txt')
      .replace(/Current AC Power Setting Index/g, 'Index der aktuellen Wechselstromeinstellung')
      .replace(/Current DC Power Setting Index/g, 'Index der aktuellen Gleichstromeinstellung')
      .replace(/Minimum Possible Setting/g, 'Minimaler Wert');
    expect(parsePowercfgQuery(de).value.settings[0]).toMatchObject({ ac: 0, dc: 0x708 });
  });
});

describe('macOS', () => {
  it('pmset -g: sleep 1 and hibernatemode 0 (HibernationFixup #3)', () => {
    const { value, problems } = parsePmset(fixture('pmset/hibernationfixup-pr3-pmset-g-sleep1.txt'));
    expect(problems).toEqual([]);
    expect(value.inUse['sleep']).toEqual({ value: '1' });
    expect(value.inUse['hibernatemode']).toEqual({ value: '0' });
    expect(value.inUse['Sleep On Power Button']).toEqual({ value: '1' });
    expect(value.inUse['hibernatefile']).toEqual({ value: '/var/vm/sleepimage' });
  });

  it('pmset -g: the "(sleep prevented by ...)" note (Z490 #31)', () => {
    expect(parsePmset(fixture('pmset/z490-vision-g-issue31-pmset-g-sleep-prevented.txt')).value.inUse['sleep']).toEqual({ value: '1', note: 'sleep prevented by sharingd, coreaudiod' });
  });

  it('sysctl: version, memory, clock and 64-bit capability (jc, macOS 10.14.6)', () => {
    const { value } = parseSysctl(fixture('macos/jc-osx-10.14.6-sysctl-probe-keys.txt'));
    expect(value).toMatchObject({ 'kern.osproductversion': '10.14.6', 'hw.memsize': '17179869184', 'hw.cpufrequency': '2400000000', 'hw.optional.x86_64': '1', 'machdep.cpu.brand_string': 'Intel(R) Core(TM) i5-8279U CPU @ 2.40GHz' });
  });

  it('df: 512-byte blocks and inode columns, mount points with spaces (jc)', () => {
    const { value, problems } = parseBsdDf(fixture('macos/jc-osx-10.14.6-df.out'));
    expect(problems).toEqual([]);
    expect(value.find((f) => f.mountpoint === '/')).toMatchObject({ source: '/dev/disk1s1', sizeBytes: 976490576 * 512, availableBytes: 660310352 * 512 });
    expect(value.map((f) => f.mountpoint)).toContain('/Volumes/com.apple.TimeMachine.localsnapshots/Backups.backupdb/kbrazil-mac/2019-11-29-075900/Macintosh HD');
    expect(value.find((f) => f.source === 'map -hosts')?.mountpoint).toBe('/net');
  });

  it('ifconfig: media speeds, link status, virtual interfaces, the T2 iBridge (jc)', () => {
    const wifi = parseMacIfconfig(fixture('macos/jc-osx-10.14.6-ifconfig-wifi.out')).value;
    expect(wifi.find((i) => i.name === 'en0')).toMatchObject({ mac: 'f0:18:98:03:d9:30', media: 'autoselect', active: true, virtual: false });
    expect(wifi.find((i) => i.name === 'en0')?.speedMbps).toBeUndefined();
    expect(wifi.filter((i) => !i.virtual).map((i) => i.name)).toEqual(['en0', 'en1', 'en2', 'en3', 'en4']);
    const eth = parseMacIfconfig(fixture('macos/jc-osx-10.14.6-ifconfig2-100baseTX.out')).value;
    expect(eth.find((i) => i.name === 'en5')).toMatchObject({ speedMbps: 100, active: true, virtual: true, mac: 'ac:de:48:00:10:20' });
  });

  it('bundles: version and Mach-O architectures (SYNTHETIC framing; `file` wording as real output, e.g. jc osx file.out)', () => {
    const text = '==> /Applications/Safari.app\nversion: 12.1.2\n/Applications/Safari.app/Contents/MacOS/Safari: Mach-O 64-bit executable x86_64\n';
    expect(parseMacBundles(text).value).toEqual([{ path: '/Applications/Safari.app', name: 'Safari', version: '12.1.2', executable: { path: '/Applications/Safari.app/Contents/MacOS/Safari', kind: 'mach-o', bits: 64, archs: ['x86_64'] } }]);
  });
});

describe('Linux', () => {
  it('browsers: Chromium 156, the wrapper script and the 64-bit program (this VM)', () => {
    const [b] = parseLinuxBrowsers(fixture('mgmt_linux/preflight-vm-linux-browsers-chromium.txt')).value;
    expect(b).toMatchObject({ command: 'chromium', path: '/usr/bin/chromium', realPath: '/usr/bin/chromium', versionLine: 'Chromium 156.0.8078.108 built on Debian GNU/Linux 12 (bookworm)' });
    expect(b?.files.map((f) => [f.path, f.kind, f.bits])).toEqual([
      ['/usr/bin/chromium', 'script', undefined],
      ['/usr/lib/chromium/chromium', 'elf', 64],
    ]);
  });

  it('packages: installed only (this VM\'s dpkg also lists firefox as not-installed)', () => {
    expect(parseLinuxPackages(fixture('mgmt_linux/preflight-vm-linux-packages-dpkg.txt')).value).toEqual([{ manager: 'dpkg', name: 'chromium', version: '156.0.8078.108-1~deb12u1', arch: 'amd64' }]);
  });

  it('flash plug-ins: NPAPI version string and PPAPI manifest (SYNTHETIC probe output)', () => {
    const text = [
      '==> /usr/lib/adobe-flashplugin/libflashplayer.so',
      'real: /usr/lib/adobe-flashplugin/libflashplayer.so',
      '/usr/lib/adobe-flashplugin/libflashplayer.so: ELF 32-bit LSB shared object, Intel 80386, version 1 (SYSV), dynamically linked, stripped',
      'LNX 11,2,202,644',
      '==> /usr/lib/adobe-flashplugin/libpepflashplayer.so',
      'real: /usr/lib/adobe-flashplugin/libpepflashplayer.so',
      '==> /usr/lib/adobe-flashplugin/manifest.json',
      'real: /usr/lib/adobe-flashplugin/manifest.json',
      '  "name": "Shockwave Flash",',
      '  "version": "32.0.0.465",',
    ].join('\n');
    const v = parseLinuxFlash(text).value;
    expect(v.map((p) => [p.kind, p.version, p.file?.bits])).toEqual([
      ['npapi', '11.2.202.644', 32],
      ['ppapi', '32.0.0.465', undefined],
    ]);
  });

  it('sleep targets: static without systemd (this VM), masked (scratch root)', () => {
    expect(parseSleepTargets(fixture('mgmt_linux/preflight-vm-sleep-targets-static-no-systemd.txt')).value).toEqual({
      systemdRunning: false,
      targets: { 'sleep.target': 'static', 'suspend.target': 'static', 'hibernate.target': 'static', 'hybrid-sleep.target': 'static', 'suspend-then-hibernate.target': 'static' },
    });
    const masked = parseSleepTargets(fixture('mgmt_linux/preflight-vm-scratch-root-sleep-targets-masked.txt')).value;
    expect(masked.systemdRunning).toBeUndefined();
    expect(masked.targets['suspend.target']).toBe('masked');
  });

  it('kernel power states: empty on this VM', () => {
    expect(parseKernelPowerStates(fixture('mgmt_linux/preflight-vm-power-states-none.txt'))).toEqual({ value: { states: [] }, problems: [] });
  });

  it('sleep config: main file, then drop-ins by name, /etc over /usr/lib for the same name (SYNTHETIC grep lines)', () => {
    const text = [
      '/etc/systemd/logind.conf:IdleAction=ignore',
      '/usr/lib/systemd/logind.conf.d/90-vendor.conf:IdleAction=hibernate',
      '/etc/systemd/logind.conf.d/50-suspend.conf:IdleAction=suspend',
      '/usr/lib/systemd/logind.conf.d/50-suspend.conf:IdleAction=lock',
      '/etc/systemd/sleep.conf.d/nosleep.conf:AllowSuspend=no',
    ].join('\n');
    expect(parseSleepConfig(text).value).toEqual({ IdleAction: 'hibernate', AllowSuspend: 'no' });
  });
});

describe('`file` lines and Windows folder listings', () => {
  it('ELF and Mach-O word sizes', () => {
    expect(parseFileLine('/opt/firefox/firefox: ELF 32-bit LSB executable, Intel 80386, version 1 (SYSV), dynamically linked')).toMatchObject({ kind: 'elf', bits: 32, archs: ['Intel 80386'] });
    expect(parseFileLine('jp:                         Mach-O 64-bit executable x86_64')).toMatchObject({ kind: 'mach-o', bits: 64, archs: ['x86_64'] });
    expect(parseFileLine('x: Mach-O universal binary with 2 architectures: [i386:Mach-O executable i386] [ppc:Mach-O executable ppc]')).toMatchObject({ bits: 32, archs: ['i386', 'ppc'] });
    expect(parseFileLine('no colon here')).toBeUndefined();
  });

  it('dir /b listings per folder (SYNTHETIC)', () => {
    const v = parseWindowsFolders('==> C:\\Windows\\SysWOW64\\Macromed\\Flash\r\nFlash32_32_0_0_465.ocx\r\n==> C:\\Program Files\\Citrix\\XenCenter\r\n').value;
    expect([...v]).toEqual([
      ['C:\\Windows\\SysWOW64\\Macromed\\Flash', ['Flash32_32_0_0_465.ocx']],
      ['C:\\Program Files\\Citrix\\XenCenter', []],
    ]);
  });
});

// --- robustness: never throw, whatever the input ----------------------------------------------------

const PARSERS: [string, (text: string) => ParseResult<unknown>, string][] = [
  ['parseSystemInformation', parseSystemInformation, fixture('systeminformation/preflight-vm-si-system.json')],
  ['parseWindowsSysteminfo', parseWindowsSysteminfo, fixture('windows_systeminfo/jc-windows-7-professional-sp1-excerpt.out')],
  ['parseRegQuery', parseRegQuery, fixture('reg_query/testcafe-4051-reg-query-startmenuinternet-excerpt.txt')],
  ['parsePowercfgAvailable', parsePowercfgAvailable, fixture('powercfg/fancontrol-3961-powercfg-a-s3-only.txt')],
  ['parsePowercfgQuery', parsePowercfgQuery, fixture('powercfg/batterysimulator-11-powercfg-q-excerpt.txt')],
  ['parsePmset', parsePmset, fixture('pmset/z490-vision-g-issue31-pmset-g-sleep-prevented.txt')],
  ['parseSysctl', parseSysctl, fixture('macos/jc-osx-10.14.6-sysctl-probe-keys.txt')],
  ['parseBsdDf', parseBsdDf, fixture('macos/jc-osx-10.14.6-df.out')],
  ['parseMacIfconfig', parseMacIfconfig, fixture('macos/jc-osx-10.14.6-ifconfig2-100baseTX.out')],
  ['parseLinuxBrowsers', parseLinuxBrowsers, fixture('mgmt_linux/preflight-vm-linux-browsers-chromium.txt')],
  ['parseLinuxFlash', parseLinuxFlash, '==> /usr/lib/mozilla/plugins/libflashplayer.so\nreal: /x\nLNX 11,2,202,644\n'],
  ['parseLinuxPackages', parseLinuxPackages, fixture('mgmt_linux/preflight-vm-linux-packages-dpkg.txt')],
  ['parseSleepTargets', parseSleepTargets, fixture('mgmt_linux/preflight-vm-sleep-targets-static-no-systemd.txt')],
  ['parseSleepConfig', parseSleepConfig, '/etc/systemd/logind.conf:IdleAction=suspend\n'],
  ['parseKernelPowerStates', parseKernelPowerStates, 'state: freeze mem disk\ndisk: [platform] shutdown\n'],
  ['parseMacBundles', parseMacBundles, '==> /Applications/Firefox.app\nversion: 3.6\n/x: Mach-O executable i386\n'],
  ['parseWindowsFolders', parseWindowsFolders, '==> C:\\A\r\nb.ocx\r\n'],
];

const noisy = fc
  .array(
    fc.oneof(
      fc.string(),
      fc.constantFrom('==> ', ': ', 'HKEY_LOCAL_MACHINE\\', '    ', ' REG_SZ ', '0x', '{', '}', '"', '[', ']', 'null', 'Mhz', 'MB', 'GUID', '(', ')', 'state:', 'sleep', '\t', 'media: autoselect (', 'base', 'ELF 64-bit', 'Mach-O', 'LNX '),
      fc.integer().map(String),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''))
  .chain((s) => fc.constantFrom(s, s.replace(/ /g, '\n'), s.replace(/ /g, '\r\n')));

describe.each(PARSERS)('%s never throws', (_name, parse, sample) => {
  it('on arbitrary strings and probe-like noise', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), noisy), (text) => {
        expect(Array.isArray(parse(text).problems)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('on a real sample cut at any point or with a line replaced', () => {
    const lines = sample.split('\n');
    fc.assert(
      fc.property(fc.nat(sample.length), fc.nat(Math.max(0, lines.length - 1)), fc.string({ maxLength: 40 }), (cut, line, junk) => {
        expect(Array.isArray(parse(sample.slice(0, cut)).problems)).toBe(true);
        const damaged = [...lines];
        damaged[line] = junk;
        expect(Array.isArray(parse(damaged.join('\n')).problems)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
