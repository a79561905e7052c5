/**
 * API tokens against @org/okta-emulator over real HTTP, through the fetch
 * wrapper and the ky instance.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOktaFetch, isOktaApiError, paginate, type OktaCredential, type OktaLogEvent } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { failure } from '@org/okta-test-utils';
import { createSswsCredential } from './ssws-credential.js';
import { sswsCredentialFromEnv } from './ssws-from-env.js';

interface User {
  id: string;
  profile: { login: string };
}

let org: OktaEmulator;

beforeAll(async () => {
  org = await startEmulator();
  org.seedUsers(25);
  org.createUser({ login: 'a@b.com', password: 'Passw0rd!secret' });
});
afterAll(() => org.close());

function credentialFor(token: string) {
  return createSswsCredential({ orgUrl: org.url, token, allowInsecureLoopback: true });
}

const apiError = (promise: Promise<unknown>) => failure(promise, isOktaApiError);

describe('API tokens against the emulator', () => {
  it('lists every user across pages with the fetch wrapper', async () => {
    const { token } = org.createApiToken();
    org.resetCounters();
    const okta = createOktaFetch({ credential: credentialFor(token) });
    const logins: string[] = [];
    for await (const user of paginate<User>(okta, '/api/v1/users?limit=10')) logins.push(user.profile.login);
    expect(logins).toHaveLength(27); // 25 seeded, a@b.com and the org's seeded super admin
    expect(new Set(logins).size).toBe(27);
    expect(org.counters().requests['GET /api/v1/users']).toBe(3);
  });

  it('lists every user across pages with the ky instance, and reads a user by a login with @', async () => {
    const { token } = org.createApiToken();
    const api = createOktaKy({ credential: credentialFor(token) });
    let count = 0;
    for await (const page of paginate<User>((url, init) => api.get(url.replace(/^\//, ''), init), '/api/v1/users?limit=7')) {
      expect(page).toHaveProperty('profile');
      count++;
    }
    expect(count).toBe(27);
    const user = await api.get(`api/v1/users/${encodeURIComponent('a@b.com')}`).json<User>();
    expect(user.profile.login).toBe('a@b.com');
  });

  it('reads the credential from the SDK environment variables', async () => {
    const { token } = org.createApiToken();
    const okta = createOktaFetch({ credential: sswsCredentialFromEnv({ OKTA_CLIENT_ORGURL: org.url, OKTA_CLIENT_TOKEN: token }, { allowInsecureLoopback: true }) });
    const response = await okta('/api/v1/users?limit=1');
    expect(response.status).toBe(200);
  });

  it.each([
    ['revoked', (id: string) => org.revokeApiToken(id)],
    ['expired after 30 days unused', (id: string) => org.expireApiToken(id)],
  ])('tells a %s token (401 E0000011) from other failures, without the token in the error', async (_name, kill) => {
    const { id, token } = org.createApiToken();
    const events: OktaLogEvent[] = [];
    const okta = createOktaFetch({ credential: credentialFor(token), logger: (e) => events.push(e) });
    expect((await okta('/api/v1/users?limit=1')).status).toBe(200);
    kill(id);
    const error = await apiError(okta('/api/v1/users?limit=1'));
    expect(error.status).toBe(401);
    expect(error.errorCode).toBe('E0000011');
    expect(error.requestId).toMatch(/\S+/);
    expect(error.message).toMatch(/^401 E0000011 Invalid token provided \(GET [\w.:-]+\/api\/v1\/users, request id \S+\): Okta rejected the API token: .*revoked.*30 days unused/);
    const everything = [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(events)].join('\n');
    expect(everything).not.toContain(token);
  });

  it('refuses an unknown token the same way', async () => {
    const error = await apiError(createOktaFetch({ credential: credentialFor('00unknownTokenValue-0123456789abcdefghijk') })('/api/v1/users'));
    expect(error.errorCode).toBe('E0000011');
  });

  // Okta's API tokens start with "00" (observed; the format is not documented, so nothing is refused
  // for it up front). A session token of /api/v1/authn ("20111…") or a session id ("102…") pasted as
  // the API token is told apart once Okta has refused it, without quoting any of it.
  it.each([
    ['a session token', '20111JxXJ0tEEjYjN3yQ-vS_jBzq8x1ni3zq7mnUIr6gNE93ApSnS41z'],
    ['a session id', '102zw3Nn4cZQ3uoAHJh6iX2pAbcdefghij'],
  ])('says that %s is not an API token when Okta refuses it, quoting none of it', async (_name, token) => {
    const error = await apiError(createOktaFetch({ credential: credentialFor(token) })('/api/v1/users'));
    expect([error.status, error.errorCode]).toEqual([401, 'E0000011']);
    expect(error.message).toContain('API tokens start with "00"; this one does not: a session token or session id is not an API token.');
    const everything = [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true })].join('\n');
    expect(everything).not.toContain(token.slice(0, 5));
  });

  it('does not say so of a bad token that starts with "00", through both drivers', async () => {
    const token = '00unknownTokenValue-0123456789abcdefghijk';
    const viaFetch = await apiError(createOktaFetch({ credential: credentialFor(token) })('/api/v1/users'));
    const viaKy = await apiError(createOktaKy({ credential: credentialFor(token) }).get('api/v1/users'));
    for (const error of [viaFetch, viaKy]) {
      // The hint ends where the "00" sentence would start: nothing in its place.
      expect(error.message).toMatch(/Okta rejected the API token: it is wrong, revoked, expired after 30 days unused, or its admin is inactive\. Create a new token under Security > API > Tokens\.$/);
      expect(error.message).not.toMatch(/start with "00"|session/);
    }
  });

  // The README's rotation ("Rotating the token without a restart"): one credential the clients keep, handing each
  // attempt to the current token's. A listing under way and calls in flight switch at their next attempt.
  it('rotates the API token under a running client with no failed call; the revoked one is E0000011, naming no token', async () => {
    const old = org.createApiToken();
    let current = credentialFor(old.token);
    const credential: OktaCredential = { kind: 'ssws', origin: current.origin, authorize: (attempt) => current.authorize(attempt), explain: (state) => current.explain?.(state) };
    const events: OktaLogEvent[] = [];
    const okta = createOktaFetch({ credential, logger: (e) => events.push(e) });
    const calls = Array.from({ length: 20 }, () => okta('/api/v1/users?limit=1').then((response) => response.status));
    const logins: string[] = [];
    let rotated: { id: string; token: string } | undefined;
    for await (const user of paginate<User>(okta, '/api/v1/users?limit=5')) {
      logins.push(user.profile.login);
      if (rotated === undefined) {
        rotated = org.createApiToken();
        current = credentialFor(rotated.token);
        expect(await Promise.all(calls)).toEqual(calls.map(() => 200));
        org.revokeApiToken(old.id);
      }
    }
    expect(new Set(logins).size).toBe(27);
    expect((await okta('/api/v1/users?limit=1')).status).toBe(200);
    const stale = await apiError(createOktaFetch({ credential: credentialFor(old.token), logger: (e) => events.push(e) })('/api/v1/users?limit=1'));
    expect([stale.status, stale.errorCode, stale.hint]).toEqual([401, 'E0000011', expect.stringMatching(/^Okta rejected the API token: it is wrong, revoked/)]);
    const everything = [stale.message, String(stale.stack), JSON.stringify(stale), inspect(stale, { depth: 10, showHidden: true }), JSON.stringify(events), inspect(credential)].join('\n');
    for (const token of [old.token, rotated?.token ?? '']) expect(everything).not.toContain(token.slice(0, 20));
  });

  it('sends the token only to the org, never to another origin', async () => {
    const other = await startEmulator();
    try {
      const { token } = org.createApiToken();
      const okta = createOktaFetch({ credential: credentialFor(token) });
      await expect(okta(`${other.url}/api/v1/users`)).rejects.toMatchObject({ code: 'ORIGIN_MISMATCH' });
      expect(other.counters().requests).toEqual({});
    } finally {
      await other.close();
    }
  });

  // Each went out as `SSWS <value>`, and Okta's 401 (E0000011) then said to create a new token,
  // which, pasted the same way, failed the same way.
  it('refuses a token copied with what no API token holds before anything reaches the org', async () => {
    const { token } = org.createApiToken();
    org.resetCounters();
    for (const copied of [`${token};`, `${token}"`, `OKTA_CLIENT_TOKEN=${token}`, `SSWS:${token}`, '00QCjAl4MlV-WPXM...0HmjFx-vbGua']) {
      const error = await failure(
        (async () => createOktaFetch({ credential: credentialFor(copied) })('/api/v1/users'))(),
        (value): value is Error & { code: string } => value instanceof Error,
      );
      expect([error.name, error.code], copied).toEqual(['OktaSswsError', 'INVALID_TOKEN']);
      expect(inspect(error) + JSON.stringify(error)).not.toContain(token);
    }
    expect(org.counters().requests).toEqual({});
  });
});
