import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isNicName, LineSplitter, parseWatchLine, WATCH_SCRIPT, watchInput } from '../../src/cables/remoteCarrierScript.js';
import { labUnavailableReason, NetnsLab, peerOf } from '../lab/netnsLab.js';

/**
 * The carrier watch script that runs on SSH hosts: its stdin and output protocol (anywhere), and
 * the script itself under dash, bash and busybox ash, on real veth carriers in a namespace lab
 * (root): first readings, changes in both modes, admin-down as no carrier, and that closing its
 * stdin leaves no process behind.
 */

const NONCE = '0123456789abcdef01234567';
const NICS = new Set(['eth0', 'eth1', 'vlan.10', 'a:b']);

describe('parseWatchLine', () => {
  it('reads first readings, ready, changes and heartbeats of its own nonce', () => {
    expect(parseWatchLine(`${NONCE} I eth0 1`, NONCE, NICS)).toEqual({ kind: 'initial', nic: 'eth0', carrier: true });
    expect(parseWatchLine(`${NONCE} C eth1 0`, NONCE, NICS)).toEqual({ kind: 'change', nic: 'eth1', carrier: false });
    expect(parseWatchLine(`${NONCE} C vlan.10 1\r`, NONCE, NICS)).toEqual({ kind: 'change', nic: 'vlan.10', carrier: true });
    expect(parseWatchLine(`${NONCE} R monitor`, NONCE, NICS)).toEqual({ kind: 'ready', mode: 'monitor' });
    expect(parseWatchLine(`${NONCE} R poll`, NONCE, NICS)).toEqual({ kind: 'ready', mode: 'poll' });
    expect(parseWatchLine(`${NONCE} H`, NONCE, NICS)).toEqual({ kind: 'heartbeat' });
  });

  it('ignores other nonces, NICs not asked for, bad values and extra fields', () => {
    for (const line of [
      `ffffffffffffffffffffffff C eth1 0`,
      `${NONCE} C eth9 0`,
      `${NONCE} C eth1 2`,
      `${NONCE} C eth1 0 extra`,
      `${NONCE} C eth1`,
      `${NONCE} R fast`,
      `${NONCE} H x`,
      `${NONCE}`,
      `Welcome to XenServer ${NONCE} C eth1 0`,
      '',
    ]) {
      expect(parseWatchLine(line, NONCE, NICS), line).toBeUndefined();
    }
  });

  it('never throws on garbage, and whatever it returns names a watched NIC', () => {
    const line = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.tuple(fc.constantFrom('I', 'C', 'R', 'H', 'X', ''), fc.string({ maxLength: 20 }), fc.string({ maxLength: 5 })).map(([k, a, b]) => `${NONCE} ${k} ${a} ${b}`),
    );
    fc.assert(
      fc.property(line, (l) => {
        const r = parseWatchLine(l, NONCE, NICS);
        if (r && (r.kind === 'initial' || r.kind === 'change')) expect(NICS.has(r.nic)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('LineSplitter', () => {
  it('gives the same lines however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }).filter((s) => !s.includes('\n')), { maxLength: 20 }), fc.array(fc.nat(40), { maxLength: 10 }), (lines, cuts) => {
        const text = lines.map((l) => `${l}\n`).join('');
        const s = new LineSplitter();
        const got: string[] = [];
        let at = 0;
        for (const c of cuts) {
          got.push(...s.push(text.slice(at, at + c)));
          at += c;
        }
        got.push(...s.push(text.slice(at)));
        expect(got).toEqual(lines);
      }),
    );
  });

  it('drops an overlong line whole and carries on with the next', () => {
    const s = new LineSplitter(10);
    expect(s.push('x'.repeat(8))).toEqual([]);
    expect(s.push('x'.repeat(8))).toEqual([]);
    expect(s.push('yy\nok\n')).toEqual(['ok']);
  });
});

describe('watchInput', () => {
  it('sends the nonce, one nic= line per NIC, the mode, then go', () => {
    expect(watchInput(['eth0', 'eth1'], NONCE)).toBe(`nonce=${NONCE}\nnic=eth0\nnic=eth1\ngo\n`);
    expect(watchInput(['eth0'], NONCE, { poll: true })).toBe(`nonce=${NONCE}\nnic=eth0\nmode=poll\ngo\n`);
  });

  it('refuses anything that is not an interface name before it reaches a host', () => {
    for (const bad of ['', '.', '..', 'eth0/../x', 'a b', '$(reboot)', 'eth0\nnic=x', 'x'.repeat(16), 'eth0;id', '-h', '--help']) {
      expect(isNicName(bad), bad).toBe(false);
      expect(() => watchInput([bad], NONCE), bad).toThrow(/not an interface name/);
    }
    expect(isNicName('x'.repeat(15))).toBe(true);
    expect(isNicName('eth0:1')).toBe(true);
    expect(() => watchInput([], NONCE)).toThrow(/no interface/);
  });
});

// ---------------------------------------------------------------------------------------------
// The script itself, under every shell that is installed.

const SHELLS: { name: string; argv: string[] }[] = [
  { name: 'dash', argv: ['dash', '-c'] },
  { name: 'bash', argv: ['bash', '-c'] },
  { name: 'busybox ash', argv: ['busybox', 'sh', '-c'] },
].filter((s) => spawnSync('sh', ['-c', `command -v ${s.argv[0]}`]).status === 0);
const missingShells = ['dash', 'bash', 'busybox'].filter((s) => !SHELLS.some((x) => x.argv[0] === s));
if (missingShells.length) console.warn(`remote carrier script: not tried under ${missingShells.join(', ')} (not installed)`);

/** A live run of the script: its output lines with arrival times. */
class ScriptRun {
  readonly lines: { at: number; text: string }[] = [];
  stderr = '';
  readonly closed: Promise<number | null>;
  readonly child: ChildProcess;
  private readonly split = new LineSplitter();

  constructor(argv: string[], input: string) {
    this.child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.closed = new Promise((res) => this.child.once('close', (code) => res(code)));
    this.child.stdout!.on('data', (d: Buffer) => {
      const at = performance.now();
      for (const text of this.split.push(d)) this.lines.push({ at, text });
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child.stdin!.on('error', () => undefined);
    this.child.stdin!.write(input);
  }

  async waitFor(pred: (text: string) => boolean, from = 0, timeoutMs = 3000): Promise<{ at: number; text: string }> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const hit = this.lines.slice(from).find((l) => pred(l.text));
      if (hit) return hit;
      if (performance.now() > deadline) throw new Error(`no such line within ${timeoutMs} ms; got ${JSON.stringify(this.lines.map((l) => l.text))}; stderr ${this.stderr}`);
      await sleep(2);
    }
  }

  /** Closes stdin (what an abort or a dropped session does) and waits for the end of output. */
  async stop(): Promise<number | null> {
    this.child.stdin!.end();
    return this.closed;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Live (not zombie) processes whose process group is `pgid`. */
function liveInGroup(pgid: number): string[] {
  const out: string[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) === pgid && rest[0] !== 'Z') out.push(`${e} ${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`);
    } catch {
      /* gone */
    }
  }
  return out;
}

async function noneLeft(pgid: number, withinMs: number): Promise<string[]> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const left = liveInGroup(pgid);
    if (left.length === 0 || performance.now() > deadline) return left;
    await sleep(20);
  }
}

describe.each(SHELLS)('the script under $name (no namespace: reads only)', ({ argv }) => {
  const runs: ScriptRun[] = [];
  afterAll(() => runs.forEach((r) => r.kill()));

  it('prints first readings (a missing NIC as 0), ready, heartbeats; stdin EOF ends it and its whole process group', async () => {
    const r = new ScriptRun([...argv, WATCH_SCRIPT], watchInput(['lo', 'pftnosuch0'], NONCE));
    runs.push(r);
    await r.waitFor((t) => t.startsWith(`${NONCE} R `));
    await r.waitFor((t) => t === `${NONCE} H`, 0, 2500);
    expect(r.lines.slice(0, 3).map((l) => l.text)).toEqual([`${NONCE} I lo 1`, `${NONCE} I pftnosuch0 0`, `${NONCE} R monitor`]);
    const started = performance.now();
    expect(await r.stop()).toBe(0);
    expect(await noneLeft(r.child.pid!, 1500)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('refuses bad input on stdin itself (exit 2), running nothing from it', async () => {
    for (const [input, said] of [
      [`nonce=${NONCE}\nnic=$(touch /tmp/pft-pwned)\ngo\n`, /bad interface name/],
      [`nonce=${NONCE}\nnic=${'x'.repeat(16)}\ngo\n`, /longer than 15/],
      [`nonce=${NONCE}\nnic=-h\ngo\n`, /bad interface name/],
      [`nonce=XYZ\nnic=lo\ngo\n`, /bad nonce/],
      [`nic=lo\ngo\n`, /no nonce/],
      [`nonce=${NONCE}\ngo\n`, /no interface/],
    ] as const) {
      const r = new ScriptRun([...argv, WATCH_SCRIPT], input);
      runs.push(r);
      expect(await r.stop(), input).toBe(2);
      expect(r.stderr).toMatch(said);
      expect(r.lines).toEqual([]);
    }
    expect(existsSync('/tmp/pft-pwned')).toBe(false);
  });

  it('exits at once when stdin closes before "go"', async () => {
    const r = new ScriptRun([...argv, WATCH_SCRIPT], `nonce=${NONCE}\nnic=lo\n`);
    runs.push(r);
    expect(await r.stop()).toBe(0);
    expect(r.lines).toEqual([]);
  });

  it('when not its process group leader, stops its reader and never signals the group it shares', async () => {
    // An outer shell runs the script as a child (same process group) and then prints a line:
    // the line proves the script did not kill its group, the group check that nothing remains.
    const outer = new ScriptRun([argv[0]!, ...argv.slice(1), `${argv.join(' ').replace(/ -c$/, '')} -c "$1"; echo outer-still-here`, 'outer', WATCH_SCRIPT], watchInput(['lo'], NONCE));
    runs.push(outer);
    await outer.waitFor((t) => t.startsWith(`${NONCE} R `));
    expect(await outer.stop()).toBe(0);
    expect(outer.lines.map((l) => l.text)).toContain('outer-still-here');
    // The ticker notices the reader's end at its next write (every second in monitor mode).
    expect(await noneLeft(outer.child.pid!, 2500)).toEqual([]);
  });
});

const why = labUnavailableReason();
if (why && process.env.CI) throw new Error(`the namespace lab must run in CI: ${why}`);

describe.skipIf(why !== undefined)('the script on veth carriers in a namespace lab', () => {
  let lab: NetnsLab;
  const runs: ScriptRun[] = [];
  const inLab = (argv: string[], input: string) => {
    const r = new ScriptRun(['ip', 'netns', 'exec', lab.host, ...argv, WATCH_SCRIPT], input);
    runs.push(r);
    return r;
  };
  const ipAsync = (args: string[]) =>
    new Promise<void>((res, rej) => {
      const c = spawn('ip', args, { stdio: 'ignore' });
      c.once('exit', (code) => (code === 0 ? res() : rej(new Error(`ip ${args.join(' ')}: exit ${code}`))));
    });

  beforeAll(() => {
    lab = NetnsLab.create();
  });
  beforeEach(() => lab.reset());
  afterAll(() => {
    runs.forEach((r) => r.kill());
    lab?.destroy();
    expect(lab?.leftovers() ?? []).toEqual([]);
  });

  for (const shell of SHELLS) {
    for (const poll of [false, true]) {
      it(`${shell.name}, ${poll ? 'poll' : 'monitor'} mode: a pulled cable, its return and an admin-down NIC, each as one line`, async () => {
        const r = inLab(shell.argv, watchInput(['eth1', 'eth2', 'eth4'], NONCE, { poll }));
        await r.waitFor((t) => t === `${NONCE} R ${poll ? 'poll' : 'monitor'}`);
        expect(r.lines.slice(0, 3).map((l) => l.text)).toEqual([`${NONCE} I eth1 1`, `${NONCE} I eth2 1`, `${NONCE} I eth4 1`]);
        const delays: number[] = [];
        const step = async (args: string[], line: string) => {
          const from = r.lines.length;
          const t0 = performance.now();
          await ipAsync(args);
          const hit = await r.waitFor((t) => t === line, from);
          delays.push(Math.round(hit.at - t0));
        };
        await step(['-n', lab.sw, 'link', 'set', peerOf('eth1'), 'down'], `${NONCE} C eth1 0`);
        await step(['-n', lab.sw, 'link', 'set', peerOf('eth1'), 'up'], `${NONCE} C eth1 1`);
        await step(['-n', lab.host, 'link', 'set', 'eth4', 'down'], `${NONCE} C eth4 0`);
        // Nothing else changed: no line for eth2, and each change printed once.
        const changes = r.lines.filter((l) => l.text.includes(' C ')).map((l) => l.text);
        expect(changes).toEqual([`${NONCE} C eth1 0`, `${NONCE} C eth1 1`, `${NONCE} C eth4 0`]);
        console.log(`remote carrier script, ${shell.name} ${poll ? 'poll' : 'monitor'}: change to line ${delays.join(', ')} ms`);
        // One sample each, `ip` included, while other test files share the 2 cores: the 300 ms
        // target is held on p95 over SSH in sshCableHost.test.ts; here, a change must come by the tick.
        for (const d of delays) expect(d).toBeLessThan(500);
        expect(await r.stop()).toBe(0);
        expect(await noneLeft(r.child.pid!, 1500)).toEqual([]);
      });
    }
  }
});
