/**
 * The emulator's ID token test hooks: corruptNextIdToken spoils exactly the next ID token in the
 * way asked, and rotateSigningKey signs with a new kid that /keys publishes.
 */
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { Browser, pkce, signIn } from '../test-helpers/browser.js';
import { exchangeCode, REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

describe('ID token test hooks', () => {
  const env = useSignInApps();

  const idToken = async () => {
    const { verifier, challenge } = pkce();
    const code = (await signIn(env.org, new Browser(), { clientId: env.spa.clientId, redirectUri: REDIRECT, challenge, nonce: 'n1' }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
    return (await (await exchangeCode(env.org, env.spa.clientId, code, verifier)).json()).id_token as string;
  };
  const verify = async (jwt: string) => {
    const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${env.org.url}/oauth2/v1/keys`)), { issuer: env.org.url, audience: env.spa.clientId });
    if (payload.nonce !== 'n1') throw new Error('nonce mismatch');
    if (payload.azp !== undefined && payload.azp !== env.spa.clientId) throw new Error('azp names another client');
    if ((payload.iat ?? 0) > Date.now() / 1000 + 120) throw new Error('iat in the future');
    return payload;
  };

  it.each([
    ['signature', /signature verification failed/],
    ['unknown-kid', /no applicable key found/],
    ['issuer', /"iss" claim/],
    ['audience', /"aud" claim/],
    ['azp', /azp names another client/],
    ['nonce', /nonce mismatch/],
    ['expired', /"exp" claim/],
    ['future-iat', /iat in the future/],
  ] as const)('corruptNextIdToken(%s) spoils exactly the next ID token', async (kind, why) => {
    env.org.corruptNextIdToken(kind);
    await expect(verify(await idToken())).rejects.toThrow(why);
    await expect(verify(await idToken())).resolves.toMatchObject({ nonce: 'n1', aud: env.spa.clientId });
  });

  it('rotateSigningKey() signs with a new kid that /keys publishes', async () => {
    const before = decodeProtectedHeader(await idToken()).kid;
    const kid = env.org.rotateSigningKey();
    const jwt = await idToken();
    expect(decodeProtectedHeader(jwt).kid).toBe(kid);
    expect(kid).not.toBe(before);
    await expect(verify(jwt)).resolves.toMatchObject({ nonce: 'n1', aud: env.spa.clientId });
  });
});
