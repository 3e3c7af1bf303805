import { readFileSync, statSync } from 'node:fs';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, AuthenticationType, ClientChannel, ConnectConfig, KexAlgorithm, KeyboardInteractiveCallback, NextAuthHandler, ParsedKey, ServerHostKeyAlgorithm } from 'ssh2';
import type { HostEvidence, Probe } from './evidence.js';
import { appendKnownHost, checkHostKey, knownHostsName, knownKeyTypes, readKnownHosts, type HostKeyCheck, type KnownHosts } from './knownHosts.js';
import { batchWorstCaseSeconds, buildBatchScript, newNonce, parseBatch, STDERR_CAP_BYTES } from './remoteScript.js';

const { Client, utils } = ssh2;

/**
 * Collects a host's evidence over SSH: one connection, one `exec` of the batch script (see
 * remoteScript.ts) with the script on stdin, so nothing is ever quoted into a command line.
 *
 * Authentication follows OpenSSH's order: the agent, then identity files, then (only when the
 * user gave one) the password, by keyboard-interactive or password as the server offers.
 * Host keys are checked against known_hosts like StrictHostKeyChecking=accept-new when asked,
 * =yes otherwise; a changed or revoked key is always refused.
 *
 * Every way a host can fail ends in a rejected promise with a HostUnreachableError whose message
 * is one line, within the host's deadline: connect timeout for TCP + handshake + authentication,
 * then the batch's longest probe limit plus a margin. The connection is always closed.
 */

export interface SshTarget {
  /** How reports name the host (e.g. what the user typed). */
  name: string;
  host: string;
  port: number;
  user: string;
  /** Private key files to try, in order; missing ones are skipped. */
  identityFiles: string[];
  /** Only when the user asked for password authentication (--ask-pass). Never logged. */
  password?: string;
  knownHostsFile: string;
  /** Add an unknown host key to knownHostsFile (OpenSSH's accept-new); never replaces a changed one. */
  acceptNew: boolean;
  /** TCP connect + SSH handshake + authentication must finish within this. */
  connectTimeoutMs: number;
  /** Overrides every probe's own time limit (--timeout). */
  probeTimeoutMs?: number;
  /** ssh-agent socket (the caller passes SSH_AUTH_SOCK); no agent when unset. */
  agentSocket?: string;
}

export type SshStage = 'connecting' | 'connected' | 'handshake' | 'authenticated' | 'running' | 'done';

export interface SshCollectOptions {
  /** Progress: connecting, connected (TCP), handshake (keys exchanged), authenticated, running, done. */
  onStage?(stage: SshStage): void;
  /** Things the user should know that are not failures (a skipped encrypted key, a key added to known_hosts). */
  onNote?(note: string): void;
  /** Time allowed after the longest probe limit for the results to arrive (default RUN_MARGIN_MS). */
  runMarginMs?: number;
}

export type HostFailureKind = 'connect' | 'timeout' | 'host-key' | 'auth' | 'lost' | 'remote';

/** A host that could not be scanned. The message is one line, meant for the user as it is. */
export class HostUnreachableError extends Error {
  override name = 'HostUnreachableError';
  constructor(
    message: string,
    readonly host: string,
    readonly kind: HostFailureKind,
  ) {
    super(message);
    // The user sees the message; a stack trace would only hide it.
    this.stack = `${this.name}: ${message}`;
  }
}

/** Time after the longest probe limit for the script to print and the results to arrive. */
export const RUN_MARGIN_MS = 10_000;
const KEEPALIVE_MS = 5_000;
const BATCH_STDERR_CAP = 16 * 1024;

/** ssh2's defaults plus what a XenServer 5.5 Dom0 (OpenSSH 4.3) speaks, last so modern servers never pick them. */
const KEX: KexAlgorithm[] = [
  'curve25519-sha256',
  'curve25519-sha256@libssh.org',
  'ecdh-sha2-nistp256',
  'ecdh-sha2-nistp384',
  'ecdh-sha2-nistp521',
  'diffie-hellman-group-exchange-sha256',
  'diffie-hellman-group14-sha256',
  'diffie-hellman-group15-sha512',
  'diffie-hellman-group16-sha512',
  'diffie-hellman-group17-sha512',
  'diffie-hellman-group18-sha512',
  'diffie-hellman-group-exchange-sha1',
  'diffie-hellman-group14-sha1',
];
const HOST_KEY_ALGORITHMS: Record<string, ServerHostKeyAlgorithm[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  'ssh-dss': ['ssh-dss'],
};

/**
 * Host key algorithms with the types known_hosts already lists for this host first, as OpenSSH
 * orders them: a server with several host keys then shows the one we can check.
 */
export function orderHostKeyAlgorithms(knownTypes: readonly string[]): ServerHostKeyAlgorithm[] {
  const all = Object.values(HOST_KEY_ALGORITHMS).flat();
  const first = knownTypes.flatMap((t) => HOST_KEY_ALGORITHMS[t] ?? []);
  return [...new Set([...first, ...all])];
}

interface Attempt {
  method: AuthenticationType;
  label: string;
  auth: AnyAuthMethod;
}

export function collectSsh(target: SshTarget, probes: readonly Probe[], opts: SshCollectOptions = {}): Promise<HostEvidence> {
  const timeoutSeconds = target.probeTimeoutMs !== undefined ? Math.max(1, Math.ceil(target.probeTimeoutMs / 1000)) : undefined;
  const nonce = newNonce();
  const script = buildBatchScript(probes, { nonce, ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}) });
  const collectedAt = new Date().toISOString();
  return runSshJob<HostEvidence>(
    target,
    {
      command: '/bin/sh -s',
      input: script,
      budgetMs: batchWorstCaseSeconds(probes, timeoutSeconds !== undefined ? { timeoutSeconds } : {}) * 1000 + (opts.runMarginMs ?? RUN_MARGIN_MS),
      maxStdout: probes.reduce((n, p) => n + p.maxBytes + STDERR_CAP_BYTES + 512, 4096),
      what: 'the probe script',
      during: 'the scan',
      finish: (r, where, fail) => {
        const batch = parseBatch(r.stdout, nonce, probes);
        if (batch.complete) return { transport: 'ssh', collectedAt, evidence: batch.evidence };
        if (batch.fatal) return fail('remote', `${where}: the probe script could not start (${batch.fatal} failed)`);
        const said = firstLine(r.stderr);
        if (r.exitCode === null && r.exitSignal === undefined) return fail('lost', `the connection to ${where} was lost during the scan`);
        const how = r.exitSignal !== undefined ? `was killed by SIG${r.exitSignal}` : `exited with ${r.exitCode}`;
        return fail('remote', `${where}: the probe script ${how} before it finished${said ? `: ${said}` : ''}`);
      },
    },
    opts,
  );
}

/** What a command run over SSH gave back. */
export interface SshExecResult {
  stdout: Buffer;
  /** The first 16 KiB of stderr. */
  stderr: string;
  /** null when the command did not exit normally (killed, or the channel closed first). */
  exitCode: number | null;
  exitSignal?: string;
}

export interface SshExecOptions extends SshCollectOptions {
  /** The command must finish (after authentication) within this. */
  budgetMs: number;
  /** More stdout than this stops the command and fails. */
  maxStdout: number;
  /** How messages name the command, e.g. "the network tests". */
  what: string;
}

/**
 * Runs one fixed command on a host over its own SSH connection (same authentication, host key
 * checks and time limits as collectSsh) with `input` on its stdin, e.g. a fixed script whose
 * parameters come as data on stdin. Resolves with what the command gave back whatever its exit
 * code; rejects with a HostUnreachableError when the host cannot be reached or the command
 * cannot be run or finish in time.
 */
export function execSsh(target: SshTarget, command: string, input: string, opts: SshExecOptions): Promise<SshExecResult> {
  return runSshJob<SshExecResult>(
    target,
    { command, input, budgetMs: opts.budgetMs, maxStdout: opts.maxStdout, what: opts.what, during: opts.what, finish: (r) => r },
    opts,
  );
}

interface SshJob<T> {
  /** The exec request's command line: a fixed string, never built from user input. */
  command: string;
  /** Written to the command's stdin, then stdin is closed. */
  input: string;
  budgetMs: number;
  maxStdout: number;
  /** "the probe script": who refused to run, or printed too much. */
  what: string;
  /** "the scan": what did not finish, or was interrupted. */
  during: string;
  finish(result: SshExecResult, where: string, fail: (kind: HostFailureKind, message: string) => HostUnreachableError): T | HostUnreachableError;
}

/**
 * An authenticated SSH connection handed to its user by connectSsh. One deadline timer and one
 * outcome per connection: finish() ends it (normally, or with a failure) exactly once.
 */
export interface SshConnection {
  readonly client: InstanceType<typeof Client>;
  /** host, or [host]:port, for messages. */
  readonly where: string;
  /** true once finish() ran (or the connection failed). */
  readonly settled: boolean;
  /** A HostUnreachableError for this host, its message scrubbed to one line without secrets. */
  fail(kind: HostFailureKind, message: string): HostUnreachableError;
  /** (Re)starts the connection's one deadline: when it expires the connection fails with onExpiry(). */
  arm(ms: number, onExpiry: () => HostUnreachableError): void;
  /** Stops the deadline (a command that may run as long as its caller wants). */
  disarm(): void;
  setStage(stage: SshStage): void;
  /** Ends the connection: gracefully without a failure, destroyed with one. Idempotent. */
  finish(failure?: HostUnreachableError): void;
}

export interface SshConnectHandlers {
  /** What runs once connected, for "the connection was lost during ...". */
  during: string;
  /** Authenticated: the caller runs its command on conn.client. */
  ready(conn: SshConnection): void;
  /** Exactly once: undefined after finish() without a failure, else why the connection ended. */
  closed(failure: HostUnreachableError | undefined): void;
}

/**
 * Connects and authenticates (host key checks, agent/keys/password, the connect timeout), then
 * calls handlers.ready. Every failure, before or after ready, reaches handlers.closed as one
 * HostUnreachableError. Shared by collectSsh, execSsh and the streaming exec (sshStream.ts).
 * Returns the connection, so the caller can finish() it early (e.g. on abort while connecting).
 */
export function connectSsh(target: SshTarget, opts: SshCollectOptions, handlers: SshConnectHandlers): SshConnection {
  const bracketed = target.host.includes(':') ? `[${target.host}]` : target.host;
  const where = target.port === 22 ? target.host : `${bracketed}:${target.port}`;
  const secrets = target.password !== undefined && target.password.length >= 3 ? [target.password] : [];
  const oneLine = (text: string) => scrub(text, secrets);
  const fail = (kind: HostFailureKind, message: string) => new HostUnreachableError(oneLine(message), target.name, kind);

  const client = new Client();
  let stage: SshStage = 'connecting';
  let settled = false;
  let hostKeyFailure: HostUnreachableError | undefined;
  let timer: NodeJS.Timeout | undefined;
  const setStage = (s: SshStage) => {
    stage = s;
    opts.onStage?.(s);
  };
  const finish = (failure?: HostUnreachableError) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    if (failure) {
      client.destroy();
    } else {
      setStage('done');
      client.end();
    }
    handlers.closed(failure);
  };
  const arm = (ms: number, onExpiry: () => HostUnreachableError) => {
    clearTimeout(timer);
    timer = setTimeout(() => finish(onExpiry()), ms);
  };
  const conn: SshConnection = {
    client,
    where,
    get settled() {
      return settled;
    },
    fail,
    arm,
    disarm: () => clearTimeout(timer),
    setStage,
    finish,
  };

  let known: KnownHosts;
  try {
    known = readKnownHosts(target.knownHostsFile);
  } catch (err) {
    finish(fail('host-key', (err as Error).message));
    return conn;
  }
  for (const p of known.problems) opts.onNote?.(`${p} (line skipped)`);

  const attempts = authAttempts(target, opts.onNote);
  const connectSeconds = formatSeconds(target.connectTimeoutMs);
  arm(target.connectTimeoutMs, () => {
    if (stage === 'connecting') return fail('timeout', `cannot connect to ${where}: no TCP connection within ${connectSeconds}`);
    if (stage === 'connected') return fail('timeout', `${where} accepted the connection but did not complete an SSH handshake within ${connectSeconds}`);
    return fail('timeout', `${where}: authentication did not finish within ${connectSeconds}`);
  });

  client.on('connect', () => setStage('connected'));
  client.on('handshake', () => setStage('handshake'));
  client.on('error', (err: Error & { level?: string; code?: string }) => {
    if (settled) return;
    if (err.level === 'agent') {
      opts.onNote?.(`ssh-agent: ${oneLine(err.message)} (skipped)`);
      return;
    }
    if (hostKeyFailure) return finish(hostKeyFailure);
    finish(describeClientError(err, target, where, attempts.tried, fail));
  });
  client.on('close', () => {
    if (settled) return;
    if (hostKeyFailure) return finish(hostKeyFailure);
    finish(
      stage === 'running'
        ? fail('lost', `the connection to ${where} was lost during ${handlers.during}`)
        : fail('lost', `${where} closed the connection during ${stage === 'authenticated' ? 'the start of the scan' : 'the SSH handshake'}`),
    );
  });
  client.on('ready', () => {
    setStage('authenticated');
    handlers.ready(conn);
  });

  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.user,
    // Our own timer covers connect + handshake + authentication as one budget.
    readyTimeout: 0,
    keepaliveInterval: KEEPALIVE_MS,
    keepaliveCountMax: 3,
    algorithms: { kex: KEX, serverHostKey: orderHostKeyAlgorithms(knownKeyTypes(known, target.host, target.port)) },
    hostVerifier: (key: Buffer) => {
      const verdict = verifyHostKey(target, known, key, opts.onNote);
      if (verdict === true) return true;
      hostKeyFailure = fail('host-key', verdict);
      return false;
    },
    // ssh2 calls this with null before the server has named its methods, and takes false for "give up".
    authHandler: (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
      const attempt = attempts.next(methodsLeft);
      (next as (auth: AnyAuthMethod | false) => void)(attempt === undefined ? false : attempt.auth);
    },
  };
  setStage('connecting');
  try {
    client.connect(config);
  } catch (err) {
    finish(fail('connect', `cannot connect to ${where}: ${(err as Error).message}`));
  }
  return conn;
}

/** One connection, one exec of `job.command`: the job part of collectSsh and execSsh (the connection is connectSsh's). */
function runSshJob<T>(target: SshTarget, job: SshJob<T>, opts: SshCollectOptions): Promise<T> {
  return new Promise((resolvePromise, rejectPromise) => {
    let value: T | undefined;
    const runBudgetMs = job.budgetMs;
    const maxStdout = job.maxStdout;

    const runBatch = (conn: SshConnection, stream: ClientChannel) => {
      const { where, fail } = conn;
      const out: Buffer[] = [];
      let outBytes = 0;
      let errText = '';
      let exitCode: number | null = null;
      let exitSignal: string | undefined;
      stream.on('data', (d: Buffer) => {
        outBytes += d.length;
        if (outBytes > maxStdout) {
          conn.finish(fail('remote', `${where} printed more than ${job.what === 'the probe script' ? 'the probes' : job.what} can produce (${outBytes} bytes); ${job.during === 'the scan' ? 'scan' : job.during} stopped`));
          return;
        }
        out.push(d);
      });
      stream.stderr.on('data', (d: Buffer) => {
        if (errText.length < BATCH_STDERR_CAP) errText += d.toString('utf8');
      });
      stream.on('exit', (code: number | null, signal?: string) => {
        exitCode = code;
        exitSignal = signal;
      });
      stream.on('error', () => {
        /* the client's close/error handlers report it */
      });
      stream.on('close', () => {
        if (conn.settled) return;
        const result = job.finish({ stdout: Buffer.concat(out), stderr: errText, exitCode, ...(exitSignal !== undefined ? { exitSignal } : {}) }, where, fail);
        if (result instanceof HostUnreachableError) return conn.finish(result);
        value = result;
        conn.finish();
      });
      stream.end(job.input);
    };

    connectSsh(target, opts, {
      during: job.during,
      ready: (conn) => {
        conn.arm(runBudgetMs, () => conn.fail('timeout', `${conn.where}: ${job.during} did not finish within ${formatSeconds(runBudgetMs)}`));
        conn.client.exec(job.command, (err: Error | undefined, stream: ClientChannel) => {
          if (conn.settled) return;
          if (err) return conn.finish(conn.fail('remote', `${conn.where} refused to run ${job.what}: ${err.message}`));
          conn.setStage('running');
          runBatch(conn, stream);
        });
      },
      closed: (failure) => (failure ? rejectPromise(failure) : resolvePromise(value as T)),
    });
  });
}

/** true, or why the key is refused (one line, with the fingerprint and what to do). */
function verifyHostKey(target: SshTarget, known: KnownHosts, key: Buffer, onNote?: (note: string) => void): true | string {
  const check: HostKeyCheck = checkHostKey(known, target.host, target.port, key);
  const name = knownHostsName(target.host, target.port);
  const file = target.knownHostsFile;
  switch (check.status) {
    case 'known':
      return true;
    case 'revoked':
      return `HOST KEY REVOKED for ${name}: the server offers ${check.keyType} ${check.fingerprint}, which ${where(check)} marks @revoked; refusing to connect`;
    case 'changed': {
      const listed = check.entries[0]!;
      const what = listed.keyType === check.keyType ? `a different ${listed.keyType} key` : `only ${[...new Set(check.entries.map((e) => e.keyType))].join(', ')} keys`;
      return `HOST KEY CHANGED for ${name}: the server offers ${check.keyType} ${check.fingerprint} but ${where(check)} lists ${what}; this may be a man-in-the-middle attack. If the change is expected, remove the old key with: ssh-keygen -R '${name}' -f ${file}`;
    }
    case 'unknown': {
      if (!target.acceptNew) {
        const portArg = target.port === 22 ? '' : `-p ${target.port} `;
        return `host key of ${name} is not known: ${check.keyType} ${check.fingerprint}. Check the fingerprint, then rerun with --accept-new, or add it with: ssh-keyscan ${portArg}-t ${keyscanType(check.keyType)} ${target.host} >> ${file}`;
      }
      try {
        appendKnownHost(file, target.host, target.port, key);
        // A re-key later in the session checks the key again: it must find it known then.
        known.entries = readKnownHosts(file).entries;
      } catch (err) {
        return `host key of ${name} (${check.keyType} ${check.fingerprint}) could not be added: ${(err as Error).message}`;
      }
      onNote?.(`added ${name} ${check.keyType} ${check.fingerprint} to ${file}`);
      return true;
    }
  }
}

/** ssh-keyscan -t takes short names: ed25519, ecdsa, rsa, dsa. */
function keyscanType(keyType: string): string {
  if (keyType.startsWith('ecdsa-')) return 'ecdsa';
  return { 'ssh-ed25519': 'ed25519', 'ssh-rsa': 'rsa', 'ssh-dss': 'dsa' }[keyType] ?? keyType;
}

function where(check: HostKeyCheck): string {
  return check.entries.map((e) => `${e.file}:${e.line}`).join(', ');
}

interface AuthPlan {
  /** The next attempt the server allows, or undefined when none is left. */
  next(methodsLeft: AuthenticationType[] | null): Attempt | undefined;
  /** Labels of the attempts made so far, for the failure message. */
  tried: string[];
}

/** Agent, identity files, then the password (keyboard-interactive, then password), like OpenSSH. */
function authAttempts(target: SshTarget, onNote?: (note: string) => void): AuthPlan {
  const queue: Attempt[] = [];
  const user = target.user;
  if (target.agentSocket) {
    if (isSocket(target.agentSocket)) queue.push({ method: 'publickey', label: 'ssh-agent', auth: { type: 'agent', username: user, agent: target.agentSocket } });
    else onNote?.(`ssh-agent socket ${target.agentSocket} is not there (agent skipped)`);
  }
  for (const file of target.identityFiles) {
    const key = loadPrivateKey(file, onNote);
    if (key) queue.push({ method: 'publickey', label: file, auth: { type: 'publickey', username: user, key } });
  }
  const password = target.password;
  if (password !== undefined) {
    const prompt = (_name: string, _instructions: string, _lang: string, prompts: { prompt: string; echo?: boolean }[], finish: KeyboardInteractiveCallback) => {
      // Answer a single hidden prompt (PAM's "Password:") with the password; anything else is declined.
      finish(prompts.length === 1 && prompts[0]!.echo !== true ? [password] : []);
    };
    queue.push({ method: 'keyboard-interactive', label: 'password (keyboard-interactive)', auth: { type: 'keyboard-interactive', username: user, prompt } });
    queue.push({ method: 'password', label: 'password', auth: { type: 'password', username: user, password } });
  }
  const tried: string[] = [];
  return {
    tried,
    next(methodsLeft) {
      // Like OpenSSH, ask with "none" first: the server's answer lists the methods it takes, so
      // nothing is offered to a server that would refuse the method anyway.
      if (methodsLeft === null) return { method: 'none', label: 'none', auth: { type: 'none', username: user } };
      for (;;) {
        const a = queue.shift();
        if (a === undefined) return undefined;
        if (!methodsLeft.includes(a.method)) continue;
        tried.push(a.label);
        return a;
      }
    },
  };
}

function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

/** A parsed private key, or undefined (missing files silently, unusable ones with a note). */
function loadPrivateKey(file: string, onNote?: (note: string) => void): ParsedKey | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') onNote?.(`identity file ${file} cannot be read (${code ?? 'error'}): skipped`);
    return undefined;
  }
  const parsed = utils.parseKey(data);
  if (parsed instanceof Error) {
    // Never echo parser details: they may quote the file's contents.
    if (/encrypted|passphrase/i.test(parsed.message)) onNote?.(`identity file ${file} is encrypted and no passphrase was given: skipped`);
    else onNote?.(`identity file ${file} is not a private key preflight can use: skipped`);
    return undefined;
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || !key.isPrivateKey()) {
    onNote?.(`identity file ${file} holds no private key: skipped`);
    return undefined;
  }
  return key;
}

function describeClientError(
  err: Error & { level?: string; code?: string },
  target: SshTarget,
  where: string,
  tried: string[],
  fail: (kind: HostFailureKind, message: string) => HostUnreachableError,
): HostUnreachableError {
  switch (err.level) {
    case 'client-authentication':
      return fail(
        'auth',
        `authentication as ${target.user} on ${where} failed (${tried.length ? `tried ${tried.join(', ')}` : 'no usable key, agent or password'})`,
      );
    case 'client-socket': {
      const reason =
        err.code === 'ECONNREFUSED'
          ? 'connection refused'
          : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN'
            ? 'host name not found'
            : err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH'
              ? 'no route to host'
              : err.code === 'ECONNRESET'
                ? 'connection reset'
                : err.message;
      return fail('connect', `cannot connect to ${where}: ${reason}`);
    }
    case 'client-timeout':
      return fail('timeout', `${where} stopped answering (${err.message})`);
    default:
      return fail('connect', `SSH with ${where} failed: ${err.message}`);
  }
}

/** One line, no control characters (terminal escapes), no secret, bounded length. */
function scrub(text: string, secrets: readonly string[]): string {
  let t = text;
  for (const s of secrets) t = t.split(s).join('***');
  t = t.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > 400 ? `${t.slice(0, 397)}...` : t;
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim().slice(0, 200);
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
