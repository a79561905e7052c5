/**
 * A credential's `authorize` that outlasts `timeoutMs` (user code: a vault call that hangs) is
 * `TIMEOUT` naming the attempt by the one builder, `attemptName`. The path may carry a secret:
 * `paginate` follows the server's `next` links, and a server can echo the API token into one.
 * Nothing is sent yet, but the credential's header values of the client's last attempt are known
 * (the policy's memory in `attempt-secrets.ts`), so the path is scrubbed of them.
 */
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { OktaCredential } from '../credential.js';
import type { OktaLogEvent } from '../config/logger.js';
import { watchAttemptTimers } from '../test-helpers/attempt-timers.js';
import { drivers } from '../test-helpers/drivers.js';
import { printed } from '../test-helpers/printed.js';

/** An org of the test's own (closed when it ends), and an API token of it. */
async function apiTokenOrg(): Promise<{ readonly org: OktaEmulator; readonly token: string }> {
  const org = await startEmulator();
  onTestFinished(() => org.close());
  return { org, token: org.createApiToken().token };
}

/** An API token credential whose `authorize` answers once, then never settles (and ignores its signal), calling `stalled` when it starts to. */
function stallingAfterFirst(org: OktaEmulator, token: string, stalled: () => void): OktaCredential {
  let calls = 0;
  return {
    kind: 'api-token',
    origin: org.url,
    authorize: () => {
      if (++calls === 1) return Promise.resolve({ authorization: `SSWS ${token}` });
      stalled();
      return new Promise(() => undefined);
    },
  };
}

describe.each(Object.keys(drivers))('%s', (name) => {
  // Without a logger, the first call's 2xx never lists its secrets: they are still known.
  it.each([['with a logger', true], ['without one', false]])("a credential's authorize that never settles, on a path carrying the token, %s: TIMEOUT without the token", async (_, logged) => {
    const { org, token } = await apiTokenOrg();
    const events: OktaLogEvent[] = [];
    const logger = logged ? (event: OktaLogEvent) => events.push(event) : undefined;
    // The first call must succeed: a timeoutMs no loaded machine reaches. The stalled attempt's timer is fired once its
    // authorize has been called (a microtask later, when the attempt waits on it), not after real time.
    const timers = watchAttemptTimers();
    const driver = drivers[name]!({ credential: stallingAfterFirst(org, token, () => queueMicrotask(timers.fireLatest)), ...(logger && { logger }), timeoutMs: 60_000, retry: false });
    await driver.getJson('/api/v1/users');
    const error = await driver.getJson(`/api/v1/users/${token}?token=${token}`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/^GET 127\.0\.0\.1:\d+\/api\/v1\/users\/\[redacted …[^\]]+\]: the credential's authorize did not settle within 60000 ms \(timeoutMs\); nothing was sent\.$/) });
    for (const text of [...printed(error), ...events.flatMap(printed)]) expect(text).not.toContain(token.slice(0, 10));
  });
});
