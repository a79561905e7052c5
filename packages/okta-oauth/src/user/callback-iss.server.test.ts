/**
 * RFC 9207 (`iss` in the authorization response) on both paths, against @org/okta-emulator over
 * HTTP. Okta's documents do not advertise it and its callbacks carry `code` and `state` only (the
 * emulator's default): such a callback signs in, and one that carries an `iss` anyway is still
 * compared with the issuer (mix-up defence). An org that advertises it
 * (`startEmulator({ authorizationResponseIss: true })`): its callbacks carry `iss`, and one without
 * it, or naming another issuer, is refused (§2.4), before any token request.
 */
import type { OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { login, password, redirectUri, signInFailure as failure, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const OTHER_ISSUER = 'https://other.okta.com';
const tokenRequests = (org: OktaEmulator): number => org.counters().requests['POST /oauth2/v1/token'] ?? 0;

/** A new SPA's client, a sign-in through the org's form, and the callback it was sent to. */
async function callbackOf(org: OktaEmulator) {
  const client = spaOf(org);
  const { url, transaction } = await client.startSignIn();
  return { client, transaction, callback: new URL(await fillSignInForm(url, login, password)) };
}

describe("RFC 9207 as Okta does it: no authorization_response_iss_parameter_supported, no iss in the callback", () => {
  const env = useSignInOrg();

  it('signs in from a callback without iss', async () => {
    const { client, transaction, callback } = await callbackOf(env.org);
    expect([...callback.searchParams.keys()].sort()).toEqual(['code', 'state']);
    expect((await client.finishSignIn(callback, transaction)).claims?.preferred_username).toBe(login);
  });

  it('still compares an iss the callback carries anyway: another issuer is ISSUER_MISMATCH, before any token request; its own issuer signs in', async () => {
    let { client, transaction, callback } = await callbackOf(env.org);
    callback.searchParams.set('iss', OTHER_ISSUER);
    const before = tokenRequests(env.org);
    expect((await failure(client.finishSignIn(callback, transaction))).code).toBe('ISSUER_MISMATCH');
    expect(tokenRequests(env.org)).toBe(before);

    ({ client, transaction, callback } = await callbackOf(env.org));
    callback.searchParams.set('iss', env.org.url);
    expect((await client.finishSignIn(callback, transaction)).claims?.preferred_username).toBe(login);
  });

  it('reads an error callback without iss as the error it is, and one naming another issuer as ISSUER_MISMATCH', async () => {
    const client = spaOf(env.org);
    const silent = await client.startSignIn({ prompt: 'none' });
    const answer = await fetch(silent.url, { redirect: 'manual' });
    const refused = new URL(answer.headers.get('location')!);
    expect([refused.searchParams.get('error'), refused.searchParams.has('iss')]).toEqual(['login_required', false]);
    expect((await failure(client.finishSignIn(refused, silent.transaction))).code).toBe('LOGIN_REQUIRED');

    const { transaction } = await client.startSignIn();
    const forged = new URL(redirectUri);
    forged.search = new URLSearchParams({ error: 'access_denied', state: transaction.state, iss: OTHER_ISSUER }).toString();
    expect((await failure(client.finishSignIn(forged, transaction))).code).toBe('ISSUER_MISMATCH');
  });

  it("refuses a callback without iss once the org's document advertises the parameter (§2.4: the client cannot tell it from a mix-up)", async () => {
    env.org.overrideDiscovery({ authorization_response_iss_parameter_supported: true });
    const { client, transaction, callback } = await callbackOf(env.org); // a new client reads the document afresh
    expect(callback.searchParams.has('iss')).toBe(false);
    expect((await failure(client.finishSignIn(callback, transaction))).code).toBe('ISSUER_MISMATCH');
  });
});

describe('RFC 9207 where the org advertises it (authorizationResponseIss: true)', () => {
  const env = useSignInOrg({ authorizationResponseIss: true });

  it("signs in from a callback carrying the org's iss", async () => {
    const { client, transaction, callback } = await callbackOf(env.org);
    expect(callback.searchParams.get('iss')).toBe(env.org.url);
    expect((await client.finishSignIn(callback, transaction)).claims?.preferred_username).toBe(login);
  });

  it('refuses a callback whose iss is missing or names another issuer (ISSUER_MISMATCH), before any token request', async () => {
    for (const spoil of [(c: URL) => c.searchParams.delete('iss'), (c: URL) => c.searchParams.set('iss', OTHER_ISSUER)]) {
      const { client, transaction, callback } = await callbackOf(env.org);
      spoil(callback);
      const before = tokenRequests(env.org);
      expect((await failure(client.finishSignIn(callback, transaction))).code).toBe('ISSUER_MISMATCH');
      expect(tokenRequests(env.org)).toBe(before);
    }
  });
});
