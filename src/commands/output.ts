import { rename, unlink, writeFile } from 'node:fs/promises';
import { InputError } from '../engine/inputError.js';

/** Colour only for a terminal, never when NO_COLOR is set (no-color.org), always with FORCE_COLOR. */
export function shouldUseColor(flag: boolean, stream: NodeJS.WriteStream = process.stdout): boolean {
  if (!flag) return false;
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/**
 * Writes next to the target and renames into place, so an interrupted run never leaves a
 * half-written report under the final name (and never destroys the previous one).
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o644 });
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new InputError(`${file}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Resolves once stdout has taken the text, so the exit code is not set before the output is out. */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}
