import { readdirSync, readFileSync } from 'node:fs';

/** Process-tree helpers for tests that must prove nothing was left running (Linux /proc). */

/** Every descendant of `pid`, from /proc (children before grandchildren). */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields resume after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = parent.get(ppid) ?? [];
      list.push(Number(entry));
      parent.set(ppid, list);
    } catch {
      /* exited meanwhile */
    }
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length) {
    for (const c of parent.get(todo.shift()!) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

/** Processes whose environment holds `marker` (a variable a test set): what a run left behind. */
export function processesWithEnvMarker(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker)) found.push(Number(entry));
    } catch {
      /* exited, or a kernel thread */
    }
  }
  return found;
}

export function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* gone */
  }
}

/** SIGKILLs a process and all its descendants (listed first, so none is reparented away unseen). */
export function killTree(pid: number): void {
  const all = [pid, ...descendants(pid)];
  for (const p of all) signal(p, 'SIGSTOP');
  for (const p of [...all, ...descendants(pid)]) signal(p, 'SIGKILL');
}

