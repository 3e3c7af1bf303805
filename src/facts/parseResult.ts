/**
 * What every parser returns: what it could read, plus problems with what it could not.
 * Parsers never throw on odd input; problems become `error` findings, not crashes.
 */
export interface ParseResult<T> {
  value: T;
  problems: string[];
}

export function parsed<T>(value: T, problems: string[] = []): ParseResult<T> {
  return { value, problems };
}
