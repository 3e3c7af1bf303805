/**
 * Bad input from the user (a rules, site, waiver or inventory file, or a flag): the CLI prints the
 * message as one line and exits 2. Never used for problems on a scanned host.
 */
export class InputError extends Error {
  override name = 'InputError';
}

/** `FILE:LINE:COL: message`, the form editors and terminals turn into links. */
export function locatedMessage(file: string, line: number | undefined, col: number | undefined, message: string): string {
  if (line === undefined) return `${file}: ${message}`;
  return `${file}:${line}:${col ?? 1}: ${message}`;
}
