import type { PortRef } from './correlate.js';
import { roleText, type PortRole, type PortVerdict } from './portTable.js';

/**
 * What one unplugged cable proves. Pure: given the ports that lost carrier together and the role
 * the layout gives each port, it says what the cable is (a direct cable between two hosts, a
 * cable to a switch, a loop, several cables at once) and judges each end against its role. The
 * guided walkthrough, the free mode and the rehearsal all judge cables here, so a crossed A-link
 * reads the same wherever it is found.
 */

export interface JudgeContext {
  roleOf(port: PortRef): PortRole | null;
  /** How many hosts are watched: with one, the far end of a cable is never seen. */
  hostCount: number;
  /** The management NIC's name, for "bond with eth0". */
  managementNic?: string;
}

export interface EndVerdict {
  port: PortRef;
  verdict: PortVerdict;
  peer: PortRef | null;
  detail: string;
}

export type CableShape = 'none' | 'single' | 'direct' | 'loop' | 'many';

export interface CableJudgement {
  shape: CableShape;
  /** One sentence for the operator: what lost carrier and what that means. */
  summary: string;
  ends: PortRef[];
  /** A verdict for each end (empty for 'none' and 'many', which prove nothing about one port). */
  verdicts: EndVerdict[];
}

export function isAlink(role: PortRole | null): role is 'alink1' | 'alink2' {
  return role === 'alink1' || role === 'alink2';
}

/** "h1 eth1 (A-link 1)". */
export function describePort(port: PortRef, ctx: JudgeContext): string {
  const role = ctx.roleOf(port);
  return `${port.host} ${port.nic}${role ? ` (${roleText(role, ctx.managementNic)})` : ''}`;
}

export function judgeUnplug(downs: readonly PortRef[], ctx: JudgeContext): CableJudgement {
  const ends = [...downs];
  if (ends.length === 0) {
    return {
      shape: 'none',
      summary: 'nothing lost carrier on any watched host: the cable may be on another host, the port dead, or not the cable you think',
      ends,
      verdicts: [],
    };
  }
  if (ends.length > 2) {
    return {
      shape: 'many',
      summary: `${ends.length} ports lost carrier at once (${ends.map((p) => describePort(p, ctx)).join(', ')}): more than one cable was pulled, or a switch lost power; plug everything back in and pull one cable at a time`,
      ends,
      verdicts: [],
    };
  }
  if (ends.length === 1) return judgeSingle(ends[0]!, ctx);
  return judgePair(ends[0]!, ends[1]!, ctx);
}

function judgeSingle(port: PortRef, ctx: JudgeContext): CableJudgement {
  const role = ctx.roleOf(port);
  const name = describePort(port, ctx);
  if (isAlink(role) && ctx.hostCount >= 2) {
    const detail = `only ${name} lost carrier: its cable does not go straight to the other host (no NIC there lost carrier); ${roleText(role)} must be a direct cable to the other host's ${roleText(role)} NIC (expected with switched A-links only)`;
    return { shape: 'single', summary: detail, ends: [port], verdicts: [{ port, verdict: 'wrong-peer', peer: null, detail }] };
  }
  const detail = isAlink(role)
    ? `${name} lost carrier: this is its port (the far end is not watched; scan both hosts together to prove where the cable goes)`
    : role
      ? `${name} lost carrier alone: its cable goes to a switch or another machine, as the ${roleText(role, ctx.managementNic)} network should`
      : `${name} lost carrier alone: its cable goes to a switch or another machine (the layout gives this NIC no role)`;
  return { shape: 'single', summary: detail, ends: [port], verdicts: [{ port, verdict: 'ok', peer: null, detail }] };
}

function judgePair(a: PortRef, b: PortRef, ctx: JudgeContext): CableJudgement {
  const ra = ctx.roleOf(a);
  const rb = ctx.roleOf(b);
  const na = describePort(a, ctx);
  const nb = describePort(b, ctx);
  const both = (verdict: PortVerdict, detail: string): EndVerdict[] => [
    { port: a, verdict, peer: b, detail },
    { port: b, verdict, peer: a, detail },
  ];
  if (a.host === b.host) {
    const detail = `${na} and ${nb} lost carrier together: one cable loops from ${a.host} back to itself, or two cables were pulled at once`;
    const verdict: PortVerdict = ra || rb ? 'wrong-peer' : 'ok';
    return { shape: 'loop', summary: detail, ends: [a, b], verdicts: both(verdict, detail) };
  }
  const together = `${na} and ${nb} lost carrier together: a direct cable between them`;
  if (isAlink(ra) && isAlink(rb)) {
    if (ra === rb) {
      const detail = `${together}, as ${roleText(ra)} should be`;
      return { shape: 'direct', summary: detail, ends: [a, b], verdicts: both('ok', detail) };
    }
    const detail = `${together}: the A-links are crossed (${roleText(ra)} of ${a.host} reaches ${roleText(rb)} of ${b.host}); cable ${a.host} ${a.nic} to the other host's ${roleText(ra)} NIC, or swap the two A-link cables at one host`;
    return { shape: 'direct', summary: detail, ends: [a, b], verdicts: both('crossed', detail) };
  }
  if (!ra && !rb) {
    const detail = `${together} (the layout gives neither NIC a role)`;
    return { shape: 'direct', summary: detail, ends: [a, b], verdicts: both('ok', detail) };
  }
  // One end (at least) has a role that a direct host-to-host cable does not fit.
  const alinkEnd = isAlink(ra) ? a : isAlink(rb) ? b : undefined;
  const detail = alinkEnd
    ? `${together}, but ${roleText(ctx.roleOf(alinkEnd)!)} must join the two hosts' ${roleText(ctx.roleOf(alinkEnd)!)} NICs`
    : `${together}, but ${[ra, rb].filter((r): r is PortRole => r !== null).map((r) => `the ${roleText(r, ctx.managementNic)} network`).join(' and ')} must go to a switch, not straight to the other host`;
  return { shape: 'direct', summary: detail, ends: [a, b], verdicts: both('wrong-peer', detail) };
}

/** Verdicts that mean the port is not cabled as the guide needs. */
export const FAILING_VERDICTS: ReadonlySet<PortVerdict> = new Set(['crossed', 'wrong-peer', 'no-change', 'carrier-not-back', 'no-carrier']);
