/**
 * rev121's red-team read of signout120's signed-out path (user-fleet.ts), through a storage of the test's
 * own that honours `stored` (the Redis store's own: okta-token-store-redis's user-single-flight tests):
 * the `LOGIN_REQUIRED` shows no token in any printed form of it or its causes, the tokens obtained are
 * revoked at the org's own endpoint, nothing is left stored or handed out, and no promise is left
 * rejected unhandled (vitest fails a file with one).
 */
import { inspect } from 'node:util';
import type { OktaLogEvent } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it, vi } from 'vitest';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { isOktaOAuthError } from '../errors.js';
import { kmsKey } from '../test-helpers/keys.js';
import { expiredSignIn, fleetStorage } from './test-helpers/fleet-storage.js';
import { clientFor, orgPacedFetch, redirectUri, signIn, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** Every printed form of an error and its causes: where no token may appear. */
function printed(value: unknown): string {
  const out: string[] = [];
  for (let current = value, depth = 0; typeof current === 'object' && current !== null && depth < 6; depth++) {
    const { message, stack } = current as { message?: unknown; stack?: unknown };
    out.push(String(message), String(stack), JSON.stringify(current), inspect(current, { depth: 6, showHidden: true }));
    current = (current as { cause?: unknown }).cause;
  }
  return out.join('\n');
}
/** The token strings of a stored text (`toStorable()`'s JSON). */
const tokensOf = (text: string): string[] => Object.values(JSON.parse(text) as Record<string, unknown>).filter((v): v is string => typeof v === 'string' && v.length > 20);

describe('a user signed out on another process while this one renews (a store honouring stored)', () => {
  it('removed while Okta answered: LOGIN_REQUIRED quoting no token, what was obtained revoked at the org, nothing stored or held', async () => {
    let obtained = '';
    const fleet = fleetStorage(async (memory, key, obtain, options) => {
      expect(options.stored).toBe(true);
      obtained = (await obtain()).value;
      // The other process's sign-out: the key removed before this store's write, which it refuses.
      await memory.remove(key);
      return undefined;
    });
    const { credential, tokens, storageKey } = await expiredSignIn(env, fleet.storage);
    fleet.sets.length = 0;
    const error = await failure(credential.getAccessToken(), isOktaOAuthError);
    expect([error.code, error.message]).toEqual(['LOGIN_REQUIRED', 'The session ended while the tokens were being renewed (signed out, or its refresh token refused): sign in again.']);
    expect(error.cause).toBeUndefined();
    const shown = printed(error);
    for (const token of [...tokensOf(obtained), ...tokensOf(JSON.stringify(tokens.toStorable()))]) expect(shown).not.toContain(token.slice(-16));
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
    // The renewed refresh and access tokens, to the org's revocation endpoint, before the caller's answer.
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
    expect(credential.tokens).toBeUndefined();
    expect(fleet.memory.get(storageKey)).toBeUndefined();
    expect(fleet.sets).toEqual([]);
    // The session is over here too: no later call renews or hands out anything.
    expect((await failure(credential.getAccessToken(), isOktaOAuthError)).code).toBe('LOGIN_REQUIRED');
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  });

  // The caller's answer waits for the revocation (wait132: a Worker ends the work its answer leaves behind, unless handed to
  // ctx.waitUntil; before, it was not awaited and in workerd never reached Okta). Awaited after the fleet's bound
  // (fleetWaitMs, 5 s), not inside it, so the refusal stays LOGIN_REQUIRED; the session was cleared first either way.
  it('its revocation held by the org: the call has not settled while it is held, then LOGIN_REQUIRED once the org revoked both tokens', async () => {
    let obtained = '';
    const fleet = fleetStorage(async (memory, key, obtain) => {
      obtained = (await obtain()).value;
      await memory.remove(key);
      return undefined;
    });
    const { credential, storageKey } = await expiredSignIn(env, fleet.storage);
    fleet.sets.length = 0;
    const hold = env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'hold' });
    let settled = false;
    const call = failure(credential.getAccessToken(), isOktaOAuthError).finally(() => (settled = true));
    // A refresh grant and a revocation request first: not within vi.waitFor's 1 s on a loaded machine.
    await vi.waitFor(() => expect(env.org.heldAnswers(hold)).toBe(1), { timeout: 10_000 });
    // Signed out here already: nothing handed out while the revocation is held.
    expect(credential.tokens).toBeUndefined();
    expect(settled).toBe(false);
    env.org.removeFault(hold);
    const error = await call;
    expect([error.code, error.cause]).toEqual(['LOGIN_REQUIRED', undefined]);
    for (const token of tokensOf(obtained)) expect(printed(error)).not.toContain(token.slice(-16));
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
    expect(fleet.memory.get(storageKey)).toBeUndefined();
    expect(fleet.sets).toEqual([]);
  });

  // Okta never answering the revocation: the caller waits at most the client's timeoutMs for it (each revocation request
  // has that bound too, so the two take twice as long), then LOGIN_REQUIRED; the revocation goes on and reports its end.
  it('its revocation never answered: LOGIN_REQUIRED after at most timeoutMs, before the second revocation request ended; then a revocation event', async () => {
    const events: OktaLogEvent[] = [];
    const fleet = fleetStorage(async (memory, key, obtain) => {
      await obtain();
      await memory.remove(key);
      return undefined;
    });
    // timeoutMs is for the held revocation: the refresh before it waits for its answer (orgPacedFetch; a loaded machine's token answer took over 3 s).
    const fetch: typeof globalThis.fetch = (input, init) => (new URL(input instanceof Request ? input.url : String(input)).pathname === '/oauth2/v1/revoke' ? globalThis.fetch(input, init) : orgPacedFetch(input, init));
    const { credential } = await expiredSignIn(env, fleet.storage, false, (now) => env.spa({ now, timeoutMs: 1500, fetch, logger: (event) => void events.push(event) }, 'rotate'));
    const hold = env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'hold' });
    events.length = 0;
    const error = await failure(credential.getAccessToken(), isOktaOAuthError);
    expect(error.code).toBe('LOGIN_REQUIRED');
    // The refresh token's revocation timed out; the access token's is still at the org: no revocation event yet.
    expect(events.filter((event) => event.type === 'revocation')).toEqual([]);
    await vi.waitFor(() => expect(events.filter((event) => event.type === 'revocation')).toEqual([{ type: 'revocation', notRevoked: ['refresh_token', 'access_token'], outcome: 'error' }]), { timeout: 5000 });
    env.org.removeFault(hold);
  });

  // The revocation awaited, what its user code threw is known before the caller's answer: its cause, as for a refresh that outlived a sign-out.
  it("removed while Okta answered, the client assertion's signer throwing at the revocation: LOGIN_REQUIRED with the signer's error as cause, a revocation event of user code", async () => {
    const kms = await kmsKey('kms-fleet-signed-out');
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'private_key_jwt', publicJwks: [kms.publicJwk], refreshTokenRotation: 'rotate' });
    let broken = false;
    const sign: typeof kms.signer.sign = (data, options) => (broken ? Promise.reject(new Error('KMS unavailable')) : kms.signer.sign(data, options));
    const events: OktaLogEvent[] = [];
    const fleet = fleetStorage(async (memory, key, obtain) => {
      await obtain();
      await memory.remove(key);
      broken = true;
      events.length = 0;
      return undefined;
    });
    const made = (now: () => number) => clientFor(env.org, app, { clientAuth: privateKeyJwt({ ...kms.signer, sign }), now, logger: (event) => void events.push(event) });
    const { credential } = await expiredSignIn(env, fleet.storage, false, made);
    const error = await failure(credential.getAccessToken(), isOktaOAuthError);
    expect([error.code, (error.cause as Error | undefined)?.message]).toEqual(['LOGIN_REQUIRED', 'KMS unavailable']);
    expect(events).toEqual([{ type: 'revocation', notRevoked: ['refresh_token', 'access_token'], outcome: 'user-code' }]);
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBeUndefined();
  });

  it('a renewal of the same sign-in stored meanwhile: taken, and the one obtained here not revoked (one family at Okta)', async () => {
    let theirs = '';
    const other: { renew?: () => Promise<string> } = {};
    const fleet = fleetStorage(async (memory, key, obtain) => {
      // Another process's renewal of the same refresh token (within Okta's grace period), then this one's.
      theirs = await other.renew!();
      await obtain();
      await memory.set(key, theirs);
      return theirs;
    });
    const { client, credential, tokens } = await expiredSignIn(env, fleet.storage);
    other.renew = async () => {
      const process = client.credential(tokens);
      await process.getAccessToken();
      return JSON.stringify(process.tokens!.toStorable());
    };
    const token = await credential.getAccessToken();
    expect(tokensOf(theirs)).toContain(token.reveal());
    expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
    // Revoking this process's renewal would revoke the family, the tokens taken with it.
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBeUndefined();
  });

  it('removed before the lock: no refresh grant, no revocation, LOGIN_REQUIRED', async () => {
    const fleet = fleetStorage(async (memory, key) => {
      await memory.remove(key);
      return undefined;
    });
    const { credential } = await expiredSignIn(env, fleet.storage);
    const error = await failure(credential.getAccessToken(), isOktaOAuthError);
    expect([error.code, error.cause]).toEqual(['LOGIN_REQUIRED', undefined]);
    expect(env.org.counters().tokenRequests.refresh_token).toBeUndefined();
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBeUndefined();
  });

  // The store refused the write because the key changed: it holds the same user's new sign-in (signed out, then in
  // again, on another process). This process adopts that sign-in and revokes the tokens its own refresh obtained
  // (the signed-out session's), as the `undefined` answer does, rather than dropping them alive.
  it('a new sign-in stored meanwhile: adopted, and the tokens obtained here revoked, never dropped alive', async () => {
    let obtained = '';
    let newer = '';
    const fleet = fleetStorage(async (memory, key, obtain) => {
      obtained = (await obtain()).value;
      newer = JSON.stringify((await signIn(client)).tokens.toStorable());
      await memory.set(key, newer);
      env.org.resetCounters();
      return newer;
    });
    const { client, credential } = await expiredSignIn(env, fleet.storage);
    const token = await credential.getAccessToken();
    expect(tokensOf(newer)).toContain(token.reveal());
    expect(tokensOf(obtained)).not.toContain(token.reveal());
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
  });

  // The revocation of that renewal failing (Okta unavailable): the renewal stays alive at Okta, unheld by any process.
  // An operator sees it as a `revocation` event naming the tokens left alive, besides the revocation requests' own `error` events.
  it('a new sign-in stored meanwhile, the revocation of the renewal refused: a revocation event naming the tokens left alive, no token in it', async () => {
    const events: OktaLogEvent[] = [];
    let newer = '';
    let obtained = '';
    const fleet = fleetStorage(async (memory, key, obtain) => {
      obtained = (await obtain()).value;
      newer = JSON.stringify((await signIn(client)).tokens.toStorable());
      await memory.set(key, newer);
      env.org.injectFault({ path: '/oauth2/v1/revoke', kind: 'status', status: 503, body: { error: 'temporarily_unavailable' }, count: 2 });
      events.length = 0;
      return newer;
    });
    const { client, credential } = await expiredSignIn(env, fleet.storage, false, (now) => env.spa({ now, logger: (event) => void events.push(event) }, 'rotate'));
    const token = await credential.getAccessToken();
    expect(tokensOf(newer)).toContain(token.reveal());
    // Before (fleet124): { type: 'token-store', operation: 'single-flight', outcome: 'error' }, as if the store had failed.
    const revocations = events.filter((event) => event.type === 'revocation');
    expect(revocations).toEqual([{ type: 'revocation', notRevoked: ['refresh_token', 'access_token'], outcome: 'error' }]);
    expect(events.filter((event) => event.type === 'token-store')).toEqual([]);
    // The revocation requests' own ends, with the code Okta's answer made.
    expect(events.filter((event) => event.type === 'error').map((event) => event.url.endsWith('/oauth2/v1/revoke'))).toEqual([true, true]);
    const logged = JSON.stringify(events);
    for (const secret of tokensOf(obtained)) expect(logged).not.toContain(secret);
    expect(JSON.stringify(revocations[0]).length).toBeLessThan(100);
  });

  // User code threw (the client assertion's signer): which token Okta still holds is unknown, so the event names each.
  it("the same, the client assertion's signer throwing at the revocation: a revocation event of user code naming every token, not the signer's error", async () => {
    const kms = await kmsKey('kms-fleet-revocation');
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'private_key_jwt', publicJwks: [kms.publicJwk], refreshTokenRotation: 'rotate' });
    let broken = false;
    const sign: typeof kms.signer.sign = (data, options) => (broken ? Promise.reject(new Error('KMS unavailable: key arn:aws:kms:secret-ish')) : kms.signer.sign(data, options));
    const events: OktaLogEvent[] = [];
    let newer = '';
    const fleet = fleetStorage(async (memory, key, obtain) => {
      await obtain();
      newer = JSON.stringify((await signIn(client)).tokens.toStorable());
      await memory.set(key, newer);
      broken = true;
      events.length = 0;
      return newer;
    });
    const made = (now: () => number) => clientFor(env.org, app, { clientAuth: privateKeyJwt({ ...kms.signer, sign }), now, logger: (event) => void events.push(event) });
    const { client, credential } = await expiredSignIn(env, fleet.storage, false, made);
    const token = await credential.getAccessToken();
    expect(tokensOf(newer)).toContain(token.reveal());
    expect(events).toEqual([{ type: 'revocation', notRevoked: ['refresh_token', 'access_token'], outcome: 'user-code' }]);
    expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBeUndefined();
  });
});
