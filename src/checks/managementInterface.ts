import type { HostFacts, PifFacts } from '../facts/schema.js';
import { hostPifs, isDefaultRoute } from './hostNetwork.js';
import type { NicLayout } from './nicLayout.js';

export interface ManagementInterface {
  /** Interface name as the source gives it: a PIF device (eth0, bond0), a bridge (xenbr0) or a route device. */
  name: string;
  /** How it was found, for observed texts. */
  via: string;
  /** false when nothing on the host named it and the layout's default stands in. */
  found: boolean;
  pif?: PifFacts;
}

/**
 * The management interface, from the most to the least authoritative source: the XenServer PIF
 * with management=true, MANAGEMENT_INTERFACE in /etc/xensource-inventory, the device of the IPv4
 * default route, and finally the layout's management NIC.
 */
export function findManagementInterface(facts: HostFacts, layout: NicLayout): ManagementInterface {
  const pif = hostPifs(facts).find((p) => p.management === true && p.device);
  if (pif?.device) return { name: pif.device, via: 'the XenServer PIF with management=true', found: true, pif };
  const inventory = facts.xenserver?.managementInterface;
  if (inventory) return { name: inventory, via: 'MANAGEMENT_INTERFACE in /etc/xensource-inventory', found: true };
  const route = facts.routes?.find((r) => isDefaultRoute(r) && r.device);
  if (route?.device) return { name: route.device, via: 'the interface of the default route', found: true };
  return { name: layout.management, via: "the layout's management NIC (no PIF, inventory or default route names one)", found: false };
}
