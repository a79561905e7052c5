/**
 * A `Cookie` request header's secrets are each cookie's value, not its name nor a harmless pair
 * (`cookie-secrets.ts`): over real HTTP, a scripted server (the emulator never reads cookies)
 * echoes the session cookie's value alone, the names, and a pair whose value is short. The value
 * is scrubbed in either driver's error and in `requestSecrets` (the CLI's `--verbose`); the
 * names and `theme=dark` stay readable.
 */
import { failure, json } from '@org/okta-test-utils';
import { expect, it } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { requestSecrets, scrub } from './secret.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { printed } from '../test-helpers/printed.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const session = '102sentinelSessionId-0123';
// The session cookie first: everything after the first space used to be listed, its value alone never.
const cookie = `sid=${session}; theme=dark`;

const okta = useScriptedServer((req, res) => {
  const pairs = String(req.headers.cookie).split('; ');
  const names = pairs.map((pair) => pair.slice(0, pair.indexOf('=')));
  json(res, 400, { errorCode: 'E0000001', errorSummary: `cookies ${names.join(', ')}; ${pairs[1] ?? ''} kept; session ${pairs[0]?.slice(4) ?? ''} expired` });
});

it.each([
  ['createOktaFetch', () => createOktaFetch({ credential: countingCredential(okta.origin), retry: false })('/api/v1/users', { headers: { cookie } })],
  ['createOktaKy', () => createOktaKy({ credential: countingCredential(okta.origin), retry: false }).get('api/v1/users', { headers: { cookie } })],
] as const)("%s: scrubs each cookie's value from the error, not the names or a pair too short to be a secret", async (_name, call) => {
  const error: unknown = await failure(call);
  expect(okta.requests[0]?.headers.cookie).toBe(cookie);
  expect(isOktaApiError(error) && error.status).toBe(400);
  expect((error as Error).message).toContain('cookies sid, theme; theme=dark kept; session [redacted');
  expect(printed(error).join('\n')).not.toContain(session.slice(0, 12));
});

it("requestSecrets lists each cookie's value, not the pairs after the first", () => {
  const echo = `cookies sid, theme; theme=dark kept; session ${session} expired`;
  expect(scrub(echo, requestSecrets(new Headers({ cookie })))).toBe('cookies sid, theme; theme=dark kept; session [redacted …0123] expired');
});

it('lists what is inside a quoted value and a nameless pair whole, never a name', () => {
  expect(requestSecrets(new Headers({ cookie: 'a="quoted-session-value-01"; nameless-session-value-02; b=; theme=dark' }))).toEqual(['quoted-session-value-01', 'nameless-session-value-02']);
});
