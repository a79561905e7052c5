/**
 * Tokens another org or another client obtained, handed to this client: `client.credential(tokens)`
 * (the README's server example rebuilds the tokens from the session on every request, so a session
 * shared by the sign-in clients of two orgs hands one org's tokens to the other's) and
 * `signOut(client, tokens)` refuse tokens whose ID token names another issuer or audience, or cannot
 * be read, as `restoreCredential` and the storage view do, before anything is sent: one org's access
 * and refresh tokens never reach another org. Tokens without an ID token tell nothing and are taken.
 */
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { failure } from '@org/okta-test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { recordingFetch } from '../test-helpers/wire.js';
import { signOut } from './client-functions.js';
import { signIn, signInEntries, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import { UserTokens } from './tokens.js';

const env = useSignInOrg();
const others: OktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(others.splice(0).map((other) => other.close()));
});

describe.each(signInEntries)("tokens of another org or client, given to a client of %s", (_entry, create) => {
  it('credential() and signOut() refuse them before anything is sent, naming no token', async () => {
    const { tokens, claims } = await signIn(spaOf(env.org, {}, undefined, create));
    const orgB = await startEmulator();
    others.push(orgB);
    const wireB = recordingFetch();
    const wireA = recordingFetch();
    const strangers = [
      // Another org (a client there has another client id too).
      spaOf(orgB, { fetch: wireB.fetch }, undefined, create),
      // Another client of the same org.
      spaOf(env.org, { fetch: wireA.fetch }, undefined, create),
    ];
    const storable = tokens.toStorable();
    for (const stranger of strangers) {
      for (const given of [{ tokens, claims }, tokens, UserTokens.fromStorable(storable)]) {
        const error = await failure(Promise.resolve().then(() => stranger.credential(given)), isOktaOAuthError);
        expect(error.code).toBe('INVALID_CONFIG');
        expect(error.message).toMatch(/another org or client/);
        for (const secret of [storable.accessToken, storable.refreshToken, storable.idToken]) expect(JSON.stringify([error.message, error])).not.toContain(secret);
      }
      const refused = await failure(signOut(stranger, tokens), isOktaOAuthError);
      expect(refused.code).toBe('INVALID_CONFIG');
    }
    expect([...wireB.sent, ...wireA.sent]).toEqual([]);
    expect(orgB.counters().tokenRequests).toEqual({});
  });

  it("takes this client's own tokens, and tokens without an ID token", async () => {
    const client = spaOf(env.org, {}, undefined, create);
    const result = await signIn(client);
    expect((await client.credential(result).getAccessToken()).reveal()).toBe(result.tokens.accessToken.reveal());
    const { tokens } = result;
    const withoutIdToken = new UserTokens({ accessToken: tokens.accessToken.reveal(), tokenType: tokens.tokenType, expiresAt: tokens.expiresAt, refreshToken: tokens.refreshToken?.reveal() });
    const credential = client.credential(withoutIdToken);
    expect(credential.tokens?.idToken).toBeUndefined();
    expect((await credential.getAccessToken()).reveal()).toBe(result.tokens.accessToken.reveal());
  });
});
