import { readdirSync, readFileSync, rmSync } from 'node:fs';

/**
 * Temporary files and folders of one bundle run, removed whatever happens: on success (after the
 * renames), on an error, on SIGINT / SIGTERM / SIGHUP, and on a crash (the process "exit" hook).
 * An interrupted run also stops the probe processes it started locally (each runs in its own
 * process group), so nothing keeps running after preflight is gone.
 */
export class TempPaths {
  private readonly paths = new Set<string>();

  add(path: string): void {
    this.paths.add(path);
  }

  /** The path became permanent (renamed into place) or was removed: no longer ours to clean. */
  release(path: string): void {
    this.paths.delete(path);
  }

  list(): string[] {
    return [...this.paths];
  }

  removeAll(): void {
    for (const p of this.paths) {
      try {
        rmSync(p, { recursive: true, force: true });
      } catch {
        /* best effort: keep going with the others */
      }
    }
    this.paths.clear();
  }
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/**
 * Runs `work` with the temporary paths removed when it ends in any way. On a signal the process
 * exits at once with 128 + the signal number (130 for ^C), after one line on stderr.
 */
export async function withCleanup<T>(temps: TempPaths, work: () => Promise<T>, onInterrupt?: (signal: string) => void): Promise<T> {
  const onExit = () => {
    killOwnProcessGroups();
    temps.removeAll();
  };
  const handlers = new Map<string, () => void>();
  for (const [signal, number] of Object.entries(SIGNALS)) {
    const h = () => {
      killOwnProcessGroups();
      temps.removeAll();
      onInterrupt?.(signal);
      process.exit(128 + number);
    };
    handlers.set(signal, h);
    process.on(signal as NodeJS.Signals, h);
  }
  process.on('exit', onExit);
  try {
    return await work();
  } finally {
    temps.removeAll();
    process.off('exit', onExit);
    for (const [signal, h] of handlers) process.off(signal as NodeJS.Signals, h);
  }
}

/**
 * Kills the process groups of this process's direct children that lead their own group (the local
 * transport runs every probe script detached, in its own group). Linux /proc only; elsewhere a
 * probe still ends at its own time limit.
 */
export function killOwnProcessGroups(): void {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const pgid = Number(fields[2]);
      const pid = Number(entry);
      if (ppid === process.pid && pgid === pid) process.kill(-pid, 'SIGKILL');
    } catch {
      /* exited meanwhile, or not ours */
    }
  }
}
