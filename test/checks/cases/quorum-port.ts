import type { CheckCase } from '../caseTable.js';
import { hostFacts } from '../hostFacts.js';
import { debianVm, evidence, factsFrom, fixture, siSystem, win7Systeminfo } from '../mgmtFacts.js';

/**
 * SYNTHETIC (no capture of a running quorum service was found): systeminformation's listening
 * sockets on a Windows quorum computer, the quorum service (mtcgsrver.exe) on UDP 2189, and the same
 * port held by another program.
 */
const winListeners = (process: string | null) =>
  siSystem({
    osInfo: { platform: 'win32' },
    networkConnections: [
      { protocol: 'udp', localAddress: '0.0.0.0', localPort: '2189', peerAddress: '*', peerPort: '*', state: '', pid: process ? 2412 : null, process: process ?? '' },
      { protocol: 'tcp', localAddress: '0.0.0.0', localPort: '445', peerAddress: '0.0.0.0', peerPort: '0', state: 'LISTEN', pid: 4, process: 'System' },
    ],
  });

export const cases: CheckCase[] = [
  { name: 'pass: nothing on UDP 2189 (this development VM, ss)', facts: debianVm(), status: 'pass', observed: /^nothing listens on UDP 2189$/ },
  {
    name: 'pass: nothing on UDP 2189 in systeminformation\'s listening sockets (this VM)',
    facts: factsFrom(evidence('uname', fixture('os_release/preflight-vm-uname.txt')), evidence('si.system', fixture('systeminformation/preflight-vm-si-system.json'))),
    status: 'pass',
  },
  { name: 'pass: held by the quorum service mtcgsrver.exe (Windows) [synthetic listeners]', facts: factsFrom(win7Systeminfo(), winListeners('mtcgsrver.exe')), status: 'pass', observed: /held by mtcgsrver\.exe \(pid 2412\) on 0\.0\.0\.0/ },
  {
    name: 'fail: a python3 process holds UDP 2189 (netns lab capture, ss)',
    facts: debianVm(evidence('net.listeners', fixture('listeners/preflight-vm-netns-ports-ss.txt'))),
    status: 'fail',
    message: /UDP 2189 is taken by python3 \(pid 7983\) on ::, not the quorum service/,
  },
  {
    name: 'fail: the same capture through netstat',
    facts: debianVm(evidence('net.listeners', fixture('listeners/preflight-vm-netns-ports-netstat.txt'))),
    status: 'fail',
  },
  { name: 'fail: a site whose quorum service runs as qsvc: mtcgsrver.exe is then another program [synthetic listeners]', facts: factsFrom(win7Systeminfo(), winListeners('mtcgsrver.exe')), params: { port: 2189, serviceProcesses: ['qsvc'] }, status: 'fail', message: /taken by mtcgsrver\.exe/ },
  { name: 'error: the holder\'s name is not known (not run as Administrator) [synthetic listeners]', facts: factsFrom(win7Systeminfo(), winListeners(null)), status: 'error', message: /its process is not known: run preflight as root \(Administrator on Windows\)/ },
  { name: 'error: no listening sockets known (Windows systeminfo only)', facts: factsFrom(win7Systeminfo()), status: 'error', message: /Cannot list the listening ports/ },
  { name: 'error: nothing known', facts: hostFacts(), status: 'error' },
];
