import { closeSync, openSync, writeSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import { InputError } from '../engine/inputError.js';

/**
 * Prompts for the SSH password on the controlling terminal (--ask-pass), without echo, as ssh does.
 * Reading /dev/tty rather than stdin keeps redirected input and pipes working, and means a password
 * never arrives from a pipe or a file by accident. The password lives only in memory.
 */
export async function askPassword(prompt: string): Promise<string> {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new InputError('--ask-pass needs a terminal to prompt on (no /dev/tty); use ssh-agent or --identity instead');
  }
  const tty = new ReadStream(fd);
  writeSync(fd, prompt);
  tty.setRawMode(true);
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      tty.on('data', (chunk: Buffer) => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return resolve(value);
          if (ch === '\u0003' || ch === '\u0004') return reject(new InputError('password prompt interrupted'));
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else value += ch;
        }
      });
    });
  } finally {
    tty.setRawMode(false);
    writeSync(fd, '\n');
    tty.destroy();
    try {
      closeSync(fd);
    } catch {
      /* already closed by the stream */
    }
  }
}
