/**
 * What the emulator keeps for a long test run or the demo stays bounded: records whose time is up
 * are forgotten, as a real server does, and counters keyed by what requests name keep at most
 * `maxCounterKeys` keys. Driven over real HTTP; the sizes read through the `@internal` `storeSizes()`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { maxCounterKeys } from '../controls/counters.js';
import { authorizeUrl, Browser, signIn } from '../test-helpers/browser.js';
import { basic, form, postToken } from '../test-helpers/oauth.js';
import { REDIRECT } from '../test-helpers/user-tokens.js';

const sizes = (org: OktaEmulator): Record<string, number> => (org as OktaEmulator & { storeSizes(): Record<string, number> }).storeSizes();

describe('long-lived state of an org', () => {
  let org: OktaEmulator;
  beforeAll(async () => {
    org = await startEmulator();
  });
  afterAll(() => org.close());

  it('forgets expired access tokens, codes, device codes, sign-in transactions and idle sessions, and keeps what is valid across clock moves', async () => {
    const oin = org.createOinApp({ scopes: ['okta.users.read'] });
    const native = org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    org.createUser({ login: 'long@example.com', password: 'pw-Long-1' });
    const token = () => postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read' }, { Authorization: basic(oin.clientId, oin.clientSecret) });
    const signInNow = () => signIn(org, new Browser(), { clientId: native.clientId, redirectUri: REDIRECT, scope: 'openid', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' }, 'long@example.com', 'pw-Long-1');
    // Valid now: must stay.
    expect((await token()).status).toBe(200);
    await signInNow();
    // Two days ago (the org's clock moved back): all of these have expired since, by more than any grace.
    org.setClockOffset(-2 * 86_400);
    for (let i = 0; i < 5; i++) {
      expect((await token()).status).toBe(200);
      expect((await fetch(`${org.url}/oauth2/v1/device/authorize`, form({ client_id: native.clientId, scope: 'openid' }))).status).toBe(200);
      const page = await fetch(authorizeUrl(org, { clientId: native.clientId, redirectUri: REDIRECT, state: `s${i}`, scope: 'openid', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' }), { redirect: 'manual' });
      expect([page.status, page.headers.get('location')]).toEqual([200, null]);
      await signInNow();
    }
    expect(sizes(org)).toMatchObject({ accessTokens: 6, codes: 6, devices: 5, transactions: 5, sessions: 6 });
    org.setClockOffset(0);
    await fetch(`${org.url}/.well-known/openid-configuration`);
    expect(sizes(org)).toMatchObject({ accessTokens: 1, codes: 1, devices: 0, transactions: 0, sessions: 1 });
    // Ahead by two days and back: the token valid now was never forgotten.
    org.setClockOffset(2 * 86_400);
    await fetch(`${org.url}/.well-known/openid-configuration`);
    org.setClockOffset(0);
    await fetch(`${org.url}/.well-known/openid-configuration`);
    expect(sizes(org)).toMatchObject({ accessTokens: 1, sessions: 1 });
  });

  it('counts at most maxCounterKeys unknown paths and grant types, the least recently counted dropped', async () => {
    const extra = 10;
    for (let batch = 0; batch < maxCounterKeys + extra; batch += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          Promise.all([fetch(`${org.url}/nowhere/${batch + i}`).then((r) => r.arrayBuffer()), postToken(org, { grant_type: `g${batch + i}` }).then((r) => r.arrayBuffer())]),
        ),
      );
    }
    const { requests, tokenRequests } = org.counters();
    expect(Object.keys(requests).length).toBeLessThanOrEqual(maxCounterKeys);
    expect(Object.keys(tokenRequests).length).toBeLessThanOrEqual(maxCounterKeys);
    expect(requests['GET /nowhere/0']).toBeUndefined();
    expect(requests[`GET /nowhere/${maxCounterKeys + extra - 1}`]).toBe(1);
    expect(tokenRequests[`g${maxCounterKeys + extra - 1}`]).toEqual({ unsupported_grant_type: 1 });
  });
});
