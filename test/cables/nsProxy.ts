import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay from 127.0.0.1 (the test process's own namespace) to an address inside a lab
 * namespace: for each connection it starts `ip netns exec NS node -e CONNECTOR HOST PORT`, a tiny
 * relay whose stdin/stdout are the TCP stream. Tests can then use the real SshTarget code against
 * the pool lab's hosts, which are reachable only from inside the lab, without touching the
 * machine's own network. dropAll() cuts every open connection at once (a connection that breaks).
 */

const CONNECTOR = `const s = require('net').connect(Number(process.argv[2]), process.argv[1]);
process.stdin.pipe(s);
s.pipe(process.stdout);
s.on('error', () => process.exit(1));
s.on('close', () => process.exit(0));`;

export class NsProxy {
  private readonly links = new Set<{ socket: Socket; relay: ChildProcess }>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static start(ns: string, host: string, port: number): Promise<NsProxy> {
    const server = createServer();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const addr = server.address();
        if (addr === null || typeof addr === 'string') return reject(new Error('no port'));
        const proxy = new NsProxy(server, addr.port);
        server.on('connection', (socket) => proxy.relay(socket, ns, host, port));
        resolve(proxy);
      });
    });
  }

  private relay(socket: Socket, ns: string, host: string, port: number): void {
    const relay = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', CONNECTOR, host, String(port)], { stdio: ['pipe', 'pipe', 'ignore'] });
    const link = { socket, relay };
    this.links.add(link);
    const end = () => {
      this.links.delete(link);
      socket.destroy();
      // By its own pid only.
      if (relay.exitCode === null && relay.signalCode === null) relay.kill('SIGKILL');
    };
    socket.pipe(relay.stdin!);
    relay.stdout!.pipe(socket);
    relay.stdin!.on('error', end);
    socket.on('error', end);
    socket.on('close', end);
    relay.on('exit', end);
  }

  /** Open connections now. */
  get open(): number {
    return this.links.size;
  }

  /** Cuts every open connection: the client sees its socket close, the host a relay that went away. */
  dropAll(): void {
    for (const { socket, relay } of [...this.links]) {
      socket.destroy();
      if (relay.exitCode === null && relay.signalCode === null) relay.kill('SIGKILL');
    }
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}
