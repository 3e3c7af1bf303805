import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    productVersion: z.string().min(1).describe('XenServer PRODUCT_VERSION the everRun release needs, e.g. 5.5.0'),
  })
  .strict();
export type XenserverVersionParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'skip', 'error'];

export const xenserverVersion: HostCheck<XenserverVersionParams> = {
  name: 'xenserver-version',
  scope: 'host',
  description: 'the XenServer version is the one the everRun release needs',
  params: Params,
  probes: ['xen.inventory', 'xe.host-list'],
  evaluate({ facts }, p) {
    const expected = `XenServer ${p.productVersion}`;
    const xs = facts.xenserver;
    if (!xs) {
      return {
        status: 'skip',
        observed: `not a XenServer host${facts.os.distribution ? ` (${facts.os.distribution})` : ''}`,
        expected,
        message: `This host does not run XenServer (${whyMissing(facts, ['xen.inventory'])}): install XenServer ${p.productVersion} on it before everRun.`,
      };
    }
    if (!xs.productVersion) {
      return {
        status: 'error',
        observed: 'XenServer, version not known',
        expected,
        message: `Cannot read the XenServer version: ${whyMissing(facts, ['xen.inventory', 'xe.host-list'])}. Check PRODUCT_VERSION in /etc/xensource-inventory.`,
      };
    }
    const observed = `${xs.productBrand ?? 'XenServer'} ${xs.productVersion}${xs.buildNumber ? ` (build ${xs.buildNumber})` : ''}`;
    if (xs.productVersion.trim() !== p.productVersion) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `This host runs ${xs.productBrand ?? 'XenServer'} ${xs.productVersion}, but everRun 6.0 needs XenServer ${p.productVersion}: install XenServer ${p.productVersion} from the Marathon download site.`,
      };
    }
    return { status: 'pass', observed, expected, message: `The host runs XenServer ${p.productVersion}.` };
  },
};
