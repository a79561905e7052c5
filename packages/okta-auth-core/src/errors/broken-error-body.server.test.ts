/**
 * An error answer whose body breaks off (the connection reset halfway) is the answer's
 * `OktaApiError` with its status through every driver, its body counted as empty: not a stall
 * (`stalled-error-body.server.test.ts`: "the body did not arrive within timeoutMs", which would
 * send an operator after a slow network), and no half-read body in the error. Real HTTP against
 * `@org/okta-emulator`, whose `truncate` fault sends half of Okta's 401 and resets.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from './api-error.js';
import { stalledErrorBody } from './answer.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { drivers } from '../test-helpers/drivers.js';

const env = useApiTokenOrg();

describe.each(Object.keys(drivers))('an error answer whose body breaks off, through %s', (name) => {
  it('is API_ERROR with the status and no summary, not a stall', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'truncate' });
    // A token the org does not know: Okta's 401 (E0000011), cut in half.
    const wrong = `00${env.token.slice(2, -4)}zzzz`;
    const driver = drivers[name]!({ credential: { kind: 'ssws', origin: env.org.url, authorize: () => Promise.resolve({ authorization: `SSWS ${wrong}` }) }, retry: false, timeoutMs: 30_000 });
    const error: unknown = await driver.getJson('/api/v1/users').then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    if (!isOktaApiError(error)) throw new Error(`not an OktaApiError: ${String(error)}`);
    expect(error).toMatchObject({ code: 'API_ERROR', status: 401, errorSummary: undefined });
    expect(error.message).toMatch(/^401 Unauthorized \(GET 127\.0\.0\.1:\d+\/api\/v1\/users, request id [\w-]+\)$/);
    const shown = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`;
    expect(shown).not.toContain(JSON.parse(stalledErrorBody).errorSummary);
    expect(shown).not.toContain('E0000011');
    expect(shown).not.toContain(wrong);
  });
});
