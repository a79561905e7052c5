/**
 * The test helper `signIn` on @org/okta-emulator: a client given a short `timeoutMs` (for the
 * storage calls a test is about) signs in through its app's client with `signInTimeoutMs`, so an
 * org slow to answer (a loaded CI machine) fails no sign-in; the client keeps its short bound.
 */
import { expect, it } from 'vitest';
import { lateStorage, renewalsPastHeldWrites } from './late-storage.js';
import { orgPacedFetch, signIn, spaOf, useSignInOrg } from './sign-in-org.js';

const env = useSignInOrg();

it("signs a client with a short timeoutMs in past an org slower than it; the client's own calls keep the short bound", async () => {
  const client = spaOf(env.org, { timeoutMs: 1000 });
  // Every token answer comes 2 s late: past the client's timeoutMs, within signInTimeoutMs.
  env.org.injectFault({ path: '/oauth2/v1/token', kind: 'latency', latencyMs: 2000 });
  // Before, the sign-in's code exchange went through the client itself: TIMEOUT.
  const { tokens } = await signIn(client);
  expect(env.org.counters().tokenRequests.authorization_code).toEqual({ success: 1 });
  const renewal = client.credential(tokens).getAccessToken({ forceRefresh: true });
  expect(await renewal.then(() => 'ok', (error: unknown) => (error as { code?: string }).code)).toBe('TIMEOUT');
});

it("a client with orgPacedFetch: its storage calls stay bounded by timeoutMs, and so do its requests to an org slower than it (a fetch option is raced against the attempt's timer)", async () => {
  const client = spaOf(env.org, { timeoutMs: 1000, fetch: orgPacedFetch });
  const { tokens } = await signIn(client);
  // The second renewal's write (the third) reaches the store only when the test lets it.
  const { storage, open } = lateStorage(3, 'write');
  const credential = client.credential(tokens, { storage });
  expect(await renewalsPastHeldWrites(credential)).toEqual(['ok', 'TIMEOUT']);
  open();
  expect(env.org.counters().tokenRequests.refresh_token).toEqual({ success: 2 });
  // Every token answer comes 2 s late: past the client's timeoutMs. orgPacedFetch ignores the attempt timer's abort,
  // but core waits for a fetch option within that timer (hang167): the renewal is TIMEOUT all the same.
  env.org.injectFault({ path: '/oauth2/v1/token', kind: 'latency', latencyMs: 2000 });
  const late = await credential.getAccessToken({ forceRefresh: true }).then(() => 'ok', (error: unknown) => (error as { code?: string }).code);
  expect(late).toBe('TIMEOUT');
});

it('orgPacedFetch stops at the caller’s abort, not at the client’s own timeout', async () => {
  // The org holds the answers past the test: only an abort ends a request.
  env.org.injectFault({ path: '/oauth2/v1/keys', kind: 'latency', latencyMs: 60_000 });
  const url = new URL('/oauth2/v1/keys', env.org.url);
  const timedOut = new AbortController();
  let settled = false;
  const held = orgPacedFetch(url, { signal: timedOut.signal }).finally(() => (settled = true));
  held.catch(() => undefined); // it ends when the org closes
  // What core's attempt timer aborts with when the client's timeoutMs passes.
  timedOut.abort(new DOMException('timeoutMs', 'TimeoutError'));
  const caller = new AbortController();
  const stopped = orgPacedFetch(url, { signal: caller.signal });
  caller.abort(new Error('the caller gave up'));
  await expect(stopped).rejects.toThrow('the caller gave up');
  // Aborted before the caller's, the request the client's timeout fired on would have ended first.
  expect(settled).toBe(false);
});
