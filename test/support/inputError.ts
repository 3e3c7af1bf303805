import { expect } from 'vitest';
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
