/**
 * `dpop: 'required'` never silently downgrades to Bearer (docs/SECURITY.md, Tokens): a sign-in
 * client that requires DPoP refuses Bearer tokens given to `credential()` (`INVALID_CONFIG`) and
 * restores none from storage (tokens stored before the app turned DPoP on, or edited storage), so
 * no request of its credentials carries `Authorization: Bearer`. With `dpop: 'auto'` Bearer
 * tokens are taken, as a Bearer token answer is, at sign-in and at each renewal: the renewed
 * tokens record no key (`dpopJkt`, which `new UserTokens` refuses on Bearer tokens), where a DPoP
 * answer's record the key's thumbprint.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { recordingFetch } from '../test-helpers/wire.js';
import { createMemoryStorage } from './storage.js';
import { DpopKey } from '../dpop/dpop-key.js';
import { generateDpopKeyPair } from '../dpop/dpop-key-pair.js';
import { redirectUri, signIn, tokensKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

describe("Bearer tokens given to a sign-in client with dpop: 'required'", () => {
  it('are refused by credential() and not restored: no request carries them', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const { tokens } = await signIn(env.client(app));
    expect(tokens.tokenType).toBe('Bearer');
    const wire = recordingFetch();
    const required = env.client(app, { dpop: 'required', fetch: wire.fetch });
    const error = await failure(Promise.resolve().then(() => required.credential(tokens)), isOktaOAuthError);
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toMatch(/dpop.*required/);
    expect(JSON.stringify([error.message, error])).not.toContain(tokens.accessToken.reveal());

    const storage = createMemoryStorage();
    await storage.set(`okta-oauth:${app.clientId}:tokens`, JSON.stringify(tokens.toStorable()));
    const restored = await required.restoreCredential({ storage });
    if (restored !== undefined) await createOktaFetch({ credential: restored })(env.userPath);
    expect(restored).toBeUndefined();
    expect(wire.sent.filter((request) => request.headers.get('authorization')?.startsWith('Bearer ') === true)).toEqual([]);
  });

  it("are taken with dpop: 'auto'", async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const { tokens } = await signIn(env.client(app));
    const auto = env.client(app, { dpop: 'auto' });
    expect((await createOktaFetch({ credential: auto.credential(tokens) })(env.userPath)).status).toBe(200);
  });
});

describe("renewals of a dpop: 'auto' client", () => {
  it.each([
    ['a Bearer answer: no dpopJkt (which new UserTokens would refuse)', false],
    ["a DPoP answer: the key's thumbprint", true],
  ])('%s', async (_, requireDpop) => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read', 'offline_access'], requireDpop });
    const dpopKeyPair = await generateDpopKeyPair();
    const auto = env.client(app, { dpop: 'auto', dpopKeyPair });
    const storage = createMemoryStorage();
    const credential = auto.credential(await signIn(auto), { storage });
    const first = await credential.getAccessToken();
    const renewed = await credential.getAccessToken({ forceRefresh: true });
    expect(renewed.reveal()).not.toBe(first.reveal());
    const stored = JSON.parse(String(await storage.get(tokensKeyOf(app.clientId)))) as { dpopJkt?: string };
    const thumbprint = (await DpopKey.fromKeyPair(dpopKeyPair, 'ES256')).thumbprint;
    expect(stored).toMatchObject(requireDpop ? { tokenType: 'DPoP', dpopJkt: thumbprint } : { tokenType: 'Bearer' });
    expect(stored.dpopJkt).toBe(requireDpop ? thumbprint : undefined);
    expect((await createOktaFetch({ credential })(env.userPath)).status).toBe(200);
  });
});
