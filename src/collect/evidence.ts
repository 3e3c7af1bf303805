/**
 * Evidence is what probes returned, as plain JSON-able data. It is exactly what a support bundle
 * stores, so a bundle replays through the same parsers and rules as a live scan.
 */

/** A named, read-only way to learn one thing about a host. */
export interface Probe {
  /** Stable id, e.g. `proc.cpuinfo`. Parsers look evidence up by this id. */
  id: string;
  /** What this probe learns, for people reading a bundle manifest. */
  description: string;
  /**
   * A fixed POSIX sh script (no user input is ever interpolated). It must run on bash 3 /
   * coreutils 5 (XenServer 5.5 Dom0) as well as on current distributions, and change nothing.
   */
  script: string;
  /** When set, the local transport reads this file directly instead of forking `cat`. */
  file?: string;
  /** A command an operator can run by hand to see the same thing. */
  manual: string;
  /** Per-probe time limit in milliseconds. */
  timeoutMs: number;
  /** Upper bound on captured stdout; longer output is cut and marked truncated. */
  maxBytes: number;
  /**
   * Read in-process by the local transport instead of running `script`: the machine preflight runs
   * on is described by a Node library (its JSON result is the evidence, so a bundle replays it).
   * Remote transports never run it; `script` then only says why the probe is absent.
   */
  node?: NodeProbeKind;
  /**
   * A fixed cmd.exe command line the local transport runs instead of `script` when preflight itself
   * runs on Windows (reg, powercfg, systeminfo). Elsewhere `script` runs, and reports the probe as
   * absent (exit 127) because it is for Windows only.
   */
  windows?: string;
  /**
   * The one OS this probe can answer on. Its script exits 127 with `reason` (one line) elsewhere; the
   * local transport records exactly that without starting a shell when it runs on another OS.
   */
  only?: { platform: 'win32' | 'darwin' | 'linux'; reason: string };
}

/** In-process probe kinds the local transport knows how to run. */
export type NodeProbeKind = 'systeminformation';

export interface Evidence {
  probe: string;
  /** The script or file that produced it (copied from the probe so a bundle is self-describing). */
  source: string;
  stdout: string;
  stderr: string;
  /** Exit code of the script; null when it did not run to completion. */
  exitCode: number | null;
  durationMs: number;
  truncated: boolean;
  /** Set when the probe could not be run at all (timeout, spawn failure, unreadable file). */
  error?: string;
}

/** All evidence gathered from one host, keyed by probe id. */
export interface HostEvidence {
  /** Transport that produced it: `local`, `ssh`, or `bundle`. */
  transport: string;
  collectedAt: string;
  evidence: Record<string, Evidence>;
}

/** Exit code conventions used by the probe scripts. */
export const EXIT_NOT_FOUND = 127;

/** True when the probe ran and the command it needed exists (not 127, no transport error). */
export function evidenceUsable(ev: Evidence | undefined): ev is Evidence {
  return ev !== undefined && ev.error === undefined && ev.exitCode !== null && ev.exitCode !== EXIT_NOT_FOUND;
}
