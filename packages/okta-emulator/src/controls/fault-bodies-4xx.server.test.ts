import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { postToken } from '../test-helpers/oauth.js';

/**
 * A `status` fault of a 4xx other than 429, given no `body`, on `/oauth2/*` (mutation testing,
 * twenty-fourth round): `server_error` is the OAuth catalogue's error for Okta's own failures, a
 * 5xx, so a 4xx there is the fallback, Okta's `E0000009` body, as on `/api/v1/*` (FIDELITY FA1–FA2).
 */
describe('a 4xx status fault on an OAuth path', () => {
  let org: OktaEmulator;
  beforeAll(async () => {
    org = await startEmulator();
  });
  afterAll(() => org.close());

  it.each([400, 404, 499])('%i is no server_error: the Okta error body E0000009', async (status) => {
    org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status, count: 1 });
    const res = await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ errorCode: 'E0000009', errorSummary: 'Internal Server Error' });
  });
});
