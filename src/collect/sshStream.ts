import type { ClientChannel } from 'ssh2';
import { connectSsh, type SshCollectOptions, type SshConnection, type SshTarget } from './sshTransport.js';

/**
 * A long-running command over SSH whose output is needed as it comes (the carrier watch), where
 * execSsh waits for the end. Same connection, host-key checks, authentication and connect time
 * limit as collectSsh and execSsh (connectSsh); what differs is the run:
 *
 * - `input` is written to the command's stdin at the start and stdin stays OPEN: the command is
 *   expected to run until its stdin closes. Aborting `signal` closes stdin, waits (up to
 *   stopGraceMs) for the command to exit and the channel to close, then ends the connection; so
 *   when the promise resolves after an abort, the command has exited on the host.
 * - The command must print something at least every idleTimeoutMs (a heartbeat): silence that
 *   long means the connection is gone (a pulled management cable sends no FIN, and TCP would take
 *   minutes to notice), and the promise rejects with a HostUnreachableError of kind 'lost'.
 */

export interface SshStreamOptions extends SshCollectOptions {
  /** How messages name the command, e.g. "the carrier watch". */
  what: string;
  /** Written to stdin once the command starts; stdin then stays open until abort. */
  input: string;
  /** Every stdout chunk as it arrives. */
  onStdout(chunk: Buffer): void;
  /** Stops the command (closes its stdin) or the connection attempt. */
  signal: AbortSignal;
  /** No stdout for this long while running: the connection counts as lost (default 4000). */
  idleTimeoutMs?: number;
  /** After abort: how long the command may take to exit before the connection is cut anyway (default 3000). */
  stopGraceMs?: number;
}

export interface SshStreamEnd {
  /** true when the signal stopped it; false when the command ended by itself. */
  aborted: boolean;
  /** After an abort: false when the command had not exited within stopGraceMs (the connection was cut). */
  exited: boolean;
  exitCode: number | null;
  exitSignal?: string;
  /** The first 16 KiB of stderr. */
  stderr: string;
}

const STDERR_CAP = 16 * 1024;

/**
 * Runs `command` (a fixed string, never built from input) on the host until it ends or `signal`
 * aborts. Rejects with a HostUnreachableError when the host cannot be reached, refuses the
 * command, or the connection is lost (kind 'lost') while it runs.
 */
export function execSshStream(target: SshTarget, command: string, opts: SshStreamOptions): Promise<SshStreamEnd> {
  const idleMs = opts.idleTimeoutMs ?? 4000;
  const graceMs = opts.stopGraceMs ?? 3000;
  return new Promise((resolvePromise, rejectPromise) => {
    let end: SshStreamEnd | undefined;
    let stream: ClientChannel | undefined;
    let stopping = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let stderr = '';
    let exitCode: number | null = null;
    let exitSignal: string | undefined;
    const result = (aborted: boolean, exited: boolean): SshStreamEnd => ({ aborted, exited, exitCode, ...(exitSignal !== undefined ? { exitSignal } : {}), stderr });

    const armIdle = (conn: SshConnection) =>
      conn.arm(idleMs, () => conn.fail('lost', `${conn.where} stopped answering during ${opts.what} (nothing received for ${idleMs / 1000} s)`));

    const onAbort = () => {
      if (conn.settled) return;
      if (!stream) {
        // Still connecting or authenticating: nothing runs on the host yet.
        end = result(true, true);
        conn.client.destroy();
        conn.finish();
        return;
      }
      stopping = true;
      conn.disarm();
      // EOF on the command's stdin: the command stops itself (see remoteCarrierScript.ts).
      stream.end();
      graceTimer = setTimeout(() => {
        end = result(true, false);
        conn.finish();
      }, graceMs);
    };

    const conn = connectSsh(target, opts, {
      during: opts.what,
      ready: (c) => {
        if (opts.signal.aborted) return onAbort();
        armIdle(c);
        c.client.exec(command, (err: Error | undefined, ch: ClientChannel) => {
          if (c.settled) return;
          if (err) return c.finish(c.fail('remote', `${c.where} refused to run ${opts.what}: ${err.message}`));
          stream = ch;
          c.setStage('running');
          ch.on('data', (d: Buffer) => {
            if (!stopping) armIdle(c);
            opts.onStdout(d);
          });
          ch.stderr.on('data', (d: Buffer) => {
            if (stderr.length < STDERR_CAP) stderr += d.toString('utf8');
          });
          ch.on('exit', (code: number | null, signal?: string) => {
            exitCode = code;
            exitSignal = signal;
          });
          ch.on('error', () => {
            /* the client's close/error handlers report it */
          });
          ch.on('close', () => {
            if (c.settled) return;
            clearTimeout(graceTimer);
            end = result(stopping, true);
            c.finish();
          });
          ch.write(opts.input);
          if (opts.signal.aborted) onAbort();
        });
      },
      closed: (failure) => {
        clearTimeout(graceTimer);
        opts.signal.removeEventListener('abort', onAbort);
        // A connection that breaks while we are stopping anyway is not worth an error.
        if (failure && !stopping && !opts.signal.aborted) rejectPromise(failure);
        else resolvePromise(end ?? result(true, !stream));
      },
    });
    if (!conn.settled) opts.signal.addEventListener('abort', onAbort, { once: true });
    if (opts.signal.aborted) onAbort();
  });
}
