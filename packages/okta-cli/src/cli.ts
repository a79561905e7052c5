#!/usr/bin/env node
import { ExitCode } from './exit-codes.js';
import { main } from './main.js';

// Ctrl-C, and the stops a CI step's time limit, `timeout`, systemd or Kubernetes send (SIGTERM) or a
// closed terminal or ssh session (SIGHUP): stop at once, through process.exit, so the 'exit' path
// below still says what it must (`--follow`'s resume line), with the conventional 128 + the signal.
process.once('SIGINT', () => process.exit(ExitCode.INTERRUPTED));
process.once('SIGTERM', () => process.exit(ExitCode.TERMINATED));
process.once('SIGHUP', () => process.exit(ExitCode.HUNG_UP));
// `okta-auth api … | head`: a closed pipe is the reader's choice, not an error. Any other failure
// (a full disk, an I/O error) leaves the output incomplete: one line saying so and exit 1, never a
// crash with a stack trace (nor the command's own error after it).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`okta-auth: cannot write the output (${error.code ?? 'error'}): it is incomplete; free some space, or write it elsewhere.\n`);
  process.exit(1);
});
// stderr holds diagnostics only (`-v`, progress, errors): a reader of it that went away (`2>&1 | head -1`,
// a log shipper that stopped) costs those, never the data on stdout nor the exit code.
process.stderr.on('error', () => undefined);
// What a command says as the process ends, whatever ends it (Ctrl-C above, a closed pipe, an error):
// 'exit' listeners run on process.exit too, and stderr (a file, pipe or terminal) is written at once on Linux and macOS.
function atExit(last: () => void): () => void {
  process.once('exit', last);
  return () => process.off('exit', last);
}
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, atExit }, process.env, process.cwd());
