import type { CheckCase } from '../caseTable.js';
import { absent, hostFacts, linkedNic, pif, xenserver } from '../hostFacts.js';

const resolv = (...nameservers: string[]) => ({ nameservers, source: '/etc/resolv.conf' });

export const cases: CheckCase[] = [
  {
    name: 'pass: primary and secondary DNS servers in resolv.conf',
    facts: hostFacts({ dns: resolv('10.0.0.2', '10.0.0.3') }),
    status: 'pass',
    observed: /^10\.0\.0\.2, 10\.0\.0\.3 from \/etc\/resolv\.conf$/,
  },
  {
    name: 'warn: only one DNS server',
    facts: hostFacts({ dns: resolv('10.0.0.2') }),
    status: 'warn',
    message: /Only 1 DNS server is configured \(10\.0\.0\.2\): add the secondary DNS server/,
  },
  {
    // The same server twice (resolv.conf written by two tools) is still one server.
    name: 'warn: the same server listed twice counts once',
    facts: hostFacts({ dns: resolv('10.0.0.2', '10.0.0.2 ') }),
    status: 'warn',
  },
  {
    name: 'fail: resolv.conf without any nameserver line',
    facts: hostFacts({ dns: resolv() }),
    status: 'fail',
    observed: /^no DNS server from \/etc\/resolv\.conf$/,
    message: /No DNS server is configured: set the primary and secondary DNS servers/,
  },
  {
    name: 'pass: systemd-resolved stub not counted, its two upstream servers are',
    facts: hostFacts({ dns: { nameservers: ['127.0.0.53', '192.168.1.1', '192.168.1.2'], source: '/run/systemd/resolve/resolv.conf' } }),
    status: 'pass',
    observed: /^192\.168\.1\.1, 192\.168\.1\.2 \(loopback stub not counted: 127\.0\.0\.53\)/,
  },
  {
    // Ubuntu's stub resolv.conf, and the upstream file unreadable: cannot tell the real servers.
    name: 'error: only the 127.0.0.53 stub is known',
    facts: hostFacts({ probes: { 'run.resolved-conf': absent() }, dns: { nameservers: ['127.0.0.53'], source: '/etc/resolv.conf' } }),
    status: 'error',
    message: /Only a local stub resolver \(127\.0\.0\.53\).*resolvectl dns/,
  },
  {
    name: 'pass: resolv.conf unreadable, DNS servers from the XenServer management PIF',
    facts: hostFacts({
      nics: [linkedNic('eth0')],
      xenserver: xenserver({ pifs: [pif('eth0', { management: true, dns: ['10.0.0.2', '10.0.0.3'] })] }),
    }),
    status: 'pass',
    observed: /from the management PIF \(xe pif-list\)/,
  },
  {
    name: 'error: no DNS configuration readable',
    facts: hostFacts({ probes: { 'etc.resolv-conf': absent('/etc/resolv.conf: no such file'), 'xe.pif-list': absent('xe: not installed') } }),
    status: 'error',
    message: /Cannot read the DNS configuration: \/etc\/resolv\.conf: no such file; xe: not installed/,
  },
];
