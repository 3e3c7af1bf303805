import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { ListenerFacts } from '../facts/schema.js';
import { whyMissing } from './missingFacts.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    eacPort: z.number().int().min(1).max(65534).describe('first eAC TCP port; everRun uses it and the next one (installer --port=n)'),
    udpPorts: z.array(z.number().int().min(1).max(65535)).describe('UDP ports everRun receives on (quorum service to host: 2188)'),
  })
  .strict();
export type PortsFreeParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

export const portsFree: HostCheck<PortsFreeParams> = {
  name: 'ports-free',
  scope: 'host',
  description: 'the eAC TCP ports (n and n+1) and the quorum UDP port are not taken by another process',
  params: Params,
  probes: ['net.listeners'],
  evaluate({ facts }, p) {
    const wanted: { protocol: 'tcp' | 'udp'; port: number }[] = [
      { protocol: 'tcp', port: p.eacPort },
      { protocol: 'tcp', port: p.eacPort + 1 },
      ...p.udpPorts.map((port) => ({ protocol: 'udp' as const, port })),
    ];
    const list = wanted.map((w) => `${w.protocol.toUpperCase()} ${w.port}`).join(', ');
    const expected = `${list} free for everRun (nothing else listening on them)`;
    if (!facts.listeners) {
      return {
        status: 'error',
        observed: 'listening sockets not known',
        expected,
        message: `Cannot list the listening ports: ${whyMissing(facts, ['net.listeners'])}. Run "ss -lntup" (or "netstat -lntup") as root.`,
      };
    }
    const taken = wanted.flatMap((w) => {
      const holders = facts.listeners!.filter((l) => l.protocol === w.protocol && l.port === w.port);
      return holders.length ? [`${w.protocol.toUpperCase()} ${w.port} held by ${holderText(holders)}`] : [];
    });
    if (taken.length) {
      return {
        status: 'fail',
        observed: taken.join('; '),
        expected,
        message: `${taken.join('; ')}: stop or move that service, or install everRun with "--port=N" on free ports (set eacPort to match). If everRun itself is already installed here, it is the holder.`,
      };
    }
    return { status: 'pass', observed: `nothing listens on ${list}`, expected, message: 'The everRun ports are free.' };
  },
};

function holderText(holders: ListenerFacts[]): string {
  const named = holders.map((l) => (l.process ? `${l.process}${l.pid !== undefined ? ` (pid ${l.pid})` : ''}` : undefined)).filter((s) => s !== undefined);
  const unique = [...new Set(named)];
  const addresses = [...new Set(holders.map((l) => l.address))].join(', ');
  return unique.length ? `${unique.join(', ')} on ${addresses}` : `an unnamed process on ${addresses} (run as root to see which)`;
}
