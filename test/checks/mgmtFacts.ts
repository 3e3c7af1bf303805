import type { Evidence } from '../../src/collect/evidence.js';
import { buildHostFacts } from '../../src/facts/buildHostFacts.js';
import { HostFacts } from '../../src/facts/schema.js';
import { absent, evidence, evidenceSet, fixture } from '../facts/support.js';

/**
 * Test support for the management and quorum computer checks (mgmt-*, quorum-*): HostFacts built
 * by the real parsers and assemblers (buildHostFacts) from captured outputs in test/fixtures, one
 * machine per platform. Where no public capture exists for a situation, the evidence is written
 * here and named SYNTHETIC_*; everything else is a fixture file with its source in its README.
 *
 * A "machine" mixes probes only as a real scan of one platform would: a Windows machine has the
 * Windows probes and the systeminformation result, a macOS machine the macOS probes, and so on.
 * Where one machine's evidence is assembled from captures of several machines (Windows systeminfo
 * of one PC, systeminformation pieces of another), the function says so.
 */

export function factsFrom(...items: Evidence[]): HostFacts {
  return HostFacts.parse(buildHostFacts({ transport: 'bundle', collectedAt: '2026-11-25T00:00:00Z', evidence: evidenceSet(...items) }));
}

/** The si.system probe result made of whole systeminformation call results. */
export function siSystem(parts: Record<string, unknown>): Evidence {
  return evidence('si.system', JSON.stringify({ systeminformation: '5.0.6', ...parts }));
}

const json = (path: string): unknown => JSON.parse(fixture(path));

// --- Windows -------------------------------------------------------------------------------------

/** Windows 7 Professional SP1 laptop (jc systeminfo, verbatim header and NIC section). */
export const win7Systeminfo = () => evidence('windows.systeminfo', fixture('windows_systeminfo/jc-windows-7-professional-sp1-excerpt.out'));
export const win10Systeminfo = () => evidence('windows.systeminfo', fixture('windows_systeminfo/jc-windows-10-enterprise-vmware.out'));
export const win2012Systeminfo = () => evidence('windows.systeminfo', fixture('windows_systeminfo/jc-windows-2012r2-hyperv-vm.out'));

/**
 * A Windows management computer assembled from captures of several Windows machines: systeminfo of
 * the jc project's Windows 7 laptop, and systeminformation results posted in issues (fsSize of a
 * Windows 10 HP ENVY, #478; networkInterfaces of a Windows PC whose I219-LM cable is unplugged, #985).
 */
export function windows7Pc(...more: Evidence[]): HostFacts {
  return factsFrom(
    win7Systeminfo(),
    siSystem({
      osInfo: { platform: 'win32' },
      fsSize: json('systeminformation/si-issue-478-windows10-fssize-no-available.json'),
      networkInterfaces: json('systeminformation/si-issue-985-windows-networkinterfaces-i219-down.json'),
    }),
    ...more,
  );
}

/** The Firefox/IE registration of a Windows CI runner (testcafe #4051), as `windows.reg-browsers`. */
export const testcafeBrowsers = () => evidence('windows.reg-browsers', fixture('reg_query/testcafe-4051-reg-query-startmenuinternet-excerpt.txt'));

/** SYNTHETIC: `reg query` printed nothing for the Flash keys (none registered). */
export const SYNTHETIC_NO_FLASH_REG = () => evidence('windows.reg-flash', '');

/**
 * SYNTHETIC (no public capture of these keys was found): `reg query HKLM\SOFTWARE\Macromedia /s`
 * and the WOW6432Node view on a 64-bit Windows 7 with the 32-bit Flash Player 11 ActiveX control
 * (the layout Adobe's Flash Player installers wrote: FlashPlayerActiveX with PlayerPath and Version).
 */
export const SYNTHETIC_FLASH32_ACTIVEX_REG = () =>
  evidence(
    'windows.reg-flash',
    [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Macromedia\\FlashPlayerActiveX',
      '    PlayerPath    REG_SZ    C:\\Windows\\SysWOW64\\Macromed\\Flash\\Flash32_11_2_202_228.ocx',
      '    Version    REG_SZ    11.2.202.228',
      '',
    ].join('\r\n'),
  );

/** SYNTHETIC: the same machine with only the 64-bit ActiveX control (Flash64_...ocx in System32). */
export const SYNTHETIC_FLASH64_ACTIVEX_REG = () =>
  evidence(
    'windows.reg-flash',
    ['', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Macromedia\\FlashPlayerActiveX', '    PlayerPath    REG_SZ    C:\\Windows\\System32\\Macromed\\Flash\\Flash64_11_2_202_228.ocx', '    Version    REG_SZ    11.2.202.228', ''].join('\r\n'),
  );

/** SYNTHETIC: `windows.folders` of that machine: both Internet Explorer builds, Flash files. */
export const SYNTHETIC_FOLDERS = (flash: { sys32?: string[]; wow64?: string[] }, extra: string[] = []) =>
  evidence(
    'windows.folders',
    [
      '==> C:\\Windows\\System32\\Macromed\\Flash',
      ...(flash.sys32 ?? []),
      '==> C:\\Windows\\SysWOW64\\Macromed\\Flash',
      ...(flash.wow64 ?? []),
      '==> C:\\Program Files\\Internet Explorer',
      'iexplore.exe',
      '==> C:\\Program Files (x86)\\Internet Explorer',
      'iexplore.exe',
      ...extra,
      '',
    ].join('\r\n'),
  );

/** SYNTHETIC: Internet Explorer 8 registered (StartMenuInternet) and its version key. */
export const SYNTHETIC_IE8_REG = () =>
  evidence(
    'windows.reg-browsers',
    [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Clients\\StartMenuInternet\\IEXPLORE.EXE',
      '    (Default)    REG_SZ    Internet Explorer',
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Clients\\StartMenuInternet\\IEXPLORE.EXE\\shell\\open\\command',
      '    (Default)    REG_SZ    "C:\\Program Files\\Internet Explorer\\iexplore.exe"',
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Internet Explorer',
      '    Version    REG_SZ    8.0.7601.17514',
      '',
    ].join('\r\n'),
  );

/** SYNTHETIC: Add or Remove Programs with (or without) Citrix XenCenter. */
export const SYNTHETIC_UNINSTALL = (withXenCenter: boolean) =>
  evidence(
    'windows.reg-uninstall',
    [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Mozilla Firefox (3.6.28)',
      '    DisplayName    REG_SZ    Mozilla Firefox (3.6.28)',
      '    DisplayVersion    REG_SZ    3.6.28 (en-US)',
      '    InstallLocation    REG_SZ    C:\\Program Files (x86)\\Mozilla Firefox',
      ...(withXenCenter
        ? [
            '',
            'HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{64E2E4A6-1C9F-4A8B-9F25-7E4E3F1D2A55}',
            '    DisplayName    REG_SZ    Citrix XenCenter',
            '    DisplayVersion    REG_SZ    5.5.0.1',
            '    InstallLocation    REG_SZ    C:\\Program Files (x86)\\Citrix\\XenCenter\\',
          ]
        : []),
      '',
    ].join('\r\n'),
  );

/** SYNTHETIC: `reg query ...\NET Framework Setup\NDP /s` with .NET 2.0 and 3.5 installed. */
export const SYNTHETIC_DOTNET = () =>
  evidence(
    'windows.reg-dotnet',
    [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v2.0.50727',
      '    Install    REG_DWORD    0x1',
      '    Version    REG_SZ    2.0.50727.5420',
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v3.5',
      '    Install    REG_DWORD    0x1',
      '    Version    REG_SZ    3.5.30729.5420',
      '',
    ].join('\r\n'),
  );

// --- Linux ---------------------------------------------------------------------------------------

/** The preflight development VM (Debian 12) as probed: os-release, uname, df, sys.net, browsers, power. */
export function debianVm(...more: Evidence[]): HostFacts {
  return factsFrom(
    evidence('uname', fixture('os_release/preflight-vm-uname.txt')),
    evidence('etc.os-release', fixture('os_release/preflight-vm-os-release.txt')),
    evidence('proc.cpuinfo', fixture('cpuinfo/preflight-vm-amd-epyc-2cpu-kvm-guest.txt')),
    evidence('proc.meminfo', fixture('meminfo/preflight-vm-meminfo.txt')),
    evidence('df', fixture('disk/preflight-vm-df.txt')),
    evidence('sys.net', fixture('sys_net/preflight-vm-host.txt')),
    evidence('net.listeners', fixture('listeners/preflight-vm-ss.txt')),
    evidence('linux.browsers', fixture('mgmt_linux/preflight-vm-linux-browsers-chromium.txt')),
    evidence('linux.flash', ''),
    evidence('linux.packages', fixture('mgmt_linux/preflight-vm-linux-packages-dpkg.txt')),
    evidence('linux.sleep-targets', fixture('mgmt_linux/preflight-vm-sleep-targets-static-no-systemd.txt')),
    evidence('linux.sleep-config', ''),
    evidence('linux.power-states', fixture('mgmt_linux/preflight-vm-power-states-none.txt')),
    ...more,
  );
}

/**
 * A kernel reading /sys/power/state as "freeze mem disk", the line inxi issue #292 (chromer030)
 * quotes from the kernel documentation's example machine, in the probe's "state: ..." framing.
 */
export const KERNEL_STATES_FREEZE_MEM_DISK = () => evidence('linux.power-states', 'state: freeze mem disk\n');

// --- macOS ---------------------------------------------------------------------------------------

/** The jc project's MacBook on macOS 10.14.6: sysctl, df and ifconfig (Wi-Fi only, or USB Ethernet). */
export function mojaveMac(opts: { ethernet?: boolean } = {}, ...more: Evidence[]): HostFacts {
  return factsFrom(
    evidence('macos.sysctl', fixture('macos/jc-osx-10.14.6-sysctl-probe-keys.txt')),
    evidence('macos.df', fixture('macos/jc-osx-10.14.6-df.out')),
    evidence('macos.ifconfig', fixture(opts.ethernet ? 'macos/jc-osx-10.14.6-ifconfig2-100baseTX.out' : 'macos/jc-osx-10.14.6-ifconfig-wifi.out')),
    ...more,
  );
}

export const pmset = (name: string) => evidence('macos.pmset', fixture(`pmset/${name}`));

export { absent, evidence, fixture };
