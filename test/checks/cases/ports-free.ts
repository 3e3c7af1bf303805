import type { CheckCase } from '../caseTable.js';
import { failed, hostFacts, listener } from '../hostFacts.js';

/** What a XenServer 5.5 Dom0 listens on before everRun: sshd, xapi (80/443), portmap, stunnel. */
const xenDom0Listeners = [
  listener('tcp', '0.0.0.0', 22, { process: 'sshd', pid: 2735 }),
  listener('tcp', '0.0.0.0', 443, { process: 'stunnel', pid: 3012 }),
  listener('tcp', '0.0.0.0', 80, { process: 'xapi', pid: 2911 }),
  listener('udp', '0.0.0.0', 111, { process: 'portmap', pid: 2243 }),
];

export const cases: CheckCase[] = [
  {
    name: 'pass: TCP 8080/8081 and UDP 2188 free on a fresh XenServer host',
    facts: hostFacts({ listeners: xenDom0Listeners }),
    status: 'pass',
    observed: /^nothing listens on TCP 8080, TCP 8081, UDP 2188$/,
  },
  {
    // A Tomcat left on the host takes the eAC's first port.
    name: 'fail: Tomcat (java) on TCP 8080, named with its pid',
    facts: hostFacts({ listeners: [...xenDom0Listeners, listener('tcp', '::', 8080, { process: 'java', pid: 4711 })] }),
    status: 'fail',
    observed: /^TCP 8080 held by java \(pid 4711\) on ::$/,
    message: /TCP 8080 held by java \(pid 4711\) on ::: stop or move that service, or install everRun with "--port=N"/,
  },
  {
    name: 'fail: TCP 8081 held on 127.0.0.1 (a loopback listener still takes the port)',
    facts: hostFacts({ listeners: [listener('tcp', '127.0.0.1', 8081, { process: 'node', pid: 900 })] }),
    status: 'fail',
    observed: /TCP 8081 held by node \(pid 900\) on 127\.0\.0\.1/,
  },
  {
    // Without root, ss shows the socket but not its process.
    name: 'fail: UDP 2188 taken by an unnamed process (scan not run as root)',
    facts: hostFacts({ listeners: [listener('udp', '0.0.0.0', 2188)] }),
    status: 'fail',
    observed: /UDP 2188 held by an unnamed process on 0\.0\.0\.0 \(run as root to see which\)/,
  },
  {
    name: 'pass: java on TCP 8080 is fine when everRun is installed with --port=9080',
    facts: hostFacts({ listeners: [listener('tcp', '0.0.0.0', 8080, { process: 'java', pid: 4711 })] }),
    params: { eacPort: 9080 },
    status: 'pass',
    observed: /nothing listens on TCP 9080, TCP 9081, UDP 2188/,
  },
  {
    name: 'pass: a UDP socket on 8080 does not take TCP 8080',
    facts: hostFacts({ listeners: [listener('udp', '0.0.0.0', 8080, { process: 'dnsmasq', pid: 77 })] }),
    status: 'pass',
  },
  {
    name: 'error: listening sockets not known',
    facts: hostFacts({ probes: { 'net.listeners': failed('ss: not installed; netstat: not installed') } }),
    status: 'error',
    message: /Cannot list the listening ports: ss failed: ss: not installed/,
  },
];
