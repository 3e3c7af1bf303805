import { createInterface, type Interface } from 'node:readline';
import pc from 'picocolors';
import { inertText } from '../report/inertText.js';
import type { Inbox } from './inbox.js';
import type { Tone } from './walkthrough.js';

/**
 * The operator's side of the walkthrough on a terminal (or, with --guided, on any stdin): what
 * preflight says goes to `output`, one answer per line comes from `input` into the Inbox. Ctrl-C
 * on a terminal reaches readline (not the process), so it is turned into `onInterrupt` here.
 */

export interface ConsoleOperator {
  say(text: string, tone?: Tone): void;
  close(): void;
}

const MARKS: Record<Tone, { plain: string; paint: (s: string) => string }> = {
  title: { plain: '', paint: pc.bold },
  step: { plain: '==> ', paint: (s) => pc.bold(pc.cyan(s)) },
  prompt: { plain: '? ', paint: pc.bold },
  ok: { plain: 'ok: ', paint: pc.green },
  warn: { plain: 'warning: ', paint: pc.yellow },
  fail: { plain: 'problem: ', paint: pc.red },
  info: { plain: '', paint: pc.dim },
};

export function createConsoleOperator(o: {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  color: boolean;
  inbox: Inbox;
  onInterrupt(): void;
}): ConsoleOperator {
  const rl: Interface = createInterface({ input: o.input, terminal: false });
  rl.on('line', (line) => o.inbox.push({ kind: 'line', text: line.trim() }));
  rl.on('close', () => o.inbox.push({ kind: 'closed' }));
  rl.on('SIGINT', () => o.onInterrupt());
  // Without a readline terminal, Ctrl-C arrives as a byte only in raw mode; in cooked mode the
  // process gets SIGINT, which the command handles.
  return {
    say(text, tone = 'info') {
      const m = MARKS[tone];
      // Line by line, so a multi-line text (a NIC table) keeps its line breaks and nothing else.
      for (const [i, part] of text.split('\n').entries()) {
        const line = `${i === 0 ? m.plain : ''}${inertText(part)}`;
        o.output.write(`${o.color ? m.paint(line) : line}\n`);
      }
    },
    close() {
      rl.close();
    },
  };
}
