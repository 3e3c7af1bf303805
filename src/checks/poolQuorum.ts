import { z } from 'zod';
import { HOST_UDP_PORT, NET_PROBES, parsePing, parseUdpProbe, type UdpProbeResult } from '../collect/networkTests.js';
import { wireAddresses } from '../engine/exercise.js';
import type { Status } from '../engine/types.js';
import { unreachableText } from './poolHosts.js';
import { netEvidence, worst } from './poolNetTests.js';
import type { HostContext, PoolCheck } from './types.js';

const Params = z.object({}).strict();
export type PoolQuorumParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'warn', 'fail', 'skip', 'error'];

/** One line of the verdict: `unproven` (shown as warn) says what the scan could not prove. */
interface Row {
  status: Status;
  text: string;
}

/** A machine's UDP prober result, or why there is none. */
function udpOf(h: HostContext): UdpProbeResult | string {
  const ev = netEvidence(h, NET_PROBES.udp);
  if (!ev) return 'UDP not tested';
  if (ev.error !== undefined) return `UDP test failed: ${ev.error}`;
  const r = parseUdpProbe(ev.stdout);
  if (r.problem) return `UDP not tested: ${r.problem}`;
  if (!r.finished) return 'the UDP test was cut off';
  return r;
}

/**
 * UDP proof, per direction: a datagram with a random token is proven delivered ("open") when the
 * receiving machine's own listener (started by preflight on a scanned machine) reports that token.
 * When the listener was up and the token never arrived, the port is blocked: "rejected" when an
 * ICMP port-unreachable came back (a firewall REJECT), "filtered" when nothing came back (DROP).
 * Without a listener of preflight's the sender alone can only say "refused" (the computer answered
 * ICMP port-unreachable: it is up and nothing drops the datagram, but nothing listens, or a
 * firewall rejects) or "no answer" (open or filtered: UDP cannot tell them apart).
 */
function deliveryRow(what: string, sent: UdpProbeResult['sent'][number] | undefined, receiver: { name: string; udp: UdpProbeResult | string } | undefined, port: number): Row {
  if (!sent) return { status: 'warn', text: `${what}: no datagram was sent` };
  if (sent.state === 'error') return { status: 'warn', text: `${what}: could not send (${sent.reason ?? 'error'})` };
  if (receiver && typeof receiver.udp !== 'string') {
    const r = receiver.udp;
    if (r.got.some((g) => g.token === sent.token)) return { status: 'pass', text: `${what}: open (the datagram arrived at ${receiver.name})` };
    if (r.listen?.port === port && r.listen.bound) {
      return sent.state === 'refused'
        ? { status: 'fail', text: `${what}: rejected (ICMP port unreachable although preflight listened on ${receiver.name}: a firewall rejects it)` }
        : { status: 'fail', text: `${what}: filtered (preflight listened on ${receiver.name}, nothing arrived)` };
    }
    if (r.listen && !r.listen.bound) {
      return { status: 'warn', text: `${what}: not proven (UDP ${port} is in use on ${receiver.name}${r.listen.reason ? `: ${r.listen.reason}` : ''}, so preflight could not listen; the sender saw ${sent.state === 'silent' ? 'no answer' : sent.state})` };
    }
  }
  const why = receiver ? ` (${receiver.name}: ${typeof receiver.udp === 'string' ? receiver.udp : 'no listener'})` : '';
  if (sent.state === 'open') return { status: 'pass', text: `${what}: open (acknowledged)` };
  if (sent.state === 'refused') return { status: 'warn', text: `${what}: refused (ICMP port unreachable: reachable and not dropped, but nothing listens or a firewall rejects; delivery not proven${why})` };
  return { status: 'warn', text: `${what}: no answer (open or filtered: without a listener UDP cannot tell${why})` };
}

export const poolQuorum: PoolCheck<PoolQuorumParams> = {
  name: 'pool-quorum',
  scope: 'pool',
  description:
    'quorum service is required with more than two hosts or switched A-links (site plan alinks: switched); then a preferred and an alternate quorum computer must be planned, answer ping from every host, and UDP datagrams must pass from the hosts to their quorum port (2189) and, when the quorum computer is scanned too (--role quorum), from it to UDP 2188 of every host, proven by short-lived listeners',
  params: Params,
  // The pings and UDP probes (net.ping.quorum1/2, net.udp) are the exercise phase's evidence; the pool size comes from XenServer.
  probes: ['xen.pool-conf', 'xe.host-list'],
  evaluate(ctx) {
    const xs = ctx.hosts.filter((h) => h.role === 'master' || h.role === 'member');
    const quorumHosts = ctx.hosts.filter((h) => h.role === 'quorum');
    const xsUnreachable = ctx.unreachable.filter((u) => u.role === 'master' || u.role === 'member');
    // XenServer's own host list counts hosts left out of the scan too.
    const total = Math.max(xs.length + xsUnreachable.length, ...xs.map((h) => h.facts.xenserver?.poolHostCount ?? 0));
    const reasons = [...(total > 2 ? [`${total} hosts`] : []), ...(ctx.plan?.alinks === 'switched' ? ['switched A-links (site plan)'] : [])];
    const q = ctx.plan?.quorum;
    const servers = [q?.preferred, q?.alternate].flatMap((s) => (s ? [s] : []));
    const planned = servers.length ? servers.map((s) => `${s.address} UDP ${s.port}`).join(', ') : 'none planned';
    const expected = `with more than two hosts, switched A-links or several sites: a preferred and an alternate quorum service computer, answering ping from every host, UDP ${servers[0]?.port ?? 2189} open from the hosts to them and UDP ${HOST_UDP_PORT} from them to the hosts`;
    if (reasons.length === 0) {
      return {
        status: 'skip',
        observed: `${total} hosts, A-links ${ctx.plan?.alinks ?? 'direct (assumed)'}; quorum servers: ${planned}`,
        expected,
        message: 'A two-host pool with direct-cabled A-links needs no quorum service. (Several sites cannot be seen from the hosts: if the hosts are in different places, plan two quorum computers with quorum: in the site plan and set alinks: switched.)',
      };
    }
    const observedBase = `required (${reasons.join(', ')}); quorum servers: ${planned}`;
    if (!q || !q.alternate) {
      return {
        status: 'fail',
        observed: observedBase,
        expected,
        message: `Quorum service is required here (${reasons.join(', ')}) but ${q ? 'only a preferred quorum computer is' : 'no quorum computer is'} planned: give quorum.preferred and quorum.alternate in the site plan (--plan).`,
      };
    }
    // The scanned quorum computer of each server: the one holding its address.
    const computers = servers.map((s) => quorumHosts.find((h) => wireAddresses(h.facts).some((a) => a.address === s.address)));
    const rows: Row[] = [];
    for (const h of xs) {
      const hostUdp = udpOf(h);
      servers.forEach((s, i) => {
        const ev = netEvidence(h, NET_PROBES.quorum(i + 1));
        if (!ev) rows.push({ status: 'error', text: `${h.host} -> ${s.address}: not tested` });
        else if (ev.error !== undefined) rows.push({ status: 'error', text: `${h.host} -> ${s.address}: ${ev.error}` });
        else {
          const p = parsePing(ev.stdout);
          if (p.received === undefined) rows.push({ status: 'error', text: `${h.host} -> ${s.address}: no result${p.problem ? ` (${p.problem})` : ''}` });
          else rows.push(p.received > 0 ? { status: 'pass', text: `${h.host} -> ${s.address}: answers ping` } : { status: 'fail', text: `${h.host} -> ${s.address}: no answer to ping` });
        }
        const qc = computers[i];
        const receiver = qc ? { name: qc.host, udp: udpOf(qc) } : undefined;
        const what = `${h.host} -> ${s.address} UDP ${s.port}`;
        if (typeof hostUdp === 'string') rows.push({ status: 'warn', text: `${what}: ${hostUdp}` });
        else rows.push(deliveryRow(what, hostUdp.sent.find((x) => x.address === s.address && x.port === s.port), receiver, s.port));
        // The reverse direction needs a sender on the quorum computer: only when it was scanned.
        const back = `${s.address} -> ${h.host} UDP ${HOST_UDP_PORT}`;
        if (!qc) {
          rows.push({ status: 'warn', text: `${back}: not tested (scan the quorum computer too: --host ... --role quorum)` });
        } else if (typeof receiver!.udp === 'string') {
          rows.push({ status: 'warn', text: `${back}: ${receiver!.udp}` });
        } else {
          const mine = new Set(wireAddresses(h.facts).map((a) => a.address));
          const sent = receiver!.udp.sent.find((x) => mine.has(x.address) && x.port === HOST_UDP_PORT);
          rows.push(deliveryRow(back, sent, { name: h.host, udp: hostUdp }, HOST_UDP_PORT));
        }
      });
    }
    const observed = `${observedBase}; ${rows.map((r) => r.text).join('; ') || 'no host scanned'}`;
    const missing = ctx.unreachable.length ? ` ${unreachableText(ctx.unreachable)}: not tested.` : '';
    const listed = (s: Status) => rows.filter((r) => r.status === s).map((r) => r.text).join('; ');
    const port = servers[0]!.port;
    const status = worst(rows.map((r) => r.status));
    if (status === 'fail') {
      return { status: 'fail', observed, expected, message: `A quorum computer cannot be reached as the quorum service needs: ${listed('fail')}. Check that it is on and on the network, and that every firewall between passes ICMP, UDP ${port} (hosts to quorum computers) and UDP ${HOST_UDP_PORT} (quorum computers to hosts).${missing}` };
    }
    if (status === 'error' || ctx.unreachable.length || rows.length === 0) {
      return { status: 'error', observed, expected, message: `Cannot tell whether every host reaches the quorum computers: ${listed('error') || 'no host tested'}.${missing}` };
    }
    if (status === 'warn') {
      return {
        status: 'warn',
        observed,
        expected,
        message: `Both quorum computers answer ping from every host, but UDP is not proven: ${listed('warn')}. UDP delivery is proven only where preflight can listen: scan the quorum computers too (--host ... --role quorum, they need Python and must not run the quorum service yet), and give the hosts Python; or test with the quorum service running.`,
      };
    }
    return {
      status: 'pass',
      observed,
      expected,
      message: `Both quorum computers answer ping from every host, and UDP datagrams were delivered both ways (UDP ${port} to the quorum computers, UDP ${HOST_UDP_PORT} to the hosts), proven by preflight's short-lived listeners.`,
    };
  },
};
