/**
 * `throwHttpErrors: false` hands back every answer of a valid status (RFC 9110 §15: 100–599), up to
 * 599 itself; only a status past 599 is the call's error whatever the option says (core README,
 * "Decisions"; drivers-differential-scripted.server.test.ts has the 799).
 */
import { describe, expect, it } from 'vitest';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { createOktaFetch } from './okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';

const org = useApiTokenOrg();

describe('throwHttpErrors: false at the top of the status range', () => {
  it('hands back a 599 through both drivers, its body unread', async () => {
    const credential = org.ssws(org.org.url);
    const calls = {
      createOktaFetch: () => createOktaFetch({ credential, retry: false, throwHttpErrors: false })('/api/v1/users?limit=1'),
      createOktaKy: () => createOktaKy({ credential, retry: false }).get('api/v1/users?limit=1', { throwHttpErrors: false }),
    };
    for (const [driver, call] of Object.entries(calls)) {
      org.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 599, body: { errorCode: 'E0000009', errorSummary: 'edge' }, count: 1 });
      const response = await call();
      expect([response.status, response.ok], driver).toEqual([599, false]);
      expect(await response.json(), driver).toMatchObject({ errorCode: 'E0000009' });
    }
  });
});
