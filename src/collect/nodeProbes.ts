import type { NodeProbeKind } from './evidence.js';

/**
 * In-process probes: libraries that describe the machine preflight runs on, whatever its OS. The
 * result is serialised to JSON and recorded as the probe's stdout, so a bundle replays it through
 * the same parsers (src/facts/systemInformation.ts) as a live scan. Read only: nothing here
 * changes the machine.
 */

export interface NodeProbeOutput {
  stdout: string;
  stderr: string;
  /** Set when the library could not be loaded at all. */
  error?: string;
}

export async function runNodeProbe(kind: NodeProbeKind, timeoutMs: number): Promise<NodeProbeOutput> {
  switch (kind) {
    case 'systeminformation':
      return systemInformation(timeoutMs);
  }
}

/**
 * The systeminformation calls the management and quorum computer rules read. Each call is
 * recorded on its own (a failing or slow call loses only its own part); calls still running at
 * the time limit are recorded as timed out. Only listening sockets are kept from
 * networkConnections (the quorum port rule needs nothing else, and established connections are
 * neither stable nor anyone's business in a bundle). Serial numbers (the OS serial, memory module
 * serials) are left out: no rule needs them and a bundle travels.
 */
const CALLS = ['osInfo', 'cpu', 'cpuCurrentSpeed', 'mem', 'memLayout', 'fsSize', 'networkInterfaces', 'networkConnections'] as const;
type Call = (typeof CALLS)[number];

async function systemInformation(timeoutMs: number): Promise<NodeProbeOutput> {
  let si: typeof import('systeminformation');
  try {
    si = await import('systeminformation');
  } catch (err) {
    return { stdout: '', stderr: '', error: `systeminformation could not be loaded: ${(err as Error).message}` };
  }
  const result: Record<string, unknown> = { systeminformation: si.version() };
  if (process.platform === 'win32') {
    // The OS's own word size: os.arch() and osInfo().arch give the word size of this Node binary.
    result['windows'] = {
      systemDrive: process.env['SystemDrive'] ?? null,
      processorArchitecture: process.env['PROCESSOR_ARCHITECTURE'] ?? null,
      processorArchiteW6432: process.env['PROCESSOR_ARCHITEW6432'] ?? null,
    };
  }
  const errors: Record<string, string> = {};
  const run: Record<Call, () => Promise<unknown>> = {
    osInfo: () => si.osInfo(),
    cpu: () => si.cpu(),
    cpuCurrentSpeed: () => si.cpuCurrentSpeed(),
    mem: () => si.mem(),
    memLayout: () => si.memLayout(),
    fsSize: () => si.fsSize(),
    networkInterfaces: () => si.networkInterfaces(),
    networkConnections: async () =>
      (await si.networkConnections()).filter((c) => c.state === 'LISTEN' || c.protocol.toLowerCase().startsWith('udp')),
  };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref();
  });
  const settled = new Map<Call, unknown>();
  await Promise.race([
    Promise.all(
      CALLS.map(async (name) => {
        try {
          settled.set(name, await run[name]());
        } catch (err) {
          errors[name] = (err as Error)?.message ?? String(err);
        }
      }),
    ),
    deadline,
  ]);
  clearTimeout(timer);
  for (const name of CALLS) {
    if (settled.has(name)) result[name] = withoutSerials(settled.get(name));
    else if (errors[name] === undefined) errors[name] = `timed out after ${timeoutMs} ms`;
  }
  if (Object.keys(errors).length) result['errors'] = errors;
  return { stdout: JSON.stringify(result, null, 1) + '\n', stderr: '' };
}

/** A copy without the `serial`/`serialNum` keys systeminformation includes. */
function withoutSerials(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSerials);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !/^serial/i.test(k)).map(([k, v]) => [k, withoutSerials(v)]));
}
