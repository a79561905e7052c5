/**
 * `timeoutMs` bounds each attempt, body included (README, "A request's timeout covers reading the
 * body"): the emulator's `slow-body` fault sends the answer's headers at once and its body in parts
 * far apart, so `paginate`'s read of the page ends with `TIMEOUT` (the body stalled), and the
 * caller's own read of the 2xx with the runtime's `TimeoutError`, never a hang.
 */
import { expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { paginate } from '../pagination/paginate.js';
import { createOktaFetch } from './okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';

const org = useApiTokenOrg();
const failureOf = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

it('a page whose body stalls mid-way is TIMEOUT naming timeoutMs; the caller own read is a TimeoutError', async () => {
  org.org.injectFault({ path: '/api/v1/users', kind: 'slow-body', latencyMs: 30_000 });
  // 2 s, not 300 ms: the headers, sent at once, must arrive within it (a loaded machine's took longer than 300 ms, and
  // the call then ended before the body, a TIMEOUT of the answer, not of its body). The two calls run at once.
  const okta = createOktaFetch({ credential: org.ssws(org.org.url), timeoutMs: 2000, retry: false });
  const walk = async (): Promise<number> => {
    let seen = 0;
    for await (const user of paginate(okta, '/api/v1/users')) if (user !== undefined) seen += 1;
    return seen;
  };
  const [failure, read] = await Promise.all([failureOf(walk()), failureOf(okta('/api/v1/users').then((res) => res.text()))]);
  expect(isOktaAuthError(failure) && failure.code).toBe('TIMEOUT');
  expect((failure as Error).message).toMatch(/within 2000 ms \(timeoutMs\): the body stalled\.$/);
  expect((read as Error).name).toBe('TimeoutError');
});
