import ipaddr from 'ipaddr.js';
import { InputError } from '../engine/inputError.js';

/**
 * An IP address literal, normalised: IPv4 as a dotted quad only (no octal, hex or short forms that
 * `ping` would read differently), IPv6 without a zone. Everything the active network tests send
 * to a host as a parameter passes through here, so only an address ever reaches a remote script.
 */
export function ipLiteral(text: string): string | undefined {
  if (text.includes(':')) return !text.includes('%') && ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text).toString() : undefined;
  return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text).toString() : undefined;
}

/** ipLiteral, or an InputError naming the option. */
export function parseIpLiteral(option: string, text: string): string {
  const ip = ipLiteral(text);
  if (ip === undefined) throw new InputError(`${option} ${JSON.stringify(text)}: expected an IP address such as 10.0.0.1`);
  return ip;
}
