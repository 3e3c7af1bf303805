import type { CheckCase } from '../caseTable.js';
import { absent, failed, hostFacts, xenserver } from '../hostFacts.js';

export const cases: CheckCase[] = [
  {
    name: 'pass: XenServer 5.5.0 (PRODUCT_VERSION in /etc/xensource-inventory)',
    facts: hostFacts({ xenserver: xenserver({ productVersion: '5.5.0', buildNumber: '15119p' }) }),
    status: 'pass',
    observed: /^XenServer 5\.5\.0 \(build 15119p\)$/,
  },
  {
    name: 'fail: XenServer 5.6.0',
    facts: hostFacts({ xenserver: xenserver({ productVersion: '5.6.0', buildNumber: '31188p' }) }),
    status: 'fail',
    message: /runs XenServer 5\.6\.0, but everRun 6\.0 needs XenServer 5\.5\.0/,
  },
  {
    name: 'fail: an XCP-ng 8.2.1 host (another brand, another version)',
    facts: hostFacts({ xenserver: xenserver({ productBrand: 'XCP-ng', productVersion: '8.2.1', buildNumber: 'release/yangtze/master/58' }) }),
    status: 'fail',
    observed: /^XCP-ng 8\.2\.1/,
  },
  {
    name: 'skip: a Debian host is not XenServer',
    facts: hostFacts({ probes: { 'xen.inventory': absent('/etc/xensource-inventory: no such file') }, os: { distribution: 'Debian GNU/Linux 12 (bookworm)' } }),
    status: 'skip',
    observed: /not a XenServer host \(Debian GNU\/Linux 12 \(bookworm\)\)/,
    message: /does not run XenServer \(\/etc\/xensource-inventory: no such file\): install XenServer 5\.5\.0/,
  },
  {
    name: 'error: XenServer, but the version is not readable',
    facts: hostFacts({ probes: { 'xe.host-list': failed('Error: Connection refused') }, xenserver: xenserver({ productVersion: undefined }) }),
    status: 'error',
    message: /Cannot read the XenServer version/,
  },
];
