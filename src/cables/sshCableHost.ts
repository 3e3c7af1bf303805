import type { Probe } from '../collect/evidence.js';
import { probeById } from '../collect/probes.js';
import { execSshStream } from '../collect/sshStream.js';
import { collectSsh, execSsh, HostUnreachableError, type SshTarget } from '../collect/sshTransport.js';
import { InputError } from '../engine/inputError.js';
import { buildHostFacts } from '../facts/buildHostFacts.js';
import type { CableHost, IdentifyResult, ReachResult, ReachTarget, WatchHandlers } from './cableHost.js';
import {
  IDENTIFY_SCRIPT,
  identifyInput,
  identifyResult,
  newActionNonce,
  parseIdentifyOutput,
  parseReachOutput,
  REACH_SCRIPT,
  reachInput,
  reachWorstCaseMs,
  checkReachTargets,
} from './hostActions.js';
import { isNicName, LineSplitter, newWatchNonce, parseWatchLine, WATCH_SCRIPT, watchInput } from './remoteCarrierScript.js';
import { buildCableTable, parseVethNames, profileLayout, TABLE_PROBES, VETH_PROBE, type CableTable } from './table.js';

/**
 * A host reached over SSH as a CableHost. The table comes from the scan's probes run over SSH
 * (collectSsh) plus one probe naming the veth links; the watch is ONE long-running exec of the
 * fixed carrier script (remoteCarrierScript.ts) over its own connection, kept alive across a
 * pulled management cable by reconnecting; identify and reach are fixed scripts over execSsh with
 * their parameters on stdin.
 */

export interface SshCableHostOptions {
  /** How reports name the host (default: target.name). */
  name?: string;
  /** Notes that are not failures (a key added to known_hosts, a skipped identity file). */
  onNote?(note: string): void;
  /** Watch by polling sysfs every 50 ms even where `ip monitor` exists. */
  pollCarrier?: boolean;
  /** Time between reconnection attempts after the connection dropped (default 1000 ms). */
  retryMs?: number;
  /** No heartbeat for this long = the connection is lost (default 4000 ms; the script beats every second). */
  idleTimeoutMs?: number;
}

export class SshCableHost implements CableHost {
  readonly name: string;
  readonly address: string;

  constructor(
    readonly target: SshTarget,
    private readonly opts: SshCableHostOptions = {},
  ) {
    this.name = opts.name ?? target.name;
    this.address = `${target.user}@${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  }

  private note = (note: string) => this.opts.onNote?.(note);

  async readTable(profile: string): Promise<CableTable> {
    const layout = profileLayout(profile);
    const probes = [...TABLE_PROBES.map((id) => probeById(id)).filter((p): p is Probe => p !== undefined), VETH_PROBE];
    const evidence = await collectSsh(this.target, probes, { onNote: this.note });
    const facts = buildHostFacts(evidence);
    const veth = parseVethNames(evidence.evidence[VETH_PROBE.id]?.stdout ?? '');
    return buildCableTable(facts, layout, { host: this.name, collectedAt: evidence.collectedAt, profile }, veth);
  }

  /**
   * Follows `nics` until handlers.signal aborts. The first connection failing rejects (a
   * HostUnreachableError; onStart was never called). Once watching, a dropped connection gives
   * onStatus 'lost' and a new attempt every retryMs; on success every NIC whose carrier differs
   * from the last known value gets an onChange (time = when seen again), then 'reconnected'. A
   * host key or authentication failure on reconnect gives 'failed' and the promise resolves.
   */
  async watch(nics: readonly string[], handlers: WatchHandlers): Promise<void> {
    const bad = nics.find((n) => !isNicName(n));
    if (bad !== undefined) throw new InputError(`${JSON.stringify(bad)} is not an interface name`);
    const list = [...new Set(nics)];
    const known = new Map<string, boolean>();
    const { signal } = handlers;
    let started = false;
    let lost = false;
    const retryMs = this.opts.retryMs ?? 1000;
    while (!signal.aborted) {
      const attemptStart = Date.now();
      let outcome: HostUnreachableError | undefined;
      try {
        await this.watchOnce(list, signal, {
          ready: (initial) => {
            if (!started) {
              started = true;
              for (const [n, c] of initial) known.set(n, c);
              handlers.onStart(initial);
              return;
            }
            const time = new Date().toISOString();
            for (const nic of list) {
              const carrier = initial.get(nic)!;
              if (known.get(nic) === carrier) continue;
              known.set(nic, carrier);
              handlers.onChange({ time, host: this.name, nic, carrier });
            }
            if (lost) {
              lost = false;
              handlers.onStatus?.({ kind: 'reconnected', host: this.name });
            }
          },
          change: (nic, carrier) => {
            if (known.get(nic) === carrier) return;
            known.set(nic, carrier);
            handlers.onChange({ time: new Date().toISOString(), host: this.name, nic, carrier });
          },
        });
      } catch (err) {
        if (!(err instanceof HostUnreachableError)) throw err;
        outcome = err;
      }
      if (signal.aborted) return;
      const failure = outcome ?? new HostUnreachableError(`the carrier watch on ${this.name} ended by itself`, this.name, 'lost');
      if (!started) throw failure;
      if (failure.kind === 'host-key' || failure.kind === 'auth' || failure.kind === 'remote') {
        handlers.onStatus?.({ kind: 'failed', host: this.name, message: failure.message });
        return;
      }
      if (!lost) {
        lost = true;
        handlers.onStatus?.({ kind: 'lost', host: this.name, message: failure.message });
      }
      await pause(Math.max(0, retryMs - (Date.now() - attemptStart)), signal);
    }
  }

  /**
   * One connection, one run of the watch script. Resolves when the signal stopped it (the script
   * has exited); rejects with why otherwise: connection failures as they come, 'remote' when the
   * script refused to start, 'lost' when it ended or went silent after starting.
   */
  private async watchOnce(nics: readonly string[], signal: AbortSignal, on: { ready(initial: Map<string, boolean>): void; change(nic: string, carrier: boolean): void }): Promise<void> {
    const nonce = newWatchNonce();
    const wanted = new Set(nics);
    const initial = new Map<string, boolean>();
    const lines = new LineSplitter();
    let ready = false;
    const end = await execSshStream(this.target, WATCH_SCRIPT, {
      what: 'the carrier watch',
      input: watchInput(nics, nonce, { poll: this.opts.pollCarrier === true }),
      signal,
      onNote: this.note,
      ...(this.opts.idleTimeoutMs !== undefined ? { idleTimeoutMs: this.opts.idleTimeoutMs } : {}),
      onStdout: (chunk) => {
        for (const line of lines.push(chunk)) {
          const l = parseWatchLine(line, nonce, wanted);
          if (l === undefined || signal.aborted) continue;
          if (l.kind === 'initial' && !ready) initial.set(l.nic, l.carrier);
          else if (l.kind === 'ready' && !ready) {
            ready = true;
            // A NIC the script could not read at all still gets a value: no carrier.
            for (const n of nics) if (!initial.has(n)) initial.set(n, false);
            on.ready(new Map(nics.map((n) => [n, initial.get(n)!])));
          } else if (l.kind === 'change' && ready) on.change(l.nic, l.carrier);
        }
      },
    });
    if (end.aborted) return;
    const said = firstLine(end.stderr);
    const how = end.exitSignal !== undefined ? `was killed by SIG${end.exitSignal}` : `exited with ${end.exitCode ?? 'no status'}`;
    if (!ready) throw new HostUnreachableError(`${this.name}: the carrier watch could not start (it ${how}${said ? `: ${said}` : ''})`, this.name, 'remote');
    throw new HostUnreachableError(`${this.name}: the carrier watch stopped (it ${how}${said ? `: ${said}` : ''})`, this.name, 'lost');
  }

  async identify(device: string, seconds: number): Promise<IdentifyResult> {
    const nonce = newActionNonce();
    const input = identifyInput(device, seconds, nonce);
    const r = await execSsh(this.target, IDENTIFY_SCRIPT, input, {
      budgetMs: seconds * 1000 + 10_000,
      maxStdout: 64 * 1024,
      what: 'ethtool --identify',
      onNote: this.note,
    });
    const run = parseIdentifyOutput(r.stdout.toString('utf8'), nonce);
    if (run === undefined) {
      const said = firstLine(r.stderr);
      return { ok: false, message: `${this.name}: ethtool --identify did not finish${said ? `: ${said}` : ''}` };
    }
    return identifyResult(this.name, device, run);
  }

  async reach(targets: readonly ReachTarget[]): Promise<ReachResult[]> {
    const checked = checkReachTargets(targets);
    if (checked.length === 0) return [];
    const nonce = newActionNonce();
    const r = await execSsh(this.target, REACH_SCRIPT, reachInput(checked, nonce), {
      budgetMs: reachWorstCaseMs(checked.length) + 10_000,
      maxStdout: 256 * 1024,
      what: 'the ping',
      onNote: this.note,
    });
    return parseReachOutput(r.stdout.toString('utf8'), nonce, checked);
  }
}

/** Waits ms, or less when the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 200);
}
