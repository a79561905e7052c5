#!/usr/bin/env node
import { main } from './main.js';

// Ctrl-C: stop at once, with the conventional 128 + SIGINT.
process.once('SIGINT', () => process.exit(130));
// `okta-auth api … | head`: a closed pipe is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin }, process.env, process.cwd());
