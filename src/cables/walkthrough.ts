import type { NicLayout } from '../checks/nicLayout.js';
import type { CableHost, ReachResult, ReachTarget } from './cableHost.js';
import type { CarrierState } from './carrierState.js';
import { portKey, portsDown, samePort, type CableEvent, type PortRef } from './correlate.js';
import { describePort, judgeUnplug, type CableJudgement, type JudgeContext } from './diagnose.js';
import { isCable, isLine, isStatus, type Inbox, type Input } from './inbox.js';
import { roleText, type PortRole, type PortVerdict, type Rehearsal } from './portTable.js';
import type { CableTable } from './table.js';
import { naturalCompare } from './watch.js';

/**
 * The guided walkthrough of Chapter 3 ("Verify Network Connections"): for each cable in turn the
 * operator unplugs it, the watchers see which ports lost carrier on every host, the cable is judged
 * (diagnose.ts), the operator may name the physical port, plugs the cable back and carrier must
 * return. Three modes share the steps: `guided` walks the layout's roles, `free` identifies
 * whatever the operator unplugs, `rehearse` pulls one A-link (or bond member) at a time and proves
 * the hosts still reach each other over the other path.
 *
 * Nothing here runs a command or touches a terminal: hosts are CableHosts, the operator is `say`
 * plus answer lines arriving in the Inbox, so tests drive it like a person would.
 */

export type Tone = 'title' | 'step' | 'prompt' | 'ok' | 'warn' | 'fail' | 'info';

export interface WalkHost {
  host: CableHost;
  table: CableTable;
}

export interface WalkOptions {
  mode: 'guided' | 'free' | 'rehearse';
  hosts: readonly WalkHost[];
  layout: NicLayout;
  state: CarrierState;
  inbox: Inbox;
  say(text: string, tone?: Tone): void;
  /** Port labels known from an earlier run, by MAC (lower case). */
  labels?: ReadonlyMap<string, string>;
  /** Offer "b" to blink the expected port's LED (ethtool --identify), the only action that touches a host. */
  blink?: { seconds: number };
  /** The port this operator's own SSH session into this machine runs over, if any (warned before it is pulled). */
  sessionPort?: PortRef;
  /** After the operator says "unplugged" (Enter), how long to wait for a change before concluding nothing changed. */
  settleMs?: number;
  /** How long carrier may take to come back after "plug it back in" before it is a bad cable or port. */
  plugBackMs?: number;
}

export interface PortState {
  label: string | null;
  verdict: PortVerdict;
  peer: PortRef | null;
  detail: string;
  observedAt: string | null;
  rehearsal: Rehearsal | null;
}

export interface WalkResult {
  /** host+nic (portKey) → what was found; ports never reached are absent. */
  ports: Map<string, PortState>;
  /** How it ended. */
  ending: 'done' | 'quit' | 'interrupted' | 'input-ended';
}

class Stop extends Error {
  constructor(readonly ending: WalkResult['ending']) {
    super(ending);
  }
}

const ROLE_OF_LAYOUT: readonly [keyof NicLayout, PortRole][] = [
  ['management', 'management'],
  ['alink1', 'alink1'],
  ['alink2', 'alink2'],
  ['production', 'production'],
  ['bondPartner', 'bond'],
];

/** The role the layout gives a NIC name. */
export function layoutRoleOf(layout: NicLayout, nic: string): PortRole | null {
  for (const [key, role] of ROLE_OF_LAYOUT) if (layout[key] === nic) return role;
  return null;
}

type Step =
  | { kind: 'alink'; role: 'alink1' | 'alink2'; ends: PortRef[] }
  | { kind: 'port'; role: PortRole; port: PortRef; carriesSession: boolean };

export async function runWalkthrough(opts: WalkOptions): Promise<WalkResult> {
  const walk = new Walk(opts);
  let ending: WalkResult['ending'] = 'done';
  try {
    if (opts.mode === 'free') await walk.free();
    else if (opts.mode === 'rehearse') await walk.rehearse();
    else await walk.guided();
  } catch (err) {
    if (!(err instanceof Stop)) throw err;
    ending = err.ending;
  }
  return { ports: walk.ports, ending };
}

class Walk {
  readonly ports = new Map<string, PortState>();
  private readonly ctx: JudgeContext;
  private readonly settleMs: number;
  private readonly plugBackMs: number;

  constructor(private readonly o: WalkOptions) {
    this.ctx = {
      roleOf: (p) => (this.table(p.host)?.nics.some((n) => n.device === p.nic) ? layoutRoleOf(o.layout, p.nic) : null),
      hostCount: o.hosts.length,
      managementNic: o.layout.management,
    };
    this.settleMs = o.settleMs ?? 2000;
    this.plugBackMs = o.plugBackMs ?? 30_000;
  }

  // --- the three modes ------------------------------------------------------------------------

  async guided(): Promise<void> {
    const steps = this.steps();
    this.o.say(`${steps.length} cable${steps.length === 1 ? '' : 's'} to check, one at a time. At each step: unplug the cable named, and preflight shows what lost carrier on every host.`, 'title');
    this.o.say('Answers: Enter = "I have unplugged it", s = skip this cable, q = stop (what was mapped so far is kept)' + (this.o.blink ? ', b = blink the port\'s LED' : '') + '.', 'info');
    this.noCarrierWarnings();
    for (const [i, step] of steps.entries()) {
      this.o.say(`Step ${i + 1}/${steps.length}: ${this.stepTitle(step)}`, 'step');
      await this.runStep(step);
    }
  }

  async free(): Promise<void> {
    this.o.say('Free mode: unplug any cable, on any host, in any order; preflight says which port it was and where the cable goes. q (or Ctrl-C) ends.', 'title');
    this.noCarrierWarnings();
    for (;;) {
      this.o.inbox.drain('cable');
      this.o.say('Unplug a cable (q to finish).', 'prompt');
      const input = await this.o.inbox.next((i) => isLine(i) || isCable(i) || isStatus(i));
      if (this.stopOn(input)) continue;
      if (input.kind === 'status') {
        this.sayStatus(input.status);
        if (input.status.kind === 'lost') await this.sessionDropped(input.status.host, null);
        continue;
      }
      if (input.kind === 'line') {
        if (input.text === 'q') return;
        continue;
      }
      if (input.kind !== 'cable') continue;
      const downs = this.inHostOrder(portsDown(input.event));
      if (downs.length === 0) continue;
      const judged = this.record(judgeUnplug(downs, this.ctx), input.event);
      await this.askLabels(judged.ends);
      await this.plugBack(judged.ends);
    }
  }

  async rehearse(): Promise<void> {
    if (this.o.hosts.length < 2) {
      this.o.say('The rehearsal needs both hosts (--host h1 --host h2): it proves one host still reaches the other when a cable is out.', 'fail');
      return;
    }
    const [a, b] = this.o.hosts as [WalkHost, WalkHost];
    const plan: { pull: PortRef[]; checks: { from: WalkHost; targets: ReachTarget[] }[]; what: string }[] = [];
    for (const [role, other] of [['alink1', 'alink2'], ['alink2', 'alink1']] as const) {
      const ends = this.o.hosts.map((h) => ({ host: h.host.name, nic: this.o.layout[role] })).filter((p) => this.hasNic(p));
      if (ends.length === 0) continue;
      const otherNic = this.o.layout[other];
      plan.push({
        pull: ends,
        what: `the ${roleText(role)} cable (${ends.map((p) => `${p.host} ${p.nic}`).join(' <-> ')})`,
        checks: [
          { from: a, targets: this.reachTargets(b, [otherNic, this.o.layout.management], otherNic) },
          { from: b, targets: this.reachTargets(a, [otherNic, this.o.layout.management], otherNic) },
        ],
      });
    }
    for (const h of this.o.hosts) {
      const member: PortRef = { host: h.host.name, nic: this.o.layout.bondPartner };
      const row = this.table(h.host.name)?.nics.find((n) => n.device === member.nic);
      if (!row || !this.o.layout.bondManagement) continue;
      const peer = h === a ? b : a;
      plan.push({
        pull: [member],
        what: `the bond member ${member.host} ${member.nic} (bonded with ${this.o.layout.management})`,
        checks: [{ from: h, targets: this.reachTargets(peer, [this.o.layout.management]) }],
      });
    }
    if (plan.length === 0) {
      this.o.say('Nothing to rehearse: neither host has the layout\'s A-link NICs (or a bond member).', 'fail');
      return;
    }
    this.o.say(`Failover rehearsal: ${plan.length} cable${plan.length === 1 ? '' : 's'}, one at a time. While each is out, preflight checks the hosts still reach each other over the other path.`, 'title');
    for (const [i, p] of plan.entries()) {
      this.o.say(`Rehearsal ${i + 1}/${plan.length}: unplug ${p.what}. Enter = "I have unplugged it", s = skip, q = stop.`, 'step');
      const event = await this.waitForUnplug(p.pull);
      if (!event) continue;
      const results: { from: string; r: ReachResult }[] = [];
      for (const c of p.checks) {
        if (c.targets.length === 0) continue;
        const rs = await c.from.host.reach(c.targets).catch((err: unknown): ReachResult[] => c.targets.map((t) => ({ ...t, ok: false, rttMs: null, message: (err as Error).message })));
        for (const r of rs) results.push({ from: c.from.host.name, r });
      }
      const failed = results.filter((x) => !x.r.ok);
      const shown = (x: { from: string; r: ReachResult }) => `${x.from} -> ${x.r.address}${x.r.device ? ` (via ${x.r.device})` : ''}: ${x.r.ok ? `answered${x.r.rttMs !== null ? ` in ${x.r.rttMs} ms` : ''}` : `no answer${x.r.message ? ` (${x.r.message})` : ''}`}`;
      const detail =
        results.length === 0
          ? `With ${p.what} out, there was no address to reach over the other path (give the A-links IPv4 addresses)`
          : `With ${p.what} out: ${results.map(shown).join('; ')}`;
      const rehearsal: Rehearsal = { verdict: results.length > 0 && failed.length === 0 ? 'ok' : 'failed', detail, checkedAt: new Date().toISOString() };
      this.o.say(detail, rehearsal.verdict === 'ok' ? 'ok' : 'fail');
      for (const port of p.pull) this.port(port).rehearsal = rehearsal;
      await this.plugBack(p.pull);
    }
  }

  // --- one guided step ------------------------------------------------------------------------

  private steps(): Step[] {
    const steps: Step[] = [];
    const L = this.o.layout;
    for (const role of ['alink1', 'alink2'] as const) {
      const ends = this.o.hosts.map((h) => ({ host: h.host.name, nic: L[role] })).filter((p) => this.hasNic(p));
      if (ends.length > 0) steps.push({ kind: 'alink', role, ends });
    }
    for (const h of this.o.hosts) {
      for (const role of ['production', 'bond', 'management'] as const) {
        const port = { host: h.host.name, nic: role === 'bond' ? L.bondPartner : L[role] };
        if (!this.hasNic(port)) continue;
        const carriesSession = (role === 'management' && h.host.address !== 'local') || (this.o.sessionPort !== undefined && samePort(this.o.sessionPort, port));
        steps.push({ kind: 'port', role, port, carriesSession });
      }
    }
    return steps;
  }

  private stepTitle(step: Step): string {
    if (step.kind === 'alink') {
      const where = step.ends.map((p) => this.portText(p)).join(' <-> ');
      return `${roleText(step.role)}: unplug the cable at ${where}${step.ends.length > 1 ? ' (one cable, straight between the hosts)' : ''}.`;
    }
    const what = step.role === 'bond' ? `bond member of ${step.port.host} (bonded with ${this.o.layout.management})` : `${roleText(step.role)} of ${step.port.host}`;
    return `${what}: unplug the cable at ${this.portText(step.port)}.`;
  }

  /** "h1 eth1 [MAC 52:54:.., PCI 0000:03:00.0, label 'slot 2 port 1']" */
  private portText(p: PortRef): string {
    const row = this.table(p.host)?.nics.find((n) => n.device === p.nic);
    const bits = [row?.mac ? `MAC ${row.mac}` : undefined, row?.pciSlot ? `PCI ${row.pciSlot}` : undefined];
    const label = this.port(p, false)?.label ?? this.knownLabel(p);
    if (label) bits.push(`label "${label}"`);
    const extra = bits.filter(Boolean).join(', ');
    return `${p.host} ${p.nic}${extra ? ` [${extra}]` : ''}`;
  }

  private async runStep(step: Step): Promise<void> {
    const expected = step.kind === 'alink' ? step.ends : [step.port];
    // A port without carrier has nothing to unplug: ask for a cable first (or skip it).
    const dark = expected.filter((p) => !this.o.state.isUp(p));
    if (dark.length === expected.length) {
      const ok = await this.waitForCarrier(dark);
      if (!ok) return;
    }
    if (step.kind === 'port' && step.carriesSession) {
      this.o.say(
        step.port.host === this.o.sessionPort?.host && this.o.sessionPort && samePort(step.port, this.o.sessionPort)
          ? `Careful: your own SSH session into ${step.port.host} runs over ${step.port.nic}. Unplugging it freezes that session until the cable is back.`
          : `Careful: ${step.port.host} ${step.port.nic} carries preflight's SSH session to ${step.port.host}. Unplugging it drops the connection; preflight reconnects when you plug it back in.`,
        'warn',
      );
    }
    let prompt = true;
    for (;;) {
      if (prompt) {
        this.o.inbox.drain('cable');
        this.o.say('Unplug it now (Enter once done).', 'prompt');
      }
      prompt = true;
      const input = await this.o.inbox.next((i) => isLine(i) || isCable(i) || isStatus(i));
      if (this.stopOn(input)) continue;
      // A cable plugged in (an earlier one coming back) is not an answer to "unplug".
      if (input.kind === 'cable' && portsDown(input.event).length === 0) {
        prompt = false;
        continue;
      }
      if (input.kind === 'line') {
        const answer = input.text.toLowerCase();
        if (answer === 'q') throw new Stop('quit');
        if (answer === 's') {
          this.decide(expected, 'skipped', 'skipped by the operator', null);
          return;
        }
        if (answer === 'b') {
          await this.blink(expected);
          continue;
        }
        // "I have unplugged it": a change still on its way gets settleMs to arrive.
        const late = await this.nextUnplug(this.settleMs);
        if (late.kind === 'timeout') {
          if (await this.nothingChanged(expected)) return;
          continue;
        }
        if (this.stopOn(late)) continue;
        if (await this.handle(late, step, expected)) return;
        continue;
      }
      if (await this.handle(input, step, expected)) return;
    }
  }

  /** The next cable event in which something lost carrier (or connection news), within timeoutMs. */
  private async nextUnplug(timeoutMs: number): Promise<Input> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = await this.o.inbox.next((x) => isCable(x) || isStatus(x), deadline - Date.now());
      if (i.kind === 'cable' && portsDown(i.event).length === 0) continue;
      return i;
    }
  }

  /** A cable event or a status during a step; true when the step is decided. */
  private async handle(input: Input, step: Step, expected: PortRef[]): Promise<boolean> {
    if (input.kind === 'status') {
      this.sayStatus(input.status);
      if (input.status.kind === 'lost') {
        const lostHost = input.status.host;
        const sessionStep = step.kind === 'port' && step.carriesSession && step.port.host === lostHost;
        await this.sessionDropped(lostHost, sessionStep ? step : null);
        return sessionStep;
      }
      return false;
    }
    if (input.kind !== 'cable') return false;
    const downs = this.inHostOrder(portsDown(input.event));
    if (downs.length === 0) return false;
    const judged = this.record(judgeUnplug(downs, this.ctx), input.event);
    if (judged.shape === 'many') {
      await this.plugBack(judged.ends);
      return false;
    }
    const relevant = judged.ends.some((e) => expected.some((x) => samePort(x, e)));
    await this.askLabels(judged.ends);
    await this.plugBack(judged.ends);
    if (!relevant) {
      this.o.say(`That was not the cable of this step (${expected.map((p) => `${p.host} ${p.nic}`).join(' / ')}); its port is noted. Let us try this step again.`, 'warn');
    }
    return relevant;
  }

  /** Enter was pressed but nothing changed: the "dead cable" diagnosis, then retry or skip. */
  private async nothingChanged(expected: PortRef[]): Promise<boolean> {
    const j = judgeUnplug([], this.ctx);
    this.o.say(`Nothing changed: ${j.summary.replace(/^nothing lost carrier on any watched host: /, 'no port lost carrier on any watched host; ')}.`, 'fail');
    this.o.say('r = I will try again, s = skip this cable.', 'prompt');
    for (;;) {
      const a = await this.o.inbox.next((i) => isLine(i) || isCable(i));
      if (this.stopOn(a)) continue;
      if (a.kind === 'cable') {
        // The change came late after all: put it back for the step to judge.
        this.o.inbox.push(a);
        return false;
      }
      if (a.kind !== 'line') continue;
      if (a.text === 'q') throw new Stop('quit');
      if (a.text === 's') {
        this.decide(expected, 'no-change', `unplugging "the cable of ${expected.map((p) => `${p.host} ${p.nic}`).join(' / ')}" changed nothing on any watched host: wrong host, dead port, or the cable is not where it was thought to be`, new Date().toISOString());
        return true;
      }
      if (a.text === 'r' || a.text === '') return false;
    }
  }

  /** The SSH session to `host` dropped; for the management step that is the proof. */
  private async sessionDropped(host: string, step: Extract<Step, { kind: 'port' }> | null): Promise<void> {
    const observedAt = new Date().toISOString();
    this.o.say(
      step ? `Plug the cable back in; preflight reconnects to ${host} by itself.` : `If you unplugged a cable of ${host}, plug it back in; preflight reconnects to ${host} by itself.`,
      'prompt',
    );
    const back = await this.waitForReconnect(host);
    if (!step) return;
    if (back) {
      this.decide(
        [step.port],
        'ok',
        `unplugging dropped preflight's SSH session to ${host} and plugging in restored it: this cable carries ${host}'s management network (${step.port.nic}${this.o.layout.bondManagement ? ` or its bond partner ${this.o.layout.bondPartner}` : ''})`,
        observedAt,
      );
      await this.askLabels([step.port]);
    } else {
      this.decide([step.port], 'carrier-not-back', `the SSH session to ${host} dropped when the cable was unplugged and did not come back: check the cable, the port and the switch`, observedAt);
    }
  }

  // --- waiting for carrier --------------------------------------------------------------------

  /** The ports have no carrier now: ask for a cable, wait for carrier, or let the operator skip. */
  private async waitForCarrier(ports: PortRef[]): Promise<boolean> {
    const names = ports.map((p) => `${p.host} ${p.nic}`).join(' and ');
    this.o.say(`${names} ${ports.length > 1 ? 'have' : 'has'} no carrier now: there is nothing to unplug. Plug its cable in (preflight is watching), or s to skip.`, 'warn');
    for (;;) {
      if (ports.some((p) => this.o.state.isUp(p))) {
        this.o.say(`Carrier on ${ports.filter((p) => this.o.state.isUp(p)).map((p) => `${p.host} ${p.nic}`).join(', ')}.`, 'ok');
        return true;
      }
      const i = await this.o.inbox.next((x) => isLine(x) || isCable(x));
      if (this.stopOn(i)) continue;
      if (i.kind === 'line' && i.text === 'q') throw new Stop('quit');
      if (i.kind === 'line' && i.text === 's') {
        this.decide(ports, 'no-carrier', `${names} had no carrier during the walkthrough: no cable, a dead cable or port, or the far end is switched off`, null);
        return false;
      }
    }
  }

  /** Rehearsal: waits until the pulled ports lost carrier (or the operator skips). */
  private async waitForUnplug(ports: PortRef[]): Promise<CableEvent | undefined> {
    this.o.inbox.drain('cable');
    for (;;) {
      const i = await this.o.inbox.next((x) => isLine(x) || isCable(x));
      if (this.stopOn(i)) continue;
      if (i.kind === 'line') {
        if (i.text === 'q') throw new Stop('quit');
        if (i.text === 's') return undefined;
        if (ports.every((p) => !this.o.state.isUp(p))) return { time: new Date().toISOString(), changes: [] };
        this.o.say(`${ports.filter((p) => this.o.state.isUp(p)).map((p) => `${p.host} ${p.nic}`).join(', ')} still ${ports.length > 1 ? 'have' : 'has'} carrier: unplug that cable (s to skip).`, 'warn');
        continue;
      }
      if (i.kind !== 'cable') continue;
      const downs = this.inHostOrder(portsDown(i.event));
      if (ports.every((p) => downs.some((d) => samePort(d, p)) || !this.o.state.isUp(p))) {
        // The pull is evidence of the cabling too: judged and recorded as in the guided walkthrough.
        this.record(judgeUnplug(downs, this.ctx), i.event);
        return i.event;
      }
      if (downs.length > 0) {
        this.o.say(`${downs.map((p) => describePort(p, this.ctx)).join(' and ')} lost carrier, not ${ports.map((p) => `${p.host} ${p.nic}`).join(' and ')}: plug it back in and unplug the cable named.`, 'warn');
      }
    }
  }

  /** Asks to plug the cable back and waits for carrier on all its ends; a port that stays dark is "carrier-not-back". */
  private async plugBack(ends: readonly PortRef[]): Promise<void> {
    if (ends.length === 0) return;
    this.o.say('Plug it back in.', 'prompt');
    let deadline = Date.now() + this.plugBackMs;
    for (;;) {
      const dark = ends.filter((p) => !this.o.state.isUp(p));
      if (dark.length === 0) {
        this.o.say(`Carrier is back on ${ends.map((p) => `${p.host} ${p.nic}`).join(' and ')}.`, 'ok');
        return;
      }
      const i = await this.o.inbox.next((x) => isLine(x) || isCable(x) || isStatus(x), deadline - Date.now());
      if (this.stopOn(i)) continue;
      if (i.kind === 'status') {
        this.sayStatus(i.status);
        continue;
      }
      const giveUp = i.kind === 'line' && i.text === 's';
      if (i.kind === 'line' && i.text === 'q') throw new Stop('quit');
      if (i.kind === 'timeout' || giveUp) {
        const names = dark.map((p) => `${p.host} ${p.nic}`).join(' and ');
        if (!giveUp) {
          this.o.say(`Carrier did not come back on ${names} within ${Math.round(this.plugBackMs / 1000)} s: a bad cable or port, the cable in another port, or the far end down. r = keep waiting, s = give up on it.`, 'fail');
          const a = await this.o.inbox.next((x) => isLine(x) || isCable(x));
          if (this.stopOn(a)) continue;
          if (a.kind === 'line' && a.text === 'q') throw new Stop('quit');
          if (a.kind === 'cable' || (a.kind === 'line' && a.text !== 's')) {
            deadline = Date.now() + this.plugBackMs;
            continue;
          }
        }
        for (const p of dark) {
          const s = this.port(p);
          s.verdict = 'carrier-not-back';
          s.detail = `${s.detail ? `${s.detail}; then ` : ''}carrier did not come back after plugging the cable in again: a bad cable or port, or the far end down`;
        }
        this.o.say(`Noted: carrier did not come back on ${names}.`, 'fail');
        return;
      }
    }
  }

  /** After a session drop: true once the host is watched again, false when the operator gives up or reconnecting failed. */
  private async waitForReconnect(host: string): Promise<boolean> {
    // undefined: the time is up and was said; wait for the host or for the operator's answer.
    let deadline: number | undefined = Date.now() + this.plugBackMs;
    for (;;) {
      const i = await this.o.inbox.next((x) => isStatus(x) || isLine(x), deadline === undefined ? undefined : deadline - Date.now());
      if (this.stopOn(i)) continue;
      if (i.kind === 'status') {
        this.sayStatus(i.status);
        if (i.status.host !== host) continue;
        if (i.status.kind === 'reconnected') return true;
        if (i.status.kind === 'failed') return false;
      } else if (i.kind === 'timeout') {
        this.o.say(`The connection to ${host} is not back after ${Math.round(this.plugBackMs / 1000)} s. Enter = keep waiting, s = give up.`, 'fail');
        deadline = undefined;
      } else if (i.kind === 'line') {
        if (i.text === 'q') throw new Stop('quit');
        if (i.text === 's') return false;
        if (deadline === undefined) deadline = Date.now() + this.plugBackMs;
      }
    }
  }

  // --- labels, LEDs, messages -----------------------------------------------------------------

  private async askLabels(ends: readonly PortRef[]): Promise<void> {
    for (const p of ends) {
      const known = this.port(p).label ?? this.knownLabel(p);
      this.o.say(`Label for ${p.host} ${p.nic}'s physical port (e.g. "slot 2 port 1")${known ? `, Enter keeps "${known}"` : ', Enter for none'}:`, 'prompt');
      const a = await this.o.inbox.next(isLine);
      if (this.stopOn(a)) return;
      const text = a.kind === 'line' ? cleanLabel(a.text) : '';
      this.port(p).label = text || known || null;
    }
  }

  private async blink(ports: readonly PortRef[]): Promise<void> {
    if (!this.o.blink) {
      this.o.say('Blinking is off: start with --blink to let preflight blink port LEDs (ethtool --identify).', 'info');
      return;
    }
    for (const p of ports) {
      const h = this.o.hosts.find((x) => x.host.name === p.host);
      if (!h) continue;
      this.o.say(`Blinking ${p.host} ${p.nic} for ${this.o.blink.seconds} s...`, 'info');
      const r = await h.host.identify(p.nic, this.o.blink.seconds).catch((err: unknown) => ({ ok: false as const, message: (err as Error).message }));
      this.o.say(r.ok ? `${p.host} ${p.nic} blinked.` : `${p.host} ${p.nic} cannot blink: ${r.message}. Carry on by unplugging.`, r.ok ? 'ok' : 'warn');
    }
  }

  private noCarrierWarnings(): void {
    for (const h of this.o.hosts) {
      for (const row of h.table.nics) {
        const port = { host: h.host.name, nic: row.device };
        const role = layoutRoleOf(this.o.layout, row.device);
        if (role && !this.o.state.isUp(port)) {
          this.o.say(`${describePort(port, this.ctx)} has no carrier now${row.adminUp === false ? ' (the interface is administratively down)' : ''}: plug its cable before its step, or it will be reported as having no carrier.`, 'warn');
        }
      }
    }
  }

  private sayStatus(s: Extract<Input, { kind: 'status' }>['status']): void {
    if (s.kind === 'lost') this.o.say(`Lost the connection to ${s.host}: ${s.message}. Reconnecting...`, 'warn');
    else if (s.kind === 'reconnected') this.o.say(`Connected to ${s.host} again.`, 'ok');
    else this.o.say(`${s.host} can no longer be watched: ${s.message}`, 'fail');
  }

  /** Interrupt and end of input stop the walkthrough; returns true for a timeout nobody asked for. */
  private stopOn(i: Input): boolean {
    if (i.kind === 'abort') throw new Stop('interrupted');
    if (i.kind === 'closed') throw new Stop('input-ended');
    return false;
  }

  // --- bookkeeping ----------------------------------------------------------------------------

  private record(j: CableJudgement, event: CableEvent): CableJudgement {
    const bad = j.verdicts.some((v) => v.verdict !== 'ok');
    this.o.say(`${j.summary}.`, j.shape === 'many' || bad ? 'fail' : 'ok');
    for (const v of j.verdicts) {
      const s = this.port(v.port);
      s.verdict = v.verdict;
      s.peer = v.peer;
      s.detail = v.detail;
      s.observedAt = event.time;
    }
    return j;
  }

  private decide(ports: readonly PortRef[], verdict: PortVerdict, detail: string, observedAt: string | null): void {
    for (const p of ports) Object.assign(this.port(p), { verdict, detail, observedAt, ...(verdict !== 'ok' ? { peer: null } : {}) });
  }

  private port(p: PortRef): PortState;
  private port(p: PortRef, create: false): PortState | undefined;
  private port(p: PortRef, create = true): PortState | undefined {
    const key = portKey(p.host, p.nic);
    let s = this.ports.get(key);
    if (!s && create) {
      s = { label: null, verdict: 'not-tested', peer: null, detail: '', observedAt: null, rehearsal: null };
      this.ports.set(key, s);
    }
    return s;
  }

  private knownLabel(p: PortRef): string | undefined {
    const mac = this.table(p.host)?.nics.find((n) => n.device === p.nic)?.mac;
    return mac ? this.o.labels?.get(mac.toLowerCase()) : undefined;
  }

  private table(host: string): CableTable | undefined {
    return this.o.hosts.find((h) => h.host.name === host)?.table;
  }

  /** Ports in the order the hosts were given, then by NIC name: "h1 eth1 and h2 eth1", whichever watcher spoke first. */
  private inHostOrder(ports: readonly PortRef[]): PortRef[] {
    const index = (p: PortRef) => this.o.hosts.findIndex((h) => h.host.name === p.host);
    return [...ports].sort((x, y) => index(x) - index(y) || naturalCompare(x.nic, y.nic));
  }

  private hasNic(p: PortRef): boolean {
    return this.table(p.host)?.nics.some((n) => n.device === p.nic) ?? false;
  }

  /** IPv4 addresses of `peer`'s NICs, to ping from the other host (out of `via`, when given). */
  private reachTargets(peer: WalkHost, nics: readonly string[], via?: string): ReachTarget[] {
    const out: ReachTarget[] = [];
    for (const nic of nics) {
      const row = peer.table.nics.find((n) => n.device === nic);
      const address = row?.ipv4[0]?.split('/')[0];
      if (address) out.push({ address, ...(via !== undefined && nic === via ? { device: via } : {}) });
    }
    return out;
  }
}

/** Operator labels are free text, but one line of printable characters, at most 80. */
export function cleanLabel(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').trim().slice(0, 80);
}


