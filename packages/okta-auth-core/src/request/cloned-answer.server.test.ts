/**
 * An answer handed on keeps its attempt's timer armed, to bound the caller's read of its body. When
 * that answer was cloned and the clone's body cancelled (ky does both for each `afterResponse` hook
 * of your own; a caller may do it), the timer's abort made Node.js 20's fetch (undici) cancel the
 * unread body and rethrow that cancel's rejection: an unhandled rejection, `TimeoutError: timeoutMs`,
 * which ends a Node.js process by default, `timeoutMs` after a call that had succeeded. Node.js 24's
 * fetch no longer does. The timer is fired once the answer is held, not after real time.
 */
import { useUnhandledRejections } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { watchAttemptTimers } from '../test-helpers/attempt-timers.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaFetch } from './okta-fetch.js';

const org = useApiTokenOrg();

/** The rejections nobody handled while the test ran. */
const unhandled = useUnhandledRejections();

/** Lets the rejections of the timer's abort be reported: a few turns of the event loop. */
async function turns(): Promise<void> {
  for (let n = 0; n < 5; n++) await new Promise((resolve) => setImmediate(resolve));
}

/** The answers, by how each was cloned and its clone's body cancelled. */
const answers: [string, (credential: ReturnType<typeof org.ssws>) => Promise<Response>][] = [
  ['createOktaKy with an afterResponse hook of your own (ky clones the answer for it, then cancels the clone)', (credential) =>
    createOktaKy({ credential, timeoutMs: 60_000, retry: false }).get('api/v1/users', { hooks: { afterResponse: [() => undefined] } })],
  ['createOktaFetch, the caller cloning the answer and cancelling the copy', async (credential) => {
    const response = await createOktaFetch({ credential, timeoutMs: 60_000 })('/api/v1/users');
    // Not awaited: a cancelled branch of a clone settles when the other branch ends too (the Streams standard's tee).
    void response.clone().body?.cancel().catch(() => undefined);
    return response;
  }],
  // The control: an answer not cloned, whose unread body the timer's abort ends as it always did.
  ['createOktaFetch, the answer not cloned', (credential) => createOktaFetch({ credential, timeoutMs: 60_000 })('/api/v1/users')],
];

describe('an answer cloned, its clone cancelled and its own body unread when the attempt timer fires', () => {
  it.each(answers)('%s: no unhandled rejection; its body then fails as any body the timer ended', async (_, answer) => {
    const timers = watchAttemptTimers();
    const response = await answer(org.ssws(org.org.url));
    expect(response.status).toBe(200);
    timers.fireLatest();
    await turns();
    expect((await unhandled.settled()).map(String)).toEqual([]);
    // The body was ended by the timer, as an unread body without a clone is: read, it fails (never an empty success).
    await expect(response.text()).rejects.toMatchObject({ name: 'TimeoutError', message: 'timeoutMs' });
    expect(org.org.requests()).toHaveLength(1);
  });
});
