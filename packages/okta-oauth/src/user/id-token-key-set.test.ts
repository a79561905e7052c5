/**
 * The JWKS cache's rules the emulator cannot show: a clock stepped back, a `fetchKeys` of an app's
 * own (`IdTokenVerifierContext` is public: a verifier may be called with any context) that throws
 * an untyped error, and a caller handed the set a refetch has since replaced. `Date` is faked.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IdTokenVerifierContext } from './id-token.js';
import { createJwksIdTokenVerifier } from './id-token-jwks.js';
import { keySetCache, keySetCooldownMs } from './id-token-key-set.js';
import type { JsonWebKeySetJson } from './jwks.js';

const start = 1_800_000_000_000;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: start });
});
afterEach(() => {
  vi.useRealTimers();
});

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token naming a kid no set here holds (its signature is never reached). */
const unknownKid = `${part({ alg: 'RS256', kid: 'not-published' })}.${part({ sub: 'nobody' })}.${part({ signature: 'none' })}`;

/** A context whose `fetchKeys` answers `answers` in turn (an Error is thrown), counting its calls. */
function contextOf(...answers: (JsonWebKeySetJson | Error)[]) {
  let fetches = 0;
  const context: IdTokenVerifierContext = {
    algorithms: ['RS256'],
    fetchKeys: () => {
      const answer = answers[Math.min(fetches++, answers.length - 1)]!;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
    signal: undefined,
  };
  return { context, fetches: () => fetches };
}

const reason = (work: Promise<unknown>) => work.then(() => undefined, (error: unknown) => error as Error & { code?: string; cause?: unknown });

describe('the key set cache', () => {
  it('a clock stepped back (the set fetched "in the future") neither keeps the set nor holds a refetch back', async () => {
    const verify = createJwksIdTokenVerifier({ keySetMaxAgeMs: 60_000 });
    const { context, fetches } = contextOf({ keys: [] });
    expect(await reason(verify(unknownKid, context))).toMatchObject({ code: 'ID_TOKEN_INVALID', message: expect.stringContaining('fetched for this token') });
    expect(fetches()).toBe(1);
    // A day back: the age is negative, not young. Else a key the org revoked stayed trusted until the clock caught up.
    vi.setSystemTime(start - 86_400_000);
    expect(await reason(verify(unknownKid, context))).toMatchObject({ code: 'ID_TOKEN_INVALID', message: expect.stringContaining('fetched for this token') });
    expect(fetches()).toBe(2);
  });

  it("a refetch that throws an untyped error: ID_TOKEN_INVALID saying so (not its text), with the set's max age and the cooldown in seconds", async () => {
    const verify = createJwksIdTokenVerifier({ keySetMaxAgeMs: 120_000 });
    const { context, fetches } = contextOf({ keys: [] }, new Error('fetch failed: secret-canary-5c1e'));
    await reason(verify(unknownKid, context));
    vi.setSystemTime(start + keySetCooldownMs);
    const error = await reason(verify(unknownKid, context));
    expect(fetches()).toBe(2);
    expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'signature' });
    expect(error?.cause).toBeUndefined();
    expect(error?.message).toContain("fetching the org's key set (jwks_uri) again failed (the fetch threw); the set held is kept for other keys until 120 s after its fetch and fetched again at most every 30 s: try again later");
    expect(error?.message).not.toContain('secret-canary');
  });

  it('a caller asking again with a set another caller\'s refetch has replaced gets the newer set, without a fetch', async () => {
    const first: JsonWebKeySetJson = { keys: [] };
    const second: JsonWebKeySetJson = { keys: [] };
    const keySet = keySetCache(600_000);
    const { context, fetches } = contextOf(first, second);
    expect((await keySet(context)).keys).toBe(first);
    vi.setSystemTime(start + keySetCooldownMs);
    expect((await keySet(context, first)).keys).toBe(second);
    // Another verification that read the first set before that refetch, and could not verify its token with it.
    expect((await keySet(context, first)).keys).toBe(second);
    expect(fetches()).toBe(2);
  });
});
