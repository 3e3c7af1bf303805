/**
 * The rated ("nominal") clock speed printed in a CPU model name, e.g.
 * "Intel(R) Xeon(R) CPU E5620 @ 2.40GHz" -> 2400, "Intel(R) Xeon(TM) CPU 3.80GHz" -> 3800,
 * "... @ 800MHz" -> 800. AMD model names usually carry no speed: undefined then.
 */
export function nominalMhzFromModelName(name: string | undefined): number | undefined {
  if (name === undefined) return undefined;
  const m = /@\s*(\d+(?:\.\d+)?)\s*([GM])Hz/i.exec(name) ?? /(?:^|\s)(\d+(?:\.\d+)?)\s*([GM])Hz\s*$/i.exec(name);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (!Number.isFinite(n) || n <= 0) return undefined;
  // Round away float noise: 2.40 GHz is 2400 MHz, not 2399.9999999999995.
  return (m[2] as string).toUpperCase() === 'G' ? Math.round(n * 1000) : Math.round(n);
}
