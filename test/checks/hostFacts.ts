import type {
  AddressFacts,
  CpuFacts,
  DiskFacts,
  FilesystemFacts,
  FirewallFacts,
  FirewallRuleFacts,
  HostFacts,
  IpConfigFacts,
  ListenerFacts,
  MemoryFacts,
  NicFacts,
  OsFacts,
  PifFacts,
  ProbeStatus,
  RouteFacts,
  StorageRepositoryFacts,
  VirtualizationFacts,
  XenServerFacts,
} from '../../src/facts/schema.js';

/**
 * Test support: small builders for HostFacts, so a check's test row says only what matters for
 * that row. Everything not given is empty or absent ("not collected"), never a plausible value
 * that could make a row pass by accident.
 *
 *   hostFacts({ cpu: { vendor: 'GenuineIntel' }, nics: [nic('eth0', { carrier: true })] })
 */

export const GiB = 2 ** 30;
export const MiB = 2 ** 20;
export const GB = 1e9;

export interface FactsInput extends Partial<Omit<HostFacts, 'os' | 'cpu' | 'virtualization' | 'memory'>> {
  os?: Partial<OsFacts>;
  cpu?: Partial<CpuFacts>;
  virtualization?: Partial<VirtualizationFacts>;
  memory?: Partial<MemoryFacts>;
}

/** A HostFacts with the required parts filled in empty: no probe statuses, no flags, no problems. */
export function hostFacts(input: FactsInput = {}): HostFacts {
  const { os, cpu, virtualization, memory, probes, problems, ...rest } = input;
  return {
    probes: probes ?? {},
    os: { ...os },
    cpu: { flags: [], ...cpu },
    virtualization: { ...virtualization },
    memory: { ...memory },
    problems: problems ?? [],
    ...rest,
  };
}

// --- probe statuses ---------------------------------------------------------------------------

export const ok = (): ProbeStatus => ({ status: 'ok' });
export const absent = (detail?: string): ProbeStatus => (detail ? { status: 'absent', detail } : { status: 'absent' });
export const failed = (detail: string): ProbeStatus => ({ status: 'failed', detail });

// --- network ----------------------------------------------------------------------------------

/** A network interface; physical unless `kind` says otherwise. Nothing else is assumed. */
export function nic(name: string, over: Partial<NicFacts> = {}): NicFacts {
  return { name, kind: 'physical', addresses: [], ...over };
}

/**
 * A cabled 1 Gb NIC as sysfs shows it on a typical server: Intel 82574L (e1000e, 8086:10d3),
 * link up at 1000 Mb/s full duplex. Override what a row is about.
 */
export function linkedNic(name: string, over: Partial<NicFacts> = {}): NicFacts {
  return nic(name, { driver: 'e1000e', pciId: '8086:10d3', speedMbps: 1000, duplex: 'full', carrier: true, operstate: 'up', adminUp: true, ...over });
}

/** The guide's five NICs eth0..eth4, all cabled at 1 Gb/s. */
export function fiveLinkedNics(): NicFacts[] {
  return ['eth0', 'eth1', 'eth2', 'eth3', 'eth4'].map((n) => linkedNic(n));
}

export function inet(address: string, prefixLength = 24, over: Partial<AddressFacts> = {}): AddressFacts {
  return { family: 'inet', address, prefixLength, dynamic: false, scope: 'global', ...over };
}

export function defaultRoute(gateway: string, device: string, over: Partial<RouteFacts> = {}): RouteFacts {
  return { destination: 'default', gateway, device, ...over };
}

export function ipConfig(iface: string, method: IpConfigFacts['method'], source: string, over: Partial<IpConfigFacts> = {}): IpConfigFacts {
  return { interface: iface, method, source, ...over };
}

// --- XenServer --------------------------------------------------------------------------------

export const HOST_UUID = '5efc236c-f137-4df7-9902-ba8fbf9a2ac2';

/** A XenServer 5.5.0 host as /etc/xensource-inventory describes it; override the rest per row. */
export function xenserver(over: Partial<XenServerFacts> = {}): XenServerFacts {
  return { productBrand: 'XenServer', productVersion: '5.5.0', buildNumber: '15119p', installationUuid: HOST_UUID, hostName: 'xs1', ...over };
}

/** A PIF of this host (host-uuid = the inventory's INSTALLATION_UUID). */
export function pif(device: string, over: Partial<PifFacts> = {}): PifFacts {
  return { uuid: `pif-${device}`, device, physical: true, hostUuid: HOST_UUID, ...over };
}

// --- storage ----------------------------------------------------------------------------------

export function disk(name: string, sizeBytes: number, over: Partial<DiskFacts> = {}): DiskFacts {
  return { name, sizeBytes, local: true, ...over };
}

export function filesystem(mountpoint: string, source: string, sizeBytes: number, over: Partial<FilesystemFacts> = {}): FilesystemFacts {
  const usedBytes = over.usedBytes ?? Math.round(sizeBytes / 2);
  return { source, mountpoint, sizeBytes, usedBytes, availableBytes: sizeBytes - usedBytes, ...over };
}

export function sr(nameLabel: string, type: string, sizeBytes: number, utilisationBytes: number, over: Partial<StorageRepositoryFacts> = {}): StorageRepositoryFacts {
  return {
    uuid: `sr-${nameLabel.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    nameLabel,
    type,
    contentType: 'user',
    shared: false,
    physicalSizeBytes: sizeBytes,
    physicalUtilisationBytes: utilisationBytes,
    ...over,
  };
}

// --- ports and firewall -----------------------------------------------------------------------

export function listener(protocol: 'tcp' | 'udp', address: string, port: number, over: Partial<ListenerFacts> = {}): ListenerFacts {
  return { protocol, address, port, ...over };
}

export interface RuleSpec {
  protocol?: 'tcp' | 'udp' | 'icmp';
  dport?: number;
  source?: string;
  inInterface?: string;
  states?: string[];
  /** Matches preflight does not model, e.g. "-m icmp --icmp-type any" (the rule becomes conditional). */
  matches?: string;
  target: string;
  /** Target options, e.g. "--reject-with icmp-host-prohibited" (they do not change what matches). */
  targetOptions?: string;
}

/**
 * A rule of an iptables filter chain, with its text written the way iptables-save prints it
 * ("-A INPUT -s 10.0.0.0/24 -p udp -m udp --dport 2188 -j ACCEPT") so failure messages read real.
 */
export function fwRule(chainName: string, spec: RuleSpec): FirewallRuleFacts {
  const parts = [`-A ${chainName}`];
  if (spec.source) parts.push(`-s ${spec.source}`);
  if (spec.inInterface) parts.push(`-i ${spec.inInterface}`);
  if (spec.protocol) parts.push(`-p ${spec.protocol}`);
  if (spec.states) parts.push(`-m state --state ${spec.states.join(',')}`);
  if (spec.dport !== undefined && spec.protocol) parts.push(`-m ${spec.protocol} --dport ${spec.dport}`);
  if (spec.matches) parts.push(spec.matches);
  parts.push(`-j ${spec.target}`);
  if (spec.targetOptions) parts.push(spec.targetOptions);
  const r: FirewallRuleFacts = { text: parts.join(' '), target: spec.target };
  if (spec.protocol) r.protocol = spec.protocol;
  if (spec.dport !== undefined) r.dports = [[spec.dport, spec.dport]];
  if (spec.source) r.source = spec.source;
  if (spec.inInterface) r.inInterface = spec.inInterface;
  if (spec.states) r.states = spec.states;
  if (spec.matches) r.otherMatches = true;
  return r;
}

export function chain(name: string, policy: string | undefined, rules: FirewallRuleFacts[]): NonNullable<FirewallFacts['filter']>[number] {
  return policy === undefined ? { name, rules } : { name, policy, rules };
}

export function iptables(chains: NonNullable<FirewallFacts['filter']>): FirewallFacts {
  return { backend: 'iptables', loadedTables: ['filter'], filter: chains };
}

// --- real CPUs ----------------------------------------------------------------------------------

const words = (s: string) => s.split(' ');

/**
 * CPU flag lists of real machines, transcribed from the /proc/cpuinfo captures in
 * ../shared/fixtures/cpuinfo (sources in ../shared/fixtures/SOURCES.md); tests do not read them.
 */
export const FLAGS = {
  /** Dell R710, 2 x Xeon E5540 @ 2.53GHz, RHEL 5.5 (util-linux dump x86_64-dellr710): lm, vmx. */
  xeonE5540: words(
    'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm syscall nx rdtscp lm constant_tsc ida nonstop_tsc pni monitor ds_cpl vmx est tm2 ssse3 cx16 xtpr sse4_1 sse4_2 popcnt lahf_lm',
  ),
  /** Samsung NC10 netbook, Atom N270 @ 1.60GHz (glpi-agent linux-686-samsung-nc10-1): 32-bit (lahf_lm but no lm), no vmx. */
  atomN270: words(
    'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe constant_tsc arch_perfmon pebs bts aperfmperf pni dtes64 monitor ds_cpl est tm2 ssse3 xtpr pdcm movbe lahf_lm',
  ),
  /** NetBurst Xeon 3.80GHz (util-linux dump x86_64-necem14): 64-bit, but no VT-x. */
  netburstXeon: words('fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm syscall lm constant_tsc pni monitor ds_cpl est tm2 cid cx16 xtpr'),
  /** 2 x AMD Opteron 6328 (util-linux dump vmware_fpe): lm, svm. */
  opteron6328: words(
    'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl nonstop_tsc cpuid extd_apicid amd_dcm aperfmperf pni pclmulqdq monitor ssse3 fma cx16 sse4_1 sse4_2 popcnt aes xsave avx f16c lahf_lm cmp_legacy svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw ibs xop skinit wdt fma4 tce nodeid_msr tbm topoext perfctr_core perfctr_nb cpb hw_pstate ssbd ibpb vmmcall bmi1 arat npt lbrv svm_lock nrip_save tsc_scale vmcb_clean flushbyasid decodeassists pausefilter pfthreshold',
  ),
  /** RHEL 6.3 guest on VMware ESX, 1 vCPU of a Core i5-2500S @ 2.70GHz (glpi-agent rhel-6.3-esx-1vcpu): hypervisor, no vmx. */
  esxGuest: words(
    'fpu vme de pse tsc msr pae mce cx8 apic mtrr pge mca cmov pat pse36 clflush dts mmx fxsr sse sse2 ss syscall nx rdtscp lm constant_tsc up arch_perfmon pebs bts xtopology tsc_reliable nonstop_tsc aperfmperf unfair_spinlock pni pclmulqdq ssse3 cx16 sse4_1 sse4_2 x2apic popcnt aes xsave avx hypervisor lahf_lm ida arat epb xsaveopt pln pts dts',
  ),
};

/** What a XenServer 5.5 Dom0 shows of the E5540: Xen masks vmx from its control domain. */
export const DOM0_FLAGS_E5540 = FLAGS.xeonE5540.filter((f) => f !== 'vmx');

/** Xen capabilities of a VT-x host ("xm info" xen_caps on XenServer 5.5). */
export const XEN_CAPS_HVM = 'xen-3.0-x86_64 xen-3.0-x86_32p hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64';
/** Xen capabilities when VT-x is absent or disabled: paravirtual guests only. */
export const XEN_CAPS_PV_ONLY = 'xen-3.0-x86_64 xen-3.0-x86_32p';
