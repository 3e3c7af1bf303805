import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { CableHost, IdentifyResult, ReachResult, ReachTarget, WatchHandlers } from './cableHost.js';
import { checkIdentifyInput, checkReachTargets, identifyResult, pingArgs, reachResult, reachWorstCaseMs } from './hostActions.js';
import { InputError } from '../engine/inputError.js';
import { isNicName } from './remoteCarrierScript.js';
import { collectCableTable, type CableTable } from './table.js';
import { SYS_CLASS_NET, watchCarriers } from './watch.js';

/**
 * This machine as a CableHost: the table from the scan's own probes (collectCableTable), carrier
 * from sysfs polling (watchCarriers), and ethtool / ping run directly with argument arrays.
 */

export interface LocalCableHostOptions {
  /** Carrier poll period in ms (--interval; watch.ts's default when unset). */
  intervalMs?: number;
  /** How reports name this machine (default: its host name). */
  name?: string;
}

interface Ran {
  exitCode: number | null;
  output: string;
  /** The program is not installed (spawn ENOENT). */
  missing: boolean;
}

/** Runs a program with an argument array (never a shell), stdout and stderr together, killed after timeoutMs. */
function runProgram(cmd: string, args: readonly string[], timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    let output = '';
    let missing = false;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const add = (d: Buffer) => {
      if (output.length < 64 * 1024) output += d.toString('utf8');
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') missing = true;
      else output += err.message;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code, output, missing });
    });
  });
}

export class LocalCableHost implements CableHost {
  readonly name: string;
  readonly address = 'local';
  private readonly intervalMs: number | undefined;

  constructor(opts: LocalCableHostOptions = {}) {
    this.name = opts.name ?? hostname();
    this.intervalMs = opts.intervalMs;
  }

  async readTable(profile: string): Promise<CableTable> {
    const table = await collectCableTable(profile);
    return { ...table, host: this.name };
  }

  watch(nics: readonly string[], handlers: WatchHandlers): Promise<void> {
    const bad = nics.find((n) => !isNicName(n));
    if (bad !== undefined) return Promise.reject(new InputError(`${JSON.stringify(bad)} is not an interface name`));
    return watchCarriers({
      host: this.name,
      nics,
      signal: handlers.signal,
      onStart: (initial) => handlers.onStart(initial),
      onChange: (e) => handlers.onChange(e),
      ...(this.intervalMs !== undefined ? { intervalMs: this.intervalMs } : {}),
    });
  }

  async identify(device: string, seconds: number): Promise<IdentifyResult> {
    checkIdentifyInput(device, seconds);
    if (!existsSync(join(SYS_CLASS_NET, device))) return identifyResult(this.name, device, { kind: 'no-device' });
    const r = await runProgram('ethtool', ['--identify', device, String(seconds)], seconds * 1000 + 10_000);
    if (r.missing) return identifyResult(this.name, device, { kind: 'no-ethtool' });
    return identifyResult(this.name, device, { kind: 'ran', exitCode: r.exitCode, output: r.output });
  }

  async reach(targets: readonly ReachTarget[]): Promise<ReachResult[]> {
    const checked = checkReachTargets(targets);
    return Promise.all(
      checked.map(async (t) => {
        if (t.device !== undefined && !existsSync(join(SYS_CLASS_NET, t.device))) {
          return { ...t, ok: false, rttMs: null, message: `${this.name} has no interface named ${t.device}` };
        }
        const r = await runProgram('ping', pingArgs(t), reachWorstCaseMs(1));
        if (r.missing) return { ...t, ok: false, rttMs: null, message: 'ping is not installed on this machine' };
        return reachResult(t, r.output, r.exitCode);
      }),
    );
  }
}
