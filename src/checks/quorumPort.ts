import { z } from 'zod';
import type { Status } from '../engine/types.js';
import type { ListenerFacts } from '../facts/schema.js';
import { listing } from './formatUnits.js';
import { partProbes, whyPartMissing } from './mgmtShared.js';
import type { HostCheck } from './types.js';

const Params = z
  .object({
    port: z.number().int().min(1).max(65535).describe('UDP port the quorum service receives on (2189 as installed; mtcgsrver -install NNNN changes it)'),
    serviceProcesses: z
      .array(z.string().min(1))
      .min(1)
      .describe('process names of the quorum service, matched case-insensitively with or without .exe (the guide names the program mtcgsrver)'),
  })
  .strict();
export type QuorumPortParams = z.infer<typeof Params>;

export const outcomes: readonly Status[] = ['pass', 'fail', 'error'];

export const quorumPort: HostCheck<QuorumPortParams> = {
  name: 'quorum-port',
  scope: 'host',
  description: 'the quorum service UDP port is free, or held by the quorum service itself',
  params: Params,
  probes: ['net.listeners', 'si.system'],
  evaluate({ facts }, p) {
    const expected = `UDP ${p.port} free, or held by the quorum service (${p.serviceProcesses.join(', ')})`;
    const listeners = facts.listeners ?? facts.computer?.listeners;
    const probes = facts.listeners ? ['net.listeners'] : partProbes(facts, 'listeners');
    if (!listeners) return { status: 'error', observed: 'listening sockets not known', expected, message: `Cannot list the listening ports: ${whyPartMissing(facts, 'listeners')}.`, probes };
    const holders = listeners.filter((l) => l.protocol === 'udp' && l.port === p.port);
    if (!holders.length) return { status: 'pass', observed: `nothing listens on UDP ${p.port}`, expected, message: `UDP ${p.port} is free for the quorum service.`, probes };
    const isService = (l: ListenerFacts) => l.process !== undefined && p.serviceProcesses.some((s) => l.process!.toLowerCase().replace(/\.exe$/, '') === s.toLowerCase().replace(/\.exe$/, ''));
    const text = (l: ListenerFacts) => `${l.process ?? 'an unnamed process'}${l.pid !== undefined ? ` (pid ${l.pid})` : ''} on ${l.address}`;
    const observed = `UDP ${p.port} held by ${listing(holders.map(text))}`;
    const others = holders.filter((l) => l.process !== undefined && !isService(l));
    if (others.length) {
      return {
        status: 'fail',
        observed,
        expected,
        message: `UDP ${p.port} is taken by ${listing(others.map(text))}, not the quorum service: stop or move that program, or move the quorum service to a free port (mtcgsrver -install NNNN in the Marathon folder, then restart the service) and give that port in the eAC.`,
        probes,
      };
    }
    const unnamed = holders.filter((l) => l.process === undefined);
    if (unnamed.length) {
      return { status: 'error', observed, expected, message: `Something listens on UDP ${p.port} but its process is not known: run preflight as root (Administrator on Windows) to see whether it is the quorum service.`, probes };
    }
    return { status: 'pass', observed, expected, message: `UDP ${p.port} is held by the quorum service.`, probes };
  },
};
