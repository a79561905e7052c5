/**
 * The token storage's and the shared DPoP key's bound on one Redis command by default (500 ms:
 * docs/SECURITY.md, Bounds; `RedisConnectionOptions.commandTimeoutMs`), on a moved clock, with a
 * client whose Redis never answers (a paused or partitioned server): still waiting at 499 ms, given
 * up at 500 ms. The storage's `get` then rejects with `REDIS_UNAVAILABLE` (the credential takes it as
 * a miss); `loadSharedDpopKeyPair` goes on with a key of this process's own, as its TSDoc says.
 * The coordinator's 200 ms is in `rate-limit-coordinator-timeout.test.ts`.
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRedisTokenStorage, loadSharedDpopKeyPair, type RedisClientLike } from './index.js';

const encryption = { current: 'k1', keys: { k1: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' } };

afterEach(() => {
  vi.useRealTimers();
});

/** A client whose every command is sent and never answered, and a promise of the first send. */
function unanswering() {
  const sent = { count: 0 };
  let reached!: () => void;
  const firstSent = new Promise<void>((resolve) => (reached = resolve));
  const client = { call: () => (sent.count++, reached(), new Promise<never>(() => undefined)) } as unknown as RedisClientLike;
  return { client, sent, firstSent };
}

describe('the default Redis command bound of the storage and the shared DPoP key', () => {
  it("gives up on the storage's get exactly 500 ms after sending it", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { client, sent, firstSent } = unanswering();
    const storage = createRedisTokenStorage({ client, encryption });
    let outcome: unknown = 'waiting';
    void Promise.resolve(storage.get('app')).then(
      (value) => (outcome = value),
      (error: unknown) => (outcome = error),
    );
    // The key is hashed first (Web Crypto): the clock moves from the command's sending.
    await firstSent;
    await vi.advanceTimersByTimeAsync(499);
    expect({ sent: sent.count, outcome }).toEqual({ sent: 1, outcome: 'waiting' });
    await vi.advanceTimersByTimeAsync(1);
    expect(isOktaAuthError(outcome) && [outcome.code, outcome.message]).toEqual(['REDIS_UNAVAILABLE', "Redis did not answer within 500 ms (commandTimeoutMs): check that Redis is running and reachable at your client's address."]);
  });

  it("gives up on the shared DPoP key's read exactly 500 ms after sending it, and goes on with a key of its own", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { client, sent, firstSent } = unanswering();
    const events: unknown[] = [];
    let outcome: unknown = 'waiting';
    const loading = loadSharedDpopKeyPair({ client, encryption, name: 'app', logger: (event) => void events.push(event) });
    void loading.then((pair) => (outcome = pair));
    await firstSent;
    await vi.advanceTimersByTimeAsync(499);
    expect({ sent: sent.count, outcome, events }).toEqual({ sent: 1, outcome: 'waiting', events: [] });
    await vi.advanceTimersByTimeAsync(1);
    // The per-process key is generated after the timeout (Web Crypto, no timer): awaited, not waited for.
    const pair = await loading;
    expect(events).toEqual([{ type: 'token-store', operation: 'dpop-key', outcome: 'error', code: 'REDIS_UNAVAILABLE' }]);
    expect(sent.count).toBe(1);
    expect(pair.privateKey.extractable).toBe(false);
  });
});
