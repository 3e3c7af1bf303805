import type { Evidence, HostEvidence } from '../../src/collect/evidence.js';
import type { Role } from '../../src/engine/types.js';
import type { PoolCaseHost } from './caseTable.js';
import { defaultRoute, hostFacts, inet, linkedNic } from './hostFacts.js';

/**
 * Evidence of the active network tests (the exercise phase) for the pool rules' case rows: ping and
 * `ip neigh` output as iputils and iproute2 print it.
 */

export const MAC = {
  h1: { eth0: '02:00:00:01:00:00', eth1: '02:00:00:01:00:01', eth2: '02:00:00:01:00:02' },
  h2: { eth0: '02:00:00:02:00:00', eth1: '02:00:00:02:00:01', eth2: '02:00:00:02:00:02' },
} as const;

export function pingOutput(target: string, sent: number, received: number, rtt = { avg: 0.061, max: 0.093 }, size = 1472): string {
  const loss = Math.round(((sent - received) / sent) * 100);
  const lines = [`PING ${target} (${target}) ${size}(${size + 28}) bytes of data.`];
  for (let i = 1; i <= received; i++) lines.push(`${size + 8} bytes from ${target}: icmp_seq=${i} ttl=64 time=${rtt.avg} ms`);
  lines.push('', `--- ${target} ping statistics ---`, `${sent} packets transmitted, ${received} received, ${loss}% packet loss, time 804ms`);
  if (received > 0) lines.push(`rtt min/avg/max/mdev = 0.041/${rtt.avg}/${rtt.max}/0.017 ms`);
  return `${lines.join('\n')}\n`;
}

export function ev(probe: string, stdout: string, over: Partial<Evidence> = {}): Evidence {
  return { probe, source: `test ${probe}`, stdout, stderr: '', exitCode: 0, durationMs: 800, truncated: false, ...over };
}

export function evidenceOf(entries: readonly Evidence[]): HostEvidence {
  return { transport: 'ssh', collectedAt: '2026-11-25T12:00:00.000Z', evidence: Object.fromEntries(entries.map((e) => [e.probe, e])) };
}

export const ADDR = {
  h1: { mgmt: '10.0.0.11', alink1: '10.10.1.1', alink2: '10.10.2.1' },
  h2: { mgmt: '10.0.0.12', alink1: '10.10.1.2', alink2: '10.10.2.2' },
} as const;
export const GATEWAY = '10.0.0.1';

/** A host with the guide's NICs: management eth0 with its default route, A-link addresses on eth1/eth2 (unless `noAlinkAddresses`). */
export function netHost(host: 'h1' | 'h2', evidence: readonly Evidence[], over: { noAlinkAddresses?: boolean; noRoute?: boolean; role?: Role } = {}): PoolCaseHost {
  const a = ADDR[host];
  const m = MAC[host];
  return {
    host,
    role: over.role ?? (host === 'h1' ? 'master' : 'member'),
    facts: hostFacts({
      nics: [
        linkedNic('eth0', { mac: m.eth0, addresses: [inet(a.mgmt)] }),
        linkedNic('eth1', { mac: m.eth1, addresses: over.noAlinkAddresses ? [] : [inet(a.alink1)] }),
        linkedNic('eth2', { mac: m.eth2, addresses: over.noAlinkAddresses ? [] : [inet(a.alink2)] }),
      ],
      ...(over.noRoute ? {} : { routes: [defaultRoute(GATEWAY, 'eth0')] }),
    }),
    evidence: evidenceOf(evidence),
  };
}

/** `ip neigh show dev DEV` with one entry. */
export function neigh(address: string, mac: string | undefined, state = 'REACHABLE'): string {
  return mac ? `${address} lladdr ${mac} ${state}\n` : `${address} ${state}\n`;
}
