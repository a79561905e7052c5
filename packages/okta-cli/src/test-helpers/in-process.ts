import { PassThrough, Readable } from 'node:stream';
import { main } from '../main.js';
import type { Sandbox } from './cli.js';

/**
 * `okta-auth <args>` run in this process (so that a mocked `node:fs` applies), in `box`: its exit
 * code to come, and what it has written on stderr so far.
 */
export function inProcess(args: readonly string[], box: Sandbox): { readonly code: Promise<number>; stderr: () => string } {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  let text = '';
  stderr.setEncoding('utf8').on('data', (d: string) => (text += d));
  stdout.resume();
  return { code: main(args, { stdout, stderr, stdin: Readable.from([]) }, box.env, box.cwd), stderr: () => text };
}
