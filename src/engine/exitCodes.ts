/**
 * The exit codes of every command (docs/cli.md). Kept apart from the engine so that the CLI's
 * entry point, `--version` and `help` load nothing else.
 */
export const EXIT = { ok: 0, failed: 1, badInput: 2, unreachable: 3 } as const;
