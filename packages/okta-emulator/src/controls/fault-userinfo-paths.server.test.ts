import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';

/**
 * A bodiless `status` fault's answer at its edges (mutation testing, twenty-fifth round): only a userinfo
 * path itself answers as the route (FA4: the challenge, no body); a path that merely contains one, or
 * goes on past it, answers as it would there (FA3, FA5). Under `/oauth2/`, only a 4xx or 5xx is an OAuth
 * error; a fault below 400 is Okta's `E0000009` as on any other path [I].
 */
describe('a status fault given no body, at the edges of its paths and statuses', () => {
  let org: OktaEmulator;
  beforeAll(async () => {
    org = await startEmulator();
  });
  afterAll(() => org.close());
  beforeEach(() => org.clearFaults());

  const faulted = async (path: string, status: number) => {
    org.injectFault({ path, kind: 'status', status, count: 1 });
    const res = await fetch(`${org.url}${path}`, { headers: { Authorization: 'Bearer nope' } });
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.text() };
  };

  it.each([
    // A management path: the org's refusal of a bad access token, its body and its own challenge (FA5).
    ['/api/oauth2/v1/userinfo', { errorCode: 'E0000011' }],
    ['/oauth2/v1/userinfo/more', { error: 'invalid_client' }],
  ])('401 at %s is no userinfo challenge', async (path, body) => {
    const answer = await faulted(path, 401);
    expect(answer.status).toBe(401);
    expect(answer.body).not.toBe('');
    expect(JSON.parse(answer.body)).toMatchObject(body);
  });

  it('a 401 at a custom authorization server’s userinfo is the route’s challenge', async () => {
    const answer = await faulted('/oauth2/default/v1/userinfo', 401);
    expect(answer).toMatchObject({ status: 401, body: '', challenge: expect.stringMatching(/^Bearer .*error="invalid_token"/) });
  });

  it.each([200, 302])('a %i under /oauth2/ is E0000009, no OAuth error', async (status) => {
    const answer = await faulted('/oauth2/v1/token', status);
    expect(answer.status).toBe(status);
    expect(JSON.parse(answer.body)).toMatchObject({ errorCode: 'E0000009' });
    expect(JSON.parse(answer.body)).not.toHaveProperty('error');
  });
});
