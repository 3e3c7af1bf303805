import { z } from 'zod';

/**
 * The typed facts about one host: what parsers make of the evidence and what checks read.
 * A fact that cannot be known on a platform is absent (or null where "known to be unknown" matters),
 * never guessed; checks that need it report `skip` or `error` with the reason.
 * These zod schemas are the single source for the TypeScript types and the published JSON Schema.
 */

export const ParseProblem = z.object({
  probe: z.string().describe('probe id whose output could not be (fully) read'),
  message: z.string(),
});
export type ParseProblem = z.infer<typeof ParseProblem>;

export const OsFacts = z.object({
  kernelName: z.string().optional(),
  hostname: z.string().optional(),
  kernelRelease: z.string().optional(),
  machine: z.string().optional().describe('uname -m; i686 in a 32-bit Dom0 even on x64 hardware'),
  distribution: z.string().optional().describe('PRETTY_NAME or the redhat-release line'),
});
export type OsFacts = z.infer<typeof OsFacts>;

export const CpuFacts = z.object({
  vendor: z.string().optional().describe('vendor_id, e.g. GenuineIntel, AuthenticAMD'),
  modelName: z.string().optional(),
  family: z.number().int().optional(),
  model: z.number().int().optional(),
  stepping: z.number().int().optional(),
  flags: z.array(z.string()).describe('feature flags of the first CPU; empty when unknown'),
  logicalCpus: z.number().int().optional(),
  sockets: z.number().int().optional(),
  coresPerSocket: z.number().int().optional(),
  physicalCores: z.number().int().optional().describe('sockets x cores per socket'),
  nominalMhz: z.number().optional().describe('rated speed from the model name ("@ 2.40GHz") or SMBIOS'),
  maxMhz: z.number().optional().describe('cpufreq cpuinfo_max_freq or lscpu "CPU max MHz"'),
  currentMhz: z.number().optional().describe('"cpu MHz" of the first CPU; may be throttled'),
  hypervisorGuest: z.boolean().optional().describe('the "hypervisor" flag: this OS runs inside a VM (or a Xen Dom0)'),
  hypervisorVendor: z.string().optional(),
});
export type CpuFacts = z.infer<typeof CpuFacts>;

export const VirtualizationFacts = z.object({
  cpuFlag: z.enum(['vmx', 'svm']).nullable().optional().describe('vmx/svm in the CPU flags; null when flags were read and neither is present'),
  xenDom0: z.boolean().optional().describe('running as a Xen control domain (flags are masked there)'),
  xenHvm: z.boolean().optional().describe('the Xen hypervisor reports hvm capabilities: VT-x/AMD-V is on'),
  xenCaps: z.string().optional(),
  firmware: z
    .enum(['enabled', 'disabled', 'unlocked'])
    .optional()
    .describe('from IA32_FEATURE_CONTROL/VM_CR: enabled and locked, disabled by firmware, or left unlocked'),
  kernelDisabledByBios: z.string().optional().describe('the kernel log line that says the firmware disabled it'),
  kvmDevice: z.boolean().optional(),
});
export type VirtualizationFacts = z.infer<typeof VirtualizationFacts>;

export const DimmFacts = z.object({ locator: z.string(), sizeBytes: z.number() });

export const MemoryFacts = z.object({
  memTotalBytes: z.number().optional().describe('MemTotal from /proc/meminfo'),
  systemRamBytes: z.number().optional().describe('sum of "System RAM" ranges in /proc/iomem'),
  dimmBytes: z.number().optional().describe('sum of installed memory modules from SMBIOS'),
  dimms: z.array(DimmFacts).optional(),
  hypervisorTotalBytes: z.number().optional().describe('host memory seen by Xen (xe host memory-total / xl info total_memory)'),
});
export type MemoryFacts = z.infer<typeof MemoryFacts>;

export const DiskFacts = z.object({
  name: z.string(),
  sizeBytes: z.number(),
  removable: z.boolean().optional(),
  rotational: z.boolean().optional(),
  readOnly: z.boolean().optional(),
  model: z.string().optional(),
  vendor: z.string().optional(),
  bus: z.string().optional().describe('usb, ata, scsi, virtio, nvme, ... from the sysfs device path'),
  local: z.boolean().describe('a locally attached disk (not loop, ram, optical, USB, device-mapper or md)'),
});
export type DiskFacts = z.infer<typeof DiskFacts>;

export const FilesystemFacts = z.object({
  source: z.string(),
  fstype: z.string().optional(),
  sizeBytes: z.number(),
  usedBytes: z.number(),
  availableBytes: z.number(),
  mountpoint: z.string(),
});
export type FilesystemFacts = z.infer<typeof FilesystemFacts>;

export const StorageRepositoryFacts = z.object({
  uuid: z.string(),
  nameLabel: z.string().optional(),
  type: z.string().optional(),
  contentType: z.string().optional(),
  shared: z.boolean().optional(),
  physicalSizeBytes: z.number().optional(),
  physicalUtilisationBytes: z.number().optional(),
  host: z.string().optional(),
});
export type StorageRepositoryFacts = z.infer<typeof StorageRepositoryFacts>;

export const AddressFacts = z.object({
  family: z.enum(['inet', 'inet6']),
  address: z.string(),
  prefixLength: z.number().int(),
  scope: z.string().optional(),
  dynamic: z.boolean().describe('the kernel marks it dynamic: it has a finite lease (DHCP / SLAAC)'),
  label: z.string().optional(),
});
export type AddressFacts = z.infer<typeof AddressFacts>;

export const NicKind = z.enum(['physical', 'bond', 'bridge', 'vlan', 'loopback', 'virtual']);

export const NicFacts = z.object({
  name: z.string(),
  mac: z.string().optional(),
  kind: NicKind.describe('physical NICs are backed by a device; bridges, veth, vif, tap, ifb, lo are not'),
  driver: z.string().optional(),
  pciId: z.string().optional().describe('vendor:device, e.g. 8086:10d3'),
  pciSlot: z.string().optional().describe('PCI address, e.g. 0000:02:00.0 (stable across renames)'),
  speedMbps: z.number().nullable().optional().describe('negotiated speed; null when the driver reports none'),
  duplex: z.string().optional(),
  carrier: z.boolean().nullable().optional().describe('link detected; null when unreadable (interface administratively down)'),
  operstate: z.string().optional(),
  adminUp: z.boolean().optional(),
  mtu: z.number().int().optional(),
  master: z.string().optional().describe('bond or bridge this interface is enslaved to'),
  bondSlaves: z.array(z.string()).optional(),
  bondMode: z.string().optional(),
  addresses: z.array(AddressFacts),
});
export type NicFacts = z.infer<typeof NicFacts>;

export const RouteFacts = z.object({
  destination: z.string().describe('"default" or a prefix'),
  gateway: z.string().optional(),
  device: z.string().optional(),
  protocol: z.string().optional(),
  metric: z.number().optional(),
});
export type RouteFacts = z.infer<typeof RouteFacts>;

export const IpConfigFacts = z.object({
  interface: z.string(),
  method: z.enum(['static', 'dhcp', 'none', 'unknown']),
  source: z.string().describe('where it was read, e.g. ifcfg:/etc/sysconfig/network-scripts/ifcfg-eth0 or xe:pif'),
  address: z.string().optional(),
  gateway: z.string().optional(),
  dns: z.array(z.string()).optional(),
});
export type IpConfigFacts = z.infer<typeof IpConfigFacts>;

export const DnsFacts = z.object({
  nameservers: z.array(z.string()),
  source: z.string(),
});

export const ListenerFacts = z.object({
  protocol: z.enum(['tcp', 'udp']),
  address: z.string(),
  port: z.number().int(),
  process: z.string().optional(),
  pid: z.number().int().optional(),
});
export type ListenerFacts = z.infer<typeof ListenerFacts>;

export const FirewallRuleFacts = z.object({
  text: z.string().describe('the rule as iptables-save prints it'),
  protocol: z.string().optional(),
  dports: z.array(z.tuple([z.number().int(), z.number().int()])).optional().describe('destination port ranges'),
  inInterface: z.string().optional(),
  source: z.string().optional(),
  states: z.array(z.string()).optional(),
  target: z.string().optional(),
  negated: z.boolean().optional().describe('the rule has a negated match preflight does not model'),
  otherMatches: z.boolean().optional().describe('the rule has matches preflight does not model (it is treated as conditional)'),
});
export type FirewallRuleFacts = z.infer<typeof FirewallRuleFacts>;

export const FirewallChainFacts = z.object({
  name: z.string(),
  policy: z.string().optional(),
  rules: z.array(FirewallRuleFacts),
});

export const FirewallFacts = z.object({
  backend: z.enum(['iptables', 'nftables', 'none', 'unknown']),
  loadedTables: z.array(z.string()).optional(),
  filter: z.array(FirewallChainFacts).optional().describe('iptables filter table chains'),
  nftRuleset: z.boolean().optional().describe('an nftables ruleset with an input hook exists'),
});
export type FirewallFacts = z.infer<typeof FirewallFacts>;

export const PifFacts = z.object({
  uuid: z.string(),
  device: z.string().optional(),
  mac: z.string().optional(),
  physical: z.boolean().optional(),
  carrier: z.boolean().optional(),
  currentlyAttached: z.boolean().optional(),
  management: z.boolean().optional(),
  ipConfigurationMode: z.string().optional().describe('Static, DHCP or None'),
  ip: z.string().optional(),
  netmask: z.string().optional(),
  gateway: z.string().optional(),
  dns: z.array(z.string()).optional(),
  vlan: z.number().int().optional(),
  hostUuid: z.string().optional(),
  hostName: z.string().optional(),
  networkUuid: z.string().optional(),
  bondMasterOf: z.string().optional(),
  bondSlaveOf: z.string().optional(),
  speedMbps: z.number().optional(),
});
export type PifFacts = z.infer<typeof PifFacts>;

export const XenServerFacts = z.object({
  productBrand: z.string().optional(),
  productVersion: z.string().optional(),
  buildNumber: z.string().optional(),
  installationUuid: z.string().optional(),
  managementInterface: z.string().optional(),
  poolRole: z.enum(['master', 'member']).optional(),
  masterAddress: z.string().optional(),
  poolUuid: z.string().optional(),
  poolName: z.string().optional(),
  poolHostCount: z.number().int().optional(),
  hostName: z.string().optional(),
  patches: z
    .array(z.object({ uuid: z.string(), nameLabel: z.string(), nameDescription: z.string().optional(), appliedHere: z.boolean().optional() }))
    .optional(),
  pifs: z.array(PifFacts).optional(),
  cpuInfo: z.record(z.string(), z.string()).optional().describe('xe host cpu_info map of this host'),
});
export type XenServerFacts = z.infer<typeof XenServerFacts>;

export const ProbeStatus = z.object({
  status: z.enum(['ok', 'absent', 'failed']).describe('absent: the tool or file does not exist on this host'),
  detail: z.string().optional(),
});
export type ProbeStatus = z.infer<typeof ProbeStatus>;

// --- management and quorum service computers (Setup Guide, Tables 4 and 5) -----------------------

export const Platform = z.enum(['windows', 'linux', 'macos', 'other']);
export type Platform = z.infer<typeof Platform>;

const WordSize = z.union([z.literal(32), z.literal(64)]);

export const ComputerFacts = z.object({
  platform: Platform.optional(),
  os: z
    .object({
      name: z.string().describe('e.g. "Microsoft Windows 7 Professional", "Debian GNU/Linux 12 (bookworm)", "macOS 10.14.6"'),
      version: z.string().optional().describe('e.g. 6.1.7601 (Windows), 10.14.6 (macOS), the kernel release (Linux)'),
      servicePack: z.number().int().optional().describe('Windows service pack number; 0 when none is installed'),
      bits: WordSize.optional().describe('word size of the operating system (not of the processor)'),
      source: z.string().describe('probe it was read from'),
    })
    .optional(),
  cpu: z
    .object({
      model: z.string().optional(),
      mhz: z.number(),
      kind: z.enum(['rated', 'maximum', 'current']).describe('rated speed, maximum (cpufreq), or the current clock (may be throttled)'),
      source: z.string(),
    })
    .optional(),
  memory: z
    .object({
      bytes: z.number(),
      installed: z.boolean().describe('true: the installed modules (or the Mac\'s physical memory); false: what the OS reports, a little less'),
      source: z.string(),
    })
    .optional(),
  systemVolume: z
    .object({
      mount: z.string().describe('C: on Windows, / elsewhere'),
      sizeBytes: z.number().optional(),
      availableBytes: z.number(),
      source: z.string(),
    })
    .optional(),
  nics: z
    .array(
      z.object({
        name: z.string(),
        description: z.string().optional(),
        speedMbps: z.number().nullable().describe('negotiated speed; null when not known (no link, Wi-Fi, virtual NIC)'),
        virtual: z.boolean().describe('loopback, tunnel, bridge or a hypervisor\'s virtual adapter'),
        wireless: z.boolean().optional(),
        up: z.boolean().optional(),
      }),
    )
    .optional(),
  nicsSource: z.string().optional(),
  listeners: z.array(ListenerFacts).optional().describe('listening sockets from systeminformation (Windows and macOS local scans)'),
});
export type ComputerFacts = z.infer<typeof ComputerFacts>;

export const FlashKind = z.enum(['activex', 'npapi', 'ppapi']);
export type FlashKind = z.infer<typeof FlashKind>;

export const FlashPlayerFacts = z.object({
  kind: FlashKind.describe('activex: Internet Explorer; npapi: Firefox, Safari, Opera <= 12; ppapi: Chromium-based browsers'),
  version: z.string().optional().describe('e.g. 10.0.45.2, 32.0.0.465'),
  bits: WordSize.optional(),
  path: z.string().optional(),
  source: z.string(),
});
export type FlashPlayerFacts = z.infer<typeof FlashPlayerFacts>;

export const BrowserFacts = z.object({
  name: z.string().describe('e.g. Internet Explorer, Mozilla Firefox, Chromium, Google Chrome, Safari'),
  family: z.enum(['ie', 'firefox', 'chromium', 'safari', 'opera', 'edge', 'other']),
  version: z.string().optional(),
  bits: WordSize.optional().describe('word size of the browser program; absent when not known'),
  path: z.string().optional(),
  flashPlugins: z.array(FlashKind).describe('Flash Player kinds this browser can load (ActiveX for IE, NPAPI for Firefox and Safari, PPAPI for Chromium)'),
  flashRemoved: z.string().optional().describe('set when this browser version no longer loads Flash at all, with the version that removed it'),
  source: z.string(),
});
export type BrowserFacts = z.infer<typeof BrowserFacts>;

export const BrowsersFacts = z.object({
  platform: Platform,
  browsers: z.array(BrowserFacts),
  flashPlayers: z.array(FlashPlayerFacts),
  flashPackages: z
    .array(z.string())
    .optional()
    .describe('installed Flash Player packages (Linux dpkg/rpm), e.g. "flashplugin-installer 32.0.0.465ubuntu1 (amd64)"; some only download the plug-in'),
});
export type BrowsersFacts = z.infer<typeof BrowsersFacts>;

export const PowerFacts = z.object({
  platform: Platform,
  windows: z
    .object({
      available: z.array(z.string()).optional().describe('sleep states powercfg /a lists as available'),
      unavailable: z.array(z.string()).optional(),
      sleepAfterAcSeconds: z.number().optional().describe('"Sleep after" (STANDBYIDLE) on AC power; 0 = never'),
      sleepAfterDcSeconds: z.number().optional(),
      hibernateAfterAcSeconds: z.number().optional().describe('"Hibernate after" (HIBERNATEIDLE) on AC power; 0 = never'),
      hibernateAfterDcSeconds: z.number().optional(),
      scheme: z.string().optional(),
    })
    .optional(),
  linux: z
    .object({
      kernelStates: z.array(z.string()).optional().describe('/sys/power/state: freeze, standby, mem, disk; empty when the kernel offers none'),
      systemdRunning: z.boolean().optional(),
      targets: z.record(z.string(), z.string()).optional().describe('systemctl is-enabled per sleep target; masked = disabled'),
      settings: z.record(z.string(), z.string()).optional().describe('logind.conf / sleep.conf keys in effect (IdleAction, AllowSuspend, ...)'),
    })
    .optional(),
  macos: z
    .object({
      sleepMinutes: z.number().optional().describe('pmset "sleep": system sleep timer in minutes; 0 = never'),
      sleepNote: z.string().optional().describe('e.g. "sleep prevented by caffeinate"'),
      sleepDisabled: z.boolean().optional().describe('pmset SleepDisabled 1 (pmset disablesleep)'),
      hibernateMode: z.number().optional(),
    })
    .optional(),
});
export type PowerFacts = z.infer<typeof PowerFacts>;

export const SoftwareFacts = z.object({
  platform: Platform,
  xenCenter: z
    .object({ installed: z.boolean(), version: z.string().optional(), where: z.string().optional() })
    .optional()
    .describe('XenCenter (Windows only); absent when it could not be looked for'),
  dotNetVersions: z.array(z.string()).optional().describe('installed .NET Framework versions, e.g. 2.0.50727, 3.5, 4.8'),
});
export type SoftwareFacts = z.infer<typeof SoftwareFacts>;

export const HostFacts = z.object({
  probes: z.record(z.string(), ProbeStatus).describe('how each probe fared, so rules can say why a fact is missing'),
  os: OsFacts,
  cpu: CpuFacts,
  virtualization: VirtualizationFacts,
  memory: MemoryFacts,
  disks: z.array(DiskFacts).optional(),
  filesystems: z.array(FilesystemFacts).optional(),
  storageRepositories: z.array(StorageRepositoryFacts).optional(),
  nics: z.array(NicFacts).optional(),
  routes: z.array(RouteFacts).optional(),
  ipConfig: z.array(IpConfigFacts).optional(),
  dhcpClients: z.array(z.string()).optional().describe('command lines of running DHCP clients'),
  dns: DnsFacts.optional(),
  listeners: z.array(ListenerFacts).optional(),
  firewall: FirewallFacts.optional(),
  xenserver: XenServerFacts.optional().describe('present only on a XenServer host'),
  computer: ComputerFacts.optional().describe('the machine as a management or quorum computer: OS, CPU, memory, system volume, NICs on any platform'),
  browsers: BrowsersFacts.optional().describe('web browsers and Flash Player (management computer)'),
  power: PowerFacts.optional().describe('sleep and hibernation settings (quorum computers must stay powered on)'),
  software: SoftwareFacts.optional().describe('XenCenter and .NET Framework (management computer)'),
  problems: z.array(ParseProblem),
});
export type HostFacts = z.infer<typeof HostFacts>;
