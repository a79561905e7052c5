/**
 * `dpop: 'required'` never silently downgrades to Bearer (docs/SECURITY.md, Tokens): a sign-in
 * client that requires DPoP refuses Bearer tokens given to `credential()` (`INVALID_CONFIG`) and
 * restores none from storage (tokens stored before the app turned DPoP on, or edited storage), so
 * no request of its credentials carries `Authorization: Bearer`. With `dpop: 'auto'` Bearer
 * tokens are taken, as a Bearer token answer is.
 */
import { createOktaFetch } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { recordingFetch } from '../test-helpers/wire.js';
import { createMemoryStorage } from './storage.js';
import { redirectUri, signIn, useSignInOrg } from './test-helpers/sign-in-org.js';

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
