import type { Evidence } from '../../collect/evidence.js';
import { parseDmidecodeMemory } from '../dmidecode.js';
import { parseIomem } from '../iomem.js';
import { parseMeminfo } from '../meminfo.js';
import type { MemoryFacts, ParseProblem } from '../schema.js';
import { xeNumber } from '../xeRecords.js';
import { parseXenInfo } from '../xenInfo.js';
import { definedOnly } from './definedOnly.js';
import { parseProbe } from './probeOutput.js';
import { xenHostView } from './xenHost.js';

export interface MemoryAssembly {
  memory: MemoryFacts;
  problems: ParseProblem[];
}

const MiB = 1024 * 1024;

/**
 * Memory from every angle, each kept apart because each undercounts differently: MemTotal (what
 * the kernel manages), the firmware map (System RAM), the installed modules (SMBIOS), and the
 * hypervisor's total (in a Xen Dom0 the other three describe Dom0 only). The memory-total check
 * chooses among them.
 */
export function assembleMemory(ev: Record<string, Evidence>): MemoryAssembly {
  const problems: ParseProblem[] = [];
  const meminfo = parseProbe(ev, 'proc.meminfo', parseMeminfo, problems);
  const iomem = parseProbe(ev, 'proc.iomem', parseIomem, problems);
  const dmi = parseProbe(ev, 'dmidecode.memory', parseDmidecodeMemory, problems);
  // xen.info belongs to the CPU assembler and the xe probes to the XenServer one: they report
  // those probes' problems, so scratch arrays here.
  const xenInfo = parseProbe(ev, 'xen.info', parseXenInfo, []);
  const xeSelf = xenHostView(ev, []).self;

  const dimms = dmi?.devices.flatMap((d) => (d.installed && d.sizeBytes !== undefined ? [{ locator: d.locator, sizeBytes: d.sizeBytes }] : []));
  const xeTotal = xeNumber(xeSelf?.['memory-total']);
  const memory: MemoryFacts = definedOnly({
    memTotalBytes: meminfo?.memTotalBytes,
    systemRamBytes: iomem?.systemRamBytes,
    dimmBytes: dmi?.totalBytes,
    // No modules listed is "not known" (VMs often have no SMBIOS memory table), not "none".
    dimms: dimms !== undefined && dimms.length > 0 ? dimms : undefined,
    // xe counts bytes; xl/xm info MiB.
    hypervisorTotalBytes:
      xeTotal !== undefined && xeTotal > 0 ? xeTotal : xenInfo?.totalMemoryMiB !== undefined ? xenInfo.totalMemoryMiB * MiB : undefined,
  });
  return { memory, problems };
}
