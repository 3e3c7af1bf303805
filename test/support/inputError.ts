import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { InputError } from '../../src/engine/inputError.js';

/** The one-line message of the InputError `fn` throws (fails the test when it throws nothing else). */
export function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

/**
 * A temporary folder for synthetic input files (hand-written edge cases), removed after the test
 * file; `write(text, name?)` puts a file in it and returns its path.
 */
export function scratchFiles(prefix: string): { dir: string; write(text: string, ext?: string): string } {
  const dir = mkdtempSync(join(tmpdir(), `preflight-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  return {
    dir,
    write(text, ext = '.yaml') {
      const path = join(dir, `${prefix}${n++}${ext}`);
      writeFileSync(path, text);
      return path;
    },
  };
}
