import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/engine/types.js';
import type { Report } from '../../src/report/schema.js';

/**
 * A network-namespace lab: real kernel state for the network rules instead of hand-made facts.
 *
 * A lab owns a "host" namespace (the machine preflight scans) and a "switch" namespace (the far
 * ends of its cables). The host gets veth interfaces eth0..eth4 whose peers p0..p4 live in the
 * switch namespace, so `ip link set pN down` in the switch is a pulled cable: ethN loses carrier
 * (/sys/class/net/ethN/carrier reads 0 inside the host namespace). Addresses come only from the
 * TEST-NET ranges (198.51.100.0/24 for management, 203.0.113.0/24 for the others) and never leave
 * the namespaces: nothing connects them to the machine's real network.
 *
 * Every namespace is named `pft-<pid>-<random>-<role>`, and every /etc/netns/<name> entry the lab
 * creates is removed on destroy(); a process "exit" hook is the backstop when afterAll never runs,
 * and cleanupStale() removes what a killed run (a pid that no longer exists) left behind.
 *
 * Every command runs through execFileSync/spawn with an argument array: no shell string is ever
 * built from a variable.
 */

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(REPO_ROOT, 'bin/preflight.js');
export const DIST_CLI = join(REPO_ROOT, 'dist/cli.js');

const NETNS_ETC = '/etc/netns';
/** Where the probes read interface configuration (net.ifcfg, net.debian-interfaces, net.netplan, net.networkmanager, net.networkd). */
const HOST_NETWORK_CONFIG_DIRS = ['network', 'netplan', 'sysconfig', 'NetworkManager', 'systemd'];
const LAB_NAME = /^pft-(\d+)-[0-9a-f]+-/;

/** The lab's cabling: management on eth0 (with its gateway), A-links eth1/eth2, production eth3, eth4 the bond partner. */
export const PLAN = {
  management: { dev: 'eth0', address: '198.51.100.11/24', gateway: '198.51.100.1', peerAddress: '198.51.100.1/24' },
  alink1: { dev: 'eth1', address: '203.0.113.17/28', peerAddress: '203.0.113.18/28' },
  alink2: { dev: 'eth2', address: '203.0.113.33/28', peerAddress: '203.0.113.34/28' },
  production: { dev: 'eth3', address: '203.0.113.49/28', gateway: '203.0.113.50', peerAddress: '203.0.113.50/28' },
  dns: ['198.51.100.53', '198.51.100.54'],
} as const;

export const NICS = ['eth0', 'eth1', 'eth2', 'eth3', 'eth4'] as const;
export type Nic = (typeof NICS)[number];

/** p0 is eth0's peer in the switch namespace, and so on. */
export function peerOf(nic: Nic): string {
  return `p${nic.slice(3)}`;
}

/** Why the lab cannot run here, or undefined when it can (root, and iproute2's `ip` installed). */
export function labUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root: network namespaces and veth need root';
  const ip = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (ip.error || ip.status !== 0) return '`ip` (iproute2) is not installed';
  return undefined;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command, throwing with its stderr when it fails. */
export function run(cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): string {
  try {
    return execFileSync(cmd, args, {
      encoding: 'utf8',
      input: opts.input,
      timeout: opts.timeoutMs ?? 10_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stderr?: string; status?: number | null; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${e.status ?? '?'}): ${(e.stderr ?? '').trim() || e.message}`);
  }
}

/** Runs a command and returns what happened, never throwing. */
export function tryRun(cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input, timeout: opts.timeoutMs ?? 10_000 });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
}

function listNamespaces(): string[] {
  const r = tryRun('ip', ['netns', 'list']);
  if (r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes /etc/netns/<name>: the files the lab wrote and the (empty) mask directories. Never a
 * recursive delete: should a bind mount of the real /etc/network ever be visible here, rmdir fails
 * on it (not empty) instead of deleting the machine's configuration.
 */
function removeEtcNetns(name: string): void {
  const dir = join(NETNS_ETC, name);
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    try {
      if (entry.isDirectory()) rmdirSync(path);
      else unlinkSync(path);
    } catch {
      /* left in place: leftovers() reports it */
    }
  }
  try {
    rmdirSync(dir);
  } catch {
    /* not empty: leftovers() reports it */
  }
  // /etc/netns did not exist before the lab: leave no empty directory behind (another lab may still use it).
  try {
    if (existsSync(NETNS_ETC) && readdirSync(NETNS_ETC).length === 0) rmdirSync(NETNS_ETC);
  } catch {
    /* another lab created an entry meanwhile */
  }
}

/**
 * Removes namespaces and /etc/netns entries of lab runs whose process is gone (a run killed before
 * its afterAll). Labs of live processes (another vitest worker) are left alone. Returns the names removed.
 */
export function cleanupStale(): string[] {
  const removed: string[] = [];
  const stale = (name: string) => {
    const m = LAB_NAME.exec(name);
    return m !== null && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]));
  };
  for (const ns of listNamespaces()) {
    if (!stale(ns)) continue;
    tryRun('ip', ['netns', 'del', ns]);
    removed.push(ns);
  }
  if (existsSync(NETNS_ETC)) {
    for (const entry of readdirSync(NETNS_ETC)) {
      if (!stale(entry)) continue;
      removeEtcNetns(entry);
      if (!removed.includes(entry)) removed.push(entry);
    }
  }
  return removed;
}

/** Every live lab, so the process "exit" hook can tear down what afterAll did not. */
const liveLabs = new Set<NetnsLab>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lab of liveLabs) lab.destroy();
  });
}

export interface ScanResult {
  report: Report;
  /** Exit code of `preflight scan` (non-zero whenever a rule fails). */
  status: number | null;
  stderr: string;
  durationMs: number;
  finding(rule: string): Finding;
}

export interface BackgroundProcess {
  pid: number;
  /** Kills it (SIGKILL, by its own pid) and waits until it is gone. */
  stop(): Promise<void>;
}

export class NetnsLab {
  readonly prefix: string;
  /** The scanned machine. */
  readonly host: string;
  /** The far ends of the cables (and the gateways). */
  readonly sw: string;
  private readonly namespaces: string[] = [];
  private readonly etcEntries: string[] = [];
  private readonly children = new Set<ChildProcess>();
  private destroyed = false;
  private scans = 0;
  /** The real /etc directories hidden from the lab host (see maskHostNetworkConfig). */
  readonly masked: string[] = [];

  private constructor() {
    this.prefix = `pft-${process.pid}-${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`;
    this.host = `${this.prefix}-host`;
    this.sw = `${this.prefix}-sw`;
  }

  /**
   * Builds the lab: both namespaces, eth0..eth4 cabled to p0..p4, addresses, the default route via
   * eth0's gateway and two DNS servers in the host namespace's resolv.conf. On any error the
   * half-built lab is torn down before the error is rethrown.
   */
  static create(): NetnsLab {
    cleanupStale();
    installExitHook();
    const lab = new NetnsLab();
    liveLabs.add(lab);
    try {
      lab.addNamespace(lab.host);
      lab.addNamespace(lab.sw);
      lab.maskHostNetworkConfig();
      lab.ipBatch(lab.host, NICS.map((nic) => `link add ${nic} type veth peer name ${peerOf(nic)} netns ${lab.sw}`));
      lab.ipBatch(lab.sw, [PLAN.management, PLAN.alink1, PLAN.alink2, PLAN.production].map((p) => `addr add ${p.peerAddress} dev ${peerOf(p.dev)}`));
      lab.reset();
    } catch (err) {
      lab.destroy();
      throw err;
    }
    return lab;
  }

  /**
   * The lab host has no interface configuration of its own, but `ip netns exec` still shows the
   * real machine's /etc: its ifupdown, netplan, ifcfg, NetworkManager or networkd files for "eth0"
   * would leak into the lab's verdicts. An empty directory in /etc/netns/<host>/ is bind-mounted
   * over each one that exists (inside `ip netns exec` only; the real /etc is untouched).
   * Running DHCP clients cannot be hidden this way: /proc and ps are the machine's.
   */
  private maskHostNetworkConfig(): void {
    for (const dir of HOST_NETWORK_CONFIG_DIRS) {
      if (!existsSync(join('/etc', dir))) continue;
      mkdirSync(join(NETNS_ETC, this.host, dir), { recursive: true });
      if (!this.etcEntries.includes(this.host)) this.etcEntries.push(this.host);
      this.masked.push(`/etc/${dir}`);
    }
  }

  /** A namespace with only `lo` up, owned (and deleted) by this lab; e.g. for firewall scenarios. */
  addNamespace(name: string): string {
    if (!name.startsWith(`${this.prefix}-`)) throw new Error(`lab namespace ${name} must start with ${this.prefix}-`);
    run('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
    run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    return name;
  }

  /** A fresh namespace named `<prefix>-<suffix>`. */
  scratchNamespace(suffix: string): string {
    return this.addNamespace(`${this.prefix}-${suffix}`);
  }

  deleteNamespace(name: string): void {
    const i = this.namespaces.indexOf(name);
    if (i < 0) throw new Error(`${name} is not a namespace of this lab`);
    tryRun('ip', ['netns', 'del', name]);
    this.namespaces.splice(i, 1);
    if (this.etcEntries.includes(name)) {
      removeEtcNetns(name);
      this.etcEntries.splice(this.etcEntries.indexOf(name), 1);
    }
  }

  /**
   * The baseline: every cable plugged (all ten ends up), static addresses (valid_lft forever),
   * default route via eth0's gateway, two DNS servers. Tests call it before each scenario, so a
   * failed assertion never leaks state into the next test.
   */
  reset(): void {
    this.removeBond();
    // One `ip -batch` per namespace: a reset before every test must stay cheap.
    this.ipBatch(this.sw, NICS.map((nic) => `link set ${peerOf(nic)} up`));
    this.ipBatch(this.host, [
      ...NICS.map((nic) => `link set ${nic} up`),
      // Flushing drops routes through the interface too; re-adding gives a permanent address.
      ...[PLAN.management, PLAN.alink1, PLAN.alink2, PLAN.production].flatMap((p) => [`addr flush dev ${p.dev}`, `addr add ${p.address} dev ${p.dev}`]),
      `route replace default via ${PLAN.management.gateway} dev ${PLAN.management.dev}`,
    ]);
    this.setResolvConf(PLAN.dns.map((s) => `nameserver ${s}`));
    this.waitCarriers(Object.fromEntries(NICS.map((nic) => [nic, true])));
  }

  /** Runs `ip` commands (one per line, without "ip") in a namespace in a single process: `ip -n NS -batch -`. */
  ipBatch(ns: string, commands: readonly string[]): void {
    this.assertOwned(ns);
    run('ip', ['-n', ns, '-batch', '-'], { input: `${commands.join('\n')}\n` });
  }

  /** Deletes bond0 in the host namespace if a test made one (its slaves are released, down). */
  removeBond(): void {
    // Fails (harmlessly) when there is no bond0, the usual case.
    tryRun('ip', ['-n', this.host, 'link', 'del', 'bond0']);
  }

  /** `ip -n NS ARGS...` in the host namespace. */
  ipHost(...args: string[]): string {
    return run('ip', ['-n', this.host, ...args]);
  }

  /** `ip -n NS ARGS...` in the switch namespace. */
  ipSwitch(...args: string[]): string {
    return run('ip', ['-n', this.sw, ...args]);
  }

  /** Runs a command inside a lab namespace (`ip netns exec`, which also remounts /sys for it). */
  exec(ns: string, cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): string {
    this.assertOwned(ns);
    return run('ip', ['netns', 'exec', ns, cmd, ...args], opts);
  }

  tryExec(ns: string, cmd: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): RunResult {
    this.assertOwned(ns);
    return tryRun('ip', ['netns', 'exec', ns, cmd, ...args], opts);
  }

  /** Pulls (false) or plugs (true) the cable of `nic` by downing its peer in the switch namespace. */
  setCable(nic: Nic, plugged: boolean): void {
    this.ipSwitch('link', 'set', peerOf(nic), plugged ? 'up' : 'down');
    this.waitCarrier(nic, plugged);
  }

  /** /sys/class/net/NIC/carrier as the host namespace sees it: '1', '0', or '' when unreadable. */
  sysCarrier(nic: string, ns: string = this.host): string {
    const r = this.tryExec(ns, 'cat', [`/sys/class/net/${nic}/carrier`]);
    return r.status === 0 ? r.stdout.trim() : '';
  }

  /** The carrier flag follows the peer at once, but waits briefly so a slow kernel never races a scan. */
  waitCarrier(nic: Nic, up: boolean, ns: string = this.host): void {
    this.waitCarriers({ [nic]: up }, ns);
  }

  /** Waits until every named NIC's carrier reads 1 (true) or 0 (false), with one `ip netns exec` per poll. */
  waitCarriers(want: Partial<Record<Nic, boolean>>, ns: string = this.host): void {
    const nics = Object.keys(want) as Nic[];
    const deadline = Date.now() + 3000;
    for (;;) {
      // grep -H prints "/sys/class/net/eth0/carrier:1"; -s skips files the kernel refuses to read.
      const r = this.tryExec(ns, 'grep', ['-s', '-H', '.', ...nics.map((n) => `/sys/class/net/${n}/carrier`)]);
      const got = new Map(
        r.stdout
          .split('\n')
          .map((l) => /^\/sys\/class\/net\/([^/]+)\/carrier:(.*)$/.exec(l))
          .filter((m): m is RegExpExecArray => m !== null)
          .map((m) => [m[1]!, m[2]!.trim()]),
      );
      const wrong = nics.filter((n) => got.get(n) !== (want[n] ? '1' : '0'));
      if (wrong.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`${ns}: carrier after 3 s: ${wrong.map((n) => `${n} is "${got.get(n) ?? 'unreadable'}", expected ${want[n] ? 1 : 0}`).join('; ')}`);
      }
      spawnSync('sleep', ['0.05']);
    }
  }

  /**
   * Writes /etc/netns/<ns>/resolv.conf, which `ip netns exec` bind-mounts over /etc/resolv.conf
   * for commands run in that namespace only.
   */
  setResolvConf(lines: readonly string[], ns: string = this.host): void {
    this.assertOwned(ns);
    const dir = join(NETNS_ETC, ns);
    mkdirSync(dir, { recursive: true });
    if (!this.etcEntries.includes(ns)) this.etcEntries.push(ns);
    writeFileSync(join(dir, 'resolv.conf'), lines.length ? `${lines.join('\n')}\n` : '');
  }

  /**
   * Starts a long-running command inside a namespace and resolves once it printed `readyLine` on
   * stdout. The process is killed by its own pid on stop() or destroy().
   */
  startBackground(ns: string, cmd: string, args: readonly string[], readyLine: string, timeoutMs = 5000): Promise<BackgroundProcess> {
    this.assertOwned(ns);
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    exited.then(() => this.children.delete(child));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    };
    return new Promise((res, rej) => {
      let out = '';
      let err = '';
      const timer = setTimeout(() => {
        void stop().then(() => rej(new Error(`${cmd} did not print "${readyLine}" within ${timeoutMs} ms: ${err.trim()}`)));
      }, timeoutMs);
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.split('\n').includes(readyLine)) {
          clearTimeout(timer);
          res({ pid: child.pid!, stop });
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`${cmd} exited (${code}) before it was ready: ${err.trim()}`));
      });
    });
  }

  /**
   * Runs the real built CLI in a namespace: `ip netns exec NS node bin/preflight.js scan --format json`.
   * The scan exits non-zero whenever a rule fails, so only the JSON on stdout decides.
   */
  scan(ns: string = this.host, label = 'scan'): ScanResult {
    this.assertOwned(ns);
    if (!existsSync(DIST_CLI)) throw new Error(`${DIST_CLI} is missing: build first (npx tsc -p tsconfig.json)`);
    const args = [CLI, 'scan', '--format', 'json', '--no-color'];
    // PREFLIGHT_LAB_EVIDENCE_DIR=DIR keeps the raw probe evidence of every lab scan (for debugging, or fixtures).
    const keep = process.env.PREFLIGHT_LAB_EVIDENCE_DIR;
    if (keep) {
      mkdirSync(keep, { recursive: true });
      args.push('--evidence-out', join(resolve(keep), `${String(++this.scans).padStart(2, '0')}-${label.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 80)}.json`));
    }
    const start = performance.now();
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const durationMs = Math.round(performance.now() - start);
    if (r.error) throw new Error(`preflight scan in ${ns} could not run: ${r.error.message}`);
    let report: Report;
    try {
      report = JSON.parse(r.stdout) as Report;
    } catch {
      throw new Error(`preflight scan in ${ns} printed no JSON report (exit ${r.status}): ${r.stderr.trim() || r.stdout.slice(0, 500)}`);
    }
    const host = report.hosts[0];
    if (!host) throw new Error(`preflight scan in ${ns}: the report has no host`);
    return {
      report,
      status: r.status,
      stderr: r.stderr,
      durationMs,
      finding(rule: string) {
        const f = host.findings.find((x) => x.rule === rule);
        if (!f) throw new Error(`no finding for rule ${rule}; rules reported: ${host.findings.map((x) => x.rule).join(', ')}`);
        return f;
      },
    };
  }

  /** Tears everything down: background processes, namespaces, /etc/netns entries. Idempotent and never throws. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const child of this.children) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* gone */
      }
    }
    for (const ns of [...this.namespaces].reverse()) tryRun('ip', ['netns', 'del', ns]);
    this.namespaces.length = 0;
    for (const entry of this.etcEntries) removeEtcNetns(entry);
    this.etcEntries.length = 0;
    liveLabs.delete(this);
  }

  /** Namespaces and /etc/netns entries of this lab that still exist (empty after destroy()). */
  leftovers(): string[] {
    const mine = (n: string) => n.startsWith(`${this.prefix}-`);
    const etc = existsSync(NETNS_ETC) ? readdirSync(NETNS_ETC).filter(mine).map((n) => join(NETNS_ETC, n)) : [];
    return [...listNamespaces().filter(mine), ...etc];
  }

  private assertOwned(ns: string): void {
    if (!this.namespaces.includes(ns)) throw new Error(`${ns} is not a live namespace of this lab`);
  }
}

/** Tries `ip link add bond0 type bond` in a throwaway namespace: false when the bonding driver is missing. */
export function bondingAvailable(lab: NetnsLab): { ok: boolean; why: string } {
  const ns = lab.scratchNamespace('bondprobe');
  try {
    const r = tryRun('ip', ['-n', ns, 'link', 'add', 'bond0', 'type', 'bond']);
    return { ok: r.status === 0, why: r.stderr.trim() };
  } finally {
    lab.deleteNamespace(ns);
  }
}
