import type { Probe } from './evidence.js';
import { PROBES } from './probes.js';

/**
 * What support needs beyond the scan, for `preflight bundle`: kernel and hypervisor logs, the tails
 * of the system and XenServer logs, PCI devices, NIC drivers and counters, every route and
 * neighbour, more xe inventories and the everRun installer logs. Same shape and same rules as the
 * scan's catalogue (probes.ts): fixed POSIX sh text that runs on a XenServer 5.5 Dom0, read only,
 * exit 127 when the tool or file is absent. The one value put into a script is the byte cap, a
 * whole number checked here, never text from a user or a host.
 *
 * Logs keep their TAIL, as sos does: a script prints at most `cap + 1` bytes with `tail -c`, so
 * the bundle can tell a log that was cut (more than `cap` bytes came back; the oldest lines are
 * dropped and the file is marked truncated) from one that fit.
 *
 * Every item says whether it may hold personal data (names, user names, addresses, free log
 * text), as xen-bugtool tags its items; the bundle manifest carries the tag per file.
 */

const SECOND = 1000;
const MiB = 1024 * 1024;

export const DEFAULT_MAX_FILE_BYTES = 8 * MiB;
export const MIN_MAX_FILE_BYTES = 4096;
export const MAX_MAX_FILE_BYTES = 256 * MiB;

export interface SupportProbe extends Probe {
  /** May hold personal data: host or user names, addresses, free text from logs. */
  personalData: boolean;
  /** The file it reads, when it reads exactly one: the bundle stores it at this path under files/. */
  path?: string;
  /** Output longer than the cap keeps its last `cap` bytes (logs); otherwise the transport keeps the head. */
  keepTail: boolean;
}

interface Spec {
  description: string;
  /** Script text; `CAP` is replaced by the byte count `cap + 1` (a checked whole number). */
  script: string;
  manual: string;
  personalData: boolean;
  path?: string;
  keepTail?: boolean;
  timeoutMs?: number;
}

const need = (tool: string) => `command -v ${tool} >/dev/null 2>&1 || { echo "${tool}: not installed" >&2; exit 127; }`;

/** The tail of one log file; absent -> 127, unreadable -> 1. */
const logTail = (path: string, description: string): Spec => ({
  description,
  path,
  script: [
    `[ -e ${path} ] || { echo "${path}: no such file" >&2; exit 127; }`,
    `[ -r ${path} ] || { echo "${path}: permission denied" >&2; exit 1; }`,
    `tail -c CAP ${path}`,
  ].join('\n'),
  manual: `tail -n 1000 ${path}`,
  personalData: true,
  keepTail: true,
});

const xeList = (args: string, description: string, personalData = true): Spec => ({
  description,
  script: `${need('xe')}; xe ${args}`,
  manual: `xe ${args}`,
  personalData,
  timeoutMs: 20 * SECOND,
});

/** The globs where everRun (and its Marathon predecessors) leave install and product logs. */
const PRODUCT_LOG_GLOBS = [
  '/var/log/everRun*',
  '/var/log/everrun*',
  '/var/log/marathon*',
  '/opt/everRun*/log',
  '/opt/everRun*/logs',
  '/opt/everrun*/log',
  '/opt/everrun*/logs',
  '/opt/stratus*/log',
  '/var/log/stratus*',
].join(' ');

const specs: Record<string, Spec> = {
  // --- kernel and hypervisor ------------------------------------------------------------------
  'support.dmesg': {
    description: 'the kernel ring buffer (driver messages, link changes, firmware and hardware errors)',
    script: ['dmesg >/dev/null 2>&1 || { echo "dmesg: not readable (needs root, or dmesg_restrict)" >&2; exit 126; }', 'dmesg | tail -c CAP'].join('\n'),
    manual: 'dmesg',
    personalData: true,
    keepTail: true,
  },
  'support.xen-dmesg': {
    description: 'the Xen hypervisor log (xl dmesg, or xm dmesg on XenServer 5.x)',
    script: [
      'if command -v xl >/dev/null 2>&1; then pf_x=xl; elif command -v xm >/dev/null 2>&1; then pf_x=xm; else echo "xl/xm: not installed" >&2; exit 127; fi',
      '$pf_x dmesg | tail -c CAP',
    ].join('\n'),
    manual: 'xl dmesg',
    personalData: false,
    keepTail: true,
    timeoutMs: 15 * SECOND,
  },
  'support.modules': {
    description: 'loaded kernel modules (/proc/modules)',
    script: '[ -e /proc/modules ] || { echo "/proc/modules: no such file" >&2; exit 127; }; cat /proc/modules',
    manual: 'lsmod',
    path: '/proc/modules',
    personalData: false,
  },
  'support.cmdline': {
    description: 'the kernel command line the host booted with',
    script: '[ -e /proc/cmdline ] || { echo "/proc/cmdline: no such file" >&2; exit 127; }; cat /proc/cmdline',
    manual: 'cat /proc/cmdline',
    path: '/proc/cmdline',
    personalData: false,
  },

  // --- logs (tails) ---------------------------------------------------------------------------
  'support.log.messages': logTail('/var/log/messages', 'system log (CentOS / XenServer Dom0)'),
  'support.log.syslog': logTail('/var/log/syslog', 'system log (Debian / Ubuntu)'),
  'support.log.kern': logTail('/var/log/kern.log', 'kernel log file (Debian / Ubuntu)'),
  'support.log.xensource': logTail('/var/log/xensource.log', 'XenServer toolstack (xapi) log'),
  'support.log.smlog': logTail('/var/log/SMlog', 'XenServer storage manager log'),
  'support.log.xs-install': logTail('/var/log/installer/install-log', 'XenServer installer log'),

  // --- hardware and NICs ----------------------------------------------------------------------
  'support.lspci': {
    description: 'PCI devices with vendor and device ids (NIC and storage controller models)',
    script: `${need('lspci')}; lspci -nn`,
    manual: 'lspci -nn',
    personalData: false,
  },
  'support.ethtool.driver': {
    description: 'driver, driver version, firmware version and bus address of each NIC (ethtool -i)',
    script: [
      need('ethtool'),
      'for d in /sys/class/net/*; do',
      '  [ -e "$d/device" ] || continue',
      '  n=${d##*/}',
      '  echo "==> $n <=="',
      '  ethtool -i "$n" 2>&1',
      'done',
      'exit 0',
    ].join('\n'),
    manual: 'ethtool -i eth0',
    personalData: false,
    timeoutMs: 10 * SECOND,
  },
  'support.ethtool.stats': {
    description: 'NIC counters: errors, drops, CRC and link events per NIC (ethtool -S)',
    script: [
      need('ethtool'),
      'for d in /sys/class/net/*; do',
      '  [ -e "$d/device" ] || continue',
      '  n=${d##*/}',
      '  echo "==> $n <=="',
      '  ethtool -S "$n" 2>&1',
      'done',
      'exit 0',
    ].join('\n'),
    manual: 'ethtool -S eth0',
    personalData: false,
    timeoutMs: 10 * SECOND,
  },

  // --- network --------------------------------------------------------------------------------
  'support.ip.link': {
    description: 'every link with its details: MAC, MTU, bond, bridge and VLAN settings (ip -d link)',
    script: `${need('ip')}; ip -d link show`,
    manual: 'ip -d link show',
    personalData: true,
  },
  'support.ip.route-all': {
    description: 'every IPv4 routing table, not only main (ip route show table all)',
    script: `${need('ip')}; ip route show table all`,
    manual: 'ip route show table all',
    personalData: true,
  },
  'support.ip.route6-all': {
    description: 'every IPv6 routing table (ip -6 route show table all)',
    script: `${need('ip')}; ip -6 route show table all`,
    manual: 'ip -6 route show table all',
    personalData: true,
  },
  'support.ip.rule': {
    description: 'policy routing rules (ip rule)',
    script: `${need('ip')}; ip rule show`,
    manual: 'ip rule show',
    personalData: true,
  },
  'support.ip.neigh': {
    description: 'neighbour (ARP / NDP) table: which addresses answered on which NIC',
    script: `${need('ip')}; ip neigh show`,
    manual: 'ip neigh show',
    personalData: true,
  },

  // --- XenServer inventories beyond the scan's (host, pool, pif, bond, network, sr, patch) -----
  'support.xe.pbd-list': xeList('pbd-list params=all', 'XenServer storage attachments (PBDs) per host and SR'),
  'support.xe.vlan-list': xeList('vlan-list params=all', 'XenServer VLANs'),
  'support.xe.vm-list': xeList(
    'vm-list params=uuid,name-label,power-state,resident-on,is-control-domain',
    'XenServer VMs: name, power state and the host they run on',
  ),
  'support.xe.host-cpu-list': xeList('host-cpu-list params=all', 'XenServer host CPUs: vendor, model, speed, flags', false),

  // --- everRun product ------------------------------------------------------------------------
  'support.product.log-list': {
    description: 'the everRun / Marathon log files present (name, size, date), or "none"',
    script: [
      `pf_l=\`ls -d ${PRODUCT_LOG_GLOBS} 2>/dev/null\``,
      '[ -n "$pf_l" ] || { echo "no everRun installer or product logs (/var/log/everRun*, /opt/everRun*/log)" >&2; exit 127; }',
      'ls -lR $pf_l 2>&1',
      'exit 0',
    ].join('\n'),
    manual: 'ls -lR /var/log/everRun* /opt/everRun*/log',
    personalData: true,
  },
  'support.product.logs': {
    description: 'the tails of the everRun / Marathon installer and product logs, each after a "==> FILE <==" line',
    script: [
      `pf_l=\`find ${PRODUCT_LOG_GLOBS} -maxdepth 2 -type f 2>/dev/null\``,
      '[ -n "$pf_l" ] || { echo "no everRun installer or product logs (/var/log/everRun*, /opt/everRun*/log)" >&2; exit 127; }',
      'for f in $pf_l; do echo "==> $f <=="; tail -c 1048576 "$f"; echo; done | tail -c CAP',
      'exit 0',
    ].join('\n'),
    manual: 'tail -n 1000 /var/log/everRun*',
    personalData: true,
    keepTail: true,
    timeoutMs: 15 * SECOND,
  },
};

/** Whether the SCAN's probes may hold personal data (the scan catalogue does not say). */
const SCAN_PERSONAL_DATA: Record<string, boolean> = {
  uname: true, // host name
  'etc.os-release': false,
  'etc.redhat-release': false,
  'proc.cpuinfo': false,
  lscpu: false,
  'sys.cpufreq': false,
  'cpu.msr': false,
  'kernel.log.virt': false,
  'dev.kvm': false,
  'sys.hypervisor': false,
  'xen.info': true, // host name
  'dmidecode.processor': false,
  'dmidecode.memory': false,
  'proc.meminfo': false,
  'proc.iomem': false,
  'sys.block': false,
  df: false,
  'sys.net': true,
  'ip.addr': true,
  'ip.route': true,
  ethtool: false,
  'net.bonding': true,
  'etc.resolv-conf': true,
  'run.resolved-conf': true,
  'net.ifcfg': true,
  'net.debian-interfaces': true,
  'net.networkmanager': true,
  'net.networkd': true,
  'net.netplan': true,
  'proc.dhcp-clients': true,
  'net.listeners': true,
  'firewall.ip-tables-names': false,
  'firewall.iptables-save': true,
  'firewall.nft': true,
  'xen.inventory': true,
  'xen.pool-conf': true,
};

/**
 * Personal-data tag of a scan probe. A probe added to the scan catalogue later is tagged `true`
 * until someone classifies it: the safe side.
 */
export function scanProbePersonalData(id: string): boolean {
  return SCAN_PERSONAL_DATA[id] ?? true;
}

/** The support items with the per-file byte cap built in (`maxFileBytes`, whole number). */
export function supportProbes(maxFileBytes: number = DEFAULT_MAX_FILE_BYTES): SupportProbe[] {
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < MIN_MAX_FILE_BYTES || maxFileBytes > MAX_MAX_FILE_BYTES) {
    throw new Error(`supportProbes: maxFileBytes must be a whole number from ${MIN_MAX_FILE_BYTES} to ${MAX_MAX_FILE_BYTES}, got ${maxFileBytes}`);
  }
  const keep = String(maxFileBytes + 1);
  return Object.entries(specs).map(([id, s]) => ({
    id,
    description: s.description,
    script: s.script.replace(/\bCAP\b/g, keep),
    manual: s.manual,
    timeoutMs: s.timeoutMs ?? 5 * SECOND,
    // One byte past the cap comes back when a tail was cut; more never does.
    maxBytes: maxFileBytes + 1,
    personalData: s.personalData,
    keepTail: s.keepTail === true,
    ...(s.path !== undefined ? { path: s.path } : {}),
  }));
}

/** The scan catalogue ids: what a bundle's evidence.json holds (and replays). */
export function scanProbeIds(): Set<string> {
  return new Set(PROBES.map((p) => p.id));
}
