/**
 * Text that came from a host or an operator (names, labels, messages) shown on a terminal: control
 * characters become "?", so an escape sequence in a hostname can never move the cursor or recolour
 * the screen.
 */
export function inertText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
