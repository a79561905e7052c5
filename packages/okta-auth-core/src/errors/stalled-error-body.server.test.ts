/**
 * An error answer whose body stalls past `timeoutMs` has one outcome through every driver: the
 * answer came, so `OktaApiError` with its status (`API_ERROR`; a final 429 `RATE_LIMITED`) and the
 * summary "the body did not arrive within timeoutMs". It was an `API_ERROR` without a word
 * of why through the fetch driver and `TIMEOUT` through `createOktaKy` (ky's timeout covers its
 * fetch, where the error body is read) and the hooks on the user's own instance.
 */
import { json } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from './api-error.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const okta = useScriptedServer((_req, res) => json(res, 200, { ok: true }));

/** Long enough for the headers to come on a loaded machine; the body never does. */
const timeoutMs = 1000;

describe.each(Object.keys(drivers))('an error answer whose body stalls, through %s', (name) => {
  it.each([
    [500, 'API_ERROR'],
    [429, 'RATE_LIMITED'],
  ] as const)('a %i is %s with the status, saying the body did not arrive within timeoutMs, without the secret', async (status, code) => {
    okta.handle((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-okta-request-id': 'req-stall' });
      res.write('{"errorSummary":"secret-token-value-1');
    });
    const driver = drivers[name]?.({ credential: countingCredential(okta.origin), retry: false, timeoutMs });
    const error = await driver?.postJson('/api/v1/users', {}).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    if (!isOktaApiError(error)) throw new Error(`not an OktaApiError: ${String(error)}`);
    const said = 'the body did not arrive within timeoutMs';
    expect(error).toMatchObject({ code, status, requestId: 'req-stall', errorSummary: said });
    expect(error.message.startsWith(`${status} `)).toBe(true);
    expect(error.message).toContain(`${said} (POST ${new URL(okta.origin).host}/api/v1/users, request id req-stall)`);
    expect(`${error.message} ${JSON.stringify(error)}`).not.toContain('secret-token-value');
  });
});
