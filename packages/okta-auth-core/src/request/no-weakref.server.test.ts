/**
 * A runtime without `WeakRef` (workerd before its 2025-05-05 compatibility date): an answer handed on
 * with its body is still answered, and its timer still ends an unread body. unhandled159's
 * `AttemptTimer.handOn` made a `WeakRef` unguarded, so there every call whose answer had a body threw
 * `ReferenceError: WeakRef is not defined` (rev159). The runtime matrix's workerd row on that date runs
 * the whole suite there; this pins it on Node.js.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { watchAttemptTimers } from '../test-helpers/attempt-timers.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaFetch } from './okta-fetch.js';

const org = useApiTokenOrg();

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Node.js's own fetch, answering with `WeakRef` gone from then on (Node.js's fetch keeps one of its own while it sends). */
const fetchThenNoWeakRef: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  vi.stubGlobal('WeakRef', undefined);
  return response;
};

it.each([
  ['createOktaFetch', (credential: ReturnType<typeof org.ssws>) => createOktaFetch({ credential, timeoutMs: 60_000, fetch: fetchThenNoWeakRef })('/api/v1/users')],
  ['createOktaKy', (credential: ReturnType<typeof org.ssws>) => createOktaKy({ credential, timeoutMs: 60_000, retry: false, fetch: fetchThenNoWeakRef }).get('api/v1/users')],
])('%s without WeakRef: the answer is handed on, read, and an unread one is ended by its timer', async (_, call) => {
  const credential = org.ssws(org.org.url);
  const read = await call(credential);
  expect(typeof WeakRef).toBe('undefined');
  expect(await read.json()).toEqual(expect.any(Array));
  vi.unstubAllGlobals();
  const timers = watchAttemptTimers();
  const unread = await call(credential);
  timers.fireLatest();
  await expect(unread.text()).rejects.toMatchObject({ name: 'TimeoutError', message: 'timeoutMs' });
});
