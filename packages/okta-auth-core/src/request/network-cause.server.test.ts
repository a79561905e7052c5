/**
 * A custom `fetch` (a tracing wrapper, a circuit breaker) whose rejection quotes the request's
 * headers: the `NETWORK_ERROR` keeps no `cause` that holds one of the attempt's secrets (its
 * message, stack or a field), in every driver; a rejection that quotes none stays the cause
 * (the shapes a tracing wrapper uses: `network-cause-shapes.server.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import { drivers } from '../test-helpers/drivers.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { printed } from '../test-helpers/printed.js';

const org = useApiTokenOrg();

describe.each(Object.keys(drivers))('%s', (name) => {
  const failure = (fetch: typeof globalThis.fetch): Promise<unknown> =>
    drivers[name]!({ credential: org.ssws(org.org.url), fetch, retry: false }).getJson('/api/v1/users/me').then(
      () => 'resolved',
      (error: unknown) => error,
    );

  // Every driver types a fetch's rejection that is an Error as NETWORK_ERROR (the ky drivers since kyrt153: ky's `NetworkError`).
  it.each([
    ['its message', (headers: string) => new TypeError(`upstream failed: ${headers}`)],
    ['a string field', (headers: string) => Object.assign(new TypeError('fetch failed'), { request: headers })],
    ['its cause', (headers: string) => new TypeError('fetch failed', { cause: new Error(headers) })],
  ])('a rejection quoting the headers in %s: NETWORK_ERROR without that cause', async (_, rejection) => {
    const error = await failure((input, init) => Promise.reject(rejection(JSON.stringify(Object.fromEntries(new Request(input as Request, init).headers)))));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR' });
    expect((error as Error).cause).toBeUndefined();
    for (const text of printed(error)) expect(text).not.toContain(org.token.slice(0, 12));
  });

  it('a rejection quoting no secret stays the cause', async () => {
    const open = new TypeError('fetch failed', { cause: new Error('breaker open') });
    const error = await failure(() => Promise.reject(open));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', cause: open });
  });
});
