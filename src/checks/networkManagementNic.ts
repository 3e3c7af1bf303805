import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { membersOf } from './hostNetwork.js';
import { findManagementInterface } from './managementInterface.js';
import { NicLayout } from './nicLayout.js';
import type { HostCheck } from './types.js';

const Params = z.object({ layout: NicLayout }).strict();
export type NetworkManagementNicParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'error'];

export const networkManagementNic: HostCheck<NetworkManagementNicParams> = {
  name: 'network-management-nic',
  scope: 'host',
  description: "the management network runs on the layout's management NIC (eth0), directly or through its bridge or bond",
  params: Params,
  probes: ['xe.pif-list', 'xen.inventory', 'ip.route', 'sys.net'],
  evaluate({ facts }, { layout }) {
    const expected = `the XenServer management network on ${layout.management}, or on a bridge or bond that contains it (e.g. xenbr0, or a bond of ${layout.management}+${layout.bondPartner})`;
    const mgmt = findManagementInterface(facts, layout);
    if (!mgmt.found) {
      return {
        status: 'error',
        observed: 'management interface not known (no management PIF, no MANAGEMENT_INTERFACE, no default route)',
        expected,
        message: 'Cannot tell which interface carries the management network: on XenServer run "xe pif-list management=true params=device"; elsewhere check which interface holds the default route.',
      };
    }
    const members = membersOf(facts, mgmt.name);
    const observed = `${mgmt.name} (found from ${mgmt.via})${members.length ? `, made of ${members.join(', ')}` : ''}`;
    if (mgmt.name === layout.management || members.includes(layout.management)) {
      return { status: 'pass', observed, expected, message: `The management network runs on ${layout.management}.` };
    }
    return {
      status: 'warn',
      observed,
      expected,
      message: `The management network runs on ${mgmt.name}, not ${layout.management}: the guide assigns ${layout.management} to management so both hosts match; reinstall or move it (XenCenter: right-click the host, Management Interfaces) unless your site's cabling plan says otherwise.`,
    };
  },
};
