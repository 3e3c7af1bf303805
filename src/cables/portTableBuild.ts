import { PORT_TABLE_FORMAT, type PortRow, type PortTable } from './portTable.js';
import { portKey } from './correlate.js';
import type { NicLayout } from '../checks/nicLayout.js';
import type { CableTable } from './table.js';
import { layoutRoleOf, type PortState } from './walkthrough.js';

/**
 * The port table from what the walkthrough found: one row per NIC of each host's table (keyed by
 * MAC and PCI slot, the eth name beside them), in host order then natural NIC order. A NIC the
 * walkthrough never reached is "not-tested", so a table written after Ctrl-C says plainly what is
 * still unknown.
 */
export function buildPortTable(input: {
  profile: string;
  layout: NicLayout;
  hosts: readonly { name: string; address: string; table: CableTable }[];
  ports: ReadonlyMap<string, PortState>;
  /** Labels known from an earlier run, by lower-case MAC. */
  labels?: ReadonlyMap<string, string>;
  createdAt?: string;
}): PortTable {
  const rows: PortRow[] = [];
  const macOf = (host: string, nic: string) => input.hosts.find((h) => h.name === host)?.table.nics.find((n) => n.device === nic)?.mac ?? null;
  for (const h of input.hosts) {
    for (const nic of h.table.nics) {
      const s = input.ports.get(portKey(h.name, nic.device));
      const role = layoutRoleOf(input.layout, nic.device);
      const known = nic.mac ? input.labels?.get(nic.mac.toLowerCase()) : undefined;
      rows.push({
        host: h.name,
        device: nic.device,
        mac: nic.mac,
        pciSlot: nic.pciSlot,
        driver: nic.driver,
        speedMbps: nic.speedMbps,
        label: s?.label ?? known ?? null,
        role,
        peer: s?.peer ? { host: s.peer.host, device: s.peer.nic, mac: macOf(s.peer.host, s.peer.nic) } : null,
        verdict: s?.verdict ?? 'not-tested',
        detail: s?.detail || (s ? '' : role ? 'the walkthrough did not reach this port' : 'no step for this NIC: the layout gives it no role'),
        observedAt: s?.observedAt ?? null,
        rehearsal: s?.rehearsal ?? null,
      });
    }
  }
  return {
    format: PORT_TABLE_FORMAT,
    createdAt: input.createdAt ?? new Date().toISOString(),
    profile: input.profile,
    hosts: input.hosts.map((h) => ({ name: h.name, address: h.address })),
    rows,
  };
}
