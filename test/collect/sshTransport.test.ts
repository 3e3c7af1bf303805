import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { Connection, ServerChannel } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Probe } from '../../src/collect/evidence.js';
import { collectSsh, HostUnreachableError, orderHostKeyAlgorithms, type SshTarget } from '../../src/collect/sshTransport.js';

/**
 * The transport's own failure paths against an in-process ssh2 server on loopback (no root, no
 * sshd): what the remote side says when it misbehaves. The real-sshd behaviour is in
 * test/lab/sshTransport.test.ts.
 */

const dir = mkdtempSync(join(tmpdir(), 'pft-ssh-unit-'));
const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
const clientKey = ssh2.utils.generateKeyPairSync('ed25519');
const clientKeyFile = join(dir, 'id_client');
writeFileSync(clientKeyFile, clientKey.private, { mode: 0o600 });
const knownHosts = join(dir, 'known_hosts');

type ExecBehaviour = (channel: ServerChannel, script: string) => void;
let behaviour: ExecBehaviour = () => {};
let server: InstanceType<typeof ssh2.Server>;
let port = 0;
const connections = new Set<Connection>();

beforeAll(async () => {
  server = new ssh2.Server({ hostKeys: [hostKey.private] }, (conn) => {
    connections.add(conn);
    conn.on('close', () => connections.delete(conn));
    conn.on('error', () => {});
    conn.on('authentication', (ctx) => (ctx.method === 'publickey' ? ctx.accept() : ctx.reject(['publickey'])));
    conn.on('session', (accept) => {
      accept().on('exec', (acceptExec) => {
        const channel = acceptExec();
        let script = '';
        channel.on('data', (d: Buffer) => (script += d.toString()));
        channel.on('end', () => behaviour(channel, script));
      });
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  port = (server.address() as AddressInfo).port;
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKey.public.split(' ').slice(0, 2).join(' ')}\n`);
});

afterAll(async () => {
  for (const c of connections) c.end();
  await new Promise<void>((res) => server.close(() => res()));
  rmSync(dir, { recursive: true, force: true });
});

const target = (overrides: Partial<SshTarget> = {}): SshTarget => ({
  name: 'unit',
  host: '127.0.0.1',
  port,
  user: 'root',
  identityFiles: [clientKeyFile],
  knownHostsFile: knownHosts,
  acceptNew: false,
  connectTimeoutMs: 3000,
  ...overrides,
});
const probes: Probe[] = [{ id: 'uname', description: 'uname', script: 'uname', manual: 'uname', timeoutMs: 1000, maxBytes: 1000 }];

async function rejection(p: Promise<unknown>): Promise<HostUnreachableError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HostUnreachableError);
  expect((err as Error).message).not.toMatch(/[\n\r\x1b]/);
  return err as HostUnreachableError;
}

const nonceOf = (script: string) => /^pf_n=([0-9a-f]+)$/m.exec(script)?.[1] ?? '';

describe('collectSsh when the remote side misbehaves', () => {
  it('reads the batch frames back (the protocol works end to end)', async () => {
    behaviour = (ch, script) => {
      const n = nonceOf(script);
      ch.write(`PFB:${n}:begin:0:0:s:1:1:0:0:1\nLinux\n\nPFB:${n}:stderr:0\n\nPFB:${n}:end:0\nPFB:${n}:done:1\n`);
      ch.exit(0);
      ch.end();
    };
    const ev = await collectSsh(target(), probes);
    expect(ev.evidence.uname).toMatchObject({ stdout: 'Linux\n', exitCode: 0, source: 'uname' });
  });

  it('reports a shell that is missing, with its first stderr line (control characters removed)', async () => {
    behaviour = (ch) => {
      ch.stderr.write('\x1b[31msh: /bin/sh: not found\x1b[0m\nmore\n');
      ch.exit(127);
      ch.end();
    };
    const err = await rejection(collectSsh(target(), probes));
    expect(err.kind).toBe('remote');
    expect(err.message).toBe(`127.0.0.1:${port}: the probe script exited with 127 before it finished: [31msh: /bin/sh: not found [0m`);
  });

  it('reports a script that could not start', async () => {
    behaviour = (ch, script) => {
      ch.write(`PFB:${nonceOf(script)}:fatal:mktemp\n`);
      ch.exit(1);
      ch.end();
    };
    expect((await rejection(collectSsh(target(), probes))).message).toBe(`127.0.0.1:${port}: the probe script could not start (mktemp failed)`);
  });

  it('stops a host that sends far more than the probes can produce', async () => {
    behaviour = (ch) => {
      const junk = Buffer.alloc(64 * 1024, 'x');
      for (let i = 0; i < 4; i++) ch.write(junk);
    };
    const err = await rejection(collectSsh(target(), probes));
    expect(err.message).toMatch(/printed more than the probes can produce/);
  });

  it('reports a connection dropped by the server mid-scan', async () => {
    behaviour = () => {
      for (const c of connections) c.end();
    };
    const err = await rejection(collectSsh(target(), probes));
    expect(err.kind).toBe('lost');
  });

  it('names an unreadable known_hosts file before connecting', async () => {
    const err = await rejection(collectSsh(target({ knownHostsFile: dir }), probes));
    expect(err).toMatchObject({ kind: 'host-key', host: 'unit' });
    expect(err.message).toBe(`${dir}: cannot read the known hosts file (EISDIR)`);
  });
});

describe('orderHostKeyAlgorithms', () => {
  it('offers the types known_hosts lists first, then the rest (ssh-dss last)', () => {
    expect(orderHostKeyAlgorithms([])).toEqual([
      'ssh-ed25519',
      'ecdsa-sha2-nistp256',
      'ecdsa-sha2-nistp384',
      'ecdsa-sha2-nistp521',
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-dss',
    ]);
    expect(orderHostKeyAlgorithms(['ssh-rsa', 'unknown-type']).slice(0, 4)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519']);
  });
});
