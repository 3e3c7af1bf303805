import { rename, unlink, writeFile } from 'node:fs/promises';
import { InputError } from './engine/inputError.js';

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
