import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { isDefaultRoute, samePath } from './hostNetwork.js';
import { findManagementInterface } from './managementInterface.js';
import { whyMissing } from './missingFacts.js';
import { NicLayout } from './nicLayout.js';
import type { HostCheck } from './types.js';

const Params = z.object({ layout: NicLayout }).strict();
export type NetworkGatewayParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

export const networkGateway: HostCheck<NetworkGatewayParams> = {
  name: 'network-gateway',
  scope: 'host',
  description: 'an IPv4 default route exists and leaves through the management interface',
  params: Params,
  probes: ['ip.route', 'xe.pif-list', 'xen.inventory', 'sys.net'],
  evaluate({ facts }, { layout }) {
    const mgmt = findManagementInterface(facts, layout);
    const expected = `an IPv4 default gateway on the management network, reached through the management interface (${mgmt.name}, found from ${mgmt.via})`;
    if (!facts.routes) {
      return {
        status: 'error',
        observed: 'routing table not known',
        expected,
        message: `Cannot read the routing table: ${whyMissing(facts, ['ip.route'])}. Run "ip -4 route show" by hand.`,
      };
    }
    const defaults = facts.routes.filter(isDefaultRoute);
    const describe = (r: (typeof defaults)[number]) => `default${r.gateway ? ` via ${r.gateway}` : ''}${r.device ? ` dev ${r.device}` : ''}${r.metric !== undefined ? ` metric ${r.metric}` : ''}`;
    if (defaults.length === 0) {
      return {
        status: 'fail',
        observed: 'no IPv4 default route',
        expected,
        message: `The host has no default gateway: set the management network's gateway (XenServer: "xe pif-reconfigure-ip uuid=PIF mode=static IP=... netmask=... gateway=GATEWAY"; elsewhere GATEWAY= in the interface configuration).`,
      };
    }
    const observed = defaults.map(describe).join('; ');
    // The lowest metric wins when several default routes exist.
    const primary = [...defaults].sort((a, b) => (a.metric ?? 0) - (b.metric ?? 0))[0]!;
    if (primary.device && !samePath(facts, primary.device, mgmt.name)) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `The default route leaves through ${primary.device}, but the management interface is ${mgmt.name}: put the default gateway on the management network and remove it from ${primary.device}.`,
      };
    }
    return {
      status: 'pass',
      observed,
      expected,
      message: primary.device ? `The default gateway${primary.gateway ? ` ${primary.gateway}` : ''} is reached through the management interface.` : 'The host has a default gateway (the route names no interface).',
    };
  },
};
