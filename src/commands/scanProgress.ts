/**
 * Progress of a scan on stderr (stdout carries only the report). On a terminal one line is
 * redrawn in place with a spinner; elsewhere (CI logs, pipes) each host gets plain lines.
 */

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface ScanProgress {
  stage(host: string, stage: string): void;
  note(host: string, note: string): void;
  done(host: string, error?: string): void;
  finish(): void;
}

export function scanProgress(hosts: readonly string[], stream: NodeJS.WriteStream = process.stderr): ScanProgress {
  const started = Date.now();
  const state = new Map<string, string>(hosts.map((h) => [h, 'waiting']));
  let finished = 0;
  const secs = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  // Host names come from users and inventories: never let them move the cursor or recolour the terminal.
  const inert = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

  if (!stream.isTTY) {
    return {
      stage: (host, stage) => {
        if (stage === 'running') stream.write(`preflight: ${inert(host)}: connected, running probes\n`);
      },
      note: (host, note) => stream.write(`preflight: ${inert(host)}: ${inert(note)}\n`),
      done: (host, error) => stream.write(`preflight: ${inert(host)}: ${error ? `not scanned: ${inert(error)}` : `scanned (${secs()})`}\n`),
      finish: () => undefined,
    };
  }

  let frame = 0;
  const draw = () => {
    const busy = [...state].filter(([, s]) => s !== 'waiting' && s !== 'done').map(([h, s]) => `${inert(h)} ${s}`);
    const line = `${FRAMES[frame++ % FRAMES.length]} scanning ${finished}/${hosts.length} hosts${busy.length ? `: ${busy.slice(0, 3).join(', ')}${busy.length > 3 ? ', …' : ''}` : ''}`;
    stream.write(`\r\u001b[K${line.slice(0, Math.max(20, (stream.columns ?? 80) - 1))}`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  const println = (text: string) => {
    stream.write(`\r\u001b[K${text}\n`);
    draw();
  };
  return {
    stage: (host, stage) => {
      state.set(host, stage);
    },
    note: (host, note) => println(`${inert(host)}: ${inert(note)}`),
    done: (host, error) => {
      state.set(host, 'done');
      finished++;
      println(error ? `✗ ${inert(host)}: ${inert(error)}` : `✓ ${inert(host)} (${secs()})`);
    },
    finish: () => {
      clearInterval(timer);
      stream.write('\r\u001b[K');
    },
  };
}
