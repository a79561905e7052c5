/**
 * Tokens a sign-in client restores with another DPoP key than the one they were issued with (a
 * client made without `dpopKeyPair` generates a new key, in each process): Okta refuses every
 * proof of the new key, at its APIs and at the token endpoint. Tokens stored since their record
 * names their key (`dpopJkt`, the RFC 7638 thumbprint) are refused before anything is sent
 * (`restoreCredential` answers `undefined`, as for a lost key after a restart; `credential()` throws);
 * tokens stored before (no `dpopJkt`) are sent as they were, and the errors say so, instead of
 * pointing at `dpop: "off"` or the clock alone. Tokens another process with another key stored
 * under the same storage key are not taken for a renewal of this credential's.
 */
import { createOktaFetch, isOktaApiError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { generateDpopKeyPair } from '../dpop/dpop-key-pair.js';
import { DpopKey } from '../dpop/dpop-key.js';
import { restoreCredential } from './client-functions.js';
import { createMemoryStorage } from './storage.js';
import { UserTokens } from './tokens.js';
import { redirectUri, signIn, tokensKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const dpopApp = () => env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read', 'offline_access'], requireDpop: true });

/** Signs in with key A and stores the tokens, as an app does; the storage and the stored text. */
async function signedInWithKeyA(app: { clientId: string }) {
  const keyA = await generateDpopKeyPair();
  const storage = createMemoryStorage();
  const result = await signIn(env.client(app, { dpop: 'required', dpopKeyPair: keyA }));
  await env.client(app, { dpop: 'required', dpopKeyPair: keyA }).credential(result, { storage }).getAccessToken();
  const stored = await storage.get(tokensKeyOf(app.clientId));
  if (typeof stored !== 'string') throw new Error('the credential stored no tokens');
  return { keyA, storage, stored, tokens: result.tokens };
}

describe('DPoP-bound tokens restored from storage', () => {
  it('record the thumbprint of the key they are bound to', async () => {
    const { keyA, stored, tokens } = await signedInWithKeyA(dpopApp());
    const thumbprint = (await DpopKey.fromKeyPair(keyA, 'ES256')).thumbprint;
    expect(tokens.dpopJkt).toBe(thumbprint);
    expect(JSON.parse(stored)).toMatchObject({ tokenType: 'DPoP', dpopJkt: thumbprint });
  });

  it('with another key (the key lost, as after a restart): not restored, the stored tokens kept, before any request', async () => {
    const app = dpopApp();
    const { storage, stored } = await signedInWithKeyA(app);
    env.org.resetCounters();
    const clientB = env.client(app, { dpop: 'required', dpopKeyPair: await generateDpopKeyPair() });
    // Not a credential that fails every call: the app signs the user in again (another process may hold key A: storage untouched).
    expect(await restoreCredential(clientB, { storage })).toBeUndefined();
    expect(await clientB.restoreCredential({ storage })).toBeUndefined();
    expect(env.org.counters().requests).toEqual({});
    expect(await storage.get(tokensKeyOf(app.clientId))).toBe(stored);
  });

  it('given to credential() with another key: INVALID_CONFIG naming the fix before any request, the stored tokens kept', async () => {
    const app = dpopApp();
    const { storage, stored } = await signedInWithKeyA(app);
    env.org.resetCounters();
    const clientB = env.client(app, { dpop: 'required', dpopKeyPair: await generateDpopKeyPair() });
    for (const credential of [clientB.credential(UserTokens.fromStorable(stored), { storage })]) {
      const refused = await failure(createOktaFetch({ credential })(env.userPath), isOktaOAuthError);
      expect(refused).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/another DPoP key.*same dpopKeyPair \(in a browser, loadBrowserDpopKeyPair with the same name\).*sign the user in again/) });
      expect((await failure(credential.getAccessToken(), isOktaOAuthError)).code).toBe('INVALID_CONFIG');
      expect(JSON.stringify([refused.message, refused])).not.toContain(JSON.parse(stored).refreshToken);
    }
    expect(env.org.counters().requests).toEqual({});
    expect(await storage.get(tokensKeyOf(app.clientId))).toBe(stored);
  });

  it('with the same key: used as they are', async () => {
    const app = dpopApp();
    const { keyA, storage } = await signedInWithKeyA(app);
    env.org.resetCounters();
    const credential = await restoreCredential(env.client(app, { dpop: 'required', dpopKeyPair: keyA }), { storage });
    if (credential === undefined) throw new Error('restoreCredential refused the tokens');
    expect((await createOktaFetch({ credential })(env.userPath)).status).toBe(200);
    expect(env.org.counters().tokenRequests).toEqual({});
  });
});

describe('tokens another process with another DPoP key stored under the same key (the same user)', () => {
  it('are not picked up: the credential renews its own with its own refresh token, and its requests pass', async () => {
    const app = dpopApp();
    const clock = { now: Date.now() };
    const storage = createMemoryStorage();
    const keyA = await generateDpopKeyPair();
    const clientA = env.client(app, { dpop: 'required', dpopKeyPair: keyA, now: () => clock.now });
    const okta = createOktaFetch({ credential: clientA.credential(await signIn(clientA), { storage }) });
    expect((await okta(env.userPath)).status).toBe(200);
    clock.now += 10_000; // B's tokens expire after A's: the newer, which a renewal would start from
    const clientB = env.client(app, { dpop: 'required', dpopKeyPair: await generateDpopKeyPair(), now: () => clock.now });
    await clientB.credential(await signIn(clientB), { storage }).getAccessToken();
    const theirs = JSON.parse(String(await storage.get(tokensKeyOf(app.clientId)))) as { dpopJkt: string };
    expect(theirs.dpopJkt).not.toBe((await DpopKey.fromKeyPair(keyA, 'ES256')).thumbprint);

    clock.now += 3600_000;
    env.org.setClockOffset(3600);
    expect((await okta(env.userPath)).status).toBe(200);
    const stored = JSON.parse(String(await storage.get(tokensKeyOf(app.clientId)))) as { dpopJkt: string };
    expect(stored.dpopJkt).toBe((await DpopKey.fromKeyPair(keyA, 'ES256')).thumbprint);
  });
});

describe('DPoP-bound tokens stored before their key was recorded (no dpopJkt), used with another DPoP key', () => {
  it('are refused at the API and at refresh with errors that name the key, not dpop "off"', async () => {
    const app = dpopApp();
    const clock = { now: Date.now() };
    const { stored } = await signedInWithKeyA(app);
    const { dpopJkt, ...legacy } = JSON.parse(stored) as Record<string, unknown>;
    expect(dpopJkt).toEqual(expect.any(String));
    const tokens = UserTokens.fromStorable(JSON.stringify(legacy));
    expect(tokens.dpopJkt).toBeUndefined();
    // Another client, as after a restart without dpopKeyPair: a new key.
    const okta = createOktaFetch({ credential: env.client(app, { dpop: 'required', now: () => clock.now }).credential(tokens) });

    const refused = await failure(okta(env.userPath), isOktaApiError);
    expect(refused.status).toBe(400);
    expect(refused.hint).toMatch(/same dpopKeyPair/);

    clock.now += 3600_000;
    env.org.setClockOffset(3600);
    const refresh = await failure(okta(env.userPath), isOktaOAuthError);
    expect(refresh).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_dpop_proof' });
    expect(refresh.message).toMatch(/same dpopKeyPair/);
    expect(refresh.message).not.toMatch(/set dpop to "off"/);
    expect(JSON.stringify([refused.message, refused.hint, refresh.message])).not.toContain(tokens.refreshToken?.reveal() ?? '-');
  });
});
