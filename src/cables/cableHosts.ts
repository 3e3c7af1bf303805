import { isRemoteScan, remoteDestinations, sshTargetFor, type RemoteHooks, type TargetOptions } from '../commands/scanTargets.js';
import type { CableHost } from './cableHost.js';
import { LocalCableHost } from './localCableHost.js';
import { SshCableHost } from './sshCableHost.js';

/**
 * The hosts `preflight cables` works on, from the same target options as `preflight scan`: this
 * machine when neither --host nor --inventory is given, otherwise one SSH host per destination
 * (resolved through ~/.ssh/config like the scan's, so a bad address fails with exit 2 before any
 * host is contacted). Nothing is contacted here.
 */
export function cableHostsFor(opts: TargetOptions & { interval?: number }, hooks: RemoteHooks = {}): CableHost[] {
  if (!isRemoteScan(opts)) return [new LocalCableHost(opts.interval !== undefined ? { intervalMs: opts.interval } : {})];
  return remoteDestinations(opts).map(
    ({ name, destination }) =>
      new SshCableHost(sshTargetFor(name, destination, opts, hooks), { onNote: (note) => hooks.onNote?.(name, note) }),
  );
}
