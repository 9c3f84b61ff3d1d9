#!/usr/bin/env node
import { runCli } from './run-cli';

/** The shell's status for a process ended by SIGPIPE (128 + 13), as `yes | head` reports it. */
const STDOUT_CLOSED = 141;

// `export | head`: the reader left. End quietly, as Unix tools do on SIGPIPE, and not with 0:
// what was left unprinted is lost (for `clients create`, the only copy of a secret).
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(STDOUT_CLOSED);
});

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
