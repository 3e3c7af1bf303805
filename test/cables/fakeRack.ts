import type { CableHost, IdentifyResult, ReachResult, ReachTarget, WatchHandlers } from '../../src/cables/cableHost.js';
import type { PortRef } from '../../src/cables/correlate.js';
import type { CableRow, CableTable } from '../../src/cables/table.js';
import { NicLayout } from '../../src/checks/nicLayout.js';

/**
 * An in-memory rack for the walkthrough's logic tests: hosts with NICs, and cables between ports
 * (or from a port to a switch). Pulling a cable drops carrier at its ends, each host's watcher
 * seeing it after its own delay, as two SSH sessions would. The real thing (veth in namespaces,
 * sshd) is exercised by the lab tests; this one makes every rack fault cheap to stage.
 */

export const LAYOUT: NicLayout = { management: 'eth0', alink1: 'eth1', alink2: 'eth2', production: 'eth3', bondPartner: 'eth4', bondManagement: true };

export interface Cable {
  ends: PortRef[];
  /** Carrier never comes back after plugging in (bad cable). */
  dead?: boolean;
  /** Unplugging it changes nothing (it is not where the operator thinks). */
  phantom?: boolean;
}

export class FakeRack {
  readonly hosts: FakeHost[];
  constructor(
    names: string[],
    readonly cables: Cable[],
    opts: { remote?: boolean; delays?: Record<string, number> } = {},
  ) {
    this.hosts = names.map((n) => new FakeHost(n, opts.remote ? `root@${n}:22` : 'local', opts.delays?.[n] ?? 0, this));
  }

  /** The guide's cabling: A-links straight between the two hosts, the rest to switches. */
  static direct(names = ['h1', 'h2'], opts: { remote?: boolean; delays?: Record<string, number> } = {}): FakeRack {
    const cables: Cable[] = [];
    if (names.length === 2) {
      cables.push({ ends: names.map((host) => ({ host, nic: 'eth1' })) }, { ends: names.map((host) => ({ host, nic: 'eth2' })) });
    } else for (const host of names) cables.push({ ends: [{ host, nic: 'eth1' }] }, { ends: [{ host, nic: 'eth2' }] });
    for (const host of names) for (const nic of ['eth0', 'eth3', 'eth4']) cables.push({ ends: [{ host, nic }] });
    return new FakeRack(names, cables, opts);
  }

  host(name: string): FakeHost {
    return this.hosts.find((h) => h.name === name)!;
  }

  cableAt(host: string, nic: string): Cable {
    const c = this.cables.find((x) => x.ends.some((e) => e.host === host && e.nic === nic));
    if (!c) throw new Error(`no cable at ${host} ${nic}`);
    return c;
  }

  unplug(host: string, nic: string): void {
    const c = this.cableAt(host, nic);
    if (c.phantom) return;
    for (const e of c.ends) this.host(e.host).set(e.nic, false);
  }

  plug(host: string, nic: string): void {
    const c = this.cableAt(host, nic);
    if (c.phantom || c.dead) return;
    for (const e of c.ends) this.host(e.host).set(e.nic, true);
  }
}

export class FakeHost implements CableHost {
  readonly carrier = new Map<string, boolean>();
  handlers: WatchHandlers | undefined;
  identified: string[] = [];
  reachResults: (t: ReachTarget) => ReachResult = (t) => ({ ...t, ok: true, rttMs: 0.4 });
  watching = 0;

  constructor(
    readonly name: string,
    readonly address: string,
    private readonly delayMs: number,
    rack: FakeRack,
  ) {
    for (const nic of ['eth0', 'eth1', 'eth2', 'eth3', 'eth4']) {
      const cabled = rack.cables.some((c) => c.ends.some((e) => e.host === name && e.nic === nic));
      this.carrier.set(nic, cabled);
    }
  }

  set(nic: string, carrier: boolean): void {
    if (this.carrier.get(nic) === carrier) return;
    this.carrier.set(nic, carrier);
    const h = this.handlers;
    setTimeout(() => h?.onChange({ time: new Date().toISOString(), host: this.name, nic, carrier }), this.delayMs);
  }

  /** The SSH session drops (management cable pulled) and, later, comes back. */
  lose(): void {
    this.handlers?.onStatus?.({ kind: 'lost', host: this.name, message: 'connection reset' });
  }

  reconnect(): void {
    this.handlers?.onStatus?.({ kind: 'reconnected', host: this.name });
  }

  async readTable(profile: string): Promise<CableTable> {
    const nics: CableRow[] = [...this.carrier].map(([device, carrier], i) => ({
      mac: `52:54:00:aa:${this.name.charCodeAt(this.name.length - 1).toString(16)}:${(0x10 + i).toString(16)}`,
      pciSlot: `0000:0${i}:00.0`,
      device,
      driver: 'e1000e',
      speedMbps: 1000,
      carrier,
      adminUp: true,
      ipv4: device === 'eth0' ? [`192.0.2.${10 + Number(this.name.at(-1))}/24`] : device === 'eth2' ? [`10.91.2.${this.name.at(-1)}/24`] : [],
      role: null,
    }));
    return { host: this.name, collectedAt: new Date().toISOString(), profile, layout: LAYOUT, nics, missing: [], problems: [] };
  }

  watch(nics: readonly string[], handlers: WatchHandlers): Promise<void> {
    this.handlers = handlers;
    this.watching++;
    handlers.onStart(new Map(nics.map((n) => [n, this.carrier.get(n) ?? false])));
    return new Promise((resolve) =>
      handlers.signal.addEventListener(
        'abort',
        () => {
          this.watching--;
          this.handlers = undefined;
          resolve();
        },
        { once: true },
      ),
    );
  }

  async identify(device: string): Promise<IdentifyResult> {
    this.identified.push(device);
    return { ok: false, message: 'the veth driver cannot blink a LED (ethtool: Operation not supported)' };
  }

  async reach(targets: readonly ReachTarget[]): Promise<ReachResult[]> {
    return targets.map((t) => this.reachResults(t));
  }
}
