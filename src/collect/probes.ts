import type { Probe } from './evidence.js';

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

export const PROBES: readonly Probe[] = Object.entries(specs).map(([id, s]) => ({
  id,
  description: s.description,
  script: s.script,
  ...(s.file !== undefined ? { file: s.file } : {}),
  manual: s.manual ?? s.script.replace(NEED_PREFIX, ''),
  timeoutMs: s.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  maxBytes: s.maxBytes ?? DEFAULT_MAX_BYTES,
}));

const byId = new Map(PROBES.map((p) => [p.id, p]));

export function probeById(id: string): Probe | undefined {
  return byId.get(id);
}
