import { hostname } from 'node:os';
import type { Evidence, HostEvidence, Probe } from '../collect/evidence.js';
import { portTableEvidence } from '../cables/loadPortTable.js';
import type { PortTable } from '../cables/portTable.js';
import { NETWORK_TEST_SCRIPT, networkTestInput, networkTestsWorstCaseSeconds, newNetNonce, parseNetworkTests, type HostNetworkTests } from '../collect/networkTests.js';
import { pairRoles } from '../collect/hostSpec.js';
import { loadInventory } from '../collect/inventory.js';
import { collectLocal } from '../collect/localTransport.js';
import { probesForRole, readsComputerProbes } from '../collect/probes.js';
import { defaultKnownHostsFile, resolveSshDestination, SshConfigError, type SshDestination } from '../collect/sshConfig.js';
import type { SshStage, SshTarget } from '../collect/sshTransport.js';
import { InputError } from '../engine/inputError.js';
import type { ScanTarget } from '../engine/runScan.js';
import { Role } from '../engine/types.js';

/**
 * Turns the scan's target options into ScanTargets: this machine (no --host, no --inventory), the
 * --host list, or an Ansible inventory. Every address is resolved through ~/.ssh/config here, so a
 * bad address or config fails the run (exit 2) before any host is contacted.
 */

export interface TargetOptions {
  host?: string[];
  role?: string[];
  inventory?: string;
  identity?: string[];
  knownHosts?: string;
  acceptNew?: boolean;
  sshConfig?: string;
  /** Seconds; connect and per-probe limit. */
  timeout?: number;
}

export interface RemoteHooks {
  password?: string;
  onStage?(host: string, stage: SshStage): void;
  onNote?(host: string, note: string): void;
}

/** Connect + handshake + authentication limit when --timeout is not given. */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export function isRemoteScan(opts: TargetOptions): boolean {
  return (opts.host?.length ?? 0) > 0 || opts.inventory !== undefined;
}

export function localTarget(probes: readonly Probe[], opts: TargetOptions): ScanTarget {
  const roles = opts.role ?? [];
  if (roles.length > 1) throw new InputError(`--role given ${roles.length} times for a scan of this machine: give it once`);
  const role = parseRole(roles[0] ?? 'master');
  const timeoutMs = opts.timeout !== undefined ? opts.timeout * 1000 : undefined;
  return {
    name: hostname(),
    address: 'local',
    role,
    collect: () =>
      collectLocal(probesForRole(probes, role), { inProcess: readsComputerProbes(role), ...(timeoutMs !== undefined ? { timeoutMs } : {}) }),
  };
}

/** The remote hosts, resolved but not contacted. */
export function remoteDestinations(opts: TargetOptions): { name: string; role: Role; destination: SshDestination }[] {
  if ((opts.host?.length ?? 0) > 0 && opts.inventory !== undefined) {
    throw new InputError('give either --host or --inventory, not both');
  }
  const resolve = (address: string, identityFiles: string[]) => {
    try {
      return resolveSshDestination(address, { identityFiles, ...(opts.sshConfig ? { configFile: opts.sshConfig } : {}) });
    } catch (err) {
      if (err instanceof SshConfigError) throw new InputError(err.message);
      throw err;
    }
  };
  if (opts.inventory !== undefined) {
    return loadInventory(opts.inventory).map((h) => {
      const address = `${h.user !== undefined ? `${h.user}@` : ''}${h.host.includes(':') ? `[${h.host}]` : h.host}${h.port !== undefined ? `:${h.port}` : ''}`;
      const identities = [...(opts.identity ?? []), ...(h.identityFile !== undefined ? [h.identityFile] : [])];
      return { name: h.name, role: h.role, destination: resolve(address, identities) };
    });
  }
  const hosts = opts.host ?? [];
  const paired = pairRoles(hosts, opts.role ?? []);
  return paired.map((t, i) => ({ name: t.name, role: t.role, destination: resolve(hosts[i]!, opts.identity ?? []) }));
}

/** The SshTarget of one resolved destination: known_hosts, --accept-new, --timeout, password, agent from the options. */
export function sshTargetFor(name: string, d: SshDestination, opts: TargetOptions, hooks: Pick<RemoteHooks, 'password'> = {}): SshTarget {
  return {
    name,
    host: d.host,
    port: d.port,
    user: d.user,
    identityFiles: d.identityFiles,
    knownHostsFile: opts.knownHosts ?? defaultKnownHostsFile(),
    acceptNew: opts.acceptNew === true,
    connectTimeoutMs: opts.timeout !== undefined ? opts.timeout * 1000 : DEFAULT_CONNECT_TIMEOUT_MS,
    ...(opts.timeout !== undefined ? { probeTimeoutMs: opts.timeout * 1000 } : {}),
    ...(hooks.password !== undefined ? { password: hooks.password } : {}),
    ...(process.env.SSH_AUTH_SOCK ? { agentSocket: process.env.SSH_AUTH_SOCK } : {}),
  };
}

export function remoteTargets(probes: readonly Probe[], opts: TargetOptions, hooks: RemoteHooks = {}): ScanTarget[] {
  return remoteDestinations(opts).map(({ name, role, destination: d }) => {
    const ssh = sshTargetFor(name, d, opts, hooks);
    return {
      name,
      address: `${d.user}@${d.host.includes(':') ? `[${d.host}]` : d.host}:${d.port}`,
      role,
      netAddress: d.host,
      // The active network tests: a fixed script as the exec command, its parameters on stdin.
      exercise: async (tests: HostNetworkTests): Promise<Record<string, Evidence>> => {
        const { execSsh } = await import('../collect/sshTransport.js');
        const nonce = newNetNonce();
        const started = Date.now();
        const r = await execSsh(ssh, NETWORK_TEST_SCRIPT, networkTestInput(tests, nonce), {
          budgetMs: networkTestsWorstCaseSeconds(tests) * 1000 + 10_000,
          maxStdout: 256 * 1024,
          what: 'the network tests',
          onNote: (note) => hooks.onNote?.(name, note),
        });
        return parseNetworkTests(r.stdout.toString('utf8'), nonce, tests, Date.now() - started);
      },
      // ssh2 is only loaded for remote scans.
      collect: async (): Promise<HostEvidence> => {
        const { collectSsh } = await import('../collect/sshTransport.js');
        return collectSsh(ssh, probesForRole(probes, role), {
          onStage: (stage) => hooks.onStage?.(name, stage),
          onNote: (note) => hooks.onNote?.(name, note),
        });
      },
    };
  });
}

/**
 * `--cables FILE`: each target's evidence also holds its rows of the port table (an item of its
 * own, no probe runs), so the pool.cabling rule judges plain evidence and `--evidence-out` and
 * bundles replay it. Hosts are matched to the table by name.
 */
export function withPortTableEvidence<T extends ScanTarget>(targets: readonly T[], table: PortTable, file: string): T[] {
  return targets.map((t) => ({
    ...t,
    collect: async (): Promise<HostEvidence> => {
      const ev = await t.collect();
      const item = portTableEvidence(table, t.name, file);
      return { ...ev, evidence: { ...ev.evidence, [item.probe]: item } };
    },
  }));
}

function parseRole(text: string): Role {
  const r = Role.safeParse(text);
  if (!r.success) throw new InputError(`unknown role "${text}": expected ${Role.options.join(', ')}`);
  return r.data;
}
