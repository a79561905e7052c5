/**
 * Sign-out's promises, on @org/okta-emulator. A sign-out landing while a renewal publishes its
 * tokens (the renewal's storage `set` or its `onTokens` under way, held until the test has called
 * sign-out, no timers), with and without Web Locks: once the local session has ended
 * (`onTokens(null)`, storage cleared) the app never gets those tokens, and storage never holds
 * them again. And user code's error in a revocation (a KMS signer of the client assertion)
 * reaches the caller as itself, after the local session ended and both revocations were tried.
 */
import type { OktaLogEvent, OktaLogger } from '@org/okta-auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { kmsKey } from '../test-helpers/keys.js';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { signOut } from './client-functions.js';
import { clientFor, redirectUri, signIn, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';
import { gate } from './test-helpers/late-storage.js';
import { stubWebLocks } from './test-helpers/web-locks.js';
import type { UserTokens } from './tokens.js';

const env = useSignInOrg();

/** What a remote store or an app's own async work takes: a round trip (to the org, standing in for one). */
async function roundTrip(): Promise<void> {
  await (await fetch(new URL('/.well-known/openid-configuration', env.org.url))).body?.cancel();
}

/**
 * A signed-in credential whose next renewal stops at `hold` ('set': the storage write has been
 * called; 'onTokens': the app's callback has been called), each settling a round trip after the
 * test opens the gate; `events` records what landed in storage and what the app's `onTokens` finished with.
 * `removal`: what the storage's remove waits for (a remote store's round trip the test controls).
 */
async function renewingCredential(hold: 'set' | 'onTokens', removal?: Promise<void>) {
  const clock = { now: Date.now() };
  const client = spaOf(env.org, { now: () => clock.now });
  const { tokens } = await signIn(client);
  const held = gate();
  let holding = false;
  const saved = new Map<string, string>();
  const events: string[] = [];
  const settled: (UserTokens | null)[] = [];
  const storage = {
    get: (key: string) => saved.get(key),
    async set(key: string, value: string) {
      if (holding && hold === 'set') {
        held.reach();
        await held.opened;
        await roundTrip();
      }
      saved.set(key, value);
      events.push('set');
    },
    async remove(key: string) {
      await removal;
      saved.delete(key);
      events.push('remove');
    },
  };
  const onTokens = async (next: UserTokens | null) => {
    if (holding && hold === 'onTokens' && next !== null) {
      held.reach();
      await held.opened;
      await roundTrip();
    }
    settled.push(next);
    events.push(next === null ? 'onTokens(null)' : 'onTokens(tokens)');
  };
  const credential = client.credential(tokens, { storage, onTokens });
  await credential.getAccessToken(); // the first write has landed
  events.length = 0;
  holding = true;
  clock.now += 3600_000;
  env.org.setClockOffset((clock.now - Date.now()) / 1000);
  const renewal = credential.getAccessToken().then(
    () => 'renewed',
    (error: unknown) => (error as { code?: string }).code,
  );
  await held.reached;
  return { client, credential, renewal, held, saved, events, settled };
}

describe('a sign-out racing a renewal that publishes its tokens', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it.each([
    ['without Web Locks', false],
    ['under a Web Lock', true],
  ])("a storage set under way: the app never gets the renewed tokens and storage ends empty (%s)", async (_, locks) => {
    if (locks) stubWebLocks();
    const { client, credential, renewal, held, saved, events, settled } = await renewingCredential('set');
    const renewed = credential.tokens?.accessToken.reveal() ?? '';
    const signingOut = signOut(client, credential); // the local session ends here
    held.open();
    const result = await signingOut;
    expect(await renewal).toBe('LOGIN_REQUIRED');
    expect(settled).toEqual([null]);
    expect(events).toEqual(['set', 'remove', 'onTokens(null)']);
    expect(saved.size).toBe(0);
    // The renewed pair is the one sign-out revoked, once.
    expect(result.revoked).toEqual(['refresh_token', 'access_token']);
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
    const bare = await fetch(new URL(env.userPath, env.org.url), { headers: { authorization: `Bearer ${renewed}` } });
    expect(bare.status).toBe(401);
  });

  it("an onTokens under way: sign-out does not wait for it (it may be the caller), and onTokens(null) follows it, so the app's last word is null", async () => {
    const { client, credential, renewal, held, saved, events, settled } = await renewingCredential('onTokens');
    // Resolves while the app's onTokens is still held: sign-out never waits on it.
    await signOut(client, credential);
    expect(saved.size).toBe(0);
    held.open();
    // The app's onTokens had them before the sign-out; the call waiting on the renewal gets none
    // of the signed-out session's tokens (docs/SECURITY.md, "Tokens", its sign-out rule).
    expect(await renewal).toBe('LOGIN_REQUIRED');
    expect(settled.at(-1)).toBeNull();
    expect(events).toEqual(['set', 'remove', 'onTokens(tokens)', 'onTokens(null)']);
  });

  it("a storage remove that outlasts the renewal's onTokens: onTokens(null) is told once, the app's last word", async () => {
    const removing = gate();
    const { client, credential, renewal, held, saved, events, settled } = await renewingCredential('onTokens', removing.opened);
    const signingOut = signOut(client, credential);
    held.open();
    // The renewal's onTokens(tokens) settles while sign-out's remove is under way: the renewal tells onTokens(null).
    expect(await renewal).toBe('LOGIN_REQUIRED');
    removing.open();
    await signingOut;
    expect(saved.size).toBe(0);
    expect(settled.map((next) => (next === null ? null : 'tokens'))).toEqual(['tokens', null]);
    expect(events).toEqual(['set', 'onTokens(tokens)', 'onTokens(null)', 'remove']);
  });

  it('an onTokens that awaits a sign-out of its own credential: both go on at once, no TIMEOUT', async () => {
    const clock = { now: Date.now() };
    // 10 s, not the 30 s default: before, the two waited on each other until timeoutMs (a TIMEOUT
    // within the 20 s test timeout); not less, so that a slow CI machine's token request fits in it.
    const client = spaOf(env.org, { now: () => clock.now, timeoutMs: 10_000 });
    const { tokens } = await signIn(client);
    const told: string[] = [];
    let signedOut: unknown;
    let renewed = '';
    const credential = client.credential(tokens, {
      async onTokens(next) {
        told.push(next === null ? 'null' : 'tokens');
        if (next !== null) {
          renewed = next.accessToken.reveal();
          signedOut = await credential.signOut();
        }
      },
    });
    clock.now += 3600_000;
    env.org.setClockOffset((clock.now - Date.now()) / 1000);
    // Renews: onTokens signs the user out, so the call gets no token of the session it ended.
    await expect(credential.getAccessToken()).rejects.toThrow(expect.objectContaining({ code: 'LOGIN_REQUIRED' }));
    expect(signedOut).toMatchObject({ revoked: ['refresh_token', 'access_token'], notRevoked: [] });
    expect(told).toEqual(['tokens', 'null']);
    expect(credential.tokens).toBeUndefined();
    // The renewed pair is the one sign-out revoked.
    const bare = await fetch(new URL(env.userPath, env.org.url), { headers: { authorization: `Bearer ${renewed}` } });
    expect(bare.status).toBe(401);
  });
});

class KmsUnavailable extends Error {}

/**
 * A web app whose client assertions a KMS signs; once `down()`, the signer throws `thrown` (its
 * own error class) and `refused()` counts the signatures refused. `fetch`: the client's.
 */
async function kmsClient(name: string, fetch?: typeof globalThis.fetch, logger?: OktaLogger) {
  const kms = await kmsKey(name);
  const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'private_key_jwt', publicJwks: [kms.publicJwk] });
  const thrown = new KmsUnavailable('the KMS is unreachable');
  let kmsDown = false;
  let refused = 0;
  const { signer } = kms;
  const sign: typeof signer.sign = (data, options) => (kmsDown && ++refused > 0 ? Promise.reject(thrown) : signer.sign(data, options));
  const client = clientFor(env.org, app, { clientAuth: privateKeyJwt({ ...signer, sign }), ...(fetch === undefined ? {} : { fetch }), ...(logger === undefined ? {} : { logger }) });
  return { client, thrown, down: () => void (kmsDown = true), refused: () => refused };
}

describe("a revocation's user code that throws", () => {
  it('a client assertion signer throwing its own error: sign-out ends the local session, tries both revocations, then throws that error as itself', async () => {
    const { client, thrown, down, refused } = await kmsClient('kms-web');
    const { tokens } = await signIn(client);
    const published: (UserTokens | null)[] = [];
    const credential = client.credential(tokens, { onTokens: (next) => void published.push(next) });
    down();
    await expect(credential.signOut()).rejects.toBe(thrown);
    expect(credential.tokens).toBeUndefined();
    expect(published).toEqual([null]);
    await expect(client.signOut(tokens)).rejects.toBe(thrown);
    await expect(signOut(client, tokens)).rejects.toBe(thrown);
    // Each of the three sign-outs asked the signer for both revocations; nothing reached Okta.
    expect(refused()).toBe(6);
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBeUndefined();
  });

  it("a refresh in flight at sign-out whose late revocation's signer throws: the renewal still fails with LOGIN_REQUIRED, that error its cause, and the logger gets a revocation event of user code (no token)", async () => {
    // The refresh request is held (signed, not yet sent) until the sign-out has ended.
    const held = gate();
    let holding = false;
    const heldFetch: typeof fetch = async (input, init) => {
      if (holding && new URL(input instanceof Request ? input.url : String(input)).pathname === '/oauth2/v1/token') {
        holding = false;
        held.reach();
        await held.opened;
      }
      return fetch(input, init);
    };
    const events: OktaLogEvent[] = [];
    const { client, thrown, down } = await kmsClient('kms-late', heldFetch, (event) => void events.push(event));
    const { tokens } = await signIn(client);
    const credential = client.credential(tokens);
    holding = true;
    const renewal = credential.getAccessToken({ forceRefresh: true }).then(
      () => 'renewed',
      (error: unknown) => error,
    );
    await held.reached;
    down();
    await expect(credential.signOut()).rejects.toBe(thrown);
    held.open();
    const error = await renewal;
    expect(error).toMatchObject({ code: 'LOGIN_REQUIRED' });
    expect((error as Error).cause).toBe(thrown);
    // The late renewal's tokens: never handed out, and not revoked (the signer threw for both): every one named.
    const revocations = events.filter((event) => event.type === 'revocation');
    expect(revocations).toEqual([{ type: 'revocation', notRevoked: [...(tokens.refreshToken === undefined ? [] : ['refresh_token']), 'access_token'], outcome: 'user-code' }]);
  });
});
