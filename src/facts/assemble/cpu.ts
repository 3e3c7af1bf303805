import type { Evidence } from '../../collect/evidence.js';
import { parseCpufreq } from '../cpufreq.js';
import { parseCpuinfo, type Cpuinfo } from '../cpuinfo.js';
import { nominalMhzFromModelName } from '../cpuSpeed.js';
import { parseDmidecodeProcessor } from '../dmidecode.js';
import { parseKernelVirtLog } from '../kernelLog.js';
import { parseLscpu, type Lscpu } from '../lscpu.js';
import { firmwareVirtualization, parseMsr } from '../msr.js';
import type { CpuFacts, ParseProblem, VirtualizationFacts } from '../schema.js';
import { parseSysHypervisor } from '../sysHypervisor.js';
import { parseDecimal, parseUint } from '../textLines.js';
import { xeMap, xeSet } from '../xeRecords.js';
import { parseXenInfo, xenReportsHvm, type XenInfo } from '../xenInfo.js';
import { definedOnly } from './definedOnly.js';
import { parseProbe, probeOutput } from './probeOutput.js';
import { detectXenDom0 } from './xenDom0.js';
import { xenHostView } from './xenHost.js';

export interface CpuAssembly {
  cpu: CpuFacts;
  virtualization: VirtualizationFacts;
  problems: ParseProblem[];
}

type Topology = Pick<CpuFacts, 'logicalCpus' | 'sockets' | 'coresPerSocket' | 'physicalCores'>;

/**
 * The processors and hardware virtualization. /proc/cpuinfo first, lscpu where cpuinfo is silent,
 * then SMBIOS and XenServer's own record of the host. In a Xen Dom0 the kernel sees masked
 * virtual CPUs, so the hypervisor's view (xl info, /sys/hypervisor, xe) decides virtualization
 * and the machine's topology there.
 */
export function assembleCpu(ev: Record<string, Evidence>): CpuAssembly {
  const problems: ParseProblem[] = [];
  const cpuinfo = parseProbe(ev, 'proc.cpuinfo', parseCpuinfo, problems);
  const lscpu = parseProbe(ev, 'lscpu', parseLscpu, problems);
  const cpufreq = parseProbe(ev, 'sys.cpufreq', parseCpufreq, problems);
  const dmiProcessors = parseProbe(ev, 'dmidecode.processor', parseDmidecodeProcessor, problems);
  const msr = parseProbe(ev, 'cpu.msr', parseMsr, problems);
  const kernelLog = parseProbe(ev, 'kernel.log.virt', parseKernelVirtLog, problems);
  const sysHypervisor = parseProbe(ev, 'sys.hypervisor', parseSysHypervisor, problems);
  const xenInfo = parseProbe(ev, 'xen.info', parseXenInfo, problems);
  const kvmListing = probeOutput(ev, 'dev.kvm');
  // The XenServer assembler reports the xe and inventory probes' problems: a scratch array here.
  const xenHost = xenHostView(ev, []);
  const xeCpu = xenHost.self ? xeMap(xenHost.self['cpu_info']) : {};
  const xeCapabilities = xenHost.self ? xeSet(xenHost.self['capabilities']) : [];

  const xenDom0 = detectXenDom0(ev, {
    ...(sysHypervisor ? { sysHypervisor } : {}),
    ...(xenInfo ? { xenInfo } : {}),
    ...(lscpu ? { lscpu } : {}),
    xenServerInventory: xenHost.inventory !== undefined,
  });

  const dmi = dmiProcessors?.find((p) => p.populated) ?? dmiProcessors?.[0];
  const flags = cpuinfo?.flags ?? lscpu?.flags ?? [];
  const flagsRead = flags.length > 0;
  const modelName = cpuinfo?.modelName ?? lscpu?.modelName ?? text(xeCpu['modelname']) ?? dmi?.version;
  const vendor = cpuinfo?.vendor ?? lscpu?.vendorId ?? text(xeCpu['vendor']);
  const hypervisorGuest = flagsRead ? flags.includes('hypervisor') : lscpu?.hypervisorVendor !== undefined ? true : undefined;

  const cpu: CpuFacts = definedOnly({
    vendor,
    modelName,
    family: cpuinfo?.family ?? lscpu?.family ?? parseUint(xeCpu['family']),
    model: cpuinfo?.model ?? lscpu?.model ?? parseUint(xeCpu['model']),
    stepping: cpuinfo?.stepping ?? lscpu?.stepping ?? parseUint(xeCpu['stepping']),
    flags,
    ...topology(xenDom0 === true, cpuinfo, lscpu, xenInfo, xeCpu),
    // The rated clock: printed in the model name; else intel_pstate's base frequency; else SMBIOS,
    // whose Current Speed is the clock the firmware set (Max Speed is often the board's limit).
    nominalMhz:
      nominalMhzFromModelName(modelName) ??
      nominalMhzFromModelName(lscpu?.modelName) ??
      nominalMhzFromModelName(dmi?.version) ??
      cpufreq?.baseMhz ??
      dmi?.currentSpeedMhz ??
      dmi?.maxSpeedMhz,
    maxMhz: cpufreq?.maxMhz ?? lscpu?.cpuMaxMhz,
    currentMhz: cpuinfo?.currentMhz ?? lscpu?.cpuMhz ?? xenInfo?.cpuMhz ?? parseDecimal(xeCpu['speed']),
    hypervisorGuest,
    hypervisorVendor: lscpu?.hypervisorVendor ?? (sysHypervisor?.type === 'xen' ? 'Xen' : undefined),
  });

  // The hypervisor's capabilities describe this machine only when this is its control domain.
  const capabilities = [...new Set([...(sysHypervisor?.capabilities ?? []), ...xeCapabilities])];
  const xenCaps = xenDom0 === true ? (xenInfo?.xenCaps ?? (capabilities.length > 0 ? capabilities.join(' ') : undefined)) : undefined;
  const xenHvm =
    xenDom0 === true
      ? xenReportsHvm({
          ...(xenInfo?.xenCaps !== undefined ? { xenCaps: xenInfo.xenCaps } : {}),
          ...(xenInfo?.virtCaps !== undefined ? { virtCaps: xenInfo.virtCaps } : {}),
          capabilities,
        })
      : undefined;
  // Under a hypervisor (a Dom0 included) the MSRs are the hypervisor's emulation, not the
  // firmware's switch: Xen reports IA32_FEATURE_CONTROL locked without VMX to a PV Dom0.
  const firmware = msr && xenDom0 !== true && hypervisorGuest !== true ? firmwareVirtualization(msr, vendor) : undefined;

  const virtualization: VirtualizationFacts = definedOnly({
    cpuFlag: cpuVirtualizationFlag(flags, lscpu),
    xenDom0,
    xenHvm,
    xenCaps,
    firmware,
    kernelDisabledByBios: kernelLog?.disabledByBios,
    kvmDevice: kvmListing === undefined ? undefined : kvmDevicePresent(kvmListing),
  });
  return { cpu, virtualization, problems };
}

/**
 * vmx or svm from the flags; null when flags were read and neither is there (in a Dom0 that says
 * only that the flags are masked: xenDom0 tells readers so); lscpu's "Virtualization: VT-x / AMD-V"
 * when no flags line was read; undefined when nothing was.
 */
function cpuVirtualizationFlag(flags: string[], lscpu: Lscpu | undefined): 'vmx' | 'svm' | null | undefined {
  if (flags.length > 0) return flags.includes('vmx') ? 'vmx' : flags.includes('svm') ? 'svm' : null;
  if (lscpu?.virtualization === 'VT-x') return 'vmx';
  if (lscpu?.virtualization === 'AMD-V') return 'svm';
  return undefined;
}

/**
 * Logical CPUs, sockets and cores; physicalCores is sockets x cores per socket. Outside Xen:
 * lscpu (sysfs topology), then /proc/cpuinfo. In a Dom0 the kernel sees only Dom0's virtual CPUs,
 * whose "physical id" and "cpu cores" say nothing about the machine, so sockets and cores come from
 * the hypervisor (xl/xm info, xe cpu_info) or stay unknown; the logical count falls back to Dom0's.
 */
function topology(dom0: boolean, cpuinfo: Cpuinfo | undefined, lscpu: Lscpu | undefined, xenInfo: XenInfo | undefined, xeCpu: Record<string, string>): Topology {
  const osLogical = cpuinfo !== undefined && cpuinfo.logicalCpus > 0 ? cpuinfo.logicalCpus : lscpu?.cpus;
  if (dom0) {
    const hv = hypervisorTopology(xenInfo, xeCpu);
    return definedOnly({ ...hv, logicalCpus: hv.logicalCpus ?? osLogical, physicalCores: product(hv.sockets, hv.coresPerSocket) });
  }
  if (lscpu?.sockets !== undefined && lscpu.coresPerSocket !== undefined) {
    return definedOnly({ logicalCpus: osLogical, sockets: lscpu.sockets, coresPerSocket: lscpu.coresPerSocket, physicalCores: lscpu.sockets * lscpu.coresPerSocket });
  }
  return definedOnly({
    logicalCpus: osLogical,
    sockets: cpuinfo?.sockets,
    coresPerSocket: cpuinfo?.coresPerSocket,
    // cpuinfo counts distinct (socket, core) pairs when "cpu cores" is missing.
    physicalCores: product(cpuinfo?.sockets, cpuinfo?.coresPerSocket) ?? cpuinfo?.physicalCores,
  });
}

function product(a: number | undefined, b: number | undefined): number | undefined {
  return a !== undefined && b !== undefined ? a * b : undefined;
}

/** The machine's topology as Xen sees it: nr_cpus = sockets x cores_per_socket x threads_per_core. */
function hypervisorTopology(xenInfo: XenInfo | undefined, xeCpu: Record<string, string>): Topology {
  const logical = xenInfo?.nrCpus ?? parseUint(xeCpu['cpu_count']);
  const cores = xenInfo?.coresPerSocket;
  const threads = xenInfo?.threadsPerCore ?? 1;
  let sockets: number | undefined;
  if (xenInfo?.socketsPerNode !== undefined && xenInfo.nrNodes !== undefined) sockets = xenInfo.socketsPerNode * xenInfo.nrNodes;
  else if (logical !== undefined && cores !== undefined && cores > 0 && threads > 0 && logical % (cores * threads) === 0) sockets = logical / (cores * threads);
  else sockets = parseUint(xeCpu['socket_count']);
  return definedOnly({ logicalCpus: logical, sockets, coresPerSocket: cores });
}

/** `ls -l /dev/kvm` prints the device node; the probe prints "absent" when there is none. */
function kvmDevicePresent(listing: string): boolean | undefined {
  const t = listing.trim();
  if (t === 'absent') return false;
  return /\/dev\/kvm\s*$/.test(t) ? true : undefined;
}

function text(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}
