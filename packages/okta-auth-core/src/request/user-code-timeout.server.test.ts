/**
 * A credential's `authorize` or `challenge` that never settles (a hung vault call) is `TIMEOUT`
 * naming what waited: the credential's code did not settle within `timeoutMs`, and nothing was
 * sent (resent, after a challenge), in every driver; not "got no complete answer", which blames
 * Okta. The attempt timer is fired once the credential is waiting, not after real time. The
 * caller's abort ends a hung `authorize` at once (`ABORTED`); until hang167 only at `timeoutMs`.
 */
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { watchAttemptTimers } from '../test-helpers/attempt-timers.js';
import { drivers } from '../test-helpers/drivers.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';

const org = useApiTokenOrg();

/** Never settles (and ignores its signal), firing the attempt's timer once it is waited on. */
function hang<T>(fire: () => void): Promise<T> {
  setImmediate(fire);
  return new Promise<T>(() => undefined);
}

describe.each(Object.keys(drivers))('%s', (name) => {
  const failure = (credential: OktaCredential): Promise<unknown> =>
    drivers[name]!({ credential, timeoutMs: 60_000, retry: false }).getJson('/api/v1/users/me').then(
      () => 'resolved',
      (error: unknown) => error,
    );

  it("a hung authorize: TIMEOUT saying the credential's authorize did not settle, nothing sent", async () => {
    const timers = watchAttemptTimers();
    const error = await failure({ kind: 'vault', origin: org.org.url, authorize: () => hang(timers.fireLatest) });
    expect(error).toMatchObject({
      code: 'TIMEOUT',
      message: `GET ${new URL(org.org.url).host}/api/v1/users/me: the credential's authorize did not settle within 60000 ms (timeoutMs); nothing was sent.`,
    });
    expect(org.org.requests().length).toBe(0);
  });

  it("a hung authorize: ABORTED at the caller's abort, its reason the cause, well before timeoutMs, nothing sent", async () => {
    const caller = new AbortController();
    const reason = new Error('shutting down');
    const authorize = () => {
      setImmediate(() => caller.abort(reason));
      return new Promise<never>(() => undefined);
    };
    const error = await drivers[name]!({ credential: { kind: 'vault', origin: org.org.url, authorize }, timeoutMs: 60_000, retry: false })
      .pages('/api/v1/users/me', { signal: caller.signal })
      .then(
        () => 'resolved',
        (thrown: unknown) => thrown,
      );
    expect(error).toMatchObject({ code: 'ABORTED', cause: reason });
    expect(org.org.requests().length).toBe(0);
  });

  it("a hung challenge: TIMEOUT saying the credential's challenge did not settle, nothing resent", async () => {
    const timers = watchAttemptTimers();
    const credential: OktaCredential = {
      kind: 'vault',
      origin: org.org.url,
      authorize: () => Promise.resolve({ authorization: 'SSWS wrong-token-value-1234567890' }),
      challenge: () => hang(timers.fireLatest),
    };
    const error = await failure(credential);
    expect(error).toMatchObject({
      code: 'TIMEOUT',
      message: `GET ${new URL(org.org.url).host}/api/v1/users/me: the credential's challenge did not settle within 60000 ms (timeoutMs); nothing was resent.`,
    });
    expect(org.org.requests().length).toBe(1);
  });
});
