/**
 * How long `jwksIdTokenVerifier` and `createJwksIdTokenVerifier` keep the org's key set, over real
 * HTTP against @org/okta-emulator: at most its max age after its fetch (jose's `cacheMaxAge`, 10
 * minutes by default), then a verification waits for the set fetched again; a failed refetch keeps
 * the set held without making it younger; a caller's own signal ends its wait for a fetch others
 * share. `Date` is frozen and moved (timers stay real): the emulator runs in this process, so its
 * clock moves with it. The emulator publishes its current and previous signing keys, so two
 * rotations withdraw a key (as Okta does after a rotation, or at once for a compromised key).
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordingFetch } from '../test-helpers/wire.js';
import type { IdTokenVerifier, IdTokenVerifierContext } from './id-token.js';
import { createJwksIdTokenVerifier, jwksIdTokenVerifier } from './id-token-jwks.js';
import { keySetCooldownMs } from './id-token-key-set.js';
import { signIn, signInFailure, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * A sign-in client whose ID tokens `verifier` checks; `verify` checks a token with the same
 * verifier and the client's context (its `fetchKeys`, which keys the verifier's cache), `hold`
 * keeps the key answers from the client until `release`.
 */
function client(verifier: IdTokenVerifier) {
  const wire = recordingFetch();
  let gate: { promise: Promise<void>; reached: () => void } | undefined;
  const gated = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (gate !== undefined && new URL(request.url).pathname === '/oauth2/v1/keys') {
      gate.reached();
      await gate.promise;
    }
    return wire.fetch(request);
  };
  let context: IdTokenVerifierContext | undefined;
  const signInClient = env.spa({
    fetch: gated,
    idTokenVerifier: async (idToken, given) => {
      context = given;
      await verifier(idToken, given);
    },
  });
  return {
    /** Signs in (the client checks the token) and gives the ID token. */
    idToken: async () => (await signIn(signInClient)).tokens.idToken!.reveal(),
    verify: (idToken: string, signal?: AbortSignal) => verifier(idToken, { ...context!, signal }),
    keyFetches: () => wire.sent.filter((r) => r.url.pathname === '/oauth2/v1/keys').length,
    hold() {
      let release: () => void = () => undefined;
      let reached: () => void = () => undefined;
      const promise = new Promise<void>((resolve) => (release = resolve));
      const seen = new Promise<void>((resolve) => (reached = resolve));
      gate = { promise, reached };
      return { seen, release };
    },
  };
}

/** An ID token the org signs now, got by a client that checks no signature (so it fetches no keys). */
async function mintedIdToken(): Promise<string> {
  return (await signIn(env.spa({ idTokenVerifier: () => Promise.resolve() }))).tokens.idToken!.reveal();
}

const withdrawn = { code: 'ID_TOKEN_INVALID', reason: 'signature', message: expect.stringContaining('signed with a key the org does not publish (its key set, fetched for this token') };

describe('the key set held is used for at most its max age', () => {
  it.each([
    ['jwksIdTokenVerifier, 10 minutes (jose)', jwksIdTokenVerifier, 600_000], // the documented default, not the constant
    ['createJwksIdTokenVerifier({ keySetMaxAgeMs: 60_000 })', createJwksIdTokenVerifier({ keySetMaxAgeMs: 60_000 }), 60_000],
  ])('%s: then a key the org has withdrawn is refused', async (_name, verifier, maxAgeMs) => {
    const c = client(verifier);
    const fetchedAt = Date.now();
    const old = await c.idToken();
    expect(c.keyFetches()).toBe(1);
    env.org.rotateSigningKey();
    env.org.rotateSigningKey();
    vi.setSystemTime(fetchedAt + maxAgeMs - 1);
    // The set held still has the old key, and is young enough: no fetch.
    await c.verify(old);
    expect(c.keyFetches()).toBe(1);
    vi.setSystemTime(fetchedAt + maxAgeMs);
    // Too old: this verification waited for the set fetched again, which lacks the old key.
    expect(await signInFailure(c.verify(old))).toMatchObject(withdrawn);
    expect(c.keyFetches()).toBe(2);
    // A token signed with the current key verifies with that set: no fetch.
    await c.idToken();
    expect(c.keyFetches()).toBe(2);
  });

  it('past its max age the set is not used while jwks_uri fails: the fetch error, then the next verification fetches again', async () => {
    const c = client(createJwksIdTokenVerifier({ keySetMaxAgeMs: 60_000 }));
    const old = await c.idToken();
    vi.setSystemTime(Date.now() + 60_000);
    env.org.injectFault({ path: '/oauth2/v1/keys', kind: 'status', status: 503, count: 1 });
    expect(await signInFailure(c.verify(old))).toMatchObject({ code: 'INVALID_RESPONSE', status: 503 });
    expect(c.keyFetches()).toBe(2);
    await c.verify(old);
    expect(c.keyFetches()).toBe(3);
  });
});

describe('a failed refetch', () => {
  it('keeps the set held for the keys it has, says the refetch failed, and does not make the set younger', async () => {
    const c = client(createJwksIdTokenVerifier({ keySetMaxAgeMs: 120_000 }));
    const fetchedAt = Date.now();
    const old = await c.idToken();
    env.org.rotateSigningKey();
    const rotated = await mintedIdToken();
    vi.setSystemTime(fetchedAt + keySetCooldownMs);
    const canary = 'canary-body-4f1a9c';
    env.org.injectFault({ path: '/oauth2/v1/keys', kind: 'status', status: 503, body: { errorSummary: canary }, count: 1 });
    const refused = await signInFailure(c.verify(rotated));
    expect(refused).toMatchObject({
      code: 'ID_TOKEN_INVALID',
      reason: 'signature',
      message: expect.stringContaining("fetching the org's key set (jwks_uri) again failed (INVALID_RESPONSE: Okta answered HTTP 503 for its signing keys (/oauth2/v1/keys).)"),
      cause: expect.objectContaining({ code: 'INVALID_RESPONSE', status: 503 }),
    });
    expect(JSON.stringify(refused) + refused.message).not.toContain(canary);
    expect(c.keyFetches()).toBe(2);
    // The set held still verifies the old key: no fetch (a dropped set was fetched again here).
    await c.verify(old);
    expect(c.keyFetches()).toBe(2);
    // The failed fetch started the cooldown: tokens naming keys the set lacks cannot hammer a failing jwks_uri.
    expect(await signInFailure(c.verify(rotated))).toMatchObject({ code: 'ID_TOKEN_INVALID', message: expect.stringContaining('not fetched again until 30 s after its last fetch') });
    expect(c.keyFetches()).toBe(2);
    // Its max age counts from its own fetch, not from the failed one.
    vi.setSystemTime(fetchedAt + 120_000);
    await c.verify(old);
    expect(c.keyFetches()).toBe(3);
    await c.verify(rotated);
    expect(c.keyFetches()).toBe(3);
  });
});

describe('callers waiting on one fetch', () => {
  it("each stops waiting when its own signal fires, and the fetch goes on for the others", async () => {
    const c = client(jwksIdTokenVerifier);
    const fetchedAt = Date.now();
    await c.idToken();
    env.org.rotateSigningKey();
    const rotated = await mintedIdToken();
    vi.setSystemTime(fetchedAt + keySetCooldownMs);
    const { seen, release } = c.hold();
    // The first starts the refetch for the key the set lacks; the two after it wait on it.
    const patient = c.verify(rotated);
    const aborted = new AbortController();
    const impatient = c.verify(rotated, aborted.signal);
    const timedOut = new AbortController();
    const late = c.verify(rotated, timedOut.signal);
    await seen;
    aborted.abort();
    // The attempt timer's reason (core's): TIMEOUT; a caller's own TimeoutError is ABORTED (page152).
    timedOut.abort(new DOMException('timeoutMs', 'TimeoutError'));
    expect(await failure(impatient, isOktaAuthError)).toMatchObject({ code: 'ABORTED' });
    expect(await failure(late, isOktaAuthError)).toMatchObject({ code: 'TIMEOUT' });
    release();
    await patient;
    expect(c.keyFetches()).toBe(2);
  });

  it('whichever step the waiter is at when the fetch starts (each microtask offset): its signal ends its wait', async () => {
    const c = client(jwksIdTokenVerifier);
    await c.idToken();
    // Tokens naming kids the org does not publish (their signature is never reached): each costs a refetch past the cooldown.
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unknownKid = (kid: string) => `${part({ alg: 'RS256', kid })}.${part({ sub: 'nobody' })}.${part({ signature: 'none' })}`;
    const offsets = 24;
    for (let offset = 0; offset < offsets; offset++) {
      vi.setSystemTime(Date.now() + keySetCooldownMs);
      const { seen, release } = c.hold();
      const first = c.verify(unknownKid(`first-${offset}`));
      for (let i = 0; i < offset; i++) await Promise.resolve();
      const waiter = new AbortController();
      const waiting = c.verify(unknownKid(`waiter-${offset}`), waiter.signal);
      await seen;
      waiter.abort();
      expect([offset, (await failure(waiting, isOktaAuthError)).code]).toEqual([offset, 'ABORTED']);
      release();
      expect(await signInFailure(first)).toMatchObject(withdrawn);
    }
    expect(c.keyFetches()).toBe(1 + offsets);
  });
});
