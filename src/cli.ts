import { Command, CommanderError, Option } from 'commander';
import { InputError } from './engine/inputError.js';
import { EXIT } from './engine/exitCodes.js';
import { TOOL_VERSION } from './version.js';

/**
 * Commander wiring only: each command's work lives in src/commands/ and is imported lazily, so
 * `preflight rules list` never loads the scan pipeline and a scan never loads handlebars.
 */

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(): Command {
  const program = new Command('preflight')
    .description('Checks machines and cables before installing an everRun 6.0 fault-tolerant XenServer pool, and says exactly what to fix.')
    .version(TOOL_VERSION, '-V, --version')
    .showHelpAfterError('(run "preflight help" for usage)')
    .exitOverride();

  const scan = program
    .command('scan')
    .description('scan this machine (or hosts over SSH with --host/--inventory) against the profile and report pass / warn / fail / skip per rule')
    .addOption(new Option('-f, --format <format>', 'report format printed on stdout').choices(['text', 'json', 'html', 'junit']).default('text'))
    .option('-o, --out <file>', 'also write the report to FILE; format from the extension (.txt .json .html .xml); repeatable', collect)
    .option('--profile <name|file>', 'rule profile: a bundled name or a YAML file', 'everrun-6.0')
    .option('--rules <file>', 'site rules file layered over the profile (thresholds, severities, extra rules)')
    .option('--waivers <file>', 'waivers file: rules waived with a reason and an optional expiry date')
    .option('--skip <ids>', 'comma-separated rule ids to skip for this run; repeatable', collect)
    .option('--plan <file>', 'site plan (YAML): NIC roles and addresses per host, quorum servers, isolation IP, A-link mode; rules use it instead of the default layout')
    .option('--isolation-ip <address>', "address every host must reach (pool.isolation-ip); default: the plan's isolationIp, else the management subnet's gateway")
    .option('--port <n>', 'eAC TCP port chosen at install (--port of the everRun installer); n and n+1 are checked', parsePort)
    .option('--strict', 'count warnings and errors as failures in the exit code')
    .option('--no-color', 'no colour in the text report (NO_COLOR is honoured too)')
    .option('--evidence-out <file>', 'also write the raw probe evidence as JSON (what a support bundle stores)')
    .option('--cables <file>', 'port table written by "preflight cables --out FILE.json": the pool.cabling rule judges the verified cabling');
  withTargetOptions(scan, 'scan')
    .option('--timeout <seconds>', 'time limit to connect to a host and for each probe', parsePositive)
    .action(async (opts) => {
      const { scanCommand } = await import('./commands/scan.js');
      process.exitCode = await scanCommand(opts);
    });

  const rules = program.command('rules').description('list the rules, explain one, or list the checks they use');
  rules
    .command('list', { isDefault: true })
    .description('every rule: id, severity, roles, title')
    .option('--profile <name|file>', 'rule profile', 'everrun-6.0')
    .option('--rules <file>', 'site rules file layered over the profile')
    .action(async (opts) => {
      const { rulesListCommand } = await import('./commands/rules.js');
      process.exitCode = rulesListCommand(opts);
    });
  rules
    .command('explain <rule>')
    .description('a rule in full: thresholds, guide reference, remediation, and how it is checked')
    .option('--profile <name|file>', 'rule profile', 'everrun-6.0')
    .option('--rules <file>', 'site rules file layered over the profile')
    .action(async (id: string, opts) => {
      const { rulesExplainCommand } = await import('./commands/rules.js');
      process.exitCode = rulesExplainCommand(id, opts);
    });
  rules
    .command('checks')
    .description('the checks rules can use, with their parameters')
    .action(async () => {
      const { rulesChecksCommand } = await import('./commands/rules.js');
      process.exitCode = rulesChecksCommand();
    });

  // --- support bundles: bundle, report, diff (src/commands/bundle.ts, report.ts, diff.ts) ---------
  const bundle = program
    .command('bundle')
    .description('collect a support bundle (scan evidence, logs, NIC and xe inventories, the report), secrets redacted')
    .option('-o, --out <file>', 'the bundle to write (.tar.gz); a .sha256 file is written beside it')
    .option('--case-id <id>', 'support case id, recorded in the manifest')
    .option('--label <text>', 'free text recorded in the manifest (what happened, who collected it)')
    .option('--max-file-size <bytes>', 'cap per log or command output; logs keep their tail (default 8M; k/M/G suffixes)')
    .option('--obfuscate', 'also replace IP addresses, host names, MAC addresses and user names with stable placeholders')
    .option('--map-out <file>', 'where the obfuscation map goes (default <name>.map.json beside the bundle; never inside it)')
    .option('--profile <name|file>', 'rule profile of the report stored in the bundle', 'everrun-6.0')
    .option('--plan <file>', 'site plan (YAML), as for scan; stored in the bundle (pool/plan.yaml) so a replay judges with it')
    .option('--isolation-ip <address>', 'address every host must reach (pool.isolation-ip), as for scan; recorded in the manifest')
    .option('--cables <file>', 'port table of "preflight cables --out FILE.json", as for scan: stored with each host\'s evidence (pool.cabling)');
  withTargetOptions(bundle, 'collect')
    .option('--timeout <seconds>', 'time limit to connect to a host and for each item', parsePositive)
    .action(async (opts) => {
      const { bundleCommand } = await import('./commands/bundle.js');
      process.exitCode = await bundleCommand(opts);
    });

  program
    .command('report <bundle>')
    .description("re-evaluate a support bundle (.tar.gz or unpacked folder) with today's rules, or list what is inside")
    .addOption(new Option('-f, --format <format>', 'report format printed on stdout (--list: text or json)').choices(['text', 'json', 'html', 'junit']).default('text'))
    .option('-o, --out <file>', 'also write the report to FILE; format from the extension; repeatable', collect)
    .option('--profile <name|file>', 'rule profile: a bundled name or a YAML file', 'everrun-6.0')
    .option('--rules <file>', 'site rules file layered over the profile')
    .option('--waivers <file>', 'waivers file')
    .option('--skip <ids>', 'comma-separated rule ids to skip; repeatable', collect)
    .option('--strict', 'count warnings and errors as failures in the exit code')
    .option('--list', 'list the files of the bundle: size, truncated, personal data, redactions, checksums')
    .option('--no-color', 'no colour in the text report')
    .action(async (path: string, opts) => {
      const { reportCommand } = await import('./commands/report.js');
      process.exitCode = await reportCommand(path, opts);
    });

  program
    .command('diff <old> <new>')
    .description('what was fixed, what is new and what is still failing between two runs (JSON reports or bundles)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--profile <name|file>', 'rule profile for bundles (re-evaluated with today\'s rules)', 'everrun-6.0')
    .option('--rules <file>', 'site rules file for bundles')
    .option('--waivers <file>', 'waivers file for bundles')
    .option('--skip <ids>', 'rule ids to skip for bundles; repeatable', collect)
    .option('--strict', 'exit 1 for any new warning or error too, not only new failures')
    .action(async (oldPath: string, newPath: string, opts) => {
      const { diffCommand } = await import('./commands/diff.js');
      process.exitCode = await diffCommand(oldPath, newPath, opts);
    });

  // --- cable mapping: cables (src/commands/cables.ts, src/cables/) ---------------------------------
  const cables = program
    .command('cables')
    .description('which port is which: the NIC table, a guided unplug-and-watch walkthrough (on a terminal), or --watch for scripts')
    .option('--table', 'only print the NIC table of each host and exit')
    .option('--watch', 'print one JSON line per carrier change ({"time","host","nic","carrier"}) until SIGINT/SIGTERM or --duration')
    .option('--duration <seconds>', 'with --watch: stop after this many seconds', parsePositive)
    .option('--interval <ms>', 'how often carrier is read on this machine, in milliseconds (default 50)', parseInterval)
    .option('--guided', 'run the walkthrough even when stdin is not a terminal (answers are read one per line from stdin)')
    .option('--free', "walkthrough without a plan: unplug any cable, in any order, and preflight says which port it was")
    .option('--rehearse', 'failover rehearsal: pull one A-link (or bond member) at a time and prove the hosts still reach each other')
    .option('--identify <nic>', 'blink this NIC\'s port LED (ethtool --identify) so you can find it; the only action that touches a host', collect)
    .option('--identify-seconds <n>', 'how long --identify (and b in the walkthrough) blinks (default 10)', parsePositive)
    .option('--blink', 'in the walkthrough, let b blink the port LED of the current step (ethtool --identify)')
    .option('--wait <seconds>', 'how long carrier (or the SSH session) may take to come back after plugging a cable in (default 30)', parsePositive)
    .option('--no-color', 'no colour in the walkthrough (NO_COLOR is honoured too)')
    .option('--labels <file>', 'port labels from an earlier run (a port table JSON): prefill the label of each port by MAC')
    .option('-o, --out <file>', 'write the port table; format from the extension (.md .csv .json .html); repeatable', collect)
    .addOption(new Option('-f, --format <format>', 'format of the NIC table on stdout').choices(['text', 'json']).default('text'))
    .option('--profile <name|file>', 'rule profile whose network.carrier layout gives the expected roles', 'everrun-6.0');
  withTargetOptions(cables, 'watch')
    .option('--timeout <seconds>', 'time limit to connect to a host', parsePositive)
    .action(async (opts) => {
      const { cablesCommand } = await import('./commands/cables.js');
      process.exitCode = await cablesCommand(opts);
    });

  return program;
}

/**
 * The options that say which hosts to reach and how (src/commands/scanTargets.ts reads them), the
 * same for every command that collects evidence, so their names and meaning cannot drift apart.
 */
function withTargetOptions(cmd: Command, verb: 'scan' | 'collect' | 'watch'): Command {
  cmd
    .option('-H, --host <address>', `${verb} this host over SSH: host, user@host, user@host:port or a ~/.ssh/config alias; repeatable`, collect)
    .option('--role <role>', 'role of the host: master, member, quorum or management; once per --host, in order (default: the first host is master, the others members; this machine: master)', collect)
    .option('--inventory <file>', `${verb} the hosts of an Ansible inventory (INI or YAML); groups master, members, quorum, management give roles`)
    .option('-i, --identity <file>', 'SSH private key to try (after the keys of ssh-agent, before the IdentityFile of ~/.ssh/config); repeatable', collect)
    .option('--ask-pass', 'prompt once for an SSH password (on the terminal; never on the command line, never stored)')
    .option('--known-hosts <file>', 'known_hosts file to verify host keys with (default ~/.ssh/known_hosts)')
    .option('--accept-new', 'add the key of a host not yet in known_hosts (OpenSSH accept-new); a changed key is always refused')
    .option('--ssh-config <file>', 'SSH config to resolve aliases with (default ~/.ssh/config)');
  // Watching follows every host at once and runs no network tests: these two only mean something to a scan.
  if (verb === 'watch') return cmd;
  return cmd
    .option('--no-network-tests', 'do not run the active network tests (pings between the hosts, to the isolation IP and quorum servers, and from here to each host)')
    .option('--concurrency <n>', `hosts ${verb === 'scan' ? 'scanned' : 'collected'} at once (default 16)`, parseCount);
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65534) throw new InputError(`--port: expected a TCP port from 1 to 65534 (n and n+1 are used), got "${v}"`);
  return n;
}

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InputError(`--concurrency: expected a whole number from 1 to 1000, got "${v}"`);
  return n;
}

function parseInterval(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 10 || n > 60_000) throw new InputError(`--interval: expected whole milliseconds from 10 to 60000, got "${v}"`);
  return n;
}

function parsePositive(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`expected a positive number of seconds, got "${v}"`);
  return n;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = handleError(err);
  }
}

/** One line on stderr and an exit code; a stack trace only for real bugs (and only with DEBUG). */
function handleError(err: unknown): number {
  if (err instanceof CommanderError) {
    // Help and version are not errors; commander already printed its one-line usage error.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.badInput;
  }
  if (err instanceof InputError) {
    process.stderr.write(`preflight: ${err.message}\n`);
    return EXIT.badInput;
  }
  const e = err as Error;
  process.stderr.write(`preflight: internal error: ${e?.message ?? String(err)}\n`);
  if (process.env.DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
  return 70;
}

await main(process.argv);
