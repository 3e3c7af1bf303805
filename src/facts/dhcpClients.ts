import { parsed, type ParseResult } from './parseResult.js';
import { quoteLine, splitLines } from './textLines.js';

/**
 * Parser for probe `proc.dhcp-clients`: `ps -e -o pid= -o args=` lines already filtered to DHCP
 * clients (`  812 /sbin/dhclient -1 -pf /run/dhclient.eth0.pid eth0`). Lines in `ps -ef` form
 * (`root 1939 865 0 Oct25 ? 00:00:00 /sbin/dhclient ...`), as found in bundles and fixtures, are read
 * too. The result is the command lines of DHCP clients; which interface each serves is in its
 * arguments, and the checks look for it there.
 */

/** The same client names the probe's grep looks for; `ps -ef` input may list every process. */
const DHCP_CLIENT = /dhclient|dhcpcd|udhcpc|dhcp-client/;

export function parseDhcpClients(text: string): ParseResult<string[]> {
  const problems: string[] = [];
  const commands: string[] = [];
  for (const raw of splitLines(text)) {
    const line = raw.trim();
    // Blank lines and the `ps -ef` header.
    if (line === '' || /^(UID|PID)\s/.test(line)) continue;
    const command = commandOf(line);
    if (command === undefined) {
      if (problems.length < 20) problems.push(`proc.dhcp-clients: line not understood: ${quoteLine(raw)}`);
      continue;
    }
    if (DHCP_CLIENT.test(command)) commands.push(command);
  }
  return parsed(commands, problems);
}

/** The command line of a `PID ARGS` or `ps -ef` line; undefined for the ps header or anything else. */
function commandOf(line: string): string | undefined {
  const pidForm = /^(\d+)\s+(\S.*)$/.exec(line);
  if (pidForm) return pidForm[2];
  // UID PID PPID C STIME TTY TIME CMD
  const words = line.split(/\s+/);
  if (words.length >= 8 && /^\d+$/.test(words[1]!) && /^\d+$/.test(words[2]!)) {
    let rest = line;
    for (let i = 0; i < 7; i++) rest = rest.replace(/^\S+\s+/, '');
    return rest;
  }
  return undefined;
}
