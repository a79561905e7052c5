#!/usr/bin/env node
import { main } from './main.js';

// Ctrl-C: stop at once, with the conventional 128 + SIGINT.
process.once('SIGINT', () => process.exit(130));
// `okta-auth api … | head`: a closed pipe is the reader's choice, not an error. Any other failure
// (a full disk, an I/O error) leaves the output incomplete: one line saying so and exit 1, never a
// crash with a stack trace (nor the command's own error after it).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`okta-auth: cannot write the output (${error.code ?? 'error'}): it is incomplete; free some space, or write it elsewhere.\n`);
  process.exit(1);
});
// What a command says as the process ends, whatever ends it (Ctrl-C above, a closed pipe, an error):
// 'exit' listeners run on process.exit too, and stderr (a file, pipe or terminal) is written at once on Linux and macOS.
function atExit(last: () => void): () => void {
  process.once('exit', last);
  return () => process.off('exit', last);
}
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, atExit }, process.env, process.cwd());
