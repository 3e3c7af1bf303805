import { EXIT_NOT_FOUND, type Evidence, type HostEvidence } from '../collect/evidence.js';
import { assembleBrowsers } from './assemble/browsers.js';
import { assembleComputer } from './assemble/computer.js';
import { assembleCpu } from './assemble/cpu.js';
import { assembleMemory } from './assemble/memory.js';
import { assembleNetwork } from './assemble/network.js';
import { assembleOs } from './assemble/os.js';
import { assemblePower } from './assemble/power.js';
import { assemblePorts } from './assemble/ports.js';
import { assembleSoftware } from './assemble/software.js';
import { assembleStorage } from './assemble/storage.js';
import { assembleXenServer } from './assemble/xenserver.js';
import type { HostFacts, ProbeStatus } from './schema.js';

/**
 * Evidence -> typed facts for one host. Pure: the same evidence (live, or replayed from a bundle)
 * always gives the same facts. Nothing here runs commands.
 */
export function buildHostFacts(host: HostEvidence): HostFacts {
  const ev = host.evidence;
  const os = assembleOs(ev);
  const cpu = assembleCpu(ev);
  const memory = assembleMemory(ev);
  const storage = assembleStorage(ev);
  const xen = assembleXenServer(ev);
  const network = assembleNetwork(ev, xen.xenserver);
  const ports = assemblePorts(ev);
  const mgmt = managementComputer(ev, { os: os.os, cpu: cpu.cpu, memory: memory.memory, filesystems: storage.filesystems, nics: network.nics });
  return {
    probes: Object.fromEntries(Object.entries(ev).map(([id, e]) => [id, probeStatus(e)])),
    os: os.os,
    cpu: cpu.cpu,
    virtualization: cpu.virtualization,
    memory: memory.memory,
    disks: storage.disks,
    filesystems: storage.filesystems,
    storageRepositories: storage.storageRepositories,
    nics: network.nics,
    routes: network.routes,
    ipConfig: network.ipConfig,
    dhcpClients: network.dhcpClients,
    ...(network.dns ? { dns: network.dns } : {}),
    listeners: ports.listeners,
    firewall: ports.firewall,
    ...(xen.xenserver ? { xenserver: xen.xenserver } : {}),
    ...mgmt.facts,
    problems: [...os.problems, ...cpu.problems, ...memory.problems, ...storage.problems, ...xen.problems, ...network.problems, ...ports.problems, ...mgmt.problems],
  };
}

/** The management / quorum computer sections (computer, browsers, power, software), each only when known. */
function managementComputer(ev: HostEvidence['evidence'], host: Parameters<typeof assembleComputer>[1]) {
  const computer = assembleComputer(ev, host);
  const browsers = assembleBrowsers(ev, computer.computer);
  const power = assemblePower(ev, computer.computer);
  const software = assembleSoftware(ev, computer.computer);
  return {
    facts: {
      ...(computer.computer ? { computer: computer.computer } : {}),
      ...(browsers.browsers ? { browsers: browsers.browsers } : {}),
      ...(power.power ? { power: power.power } : {}),
      ...(software.software ? { software: software.software } : {}),
    },
    problems: [...computer.problems, ...browsers.problems, ...power.problems, ...software.problems],
  };
}

export function probeStatus(e: Evidence): ProbeStatus {
  const firstLine = (s: string) => s.split('\n').find((l) => l.trim() !== '')?.trim();
  if (e.error !== undefined) return { status: 'failed', detail: e.error };
  if (e.exitCode === EXIT_NOT_FOUND) return { status: 'absent', detail: firstLine(e.stderr) ?? 'not available on this host' };
  if (e.exitCode === 0) return { status: 'ok' };
  const detail = firstLine(e.stderr) ?? `exit code ${e.exitCode}`;
  return { status: 'failed', detail };
}
