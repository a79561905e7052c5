/**
 * `dpopKeyPair` or `dpopAlgorithm` given to a sign-in client without `dpop` means `'required'`,
 * as the deprecated `dpop: { keyPair }` they replace did (they had turned DPoP off silently: the
 * client's default is `'off'`, so a team that moved to them got Bearer tokens); with an explicit
 * `dpop: 'off'` they are `INVALID_CONFIG` naming both, before anything is sent. A service app's
 * `dpop: 'off'` beside a key is refused the same way (the one `checkDpopOptions`).
 */
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { generateDpopKeyPair } from '../dpop/dpop-key-pair.js';
import { DpopKey } from '../dpop/dpop-key.js';
import { createServiceAppCredential } from '../service-app.js';
import { createSignInClient as createLeanSignInClient } from './sign-in-lean.js';
import { signInClientFromEnv } from './sign-in-env.js';
import { redirectUri, signIn, signInFailure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
/** An app with Okta's "Require DPoP": it issues DPoP-bound tokens to a client that sends proofs. */
const dpopApp = () => env.org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read', 'offline_access'], requireDpop: true });
/** An app without it: Okta issues Bearer tokens, proofs or not. */
const bearerApp = () => env.org.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read', 'offline_access'], requireDpop: false });

/** The emulator's own record of an access token (its introspection as the app). */
async function introspected(clientId: string, token: string): Promise<{ active: boolean; cnf?: { jkt: string } }> {
  const answer = await fetch(`${env.org.url}/oauth2/v1/introspect?client_id=${clientId}`, { method: 'POST', body: new URLSearchParams({ token }) });
  return (await answer.json()) as { active: boolean; cnf?: { jkt: string } };
}

describe('dpopKeyPair or dpopAlgorithm without dpop', () => {
  it('dpopKeyPair alone: DPoP-bound tokens, bound to that key at Okta', async () => {
    const app = dpopApp();
    const keyPair = await generateDpopKeyPair();
    const { tokens } = await signIn(env.client(app, { dpopKeyPair: keyPair }));
    const thumbprint = (await DpopKey.fromKeyPair(keyPair, 'ES256')).thumbprint;
    expect(tokens.toStorable()).toMatchObject({ tokenType: 'DPoP', dpopJkt: thumbprint });
    expect(await introspected(app.clientId, tokens.accessToken.reveal())).toMatchObject({ active: true, cnf: { jkt: thumbprint } });
  });

  it('dpopAlgorithm alone: DPoP-bound tokens of a new key of that algorithm', async () => {
    const app = dpopApp();
    const { tokens } = await signIn(env.client(app, { dpopAlgorithm: 'ES384' }));
    expect(tokens.tokenType).toBe('DPoP');
    expect((await introspected(app.clientId, tokens.accessToken.reveal())).cnf?.jkt).toBe(tokens.dpopJkt);
  });

  it('dpopKeyPair alone, an app that issues Bearer tokens: refused as under "required", never a silent Bearer sign-in', async () => {
    const error = await signInFailure(signIn(env.client(bearerApp(), { dpopKeyPair: await generateDpopKeyPair() })));
    expect(error.message).toMatch(/Bearer token although dpop is "required"/);
  });
});

describe("dpop: 'off' beside dpopKeyPair or dpopAlgorithm", () => {
  const offWith = async () => [
    ['dpopKeyPair', { dpop: 'off', dpopKeyPair: await generateDpopKeyPair() }],
    ['dpopAlgorithm', { dpop: 'off', dpopAlgorithm: 'ES384' }],
    ['dpopKeyPair', { dpop: false, dpopKeyPair: await generateDpopKeyPair() }],
  ] as const;

  it('is INVALID_CONFIG naming both, through every sign-in factory, before any request', async () => {
    const app = bearerApp();
    env.org.resetCounters();
    for (const [name, options] of await offWith()) {
      const vars = { OKTA_CLIENT_ORGURL: env.org.url, OKTA_CLIENT_CLIENTID: app.clientId, OKTA_CLIENT_SCOPES: 'openid' };
      for (const create of [() => env.client(app, options), () => signInClientFromEnv(vars, { allowInsecureLoopback: true, redirectUri, ...options })]) {
        let error: unknown;
        try {
          create();
        } catch (thrown) {
          error = thrown;
        }
        expect(isOktaOAuthError(error) && error.code).toBe('INVALID_CONFIG');
        expect((error as Error).message).toMatch(new RegExp(`dpop is "off" beside ${name}.*drop one`));
      }
    }
    // The lean entry has no DPoP (nor any in its types): any DPoP option is refused there already.
    // @ts-expect-error -- a JavaScript caller's DPoP options
    expect(() => createLeanSignInClient({ orgUrl: env.org.url, allowInsecureLoopback: true, clientId: app.clientId, redirectUri, scopes: ['openid'], dpop: 'off', dpopAlgorithm: 'ES384' })).toThrow(/DPoP/);
    expect(env.org.counters().requests).toEqual({});
  });

  it("a service app's is refused the same way", async () => {
    const keyPair = await generateDpopKeyPair();
    let error: unknown;
    try {
      createServiceAppCredential({ orgUrl: env.org.url, allowInsecureLoopback: true, clientId: '0oa1bcd2efGHIJ3kl4m5', privateKey: keyPair.privateKey, keyId: 'k1', scopes: ['okta.users.read'], dpop: 'off', dpopKeyPair: keyPair });
    } catch (thrown) {
      error = thrown;
    }
    expect(isOktaOAuthError(error) && error.message).toMatch(/dpop is "off" beside dpopKeyPair.*drop one/);
  });
});
