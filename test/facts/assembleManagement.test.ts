import { describe, expect, it } from 'vitest';
import {
  debianVm,
  evidence,
  factsFrom,
  fixture,
  KERNEL_STATES_FREEZE_MEM_DISK,
  mojaveMac,
  pmset,
  siSystem,
  SYNTHETIC_DOTNET,
  SYNTHETIC_FLASH32_ACTIVEX_REG,
  SYNTHETIC_FOLDERS,
  SYNTHETIC_IE8_REG,
  SYNTHETIC_UNINSTALL,
  testcafeBrowsers,
  win10Systeminfo,
  win7Systeminfo,
  windows7Pc,
} from '../checks/mgmtFacts.js';

/**
 * Evidence -> the management computer sections of HostFacts (computer, browsers, power, software),
 * through buildHostFacts, on the captures of test/fixtures (Windows, macOS, Linux). SYNTHETIC_*
 * evidence is written by hand (see test/checks/mgmtFacts.ts).
 */

describe('computer: the platform and where each part comes from', () => {
  it('Windows 7 from systeminfo (edition, SP, 64-bit, MHz, memory) and systeminformation (C:, NICs)', () => {
    const c = windows7Pc().computer!;
    expect(c.platform).toBe('windows');
    expect(c.os).toEqual({ name: 'Microsoft Windows 7 Professional', version: '6.1.7601', servicePack: 1, bits: 64, source: 'windows.systeminfo' });
    expect(c.cpu).toMatchObject({ mhz: 2501, kind: 'rated', source: 'windows.systeminfo' });
    expect(c.memory).toEqual({ bytes: 8075 * 2 ** 20, installed: false, source: 'windows.systeminfo' });
    expect(c.systemVolume).toEqual({ mount: 'C:', sizeBytes: 255239122944, availableBytes: 255239122944 - 75533164544, source: 'si.system' });
    expect(c.nicsSource).toBe('si.system');
  });

  it('Windows seen by systeminfo only: NIC names from systeminfo, virtual adapters marked, no volume', () => {
    const c = factsFrom(win7Systeminfo()).computer!;
    expect(c.systemVolume).toBeUndefined();
    expect(c.nics?.map((n) => [n.name, n.virtual, n.up])).toEqual([
      ['Bluetooth Network Connection', true, false],
      ['Local Area Connection', false, false],
      ['Wireless Network Connection', false, undefined],
      ['Wireless Network Connection 2', true, false],
      ['Wireless Network Connection 3', true, false],
    ]);
  });

  it('Windows seen by systeminformation only: OS name, service pack and word size from the environment (SYNTHETIC osInfo)', () => {
    const c = factsFrom(
      siSystem({
        osInfo: { platform: 'Windows', distro: 'Microsoft Windows 7 Professional', release: '6.1.7601', servicepack: '1.0', arch: 'ia32' },
        windows: { systemDrive: 'D:', processorArchitecture: 'x86', processorArchiteW6432: 'AMD64' },
        fsSize: JSON.parse(fixture('systeminformation/si-issue-833-windows-fssize-c.json')),
      }),
    ).computer!;
    expect(c.os).toEqual({ name: 'Microsoft Windows 7 Professional', version: '6.1.7601', servicePack: 1, bits: 64, source: 'si.system' });
    expect(c.systemVolume).toBeUndefined(); // the system drive is D:, only C: was listed
  });

  it('macOS from sysctl, BSD df and ifconfig', () => {
    const c = mojaveMac().computer!;
    expect(c.os).toEqual({ name: 'macOS 10.14.6', version: '10.14.6', bits: 64, source: 'macos.sysctl' });
    expect(c.cpu).toEqual({ mhz: 2400, kind: 'rated', model: 'Intel(R) Core(TM) i5-8279U CPU @ 2.40GHz', source: 'macos.sysctl' });
    expect(c.memory).toEqual({ bytes: 17179869184, installed: true, source: 'macos.sysctl' });
    expect(c.systemVolume).toMatchObject({ mount: '/', availableBytes: 660310352 * 512, source: 'macos.df' });
    expect(c.nics?.filter((n) => !n.virtual).map((n) => n.name)).toEqual(['en0', 'en1', 'en2', 'en3', 'en4']);
  });

  it('Linux from the host probes; systeminformation fills only what they lack', () => {
    const c = debianVm().computer!;
    expect(c.os).toMatchObject({ name: 'Debian GNU/Linux 12 (bookworm)', bits: 64, source: 'etc.os-release' });
    expect(c.systemVolume?.source).toBe('df');
    expect(c.nicsSource).toBe('sys.net');
    const withSi = debianVm(evidence('si.system', fixture('systeminformation/preflight-vm-si-system.json'))).computer!;
    expect(withSi.os?.source).toBe('etc.os-release');
    expect(withSi.listeners?.length).toBeGreaterThan(0);
  });

  it('no platform evidence: no computer section', () => {
    expect(factsFrom(evidence('df', fixture('disk/preflight-vm-df.txt'))).computer).toBeUndefined();
  });
});

describe('browsers', () => {
  it('Linux: Chromium 156 no longer loads Flash; no plug-ins (this VM)', () => {
    expect(debianVm().browsers).toEqual({
      platform: 'linux',
      browsers: [
        {
          name: 'Chromium',
          family: 'chromium',
          version: '156.0.8078.108',
          bits: 64,
          path: '/usr/lib/chromium/chromium',
          flashPlugins: ['ppapi'],
          flashRemoved: 'Chrome and Chromium 88 (January 2021) and later do not load Flash Player',
          source: 'linux.browsers',
        },
      ],
      flashPlayers: [],
    });
  });

  it('Windows: Firefox registered under Program Files is 64-bit on a 64-bit Windows (testcafe #4051)', () => {
    expect(windows7Pc(testcafeBrowsers()).browsers?.browsers).toEqual([
      { name: 'Mozilla Firefox', family: 'firefox', bits: 64, path: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe', flashPlugins: ['npapi'], source: 'windows.reg-browsers' },
    ]);
  });

  it('Windows: both Internet Explorer builds, the 32-bit ActiveX control from registry and files merged (SYNTHETIC)', () => {
    const b = windows7Pc(SYNTHETIC_IE8_REG(), SYNTHETIC_FLASH32_ACTIVEX_REG(), SYNTHETIC_FOLDERS({ wow64: ['Flash32_11_2_202_228.ocx', 'NPSWF32_11_2_202_228.dll', 'Flash10a.ocx'] }), SYNTHETIC_UNINSTALL(false)).browsers!;
    expect(b.browsers.map((x) => [x.name, x.version, x.bits, x.path])).toEqual([
      ['Internet Explorer', '8.0.7601.17514', 64, 'C:\\Program Files\\Internet Explorer\\iexplore.exe'],
      ['Internet Explorer', '8.0.7601.17514', 32, 'C:\\Program Files (x86)\\Internet Explorer\\iexplore.exe'],
    ]);
    expect(b.flashPlayers.map((p) => [p.kind, p.version, p.bits, p.source])).toEqual([
      ['activex', '11.2.202.228', 32, 'windows.reg-flash'],
      ['npapi', '11.2.202.228', 32, 'windows.folders'],
      ['activex', '10', 32, 'windows.folders'],
    ]);
  });

  it('Windows: Firefox version from Add or Remove Programs by install folder (SYNTHETIC)', () => {
    const reg = evidence(
      'windows.reg-browsers',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Clients\\StartMenuInternet\\FIREFOX.EXE\r\n    (Default)    REG_SZ    Mozilla Firefox\r\n\r\nHKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Clients\\StartMenuInternet\\FIREFOX.EXE\\shell\\open\\command\r\n    (Default)    REG_SZ    "C:\\Program Files (x86)\\Mozilla Firefox\\firefox.exe"\r\n',
    );
    expect(windows7Pc(reg, SYNTHETIC_UNINSTALL(false)).browsers?.browsers[0]).toMatchObject({ name: 'Mozilla Firefox', version: '3.6.28 (en-US)', bits: 32 });
  });

  it('macOS: a universal Flash plug-in has no single word size (SYNTHETIC bundles)', () => {
    const flash = evidence('macos.flash', '==> /Library/Internet Plug-Ins/Flash Player.plugin\nversion: 11.1.102.55\n/Library/Internet Plug-Ins/Flash Player.plugin/Contents/MacOS/Flash Player: Mach-O universal binary with 2 architectures: [x86_64:Mach-O 64-bit bundle x86_64] [i386:Mach-O bundle i386]\n');
    const apps = evidence('macos.browsers', '==> /Applications/Safari.app\nversion: 14.1\n/Applications/Safari.app/Contents/MacOS/Safari: Mach-O 64-bit executable x86_64\n');
    const b = mojaveMac({}, apps, flash).browsers!;
    expect(b.flashPlayers).toEqual([{ kind: 'npapi', version: '11.1.102.55', path: '/Library/Internet Plug-Ins/Flash Player.plugin', source: 'macos.flash' }]);
    expect(b.browsers[0]).toMatchObject({ name: 'Safari', bits: 64, flashRemoved: 'Safari 14 (2020) and later do not load Flash Player' });
  });
});

describe('power', () => {
  it('Windows: offered states and the AC/DC timers (FanControl #3961 + g-helper #5345)', () => {
    const p = factsFrom(win7Systeminfo(), evidence('windows.powercfg-available', fixture('powercfg/fancontrol-3961-powercfg-a-s3-only.txt')), evidence('windows.powercfg-sleep', fixture('powercfg/ghelper-5345-powercfg-q-sub-sleep-excerpt.txt'))).power;
    expect(p).toEqual({
      platform: 'windows',
      windows: { available: ['Standby (S3)'], unavailable: ['Standby (S1)', 'Standby (S2)', 'Hibernate', 'Standby (S0 Low Power Idle)', 'Hybrid Sleep', 'Fast Startup'], sleepAfterAcSeconds: 0, sleepAfterDcSeconds: 1800, scheme: 'Balanced' },
    });
  });

  it('Linux: kernel states, systemd and targets (this VM, and masked targets in a scratch root)', () => {
    expect(debianVm().power?.linux).toMatchObject({ kernelStates: [], systemdRunning: false, targets: { 'suspend.target': 'static' }, settings: {} });
    const masked = debianVm(KERNEL_STATES_FREEZE_MEM_DISK(), evidence('linux.sleep-targets', fixture('mgmt_linux/preflight-vm-scratch-root-sleep-targets-masked.txt'))).power?.linux;
    expect(masked?.kernelStates).toEqual(['freeze', 'mem', 'disk']);
    expect(masked?.systemdRunning).toBeUndefined();
    expect(masked?.targets?.['hibernate.target']).toBe('masked');
  });

  it('macOS: the sleep timer and its note (Z490 #31)', () => {
    expect(mojaveMac({}, pmset('z490-vision-g-issue31-pmset-g-sleep-prevented.txt')).power).toEqual({ platform: 'macos', macos: { sleepMinutes: 1, sleepNote: 'sleep prevented by sharingd, coreaudiod', hibernateMode: 3 } });
  });
});

describe('software', () => {
  it('Windows: XenCenter and .NET from the registry (SYNTHETIC), not looked for without those probes', () => {
    expect(windows7Pc(SYNTHETIC_UNINSTALL(true), SYNTHETIC_DOTNET()).software).toEqual({
      platform: 'windows',
      xenCenter: { installed: true, version: '5.5.0.1', where: 'C:\\Program Files (x86)\\Citrix\\XenCenter\\' },
      dotNetVersions: ['2.0.50727.5420', '3.5.30729.5420'],
    });
    expect(factsFrom(win10Systeminfo()).software).toEqual({ platform: 'windows' });
  });

  it('Linux and macOS: only the platform', () => {
    expect(debianVm().software).toEqual({ platform: 'linux' });
    expect(mojaveMac().software).toEqual({ platform: 'macos' });
  });
});
