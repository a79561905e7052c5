import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { faultError } from '../http/errors.js';
import { startEmulator, type OktaEmulator } from '../index.js';

/**
 * The management API's 401 at its edges (mutation testing, twenty-eighth round): a 401 fault on a
 * request that carries no `Authorization` at all, or one without a credential after its scheme, is
 * the bare `E0000011` (no challenge, not a 500); a `Bearer` token the org does not know names its
 * problem in `errorCauses`; and `faultError`'s own table keeps `E0000011` for a 401 off `/oauth2/`.
 */
describe("the management API's 401 (E0000011)", () => {
  let org: OktaEmulator;
  beforeAll(async () => {
    org = await startEmulator({ seed: { users: 1 } });
  });
  afterAll(() => org.close());
  beforeEach(() => org.clearFaults());

  it.each<[string, Record<string, string>]>([
    ['no Authorization', {}],
    ['an Authorization without a credential after its scheme', { Authorization: 'Bearer' }],
  ])('a 401 fault on a request with %s: the bare body, no challenge', async (_, headers) => {
    org.injectFault({ path: '/api/v1/users', kind: 'status', status: 401, count: 1 });
    const res = await fetch(`${org.url}/api/v1/users`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeNull();
    expect(await res.json()).toMatchObject({ errorCode: 'E0000011', errorCauses: [] });
  });

  it("an unknown Bearer token: the invalid_token challenge, and the problem in errorCauses", async () => {
    const res = await fetch(`${org.url}/api/v1/users`, { headers: { Authorization: 'Bearer not-a-token-the-org-issued' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000011', errorCauses: [{ errorSummary: 'The access token is invalid.' }] });
  });

  it("faultError's table: a 401 off /oauth2/ is E0000011, on it invalid_client", () => {
    expect(JSON.parse(String(faultError(401, '/api/v1/users').body))).toMatchObject({ errorCode: 'E0000011' });
    expect(JSON.parse(String(faultError(401, '/oauth2/v1/token').body))).toMatchObject({ error: 'invalid_client' });
  });
});
