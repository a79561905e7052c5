/**
 * When `jwksIdTokenVerifier` fetches the org's key set again, over real HTTP against
 * @org/okta-emulator: for an ID token whose `kid` the held set lacks or holds twice, once, and at
 * most once every `keySetCooldownMs` (jose's `createRemoteJWKSet` rule), then `ID_TOKEN_INVALID`.
 * An ambiguous set is not kept for good, and tokens naming unknown kids cannot make the client
 * hammer `jwks_uri`. `Date` is frozen (timers stay real) and moved past the cooldown: the
 * emulator runs in this process, so its clock moves with it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingFetch } from '../test-helpers/wire.js';
import { jwksIdTokenVerifier } from './id-token-jwks.js';
import { keySetCooldownMs } from './id-token-key-set.js';
import { signIn, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A sign-in client with the JWKS verifier, and how many times it fetched the keys. */
function client() {
  const wire = recordingFetch();
  const signInClient = env.spa({ idTokenVerifier: jwksIdTokenVerifier, fetch: wire.fetch });
  return { signInClient, keyFetches: () => wire.sent.filter((r) => r.url.pathname === '/oauth2/v1/keys').length };
}
const pastCooldown = () => vi.setSystemTime(Date.now() + keySetCooldownMs);

describe('jwksIdTokenVerifier fetches the key set again', () => {
  it('after an ambiguous set (a kid twice), once the cooldown is over: the set is not kept for good', async () => {
    const { org } = env;
    const { keys } = (await (await fetch(`${org.url}/oauth2/v1/keys`)).json()) as { keys: Record<string, unknown>[] };
    org.injectFault({ path: '/oauth2/v1/keys', kind: 'status', status: 200, body: { keys: [...keys, ...keys.map((key) => ({ ...key }))] }, count: 1 });
    const { signInClient, keyFetches } = client();
    const ambiguous = { code: 'ID_TOKEN_INVALID', reason: 'signature', message: expect.stringContaining('publishes more than one key for its kid and algorithm') };
    expect(await failure(signIn(signInClient))).toMatchObject(ambiguous);
    // The org serves a good set again, but within the cooldown the set held stands: no fetch.
    expect(await failure(signIn(signInClient))).toMatchObject(ambiguous);
    expect(keyFetches()).toBe(1);
    pastCooldown();
    const { claims } = await signIn(signInClient);
    expect(claims?.aud).toBe(signInClient.clientId);
    expect(keyFetches()).toBe(2);
  });

  it('for unknown kids at most once per cooldown, whatever number of tokens name one', async () => {
    const { signInClient, keyFetches } = client();
    await signIn(signInClient);
    expect(keyFetches()).toBe(1);
    pastCooldown();
    const unknown = { code: 'ID_TOKEN_INVALID', reason: 'signature', message: expect.stringContaining('signed with a key the org does not publish') };
    for (let i = 0; i < 4; i++) {
      env.org.corruptNextIdToken('unknown-kid');
      const refused = await failure(signIn(signInClient));
      expect(refused).toMatchObject(unknown);
      // The first was checked against a set fetched again for it: signing in again will not help. The rest were not.
      expect([i, (refused as Error).message.includes('sign in again')]).toEqual([i, i > 0]);
    }
    // The first unknown kid fetched the set again; the three after it, within the cooldown, did not.
    expect(keyFetches()).toBe(2);
    pastCooldown();
    env.org.corruptNextIdToken('unknown-kid');
    expect(await failure(signIn(signInClient))).toMatchObject(unknown);
    expect(keyFetches()).toBe(3);
    // A good token needs no fetch.
    await signIn(signInClient);
    expect(keyFetches()).toBe(3);
  });

  it("picks up the org's new signing key once the cooldown is over", async () => {
    const { signInClient, keyFetches } = client();
    await signIn(signInClient);
    const kid = env.org.rotateSigningKey();
    // Rotated within the cooldown of the last fetch: refused, with no fetch, saying when to sign in again.
    const early = await failure(signIn(signInClient));
    expect(early).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'signature' });
    expect((early as Error).message).toMatch(/not fetched again until 30 s after its last fetch: if the org has just rotated its signing key, sign in again after that/);
    expect(keyFetches()).toBe(1);
    pastCooldown();
    const { tokens } = await signIn(signInClient);
    expect(JSON.parse(atob(tokens.idToken!.reveal().split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))).kid).toBe(kid);
    expect(keyFetches()).toBe(2);
  });
});
