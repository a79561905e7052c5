/**
 * A bodiless 4xx `status` fault on a management path, read through the fetch wrapper with an API token:
 * the emulator answers Okta's error for the status (its FIDELITY FA5), so `OktaApiError` reads as it
 * would for Okta's own refusal (its code and summary, and this credential's hint), not as a 500's.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOktaFetch, isOktaApiError } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { failure } from '@org/okta-test-utils';
import { createSswsCredential } from './ssws-credential.js';

let org: OktaEmulator;
let okta: ReturnType<typeof createOktaFetch>;

beforeAll(async () => {
  org = await startEmulator();
  okta = createOktaFetch({ credential: createSswsCredential({ orgUrl: org.url, token: org.createApiToken().token, allowInsecureLoopback: true }) });
});
afterAll(() => org.close());
beforeEach(() => org.clearFaults());

describe('a bodiless 4xx fault on a management path, through createOktaFetch and an API token', () => {
  it.each([
    [400, 'E0000001', 'Api validation failed', /, request id \S+\)$/],
    [401, 'E0000011', 'Invalid token provided', /\): Okta rejected the API token: it is wrong, revoked, expired after 30 days unused, or its admin is inactive\./],
    [403, 'E0000006', 'You do not have permission to perform the requested action', /\): The API token has the permissions of the admin who created it/],
  ])('%i reads as Okta’s %s', async (status, errorCode, errorSummary, tail) => {
    org.injectFault({ path: '/api/v1/users', kind: 'status', status, count: 1 });
    const error = await failure(okta('/api/v1/users?limit=1'), isOktaApiError);
    expect(error).toMatchObject({ code: 'API_ERROR', status, errorCode, errorSummary, errorLink: errorCode, errorCauses: [], challenges: [] });
    expect(error.message).toMatch(new RegExp(`^${status} ${errorCode} ${errorSummary} \\(GET [\\w.:-]+/api/v1/users, request id \\S+`));
    expect(error.message).toMatch(tail);
    expect(error.message).not.toContain('Internal Server Error');
    expect((await okta('/api/v1/users?limit=1')).status).toBe(200);
  });
});
