/**
 * `--data @FILE` and `--data @-` are UTF-8 JSON (files.ts's `readInput`): bytes that are not UTF-8
 * (a Latin-1 export's "Müller", `ü` the one byte 0xFC) are refused (exit 2) saying what to do, never
 * sent as U+FFFD; a byte order mark (PowerShell's `Out-File`, Notepad) is dropped, the JSON sent.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../test-helpers/cli.js';
import { apiTokenProfileOrg } from '../test-helpers/api-token-profile.js';

const place = apiTokenProfileOrg({ seed: { users: 1 } });

const user = (login: string, lastName: string): string => JSON.stringify({ profile: { login, email: login, firstName: 'J', lastName } });
const created = () => place.org.counters().requests['POST /api/v1/users'] ?? 0;
/** "Müller" in Latin-1: `ü` is the one byte 0xFC, never UTF-8. */
const latin1 = Buffer.from(user('jm@example.com', 'Müller'), 'latin1');

it.each([
  ['a file', (path: string) => ['--data', `@${path}`], undefined],
  ['stdin', () => ['--data', '@-'], latin1],
])('Latin-1 bytes in %s: refused (exit 2) saying to save it as UTF-8, nothing sent', async (_name, data, input) => {
  const path = join(place.box.cwd, 'latin1.json');
  writeFileSync(path, latin1);
  const before = created();
  const args = data(path);
  const result = await runCli(['api', 'POST', '/api/v1/users', ...args], { cwd: place.box.cwd, env: place.box.env, ...(input === undefined ? {} : { input }) });
  expect(result.stderr).toBe(`okta-auth: --data ${args[1] ?? ''}: is not UTF-8 text (JSON sent to Okta is UTF-8): save it as UTF-8 (iconv -f latin1 -t utf-8, or your editor's encoding setting).\n`);
  expect(result.code).toBe(2);
  expect(created()).toBe(before);
});

it('a UTF-8 file that starts with a byte order mark: the mark dropped, the JSON sent as written', async () => {
  writeFileSync(join(place.box.cwd, 'bom.json'), `\ufeff${user('bom@example.com', 'Müller')}`);
  const result = await runCli(['api', 'POST', '/api/v1/users', '-d', '@bom.json'], { cwd: place.box.cwd, env: place.box.env });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toMatchObject({ profile: { login: 'bom@example.com', lastName: 'Müller' } });
});
