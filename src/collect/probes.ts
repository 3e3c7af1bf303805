import type { Role } from '../engine/types.js';
import type { NodeProbeKind, Probe } from './evidence.js';

/**
 * The probe catalogue. Every script is fixed text: nothing from the user or the network is ever
 * pasted into it. Scripts are POSIX sh that also runs on a XenServer 5.5 Dom0 (CentOS 5: bash 3,
 * coreutils 5.97, grep 2.5, no `ip -j`, `xe` present), read only, and change nothing.
 *
 * Conventions: exit 127 means "the tool this probe needs is not installed"; a probe that needs a
 * file prints nothing and exits 127 when the file does not exist, so "absent" is told from "empty".
 * Many probes use `grep -H ''` or `grep -s -H .` over a glob: one fork prints every file with its
 * name, which is much cheaper than a loop of `cat` on a slow Dom0.
 */

const SECOND = 1000;
const MiB = 1024 * 1024;

interface ProbeSpec {
  description: string;
  script: string;
  file?: string;
  manual?: string;
  timeoutMs?: number;
  maxBytes?: number;
  node?: NodeProbeKind;
  windows?: string;
  only?: { platform: 'win32' | 'darwin' | 'linux'; reason: string };
}

/** `need TOOL` exits 127 when TOOL is missing, so rules can say "not installed" rather than "failed". */
const need = (tool: string) => `command -v ${tool} >/dev/null 2>&1 || { echo "${tool}: not installed" >&2; exit 127; }`;
const fileProbe = (path: string, description: string, extra: Partial<ProbeSpec> = {}): ProbeSpec => ({
  description,
  file: path,
  script: `[ -e ${path} ] || { echo "${path}: no such file" >&2; exit 127; }; cat ${path}`,
  manual: `cat ${path}`,
  ...extra,
});
const xeProbe = (args: string, description: string): ProbeSpec => ({
  description,
  script: `${need('xe')}; xe ${args}`,
  manual: `xe ${args}`,
  timeoutMs: 20 * SECOND,
});

const specs: Record<string, ProbeSpec> = {
  // --- system ---------------------------------------------------------------------------------
  uname: {
    description: 'kernel name, host name, kernel release and machine architecture',
    script: 'uname -s -n -r -m',
  },
  'etc.os-release': fileProbe('/etc/os-release', 'distribution identification (current distributions)'),
  'etc.redhat-release': fileProbe('/etc/redhat-release', 'distribution identification (CentOS 5 based XenServer Dom0)'),

  // --- CPU and virtualization -----------------------------------------------------------------
  'proc.cpuinfo': fileProbe('/proc/cpuinfo', 'per-CPU vendor, model, speed and feature flags'),
  lscpu: { description: 'CPU topology and virtualization summary', script: `${need('lscpu')}; lscpu` },
  'sys.cpufreq': {
    description: 'maximum CPU frequency in kHz as reported by cpufreq',
    script: 'grep -s -H . /sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq /sys/devices/system/cpu/cpu0/cpufreq/base_frequency; exit 0',
    manual: 'cat /sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq',
  },
  'cpu.msr': {
    description:
      'firmware virtualization switches: IA32_FEATURE_CONTROL (0x3a, Intel) and VM_CR (0xc0010114, AMD), read from /dev/cpu/0/msr when the msr driver is already loaded (never loaded by preflight)',
    script: [
      '[ -r /dev/cpu/0/msr ] || { echo "/dev/cpu/0/msr: not available (msr driver not loaded)" >&2; exit 127; }',
      "printf 'feature_control='; od -An -tx8 -j58 -N8 /dev/cpu/0/msr 2>/dev/null || echo",
      "printf 'vm_cr='; od -An -tx8 -j3221291284 -N8 /dev/cpu/0/msr 2>/dev/null || echo",
      'exit 0',
    ].join('\n'),
    manual: 'rdmsr 0x3a   # Intel: bit 0 lock, bit 2 VMX enabled outside SMX (msr-tools)',
  },
  'kernel.log.virt': {
    description: 'kernel log lines about hardware virtualization (e.g. "kvm: disabled by bios")',
    script: [
      'dmesg >/dev/null 2>&1 || { echo "dmesg: not readable" >&2; exit 126; }',
      "dmesg | grep -i -E 'kvm|vmx|svm|virtuali[sz]|disabled by bios' | tail -n 200",
      'exit 0',
    ].join('\n'),
    manual: "dmesg | grep -i -E 'kvm|vmx|svm|disabled by bios'",
  },
  'dev.kvm': {
    description: 'whether /dev/kvm exists (the kernel could switch hardware virtualization on)',
    script: 'if [ -e /dev/kvm ]; then ls -l /dev/kvm; else echo "absent"; fi',
    manual: 'ls -l /dev/kvm',
  },
  'sys.hypervisor': {
    description: 'Xen hypervisor type, version and capabilities (hvm-* means VT-x/AMD-V is enabled) as seen from Dom0',
    script:
      '[ -d /sys/hypervisor ] || { echo "/sys/hypervisor: not present (not running on Xen)" >&2; exit 127; }; grep -s -H . /sys/hypervisor/type /sys/hypervisor/properties/capabilities /sys/hypervisor/version/major /sys/hypervisor/version/minor /sys/hypervisor/version/extra; exit 0',
    manual: 'cat /sys/hypervisor/type /sys/hypervisor/properties/capabilities',
  },
  'xen.info': {
    description: 'Xen hypervisor information (xen_caps, virt_caps, total_memory) from xl or xm',
    script: 'if command -v xl >/dev/null 2>&1; then xl info; elif command -v xm >/dev/null 2>&1; then xm info; else echo "xl/xm: not installed" >&2; exit 127; fi',
    manual: 'xl info',
    timeoutMs: 15 * SECOND,
  },
  'dmidecode.processor': {
    description: 'processor records from the firmware (SMBIOS type 4): socket, version, max speed',
    script: `${need('dmidecode')}; dmidecode -t 4`,
  },
  'dmidecode.memory': {
    description: 'memory device records from the firmware (SMBIOS type 17): installed modules and sizes',
    script: `${need('dmidecode')}; dmidecode -t 17`,
  },

  // --- memory ---------------------------------------------------------------------------------
  'proc.meminfo': fileProbe('/proc/meminfo', "the kernel's memory accounting (MemTotal is below installed RAM)"),
  'proc.iomem': fileProbe('/proc/iomem', 'physical address map; the sum of "System RAM" ranges is the RAM the firmware handed to the OS'),

  // --- storage --------------------------------------------------------------------------------
  'sys.block': {
    description: 'block devices: size in 512-byte sectors, removable, rotational, model, and the bus they hang off',
    script:
      'cd /sys/block 2>/dev/null || { echo "/sys/block: not present" >&2; exit 127; }; grep -s -H . */size */removable */ro */queue/rotational */device/model */device/vendor; ls -ld */device 2>/dev/null; exit 0',
    manual: 'lsblk -d -o NAME,SIZE,TYPE,TRAN,MODEL',
  },
  df: {
    description: 'mounted file systems with type, size, used and available space (1024-byte blocks)',
    script: 'df -P -k -T; exit 0',
    manual: 'df -h -T',
  },

  // --- network --------------------------------------------------------------------------------
  'sys.net': {
    description: 'every network interface from sysfs: MAC, state, carrier, speed, duplex, type, driver, PCI id and slot, bond and bridge membership',
    script: [
      'cd /sys/class/net 2>/dev/null || { echo "/sys/class/net: not present" >&2; exit 127; }',
      'grep -s -H . */address */operstate */carrier */speed */duplex */mtu */type */flags */ifindex */iflink */uevent */device/uevent */bonding/slaves */bonding/mode */phys_port_name */carrier_changes',
      'ls -ld */device */master */brport 2>/dev/null',
      'exit 0',
    ].join('\n'),
    manual: 'ip -d link show; cat /sys/class/net/*/carrier',
  },
  'ip.addr': {
    description: 'addresses on every interface (JSON where iproute2 supports it, text otherwise)',
    script: `${need('ip')}; ip -j addr show 2>/dev/null || ip addr show`,
    manual: 'ip addr show',
  },
  'ip.route': {
    description: 'the IPv4 main routing table',
    script: `${need('ip')}; ip -4 route show`,
    manual: 'ip -4 route show',
  },
  ethtool: {
    description: 'link settings and driver of each interface backed by a device (ethtool DEV; ethtool -i DEV)',
    script: [
      need('ethtool'),
      'for d in /sys/class/net/*; do',
      '  [ -e "$d/device" ] || continue',
      '  n=${d##*/}',
      '  echo "==> $n <=="',
      '  ethtool "$n" 2>&1',
      '  echo "--- driver"',
      '  ethtool -i "$n" 2>&1',
      'done',
      'exit 0',
    ].join('\n'),
    manual: 'ethtool eth0; ethtool -i eth0',
    timeoutMs: 10 * SECOND,
  },
  'net.bonding': {
    description: 'Linux bonding driver state per bond (/proc/net/bonding/*)',
    script: '[ -d /proc/net/bonding ] || { echo "/proc/net/bonding: no bonds (bonding driver not loaded)" >&2; exit 127; }; grep -H "" /proc/net/bonding/*; exit 0',
    manual: 'cat /proc/net/bonding/*',
  },
  'etc.resolv-conf': fileProbe('/etc/resolv.conf', 'DNS resolver configuration'),
  'run.resolved-conf': fileProbe(
    '/run/systemd/resolve/resolv.conf',
    'upstream DNS servers when systemd-resolved owns /etc/resolv.conf',
  ),
  'net.ifcfg': {
    description: 'Red Hat style interface configuration (/etc/sysconfig/network-scripts/ifcfg-*, also used by XenServer Dom0)',
    script: 'cd /etc/sysconfig/network-scripts 2>/dev/null || { echo "/etc/sysconfig/network-scripts: no such directory" >&2; exit 127; }; grep -H "" ifcfg-* 2>/dev/null; grep -s -H "" /etc/sysconfig/network; exit 0',
    manual: 'cat /etc/sysconfig/network-scripts/ifcfg-eth0',
  },
  'net.debian-interfaces': {
    description: 'Debian ifupdown configuration (/etc/network/interfaces and interfaces.d)',
    script: '[ -e /etc/network/interfaces ] || { echo "/etc/network/interfaces: no such file" >&2; exit 127; }; grep -H "" /etc/network/interfaces /etc/network/interfaces.d/* 2>/dev/null; exit 0',
    manual: 'cat /etc/network/interfaces',
  },
  'net.networkmanager': {
    description: 'NetworkManager connection profiles: only the interface, type and IPv4 method keys (secrets are never read)',
    script: [
      'ls /etc/NetworkManager/system-connections/* >/dev/null 2>&1 || { echo "/etc/NetworkManager/system-connections: no connection profiles" >&2; exit 127; }',
      "grep -H -E '^\\[|^(id|type|interface-name|method|address[0-9]*|gateway|dns)=' /etc/NetworkManager/system-connections/* 2>/dev/null",
      'exit 0',
    ].join('\n'),
    manual: 'nmcli -f NAME,DEVICE,IP4.ADDRESS,IP4.GATEWAY connection show --active; nmcli -g ipv4.method connection show NAME',
  },
  'net.networkd': {
    description: 'systemd-networkd .network files (/etc and /run)',
    script: 'ls /etc/systemd/network/*.network /run/systemd/network/*.network >/dev/null 2>&1 || { echo "systemd-networkd: no .network files" >&2; exit 127; }; grep -s -H "" /etc/systemd/network/*.network /run/systemd/network/*.network; exit 0',
    manual: 'networkctl status',
  },
  'net.netplan': {
    description: 'netplan YAML (lines naming passwords or keys are left out at the source)',
    script: "ls /etc/netplan/*.yaml >/dev/null 2>&1 || { echo '/etc/netplan: no YAML files' >&2; exit 127; }; grep -H '' /etc/netplan/*.yaml | grep -v -i -E 'password|psk|key'; exit 0",
    manual: 'cat /etc/netplan/*.yaml',
  },
  'proc.dhcp-clients': {
    description: 'running DHCP client processes (dhclient, dhcpcd, udhcpc, NetworkManager internal client)',
    script: "ps -e -o pid= -o args= 2>/dev/null | grep -E '[d]hclient|[d]hcpcd|[u]dhcpc|[d]hcp-client|[d]hcpcd'; exit 0",
    manual: 'ps -ef | grep -E "dhclient|dhcpcd|udhcpc"',
  },
  'net.listeners': {
    description: 'listening TCP and UDP sockets with their processes (ss, or netstat on old systems)',
    script: [
      'if command -v ss >/dev/null 2>&1; then ss -l -n -t -u -p',
      'elif command -v netstat >/dev/null 2>&1; then netstat -l -n -t -u -p',
      'else echo "ss/netstat: not installed" >&2; exit 127; fi',
    ].join('\n'),
    manual: 'ss -lntup',
  },
  'firewall.ip-tables-names': fileProbe('/proc/net/ip_tables_names', 'iptables tables currently loaded in the kernel'),
  'firewall.iptables-save': {
    description: 'the IPv4 firewall rules (iptables-save format)',
    script: `${need('iptables-save')}; iptables-save`,
    manual: 'iptables-save',
  },
  'firewall.nft': {
    description: 'the nftables ruleset',
    script: `${need('nft')}; nft list ruleset`,
    manual: 'nft list ruleset',
  },

  // --- XenServer ------------------------------------------------------------------------------
  'xen.inventory': fileProbe('/etc/xensource-inventory', 'XenServer product, version, build and this host\'s UUID'),
  'xen.pool-conf': fileProbe('/etc/xensource/pool.conf', 'XenServer pool role: "master" or "slave:MASTER_IP"'),
  'xe.host-list': xeProbe('host-list params=all', 'XenServer hosts of the pool: software version, memory, CPU info'),
  'xe.pool-list': xeProbe('pool-list params=all', 'the XenServer pool and its master'),
  'xe.pif-list': xeProbe('pif-list params=all', 'XenServer physical interfaces: device, MAC, carrier, IP mode, management flag, bonds'),
  'xe.bond-list': xeProbe('bond-list params=all', 'XenServer NIC bonds'),
  'xe.network-list': xeProbe('network-list params=all', 'XenServer networks and bridges'),
  'xe.sr-list': xeProbe('sr-list params=all', 'XenServer storage repositories: type, size, utilisation'),
  'xe.patch-list': xeProbe('patch-list params=all', 'XenServer updates uploaded to the pool and the hosts they are applied on'),
};

/** Strips the `need TOOL` guard so the manual command is what a person would type. */
const NEED_PREFIX = /^command -v \S+ >\/dev\/null 2>&1 \|\| \{[^}]*\}; /;

const DEFAULT_TIMEOUT_MS = 5 * SECOND;
const DEFAULT_MAX_BYTES = 4 * MiB;

const toProbe = ([id, s]: [string, ProbeSpec]): Probe => ({
  id,
  description: s.description,
  script: s.script,
  ...(s.file !== undefined ? { file: s.file } : {}),
  manual: s.manual ?? s.script.replace(NEED_PREFIX, ''),
  timeoutMs: s.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  maxBytes: s.maxBytes ?? DEFAULT_MAX_BYTES,
  ...(s.node !== undefined ? { node: s.node } : {}),
  ...(s.windows !== undefined ? { windows: s.windows } : {}),
  ...(s.only !== undefined ? { only: s.only } : {}),
});

/** The shell probes every transport runs (locally, over SSH, as bundle evidence). */
export const PROBES: readonly Probe[] = [...Object.entries(specs), ...Object.entries(computerSpecs())].map(toProbe);

/**
 * In-process probes: the local transport adds them to every local scan; remote transports never
 * run them (over SSH the host is read with the shell probes above).
 */
export const IN_PROCESS_PROBES: readonly Probe[] = Object.entries(inProcessSpecs()).map(toProbe);

const byId = new Map([...PROBES, ...IN_PROCESS_PROBES].map((p) => [p.id, p]));

/** Probes that only the management and quorum computer rules read (Tables 4 and 5). */
const COMPUTER_PROBE_IDS: ReadonlySet<string> = new Set(Object.keys(computerSpecs()));

/** Roles whose rules read the management/quorum computer probes and systeminformation. */
export function readsComputerProbes(role: Role): boolean {
  return role === 'management' || role === 'quorum';
}

/**
 * The probes a host of this role needs: a XenServer host is never asked about browsers, Flash or
 * power plans, which keeps the host scan (and its bundles) to what its rules read.
 */
export function probesForRole(probes: readonly Probe[], role: Role): Probe[] {
  return readsComputerProbes(role) ? [...probes] : probes.filter((p) => !COMPUTER_PROBE_IDS.has(p.id));
}

export function probeById(id: string): Probe | undefined {
  return byId.get(id);
}

// =================================================================================================
// --- management and quorum service computers (Setup Guide, Tables 4 and 5) ---------------------
// These are usually Windows PCs, sometimes Linux or macOS laptops. Every probe here is for one
// platform: elsewhere it exits 127 at once with the reason ("Windows only", "macOS only"), so it
// costs one fork. Windows probes carry a fixed cmd.exe command line (`windows`) that the local
// transport runs when preflight itself runs on Windows; their `script` only reports the absence.
// (Function declarations, so the catalogue above can include them although they come last.)
// =================================================================================================

/** A probe that only Windows can answer: cmd.exe runs `command` there; elsewhere it is absent. */
function windowsOnly(command: string, description: string, extra: Partial<ProbeSpec> = {}): ProbeSpec {
  const first = command.split(/\s+/)[0]!;
  const tool = first === 'for' ? 'dir' : first;
  const reason = `${tool}: Windows only (this host is not Windows)`;
  return {
    description,
    windows: command,
    only: { platform: 'win32', reason },
    script: `echo "${reason}" >&2; exit 127`,
    manual: command.replace(/ & exit \/b 0$/, ''),
    ...extra,
  };
}

function DARWIN_ONLY(tool: string): string {
  return `[ "$(uname -s 2>/dev/null)" = Darwin ] || { echo "${darwinReason(tool)}" >&2; exit 127; }`;
}
function darwinReason(tool: string): string {
  return `${tool}: macOS only (this host is not macOS)`;
}
/** The `only` marker of a macOS probe whose script starts with DARWIN_ONLY(tool). */
function onlyDarwin(tool: string): ProbeSpec['only'] {
  return { platform: 'darwin', reason: darwinReason(tool) };
}
function LINUX_ONLY(what: string): string {
  return `[ "$(uname -s 2>/dev/null)" = Linux ] || { echo "${linuxReason(what)}" >&2; exit 127; }`;
}
function linuxReason(what: string): string {
  return `${what}: Linux only (this host is not Linux)`;
}

/** Registry reads of both views: on 64-bit Windows, WOW6432Node holds what 32-bit programs registered. */
function regBothViews(key: string): string {
  return `reg query "HKLM\\SOFTWARE\\${key}" /s & reg query "HKLM\\SOFTWARE\\WOW6432Node\\${key}" /s`;
}

function computerSpecs(): Record<string, ProbeSpec> {
  return {
    // --- Windows ------------------------------------------------------------------------------
    'windows.systeminfo': windowsOnly('systeminfo', 'Windows edition, version and service pack, system type (x64/x86), processor speed, physical memory', {
      timeoutMs: 60 * SECOND,
    }),
    'windows.powercfg-available': windowsOnly('powercfg /a', 'the sleep states Windows offers (standby, hibernate, hybrid sleep) and why others are not available'),
    'windows.powercfg-sleep': windowsOnly(
      'powercfg /q SCHEME_CURRENT SUB_SLEEP',
      'the active power plan\'s sleep settings: "Sleep after" and "Hibernate after" on AC and battery power',
    ),
    'windows.reg-browsers': windowsOnly(
      `reg query "HKLM\\SOFTWARE\\Clients\\StartMenuInternet" /s & reg query "HKLM\\SOFTWARE\\WOW6432Node\\Clients\\StartMenuInternet" /s & reg query "HKCU\\SOFTWARE\\Clients\\StartMenuInternet" /s & reg query "HKLM\\SOFTWARE\\Microsoft\\Internet Explorer" /v Version & reg query "HKLM\\SOFTWARE\\Microsoft\\Internet Explorer" /v svcVersion & exit /b 0`,
      'registered web browsers (Clients\\StartMenuInternet, both registry views and the user\'s) with their programs, and the Internet Explorer version',
    ),
    'windows.reg-flash': windowsOnly(
      `${regBothViews('Macromedia')} & ${regBothViews('MozillaPlugins')} & exit /b 0`,
      'Adobe Flash Player registrations: ActiveX (Internet Explorer), NPAPI (Firefox) and PPAPI (Chromium) players with their versions, in both registry views',
    ),
    'windows.reg-uninstall': windowsOnly(
      `${regBothViews('Microsoft\\Windows\\CurrentVersion\\Uninstall')} & reg query "HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall" /s & exit /b 0`,
      'installed programs (Add or Remove Programs): XenCenter, browsers and Flash Player with their versions',
      { timeoutMs: 30 * SECOND, maxBytes: 16 * MiB },
    ),
    'windows.reg-dotnet': windowsOnly(
      `reg query "HKLM\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP" /s & exit /b 0`,
      'installed .NET Framework versions (XenCenter needs 2.0 or later)',
    ),
    'windows.folders': windowsOnly(
      `for %d in ("%SystemRoot%\\System32\\Macromed\\Flash" "%SystemRoot%\\SysWOW64\\Macromed\\Flash" "%ProgramFiles%\\Internet Explorer" "%ProgramFiles(x86)%\\Internet Explorer" "%ProgramFiles%\\Citrix\\XenCenter" "%ProgramFiles(x86)%\\Citrix\\XenCenter" "%ProgramFiles%\\Marathon" "%ProgramFiles(x86)%\\Marathon") do @(echo ==^> %~d& if exist "%~d\\*" dir /b "%~d")`,
      'files in the known install folders: Flash Player (System32 and SysWOW64\\Macromed\\Flash), Internet Explorer (64- and 32-bit), XenCenter, the Marathon quorum service',
    ),

    // --- Linux --------------------------------------------------------------------------------
    'linux.browsers': {
      only: { platform: 'linux', reason: linuxReason('linux.browsers') },
      description: 'web browsers on the PATH (Firefox, Chromium, Google Chrome, Opera, SeaMonkey): program, version (--version) and word size of the binary (file)',
      script: [
        LINUX_ONLY('linux.browsers'),
        // A browser that hangs on --version is killed after 10 s where coreutils' timeout exists.
        'lim=; command -v timeout >/dev/null 2>&1 && lim="timeout -k 1 10"',
        'for b in firefox firefox-esr iceweasel seamonkey chromium chromium-browser google-chrome google-chrome-stable opera; do',
        '  p=$(command -v "$b" 2>/dev/null) || continue',
        '  case $p in /*) ;; *) continue;; esac',
        '  echo "==> $b"',
        '  echo "path: $p"',
        '  echo "real: $(readlink -f "$p" 2>/dev/null)"',
        '  echo "version: $($lim "$p" --version 2>/dev/null </dev/null | head -n 1)"',
        '  case $b in',
        '    firefox) c="/usr/lib/firefox/firefox /usr/lib64/firefox/firefox /opt/firefox/firefox";;',
        '    firefox-esr) c="/usr/lib/firefox-esr/firefox-esr";;',
        '    iceweasel) c="/usr/lib/iceweasel/iceweasel";;',
        '    seamonkey) c="/usr/lib/seamonkey/seamonkey";;',
        '    chromium|chromium-browser) c="/usr/lib/chromium/chromium /usr/lib/chromium-browser/chromium-browser /usr/lib64/chromium-browser/chromium-browser";;',
        '    google-chrome*) c="/opt/google/chrome/chrome";;',
        '    *) c="";;',
        '  esac',
        '  if command -v file >/dev/null 2>&1; then for f in "$p" $c; do [ -e "$f" ] && file -L "$f"; done; fi',
        'done',
        'exit 0',
      ].join('\n'),
      manual: 'firefox --version; chromium --version; file -L /usr/lib/chromium/chromium',
      timeoutMs: 30 * SECOND,
    },
    'linux.flash': {
      only: { platform: 'linux', reason: linuxReason('linux.flash') },
      description: 'Flash Player plug-ins in the browsers\' plug-in folders (NPAPI libflashplayer.so, PPAPI libpepflashplayer.so): word size and version',
      script: [
        LINUX_ONLY('linux.flash'),
        'for f in /usr/lib/mozilla/plugins/* /usr/lib64/mozilla/plugins/* /usr/lib/firefox/plugins/* /usr/lib/firefox-addons/plugins/* /usr/lib/browser-plugins/* /usr/lib/flashplugin-installer/* /usr/lib/flashplugin-nonfree/* /usr/lib/adobe-flashplugin/* /usr/lib/pepperflashplugin-nonfree/* /usr/lib/chromium/plugins/* /usr/lib/chromium-browser/plugins/* /opt/google/chrome/PepperFlash/* /usr/lib/PepperFlash/* "$HOME"/.mozilla/plugins/* /home/*/.mozilla/plugins/*; do',
        '  case $f in *flash*.so|*/manifest.json) ;; *) continue;; esac',
        '  [ -e "$f" ] || continue',
        '  echo "==> $f"',
        '  echo "real: $(readlink -f "$f" 2>/dev/null)"',
        '  case $f in',
        '    */manifest.json) grep -s -E \'"(name|version)"\' "$f";;',
        '    *) command -v file >/dev/null 2>&1 && file -L "$f"; grep -a -o -m 1 -E \'(LNX|WIN|MAC) [0-9]+,[0-9]+,[0-9]+,[0-9]+\' "$f" 2>/dev/null | head -n 1;;',
        '  esac',
        'done',
        'exit 0',
      ].join('\n'),
      manual: 'ls -l /usr/lib/mozilla/plugins /usr/lib/adobe-flashplugin; strings libflashplayer.so | grep -m1 LNX',
    },
    'linux.packages': {
      description: 'installed packages of browsers and Flash Player (dpkg or rpm): version and architecture',
      script: [
        'found=',
        'if command -v dpkg-query >/dev/null 2>&1; then found=1; echo "== dpkg"; dpkg-query -W -f=\'${Package}\\t${Version}\\t${Architecture}\\t${Status}\\n\' \'flashplugin*\' \'adobe-flash*\' \'pepperflashplugin*\' \'browser-plugin-freshplayer*\' \'firefox*\' \'iceweasel\' \'seamonkey\' \'chromium\' \'chromium-browser\' \'google-chrome*\' \'opera*\' 2>/dev/null; fi',
        'if command -v rpm >/dev/null 2>&1; then found=1; echo "== rpm"; rpm -qa --qf \'%{NAME}\\t%{VERSION}-%{RELEASE}\\t%{ARCH}\\tinstalled\\n\' \'flash-plugin*\' \'firefox*\' \'seamonkey*\' \'chromium*\' \'google-chrome*\' \'opera*\' 2>/dev/null; fi',
        '[ -n "$found" ] || { echo "dpkg-query/rpm: not installed" >&2; exit 127; }',
        'exit 0',
      ].join('\n'),
      manual: "dpkg -l 'flashplugin*' 'adobe-flash*' chromium firefox-esr; rpm -qa 'flash-plugin*' 'firefox*'",
      timeoutMs: 20 * SECOND,
    },
    'linux.sleep-targets': {
      description: 'whether systemd runs, and the state of its sleep targets (masked means that kind of sleep is disabled)',
      script: [
        need('systemctl'),
        'if [ -d /run/systemd/system ]; then echo "systemd: running"; else echo "systemd: not running"; fi',
        'for u in sleep.target suspend.target hibernate.target hybrid-sleep.target suspend-then-hibernate.target; do',
        '  printf \'%s: \' "$u"; systemctl is-enabled "$u" 2>&1 | head -n 1',
        'done',
        'exit 0',
      ].join('\n'),
      manual: 'systemctl is-enabled sleep.target suspend.target hibernate.target hybrid-sleep.target',
    },
    'linux.sleep-config': {
      description: 'systemd-logind idle and button actions and systemd-sleep permissions (logind.conf, sleep.conf and their drop-ins)',
      script: [
        '[ -e /etc/systemd/logind.conf ] || [ -e /etc/systemd/sleep.conf ] || [ -d /usr/lib/systemd ] || [ -d /lib/systemd ] || { echo "logind.conf/sleep.conf: not present (no systemd)" >&2; exit 127; }',
        "grep -s -H -E '^[[:space:]]*(IdleAction|IdleActionSec|HandleLidSwitch|HandleLidSwitchExternalPower|HandleSuspendKey|HandleHibernateKey|AllowSuspend|AllowHibernation|AllowHybridSleep|AllowSuspendThenHibernate)[[:space:]]*=' /etc/systemd/logind.conf /etc/systemd/logind.conf.d/*.conf /run/systemd/logind.conf.d/*.conf /usr/lib/systemd/logind.conf.d/*.conf /etc/systemd/sleep.conf /etc/systemd/sleep.conf.d/*.conf /run/systemd/sleep.conf.d/*.conf /usr/lib/systemd/sleep.conf.d/*.conf",
        'exit 0',
      ].join('\n'),
      manual: "grep -E '^(IdleAction|Allow)' /etc/systemd/logind.conf /etc/systemd/sleep.conf",
    },
    'linux.power-states': {
      description: 'the sleep states the Linux kernel offers (/sys/power/state: freeze, mem, disk; empty when it offers none)',
      script: [
        '[ -e /sys/power/state ] || { echo "/sys/power/state: not present" >&2; exit 127; }',
        'for f in state disk mem_sleep; do [ -e /sys/power/$f ] && printf \'%s: %s\\n\' "$f" "$(cat /sys/power/$f 2>/dev/null)"; done',
        'exit 0',
      ].join('\n'),
      manual: 'cat /sys/power/state /sys/power/disk',
    },

    // --- macOS --------------------------------------------------------------------------------
    'macos.sysctl': {
      only: onlyDarwin('sysctl'),
      description: 'macOS version, processor model and clock, physical memory and 64-bit capability (sysctl)',
      script: `${DARWIN_ONLY('sysctl')}; sysctl kern.osproductversion kern.osversion kern.osrelease hw.memsize hw.cpufrequency hw.cpufrequency_max machdep.cpu.brand_string hw.optional.x86_64 hw.optional.arm64 hw.cpu64bit_capable hw.machine; exit 0`,
      manual: 'sysctl kern.osproductversion hw.memsize hw.cpufrequency machdep.cpu.brand_string',
    },
    'macos.df': {
      only: onlyDarwin('df'),
      description: 'mounted volumes with size and free space in 1024-byte blocks (BSD df)',
      script: `${DARWIN_ONLY('df')}; df -P -k; exit 0`,
      manual: 'df -h',
    },
    'macos.ifconfig': {
      only: onlyDarwin('ifconfig'),
      description: 'network interfaces with their negotiated media (e.g. 1000baseT) and link status',
      script: `${DARWIN_ONLY('ifconfig')}; ifconfig -a`,
      manual: 'ifconfig -a',
    },
    'macos.browsers': {
      only: onlyDarwin('macos.browsers'),
      description: 'web browsers in /Applications (Safari, Firefox, Chrome, ...): version (Info.plist) and the architectures of the program (file)',
      script: [
        DARWIN_ONLY('macos.browsers'),
        'for a in /Applications/*.app; do',
        '  case ${a##*/} in Safari.app|Firefox*.app|"Google Chrome"*.app|Chromium.app|Opera*.app|"Microsoft Edge"*.app|Camino.app|SeaMonkey.app|"Brave Browser.app"|Vivaldi.app|OmniWeb.app) ;; *) continue;; esac',
        '  echo "==> $a"',
        '  echo "version: $(defaults read "$a/Contents/Info" CFBundleShortVersionString 2>/dev/null)"',
        '  e=$(defaults read "$a/Contents/Info" CFBundleExecutable 2>/dev/null)',
        '  [ -n "$e" ] && file "$a/Contents/MacOS/$e"',
        'done',
        'exit 0',
      ].join('\n'),
      manual: 'defaults read /Applications/Safari.app/Contents/Info CFBundleShortVersionString',
    },
    'macos.flash': {
      only: onlyDarwin('macos.flash'),
      description: 'Flash Player browser plug-ins (/Library/Internet Plug-Ins: NPAPI Flash Player.plugin, PPAPI PepperFlashPlayer.plugin): version and architectures',
      script: [
        DARWIN_ONLY('macos.flash'),
        'for p in "/Library/Internet Plug-Ins/Flash Player.plugin" "/Library/Internet Plug-Ins/PepperFlashPlayer/PepperFlashPlayer.plugin" /Users/*/"Library/Internet Plug-Ins/Flash Player.plugin"; do',
        '  [ -e "$p" ] || continue',
        '  echo "==> $p"',
        '  echo "version: $(defaults read "$p/Contents/Info" CFBundleShortVersionString 2>/dev/null)"',
        '  e=$(defaults read "$p/Contents/Info" CFBundleExecutable 2>/dev/null)',
        '  [ -n "$e" ] && file "$p/Contents/MacOS/$e"',
        'done',
        'exit 0',
      ].join('\n'),
      manual: 'ls "/Library/Internet Plug-Ins"',
    },
    'macos.pmset': {
      only: onlyDarwin('pmset'),
      description: 'macOS power management settings in use: system sleep timer (sleep 0 = never), hibernation and standby',
      script: `${DARWIN_ONLY('pmset')}; pmset -g`,
      manual: 'pmset -g',
    },
  };
}

function inProcessSpecs(): Record<string, ProbeSpec> {
  return {
    'si.system': {
      description:
        'this machine as the systeminformation library sees it on any OS: operating system, CPU, memory and its modules, volumes, network interfaces, listening sockets (JSON)',
      node: 'systeminformation',
      script: 'echo "systeminformation: read in-process on the machine preflight runs on only; over SSH the shell probes describe the host" >&2; exit 127',
      manual: "systeminformation (the Node library preflight uses): node -e \"require('systeminformation').osInfo().then(console.log)\"",
      timeoutMs: 20 * SECOND,
    },
  };
}
