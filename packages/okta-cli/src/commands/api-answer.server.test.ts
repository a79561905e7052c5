/**
 * `okta-auth api`'s answer is read through core's one bounded reader (`readAnswerText`) up to
 * 32 MiB: an org (or something in front of it) that answers more is refused with exit 1 and what
 * to ask instead, the rest never read nor printed. No option sets a smaller bound, so the scripted
 * org streams 32 MiB + 1 bytes in 64 KiB writes, waiting for each to drain (the test never holds
 * the answer), and the CLI's stdout is counted, not kept.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cliPath, requireBuiltCli, sandbox, type Sandbox } from '../test-helpers/cli.js';

const maxAnswerBytes = 32 * 1024 * 1024;
const token = '00answerTokenSentinel0123456789abcdefghij';
let okta: ScriptedServer;
let box: Sandbox;

/** Writes `size` bytes of `x` in 64 KiB writes, each after the one before drained; stops when the client goes. */
async function stream(res: ServerResponse, size: number): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const closed = once(res, 'close');
  for (let left = size; left > 0 && !res.destroyed; left -= chunk.length) {
    if (!res.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await Promise.race([once(res, 'drain'), closed]);
  }
  res.end();
}

beforeAll(async () => {
  requireBuiltCli();
  okta = await startScriptedServer((req, res) => stream(res, Number(new URL(req.path, 'http://x').searchParams.get('size'))));
  box = sandbox();
  box.writeYaml('cwd', { client: { orgUrl: okta.url, token } });
});

afterAll(async () => {
  await okta.close();
  box.remove();
});

/** The CLI's exit code, stderr, and how many bytes it wrote to stdout. */
async function api(path: string): Promise<{ code: number | null; stdoutBytes: number; stderr: string }> {
  const child = spawn(process.execPath, [cliPath, 'api', 'GET', path], { cwd: box.cwd, env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdoutBytes += d.length));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdoutBytes, stderr };
}

it('an answer of 32 MiB is printed whole; one byte more is exit 1 saying to ask for less, nothing printed, neither the query nor the token quoted', async () => {
  const whole = await api(`/api/v1/logs?size=${maxAnswerBytes}`);
  expect(whole).toEqual({ code: 0, stdoutBytes: maxAnswerBytes + 1, stderr: '' });
  const over = await api(`/api/v1/logs?size=${maxAnswerBytes + 1}&filter=sentinelQueryValue`);
  expect(over).toEqual({ code: 1, stdoutBytes: 0, stderr: 'okta-auth: GET /api/v1/logs: the answer is larger than 32 MiB; ask for less (limit, --paginate).\n' });
  expect(okta.requests.map((r) => r.headers.authorization)).toEqual([`SSWS ${token}`, `SSWS ${token}`]);
});
