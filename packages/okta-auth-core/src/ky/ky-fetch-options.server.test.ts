/**
 * What `createOktaKy`'s fetch hands the `fetch` it was given (core README, "ky"): the options ky
 * passes to fetch beside the Request (Next.js's `next`; `priority`) reach it as given, and the
 * call's state, an option of core's own, does not; a `fetch` that rejects with something other
 * than an Error gets that value to the caller as itself, unretried; an answer without a body (a
 * fetch option's `new Response(null, …)`: undici's fetch always gives one) is handled as one with
 * a body, a 429 retried and a redirect refused, not a raw `TypeError`; once ky's limit is spent
 * by retries no budget of core's counts (a base instance's `retryOnTimeout`), an answer core would
 * retry is the call's typed error, not ky's raw `ForceRetryError`. Mutation testing (eighteenth
 * session) found no test of these: dropping every such option went unnoticed. The emulator answers.
 */
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';
import { stateKey } from './answer.js';

const org = useApiTokenOrg();

describe("createOktaKy's fetch", () => {
  it("hands the fetch given the options ky passes beside the Request (Next.js's next, undici's dispatcher), without the call's state", async () => {
    const next = { revalidate: 60 };
    const seen: Record<string, unknown>[] = [];
    const recorder: typeof fetch = (input, init) => {
      seen.push({ ...init });
      return fetch(input, init);
    };
    const api = createOktaKy({ credential: org.ssws(org.org.url), fetch: recorder });
    const response = await api.get('api/v1/users', { next } as Parameters<typeof api.get>[1]);
    expect(response.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.next).toBe(next);
    expect(seen[0]).not.toHaveProperty([stateKey]);
    // The same through a base instance's fetch.
    seen.length = 0;
    const through = createOktaKy({ credential: org.ssws(org.org.url), ky: ky.create({ fetch: recorder }) });
    expect((await through.get('api/v1/users', { next } as Parameters<typeof api.get>[1])).status).toBe(200);
    expect(seen.map((init) => [init.next === next, stateKey in init])).toEqual([[true, false]]);
  });

  it('a fetch that rejects with something other than an Error: the caller gets it as itself, sent once', async () => {
    let calls = 0;
    const offline = (): Promise<Response> => {
      calls += 1;
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a fetch of the caller's own may reject with anything
      return Promise.reject('offline');
    };
    const got: unknown = await createOktaKy({ credential: org.ssws(org.org.url), fetch: offline })
      .get('api/v1/users')
      .then(
        () => 'answered',
        (error: unknown) => error,
      );
    expect(got).toBe('offline');
    expect(calls).toBe(1);
  });

  it('an answer without a body from the fetch given: a 429 is retried, a final one is RATE_LIMITED, a redirect REDIRECT_BLOCKED', async () => {
    const answers: (Response | undefined)[] = [];
    const scripted: typeof fetch = (input, init) => Promise.resolve(answers.shift() ?? fetch(input, init));
    const api = createOktaKy({ credential: org.ssws(org.org.url), fetch: scripted, retry: { limit: 1 } });
    const limited = () => new Response(null, { status: 429, headers: { 'retry-after': '0', 'x-rate-limit-reset': 'none' } });
    answers.push(limited());
    expect((await api.get('api/v1/users')).status).toBe(200);
    const code = (error: unknown) => (error as { code?: unknown }).code ?? String(error);
    answers.push(limited(), limited());
    expect(await api.get('api/v1/users').then(() => 'answered', code)).toBe('RATE_LIMITED');
    answers.push(new Response(null, { status: 302, headers: { location: `${org.org.url}/api/v1/groups` } }));
    expect(await api.get('api/v1/users').then(() => 'answered', code)).toBe('REDIRECT_BLOCKED');
  });

  it("ky's limit spent by timeouts a base instance retries (retryOnTimeout): the call ends in a typed error, never ky's raw ForceRetryError", async () => {
    // ky's limit: retry.limit 1 + the challenge's 1 + the base's 2. Four timeouts (a latency the call never outlasts), then a 429.
    for (let i = 0; i < 4; i += 1) org.org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 60_000, count: 1 });
    org.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 429, count: 1, headers: { 'X-Rate-Limit-Reset': 'none', 'Retry-After': '0' } });
    const base = ky.create({ retry: { limit: 2, retryOnTimeout: true, delay: () => 0 } });
    const api = createOktaKy({ credential: org.ssws(org.org.url), ky: base, timeoutMs: 500, retry: { limit: 1 } });
    const got: unknown = await api.get('api/v1/users').then(
      () => 'answered',
      (error: unknown) => error,
    );
    expect(isOktaAuthError(got) ? got.code : String(got)).toMatch(/^(RATE_LIMITED|TIMEOUT)$/);
  });
});
