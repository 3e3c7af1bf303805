import { z } from 'zod';
import type { Status } from '../engine/types.js';
import { accessProbe, accessResult } from '../engine/exercise.js';
import { summarizeRows } from './poolNetTests.js';
import type { PoolCheck } from './types.js';

const Params = z
  .object({
    requiredPorts: z.array(z.number().int().min(1).max(65535)).describe('TCP ports each host must accept from the management computer (XenCenter: 443 HTTPS, 22 ssh)'),
    notFilteredPorts: z.array(z.number().int().min(1).max(65535)).describe('TCP ports no firewall may drop between the management computer and the hosts (eAC: 8080, 8081); refused is fine before everRun is installed'),
  })
  .strict();
export type PoolManagementAccessParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'skip', 'error'];

export const poolManagementAccess: PoolCheck<PoolManagementAccessParams> = {
  name: 'pool-management-access',
  scope: 'pool',
  description:
    'from the management computer (where preflight runs): each host answers ping, accepts TCP 22 and 443, and TCP 8080/8081 are not filtered; each port is classified open, refused (RST) or filtered (no answer)',
  params: Params,
  // The connection results are the management computer's own evidence (net.access.HOST); the
  // host's listening sockets tell "nothing listens" from "a firewall drops it".
  probes: ['net.listeners'],
  evaluate(ctx, { requiredPorts, notFilteredPorts }) {
    const expected = `each host answers ping, TCP ${requiredPorts.join(' and ')} open, TCP ${notFilteredPorts.join('/')} open or refused (not filtered)`;
    const names = [...ctx.hosts.map((h) => ({ host: h.host, local: h.address === 'local' })), ...ctx.unreachable.map((u) => ({ host: u.host, local: false }))];
    if (names.length === 0) return { status: 'skip', observed: 'no host in the scan', expected, message: 'No host was scanned.' };
    if (names.every((n) => n.local)) {
      return { status: 'skip', observed: 'a local scan', expected, message: 'The management computer reaches the hosts over the network: run the scan from it with --host for each host.' };
    }
    if (!ctx.evidence) {
      return {
        status: 'skip',
        observed: 'not tested',
        expected,
        message: `The management computer's network tests did not run (--no-network-tests, or a bundle without them).${ctx.unreachable.length ? ` Hosts not scanned: ${ctx.unreachable.map((u) => u.host).join(', ')}.` : ''}`,
      };
    }
    const rows: { status: Status; text: string }[] = names.map(({ host }) => {
      const r = accessResult(ctx.evidence, host);
      if (typeof r === 'string') return { status: 'error', text: `${host}: ${r}` };
      const listening = (p: number) => ctx.hosts.find((h) => h.host === host)?.facts.listeners?.some((l) => l.protocol === 'tcp' && l.port === p) === true;
      const port = (p: number) => {
        const s = r.tcp[String(p)] ?? 'not tested';
        return s !== 'open' && s !== 'not tested' && listening(p) ? `${s} (the host listens on it: a firewall blocks it)` : s;
      };
      const ports = [...requiredPorts, ...notFilteredPorts].map((p) => `${p} ${port(p)}`).join(', ');
      const text = `${host} (${r.address}): ping ${r.ping.alive ? `answers${r.ping.timeMs !== undefined ? ` (${r.ping.timeMs} ms)` : ''}` : 'no answer'}; TCP ${ports}`;
      const closed = requiredPorts.filter((p) => r.tcp[String(p)] !== 'open');
      const filtered = notFilteredPorts.filter((p) => r.tcp[String(p)] === 'filtered' || r.tcp[String(p)] === 'unreachable');
      if (!r.ping.alive || closed.length) {
        return { status: 'fail', text: `${text} -> ${[...(r.ping.alive ? [] : ['no ping answer']), ...closed.map((p) => `TCP ${p} ${port(p)}`)].join(', ')}` };
      }
      if (filtered.length) return { status: 'warn', text: `${text} -> ${filtered.map((p) => `TCP ${p} ${port(p)}`).join(', ')}` };
      return { status: 'pass', text };
    });
    const { observed, status, worstText: bad } = summarizeRows(rows);
    switch (status) {
      case 'fail':
        return {
          status,
          observed,
          expected,
          message: `The management computer cannot use every host: ${bad}. "refused" means nothing listens (start sshd / xapi), "filtered" that a firewall drops the packets (open the port in the host's and the network's firewalls), no ping answer that the host is down, unrouted or drops ICMP.`,
        };
      case 'error':
        return { status, observed, expected, message: `Cannot tell whether the management computer reaches every host: ${bad}.` };
      case 'warn':
        return { status, observed, expected, message: `A firewall drops the eAC ports: ${bad}. The eAC needs TCP ${notFilteredPorts.join(' and ')} from the management computer: open them in the firewalls between it and the hosts.` };
      default:
        return { status: 'pass', observed, expected, message: 'The management computer reaches every host by ping, ssh and HTTPS, and no firewall drops the eAC ports.' };
    }
  },
};

export { accessProbe };
