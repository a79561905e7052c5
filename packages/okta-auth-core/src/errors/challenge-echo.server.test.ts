/**
 * `OktaApiError.challenges` holds what an answer's `WWW-Authenticate` said, and docs/SECURITY.md
 * lists it among the fields scrubbed of the attempt's secrets. Its parameter values and token68
 * were; the scheme and the parameter names were not (session 29 review): an API token is all
 * token characters (letters, digits, `-`, `_`), and so is an access token (`.` too), so a header
 * that echoes one where a scheme or a parameter name stands (`WWW-Authenticate: <token>`,
 * `Bearer <token>=x`) put it, as sent or lower-cased, in the error's `challenges`, which
 * `JSON.stringify` and `util.inspect` print. Against the emulator, through every driver.
 */
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaApiError } from './api-error.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { drivers } from '../test-helpers/drivers.js';
import { printed } from '../test-helpers/printed.js';

const org = useApiTokenOrg();

/** What a hostile answer or a broken proxy puts in `WWW-Authenticate`, given the token sent. */
const echoes: Record<string, (token: string) => string> = {
  'as the scheme': (token) => token,
  'as the scheme, with parameters': (token) => `${token} realm="okta", error="invalid_token"`,
  'as a parameter name': (token) => `Bearer error="invalid_token", ${token}="x"`,
  'as the scheme after the SSWS scheme name': (token) => `SSWS, ${token} error="invalid_token"`,
};

describe.each(Object.keys(drivers))('through %s', (driver) => {
  it.each(Object.keys(echoes))('a WWW-Authenticate that echoes the API token %s: not in the error, in any form', async (echo) => {
    const { token } = org;
    org.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 401, headers: { 'www-authenticate': echoes[echo]!(token) } });
    const error: unknown = await failure(drivers[driver]!({ credential: org.ssws(org.org.url), retry: false }).getJson('/api/v1/users'));
    expect(isOktaApiError(error) && error.status).toBe(401);
    expect(isOktaApiError(error) && error.challenges.length).toBeGreaterThan(0);
    const text = printed(error).join('\n');
    expect(text).not.toContain(token);
    expect(text.toLowerCase()).not.toContain(token.toLowerCase());
    expect(text).toContain('[redacted');
  });
});
