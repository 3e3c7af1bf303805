import { z } from 'zod';

/**
 * The port table: what the cable walkthrough proved about each NIC of each host. It is keyed by MAC
 * address and PCI slot (interface names drift across reboots and OS versions); the eth name is kept
 * beside them. `preflight cables --out FILE.json` writes it and `preflight scan --cables FILE.json`
 * reads it back, so its JSON form is a public contract (format "preflight-port-table/1").
 */

export const PORT_TABLE_FORMAT = 'preflight-port-table/1';

/** The layout roles of the guide, as stable keys (display text: roleText). */
export const PortRole = z.enum(['management', 'alink1', 'alink2', 'production', 'bond']);
export type PortRole = z.infer<typeof PortRole>;

/**
 * What the walkthrough concluded for one port:
 * - ok: unplugging its cable dropped exactly what its role expects (for an A-link: this NIC and the
 *   same A-link NIC of the peer host, together), and carrier came back when plugged in again;
 * - crossed: an A-link cable reaches the peer's other A-link NIC (h1 eth1 <-> h2 eth2);
 * - wrong-peer: the cable reaches something else than the role expects (an A-link that goes to a
 *   switch, or to a NIC of the same host);
 * - no-change: the operator unplugged a cable for this port and nothing changed anywhere;
 * - carrier-not-back: carrier dropped but did not return after plugging in (bad cable or port);
 * - no-carrier: the NIC had no carrier when the walkthrough started and never got one;
 * - skipped: the operator skipped it; not-tested: the walkthrough ended before reaching it.
 */
export const PortVerdict = z.enum(['ok', 'crossed', 'wrong-peer', 'no-change', 'carrier-not-back', 'no-carrier', 'skipped', 'not-tested']);
export type PortVerdict = z.infer<typeof PortVerdict>;

export const PortPeer = z
  .object({
    host: z.string().describe('the host at the other end of the cable'),
    device: z.string().describe('its interface name'),
    mac: z.string().nullable().describe('its MAC address, when known'),
  })
  .strict();
export type PortPeer = z.infer<typeof PortPeer>;

export const Rehearsal = z
  .object({
    verdict: z.enum(['ok', 'failed']),
    detail: z.string().describe('what was pulled and what still answered, in one sentence'),
    checkedAt: z.string().describe('ISO-8601'),
  })
  .strict();
export type Rehearsal = z.infer<typeof Rehearsal>;

export const PortRow = z
  .object({
    host: z.string(),
    device: z.string().describe('interface name when the table was made (shown beside the MAC; names drift)'),
    mac: z.string().nullable(),
    pciSlot: z.string().nullable(),
    driver: z.string().nullable(),
    speedMbps: z.number().nullable(),
    label: z.string().nullable().describe("the operator's name for the physical port, e.g. 'slot 2 port 1'"),
    role: PortRole.nullable().describe('the role the layout gives this NIC'),
    peer: PortPeer.nullable().describe('the other end of the cable, as the unplug showed it (A-links only)'),
    verdict: PortVerdict,
    detail: z.string().describe('what was seen, in one sentence'),
    observedAt: z.string().nullable().describe('ISO-8601 time of the unplug that decided the verdict'),
    rehearsal: Rehearsal.nullable(),
  })
  .strict();
export type PortRow = z.infer<typeof PortRow>;

export const PortTable = z
  .object({
    format: z.literal(PORT_TABLE_FORMAT),
    createdAt: z.string(),
    profile: z.string(),
    hosts: z.array(z.object({ name: z.string(), address: z.string() }).strict()),
    rows: z.array(PortRow),
  })
  .strict();
export type PortTable = z.infer<typeof PortTable>;

export function roleText(role: PortRole, managementNic = 'eth0'): string {
  switch (role) {
    case 'management':
      return 'management';
    case 'alink1':
      return 'A-link 1';
    case 'alink2':
      return 'A-link 2';
    case 'production':
      return 'production';
    case 'bond':
      return `bond with ${managementNic}`;
  }
}
