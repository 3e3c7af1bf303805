import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '../../src/report/schema.js';
import { cleanupStale, CLI, DIST_CLI, REPO_ROOT, run, tryRun } from './netnsLab.js';
import { SSHD, SshLab, sshLabUnavailableReason } from './sshLab.js';

/**
 * The two-host pool lab: real kernel networking between two "hosts", each with its own sshd, and a
 * management computer that runs the CLI. Nothing in the machine's root network namespace changes.
 *
 *   mgmt  (management computer)  eth0 198.51.100.5/24 ──┐
 *   sw    (the switches)  brm: management LAN, gateway 198.51.100.1/24 (the default isolation IP)
 *                         brp: production LAN, gateway 203.0.113.1/24
 *   h1    eth0 198.51.100.11 (brm)  eth1 10.91.1.1/24 ═══ A-link 1 cable ═══ h2 eth1 10.91.1.2/24
 *         eth3 203.0.113.11 (brp)   eth2 10.91.2.1/24 ═══ A-link 2 cable ═══ h2 eth2 10.91.2.2/24
 *         eth4 (brm, no address: the bond partner)                             h2 eth0 198.51.100.12 ...
 *
 * The A-link "cables" are veth pairs straight from one host namespace to the other (no switch), so
 * crossing them or pulling one is a matter of re-creating or downing one veth. Each host runs
 * `/usr/sbin/sshd -D -e -f CONFIG` inside its namespace (`ip netns exec`), listening on its
 * management address, ports 22 and 443 (so the management-access rule finds 443 open).
 *
 * Namespaces are named `pft-<pid>-<random>-<role>` like netnsLab's, so netnsLab.cleanupStale()
 * removes what a killed run left behind; destroy() (afterAll) and a process "exit" hook tear down.
 * Keys, known_hosts and sshd configs live in an SshLab directory, whose destroy() removes it.
 */

export const POOL = {
  gateway: '198.51.100.1',
  mgmtComputer: '198.51.100.5',
  productionGateway: '203.0.113.1',
  hosts: [
    { name: 'h1', management: '198.51.100.11', alink1: '10.91.1.1', alink2: '10.91.2.1', production: '203.0.113.11' },
    { name: 'h2', management: '198.51.100.12', alink1: '10.91.1.2', alink2: '10.91.2.2', production: '203.0.113.12' },
  ],
  /** The quorum service computers (addQuorumComputers): on the management LAN, scanned with --role quorum. */
  quorum: [
    { name: 'q1', address: '198.51.100.21' },
    { name: 'q2', address: '198.51.100.22' },
  ],
} as const;

export type QuorumIndex = 0 | 1;

/** A machine of the lab with its own network namespace: a host, a quorum computer or the intruder. */
export type LabMachine = 'h1' | 'h2' | 'q1' | 'q2' | 'x';

export type HostIndex = 0 | 1;

const NETNS_ETC = '/etc/netns';
const HOST_NETWORK_CONFIG_DIRS = ['network', 'netplan', 'sysconfig', 'NetworkManager', 'systemd'];

export function poolLabUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root: network namespaces, veth and sshd need root';
  if (tryRun('ip', ['-V']).status !== 0) return '`ip` (iproute2) is not installed';
  return sshLabUnavailableReason();
}

export interface PoolScan {
  report: Report;
  status: number | null;
  stderr: string;
  durationMs: number;
  /** The pool finding of a rule (throws when missing). */
  pool(rule: string): Report['pool']['findings'][number];
}

const live = new Set<PoolLab>();
let hookInstalled = false;

export class PoolLab {
  readonly prefix: string;
  readonly ns: { h1: string; h2: string; sw: string; mgmt: string; q1: string; q2: string; x: string };
  readonly ssh: SshLab;
  readonly knownHosts: string;
  readonly sshConfig: string;
  private readonly sshds: ChildProcess[] = [];
  private readonly namespaces: string[] = [];
  private readonly etcEntries: string[] = [];
  private destroyed = false;
  private quorumUp = false;
  private intruderUp = false;

  private constructor(ssh: SshLab) {
    this.ssh = ssh;
    this.prefix = `pft-${process.pid}-${Math.floor(Math.random() * 0xffffff).toString(16).padStart(6, '0')}`;
    this.ns = { h1: `${this.prefix}-h1`, h2: `${this.prefix}-h2`, sw: `${this.prefix}-sw`, mgmt: `${this.prefix}-mgmt`, q1: `${this.prefix}-q1`, q2: `${this.prefix}-q2`, x: `${this.prefix}-x` };
    this.knownHosts = join(ssh.dir, 'pool_known_hosts');
    this.sshConfig = join(ssh.dir, 'pool_ssh_config');
  }

  /** Builds the whole lab and starts both sshds; a half-built lab is torn down before rethrowing. */
  static async create(): Promise<PoolLab> {
    cleanupStale();
    if (!hookInstalled) {
      hookInstalled = true;
      process.on('exit', () => {
        for (const lab of live) lab.destroySync();
      });
    }
    const lab = new PoolLab(SshLab.create());
    live.add(lab);
    try {
      lab.build();
      await lab.startSshds();
    } catch (err) {
      await lab.destroy();
      throw err;
    }
    return lab;
  }

  hostNs(i: HostIndex): string {
    return i === 0 ? this.ns.h1 : this.ns.h2;
  }

  private addNamespace(name: string): void {
    run('ip', ['netns', 'add', name]);
    this.namespaces.push(name);
    run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  }

  ipBatch(ns: string, commands: readonly string[]): void {
    run('ip', ['-n', ns, '-batch', '-'], { input: `${commands.join('\n')}\n` });
  }

  private build(): void {
    const { h1, h2, sw, mgmt } = this.ns;
    for (const n of [sw, mgmt, h1, h2]) this.addNamespace(n);
    this.ipBatch(sw, [
      'link add brm type bridge',
      'link add brp type bridge',
      `addr add ${POOL.gateway}/24 dev brm`,
      `addr add ${POOL.productionGateway}/24 dev brp`,
      'link set brm up',
      'link set brp up',
    ]);
    // The management computer on the management LAN.
    this.ipBatch(mgmt, [`link add eth0 type veth peer name mg0 netns ${sw}`, `addr add ${POOL.mgmtComputer}/24 dev eth0`, 'link set eth0 up', `route add default via ${POOL.gateway}`]);
    this.ipBatch(sw, ['link set mg0 master brm', 'link set mg0 up']);
    for (const i of [0, 1] as const) {
      const ns = this.hostNs(i);
      const tag = `h${i + 1}`;
      this.ipBatch(ns, [`link add eth0 type veth peer name ${tag}e0 netns ${sw}`, `link add eth3 type veth peer name ${tag}e3 netns ${sw}`, `link add eth4 type veth peer name ${tag}e4 netns ${sw}`]);
      this.ipBatch(sw, [`link set ${tag}e0 master brm`, `link set ${tag}e3 master brp`, `link set ${tag}e4 master brm`, ...['e0', 'e3', 'e4'].map((e) => `link set ${tag}${e} up`)]);
      this.maskNetworkConfig(ns);
      this.writeEtc(ns, 'resolv.conf', `nameserver ${POOL.gateway}\n`);
    }
    this.cableAlinks('direct');
    this.reset();
  }

  /**
   * Re-creates the A-link cables: `direct` is eth1<->eth1 and eth2<->eth2; `crossed` is h1:eth1<->h2:eth2
   * and h1:eth2<->h2:eth1 (each NIC keeps its own address, so only the wire is wrong).
   */
  cableAlinks(mode: 'direct' | 'crossed'): void {
    const { h1, h2 } = this.ns;
    // Deleting one end of a veth deletes its peer too.
    tryRun('ip', ['-n', h1, 'link', 'del', 'eth1']);
    tryRun('ip', ['-n', h1, 'link', 'del', 'eth2']);
    const far = mode === 'direct' ? ['eth1', 'eth2'] : ['eth2', 'eth1'];
    this.ipBatch(h1, [`link add eth1 type veth peer name ${far[0]} netns ${h2}`, `link add eth2 type veth peer name ${far[1]} netns ${h2}`]);
    this.reset();
  }

  /** The healthy baseline on the current cabling: every link up, addresses as in POOL, default routes, gateway present. */
  reset(): void {
    const gw = tryRun('ip', ['-n', this.ns.sw, 'addr', 'add', `${POOL.gateway}/24`, 'dev', 'brm']);
    if (gw.status !== 0 && !/File exists|already assigned/.test(gw.stderr)) throw new Error(`restoring the gateway failed: ${gw.stderr}`);
    for (const i of [0, 1] as const) {
      const h = POOL.hosts[i];
      this.ipBatch(this.hostNs(i), [
        ...['eth0', 'eth1', 'eth2', 'eth3', 'eth4'].flatMap((d) => [`link set ${d} up`, `addr flush dev ${d}`]),
        `addr add ${h.management}/24 dev eth0`,
        `addr add ${h.alink1}/24 dev eth1`,
        `addr add ${h.alink2}/24 dev eth2`,
        `addr add ${h.production}/24 dev eth3`,
        `route replace default via ${POOL.gateway} dev eth0`,
        'neigh flush all',
      ]);
    }
    this.waitCarrier(0, ['eth0', 'eth1', 'eth2', 'eth3', 'eth4'], true);
    this.waitCarrier(1, ['eth0', 'eth1', 'eth2', 'eth3', 'eth4'], true);
  }

  /** Pulls the A-link 1 cable at h2's end: h2:eth1 down, so h1:eth1 has no carrier. */
  pullAlink1(): void {
    run('ip', ['-n', this.ns.h2, 'link', 'set', 'eth1', 'down']);
    this.waitCarrier(0, ['eth1'], false);
  }

  /** h2 also holds h1's production address (a duplicate IP on the production LAN). */
  duplicateProductionIp(): void {
    run('ip', ['-n', this.ns.h2, 'addr', 'add', `${POOL.hosts[0].production}/24`, 'dev', 'eth3']);
  }

  /** A host's management address becomes a DHCP lease: the same address with a finite lifetime, as a DHCP client sets it. */
  leaseManagementAddress(i: HostIndex): void {
    run('ip', ['-n', this.hostNs(i), 'addr', 'change', `${POOL.hosts[i].management}/24`, 'dev', 'eth0', 'valid_lft', '300', 'preferred_lft', '300']);
  }

  /** The management LAN's gateway (the default isolation IP) disappears. */
  dropGateway(): void {
    run('ip', ['-n', this.ns.sw, 'addr', 'del', `${POOL.gateway}/24`, 'dev', 'brm']);
  }

  /** MAC address of a host's NIC. */
  mac(i: HostIndex, dev: string): string {
    return this.macIn(i === 0 ? 'h1' : 'h2', dev);
  }

  /** MAC address of a NIC of any lab machine. */
  macIn(machine: LabMachine, dev: string): string {
    const out = run('ip', ['-n', this.ns[machine], '-o', 'link', 'show', 'dev', dev]);
    const m = /link\/ether ([0-9a-f:]{17})/.exec(out);
    if (!m) throw new Error(`no MAC for ${dev}: ${out}`);
    return m[1]!;
  }

  private waitCarrier(i: HostIndex, devs: readonly string[], up: boolean): void {
    const deadline = Date.now() + 3000;
    for (;;) {
      const r = tryRun('ip', ['netns', 'exec', this.hostNs(i), 'grep', '-s', '-H', '.', ...devs.map((d) => `/sys/class/net/${d}/carrier`)]);
      const ok = devs.every((d) => r.stdout.includes(`/sys/class/net/${d}/carrier:${up ? 1 : 0}`));
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`h${i + 1}: carrier of ${devs.join(',')} is not ${up ? 1 : 0} after 3 s: ${r.stdout}`);
      spawnSync('sleep', ['0.05']);
    }
  }

  /** Empty directories over the machine's network configuration directories, inside the lab host's `ip netns exec` only. */
  private maskNetworkConfig(ns: string): void {
    for (const dir of HOST_NETWORK_CONFIG_DIRS) {
      if (!existsSync(join('/etc', dir))) continue;
      mkdirSync(join(NETNS_ETC, ns, dir), { recursive: true });
      if (!this.etcEntries.includes(ns)) this.etcEntries.push(ns);
    }
  }

  private writeEtc(ns: string, file: string, text: string): void {
    mkdirSync(join(NETNS_ETC, ns), { recursive: true });
    if (!this.etcEntries.includes(ns)) this.etcEntries.push(ns);
    writeFileSync(join(NETNS_ETC, ns, file), text);
  }

  private async startSshds(): Promise<void> {
    const lines: string[] = [];
    for (const i of [0, 1] as const) {
      const h = POOL.hosts[i];
      const dir = join(this.ssh.dir, h.name);
      mkdirSync(dir, { recursive: true });
      const key = this.ssh.makeKey(join(dir, 'host_ed25519_key'), 'ed25519', true);
      const config = join(dir, 'sshd_config');
      writeFileSync(config, sshdConfig(['Port 22', 'Port 443', `ListenAddress ${h.management}`], key.file, this.ssh.authorizedKeys, this.ssh.remoteTmp));
      const [type, b64] = key.publicLine.split(' ');
      lines.push(`${h.management} ${type} ${b64}`);
      await this.startSshd(this.hostNs(i), config, h.management);
    }
    writeFileSync(this.knownHosts, `${lines.join('\n')}\n`, { mode: 0o600 });
    writeFileSync(this.sshConfig, '');
  }

  /**
   * Adds the two quorum service computers q1 and q2 (namespaces on the management LAN, each with its
   * own sshd on port 22 and its key in the lab's known_hosts). Idempotent.
   */
  async addQuorumComputers(): Promise<void> {
    if (this.quorumUp) return;
    this.quorumUp = true;
    const known: string[] = [];
    for (const i of [0, 1] as const) {
      const q = POOL.quorum[i];
      const ns = i === 0 ? this.ns.q1 : this.ns.q2;
      this.addNamespace(ns);
      this.ipBatch(ns, [`link add eth0 type veth peer name ${q.name}e0 netns ${this.ns.sw}`, `addr add ${q.address}/24 dev eth0`, 'link set eth0 up', `route add default via ${POOL.gateway}`]);
      this.ipBatch(this.ns.sw, [`link set ${q.name}e0 master brm`, `link set ${q.name}e0 up`]);
      this.maskNetworkConfig(ns);
      const dir = join(this.ssh.dir, q.name);
      mkdirSync(dir, { recursive: true });
      const key = this.ssh.makeKey(join(dir, 'host_ed25519_key'), 'ed25519', true);
      const config = join(dir, 'sshd_config');
      writeFileSync(config, sshdConfig(['Port 22', `ListenAddress ${q.address}`], key.file, this.ssh.authorizedKeys, this.ssh.remoteTmp));
      const [type, b64] = key.publicLine.split(' ');
      known.push(`${q.address} ${type} ${b64}`);
      await this.startSshd(ns, config, q.address, [22]);
    }
    appendFileSync(this.knownHosts, `${known.join('\n')}\n`);
  }

  /** Adds a machine that is not scanned (namespace x) on the production LAN holding `address`: a duplicate only the wire shows. */
  addIntruder(address: string): void {
    if (!this.intruderUp) {
      this.intruderUp = true;
      this.addNamespace(this.ns.x);
      this.ipBatch(this.ns.x, ['link add eth0 type veth peer name xe0 netns ' + this.ns.sw, 'link set eth0 up']);
      this.ipBatch(this.ns.sw, ['link set xe0 master brp', 'link set xe0 up']);
    }
    run('ip', ['-n', this.ns.x, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
  }

  /** Removes the intruder's addresses (it stays cabled, silent). */
  quietIntruder(): void {
    if (this.intruderUp) run('ip', ['-n', this.ns.x, 'addr', 'flush', 'dev', 'eth0']);
  }

  /** The namespace of a lab machine. */
  nsOf(m: LabMachine): string {
    return this.ns[m];
  }

  /** A firewall rule in a lab machine's own namespace (iptables INPUT), e.g. ['-p', 'udp', '--dport', '2189', '-j', 'DROP']. */
  firewall(m: LabMachine, rule: readonly string[]): void {
    run('ip', ['netns', 'exec', this.ns[m], 'iptables', '-w', '-A', 'INPUT', ...rule]);
  }

  /** Flushes the INPUT chain of every lab machine that has one. */
  clearFirewalls(): void {
    for (const m of ['h1', 'h2', 'q1', 'q2'] as const) tryRun('ip', ['netns', 'exec', this.ns[m], 'iptables', '-w', '-F', 'INPUT']);
  }

  /**
   * Every process inside the lab's namespaces, with its command line: what a scan left running.
   * (The namespaces share the machine's pid namespace, so `ip netns pids` finds them all.)
   */
  processes(): { ns: string; pid: number; cmd: string }[] {
    const out: { ns: string; pid: number; cmd: string }[] = [];
    for (const ns of this.namespaces) {
      const r = tryRun('ip', ['netns', 'pids', ns]);
      for (const pid of r.stdout.split('\n').map((l) => Number(l.trim())).filter((n) => n > 0)) {
        const cmd = tryRun('cat', [`/proc/${pid}/cmdline`]).stdout.replace(/\0/g, ' ').trim();
        if (cmd) out.push({ ns, pid, cmd });
      }
    }
    return out;
  }

  /** UDP sockets bound in a lab machine's namespace (`ss -u -l -n`). */
  udpListeners(m: LabMachine): string {
    return tryRun('ip', ['netns', 'exec', this.ns[m], 'ss', '-u', '-l', '-n', '-H']).stdout;
  }

  private startSshd(ns: string, config: string, address: string, ports: readonly number[] = [22, 443]): Promise<void> {
    // `ip netns exec` execs sshd, so the child's pid is sshd's: SshLab.destroy() kills its tree.
    const child = spawn('ip', ['netns', 'exec', ns, SSHD, '-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.sshds.push(child);
    this.ssh.children.add(child);
    child.once('exit', () => this.ssh.children.delete(child));
    let log = '';
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`sshd in ${ns} did not listen within 5 s: ${log.trim()}`)), 5000);
      child.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        if (ports.every((p) => log.includes(`Server listening on ${address} port ${p}.`))) {
          clearTimeout(timer);
          res();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`sshd in ${ns} exited (${code}) before listening: ${log.trim()}`));
      });
    });
  }

  /** Pids of the hosts' sshds (for `npm run lab -- down` when the lab's owner was killed). */
  sshdPids(): number[] {
    return this.sshds.flatMap((c) => (c.pid !== undefined ? [c.pid] : []));
  }

  /** The scan arguments for both hosts, and with `quorum` the two quorum computers too (no --format). */
  scanArgs(opts: ScanOptions = {}): string[] {
    const hosts = opts.quorum
      ? [
          ...['--host', `root@${POOL.hosts[0].management}`, '--role', 'master', '--host', `root@${POOL.hosts[1].management}`, '--role', 'member'],
          ...POOL.quorum.flatMap((q) => ['--host', `root@${q.address}`, '--role', 'quorum']),
        ]
      : ['--host', `root@${POOL.hosts[0].management}`, '--host', `root@${POOL.hosts[1].management}`];
    return [
      'scan',
      ...hosts,
      '-i',
      this.ssh.clientKey.file,
      '--known-hosts',
      this.knownHosts,
      '--ssh-config',
      this.sshConfig,
    ];
  }

  /** Runs the built CLI on the management computer: `ip netns exec mgmt node bin/preflight.js scan ... --format json`. */
  async scan(extra: readonly string[] = [], opts: ScanOptions = {}): Promise<PoolScan> {
    const started = performance.now();
    const child = this.spawnScan(extra, opts);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    const status = await new Promise<number | null>((res) => child.once('close', (code) => res(code)));
    clearTimeout(timer);
    const durationMs = Math.round(performance.now() - started);
    let report: Report;
    try {
      report = JSON.parse(stdout) as Report;
    } catch {
      throw new Error(`the pool scan printed no JSON report (exit ${status}): ${stderr.trim() || stdout.slice(0, 500)}`);
    }
    return {
      report,
      status,
      stderr,
      durationMs,
      pool(rule: string) {
        const f = report.pool.findings.find((x) => x.rule === rule);
        if (!f) throw new Error(`no pool finding for ${rule}; pool rules: ${report.pool.findings.map((x) => x.rule).join(', ')}`);
        return f;
      },
    };
  }

  /** Runs any CLI command on the management computer: `ip netns exec mgmt node bin/preflight.js ARGS`. */
  async cli(args: readonly string[], timeoutMs = 90_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
    const child = spawn('ip', ['netns', 'exec', this.ns.mgmt, process.execPath, CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', SSH_AUTH_SOCK: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const status = await new Promise<number | null>((res) => child.once('close', (code) => res(code)));
    clearTimeout(timer);
    return { status, stdout, stderr };
  }

  /** Starts the CLI on the management computer (JSON on stdout); the caller waits for or interrupts it. */
  spawnScan(extra: readonly string[] = [], opts: ScanOptions = {}): ChildProcess & { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream } {
    if (!existsSync(DIST_CLI)) throw new Error(`${DIST_CLI} is missing: build first (npx tsc -p tsconfig.json)`);
    // `ip netns exec` execs node, so the child's pid is the CLI's own: a signal reaches preflight itself.
    return spawn('ip', ['netns', 'exec', this.ns.mgmt, process.execPath, CLI, ...this.scanArgs(opts), '--format', 'json', '--no-color', ...extra], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', SSH_AUTH_SOCK: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    }) as ChildProcess & { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream };
  }

  /** Stops both sshds, deletes the namespaces and /etc/netns entries, removes the key directory. Idempotent. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    // Kill each sshd by its pid and wait until it is gone, so leftovers() sees nothing running.
    await Promise.all(
      this.sshds.map((c) =>
        c.exitCode !== null || c.signalCode !== null
          ? undefined
          : new Promise<void>((res) => {
              c.once('exit', () => res());
              c.kill('SIGKILL');
            }),
      ),
    );
    await this.ssh.destroy();
    this.destroySync();
  }

  private destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const c of this.sshds) {
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
    for (const n of [...this.namespaces].reverse()) tryRun('ip', ['netns', 'del', n]);
    this.namespaces.length = 0;
    for (const e of this.etcEntries) removeEtcNetns(e);
    this.etcEntries.length = 0;
    void this.ssh.destroy();
    live.delete(this);
  }

  /** Namespaces and /etc/netns entries of this lab still present (none after destroy()). */
  leftovers(): string[] {
    const mine = (n: string) => n.startsWith(`${this.prefix}-`);
    const r = tryRun('ip', ['netns', 'list']);
    const ns = r.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter(mine);
    const etc = existsSync(NETNS_ETC) ? readdirSync(NETNS_ETC).filter(mine) : [];
    return [...ns, ...etc.map((e) => join(NETNS_ETC, e)), ...this.ssh.leftovers()];
  }
}

export interface ScanOptions {
  /** also scan the quorum computers (addQuorumComputers first), with explicit roles */
  quorum?: boolean;
}

/** A lab sshd's configuration: root by key only, the lab's authorized keys. */
function sshdConfig(listen: readonly string[], hostKey: string, authorizedKeys: string, remoteTmp: string): string {
  return [
    ...listen,
    'AddressFamily inet',
    `HostKey ${hostKey}`,
    'PidFile none',
    `AuthorizedKeysFile ${authorizedKeys}`,
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'AllowUsers root',
    `SetEnv TMPDIR=${remoteTmp}`,
    'UseDNS no',
    'PrintMotd no',
    'MaxStartups 50',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

/** Removes /etc/netns/<name> without ever deleting recursively (as netnsLab does). */
function removeEtcNetns(name: string): void {
  const dir = join(NETNS_ETC, name);
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    try {
      if (entry.isDirectory()) rmdirSync(join(dir, entry.name));
      else unlinkSync(join(dir, entry.name));
    } catch {
      /* leftovers() reports it */
    }
  }
  try {
    rmdirSync(dir);
  } catch {
    /* leftovers() reports it */
  }
  try {
    if (existsSync(NETNS_ETC) && readdirSync(NETNS_ETC).length === 0) rmdirSync(NETNS_ETC);
  } catch {
    /* another lab uses it */
  }
}
