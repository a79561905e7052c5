import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { postToken } from '../test-helpers/oauth.js';

/**
 * A `status` fault of a 4xx other than 429, given no `body`, on `/oauth2/*` (mutation testing,
 * twenty-fourth round): `server_error` is the OAuth catalogue's error for Okta's own failures, a
 * 5xx, never a 4xx's: a 4xx there is an OAuth refusal (`invalid_request` for a status the catalogue
 * names no error for), a 404 the org's own answer to an unknown path (FIDELITY FA3).
 */
describe('a 4xx status fault on an OAuth path', () => {
  let org: OktaEmulator;
  beforeAll(async () => {
    org = await startEmulator();
  });
  afterAll(() => org.close());

  it.each([
    [400, { error: 'invalid_request' }],
    [404, { errorCode: 'E0000007' }],
    [499, { error: 'invalid_request' }],
  ])('%i is no server_error', async (status, body) => {
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status, count: 1 });
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' });
    expect(res.status).toBe(status);
    const answer = await res.json();
    expect(answer).toMatchObject(body);
    expect(answer.error).not.toBe('server_error');
  });
});
