/**
 * What the ky drivers make of a send that failed, whatever ky's version and the runtime (kyrt153).
 * ky 2.2's `isTimeoutError` takes only ky's own errors (`isKyError`): `createOktaKy`'s `timeoutMs`
 * (the attempt timer's `DOMException` `TimeoutError`) reached the caller raw, where ky 2.1 gave
 * `TIMEOUT`. ky's list of network-error messages has none of Bun's (`ECONNRESET: The socket
 * connection was closed unexpectedly…`) nor Deno's `NotCapable` (no `--allow-net`): neither ky driver
 * retried nor typed them there. A fetch that rejects with their shape stands in for each runtime
 * here; the runtime matrix's dropped-connection case runs the real ones.
 */
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

const org = useApiTokenOrg();

const codeOf = (error: unknown) => (isOktaAuthError(error) ? `${error.code}: ${error.message}` : `untyped ${String(error)}`);

/** Bun's fetch over a connection the server dropped: a TypeError ky does not know. */
const bunReset = () =>
  Object.assign(new TypeError('ECONNRESET: The socket connection was closed unexpectedly. For more information, pass `verbose: true` in the second argument to fetch()'), { code: 'ECONNRESET', errno: 0 });

/** Deno's fetch without --allow-net. */
const denoDenied = () => Object.assign(new Error('Requires net access to "127.0.0.1:59999", run again with the --allow-net flag'), { name: 'NotCapable' });

/** A fetch whose first `failures` sends reject with `error()`, then the real one; `sends` counts them all. */
function failing(failures: number, error: () => Error) {
  const counted = { sends: 0 };
  const fetchImpl = (input: Request, init?: RequestInit) => (++counted.sends <= failures ? Promise.reject(error()) : fetch(input, init));
  return Object.assign(counted, { fetch: fetchImpl });
}

describe('createOktaKy: the attempt timer and the caller, whatever ky says of them', () => {
  it("timeoutMs is TIMEOUT naming it (ky 2.2: a raw DOMException TimeoutError)", async () => {
    org.org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 10_000, count: 1 });
    const error = await createOktaKy({ credential: org.ssws(org.org.url), timeoutMs: 200 }).get('api/v1/users').catch((e: unknown) => e);
    expect(codeOf(error)).toMatch(/^TIMEOUT: GET [\w.:-]+\/api\/v1\/users got no complete answer within 200 ms \(timeoutMs\)/);
  });

  it("the caller's AbortSignal.timeout is ABORTED, its reason the cause", async () => {
    org.org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 10_000, count: 1 });
    const signal = AbortSignal.timeout(100);
    const error = await createOktaKy({ credential: org.ssws(org.org.url) }).get('api/v1/users', { signal }).catch((e: unknown) => e);
    expect(codeOf(error)).toMatch(/^ABORTED: /);
    expect((error as Error).cause).toBe(signal.reason);
  });
});

describe.each([
  ['createOktaKy', (fetchImpl: typeof fetch) => createOktaKy({ credential: org.ssws(org.org.url), fetch: fetchImpl })],
  ['oktaKyHooks', (fetchImpl: typeof fetch) => ky.create({ baseUrl: `${org.org.url}/`, retry: { limit: 3 }, fetch: fetchImpl, hooks: oktaKyHooks({ credential: org.ssws(org.org.url) }) })],
])('%s over a send that fails with an error ky does not know', (_, api) => {
  it("Bun's reset connection: one is retried (GET); past ky's retries NETWORK_ERROR, the runtime's error the cause", async () => {
    const once = failing(1, bunReset);
    expect((await api(once.fetch as typeof fetch).get('api/v1/users')).status).toBe(200);
    expect(once.sends).toBe(2);
    const always = failing(Infinity, bunReset);
    const error = await api(always.fetch as typeof fetch).get('api/v1/users').catch((e: unknown) => e);
    expect(codeOf(error)).toMatch(/^NETWORK_ERROR: GET [\w.:-]+\/api\/v1\/users failed before Okta answered \(connection refused, reset or DNS failure\)\.$/);
    expect((error as Error).cause).toMatchObject({ code: 'ECONNRESET' });
    expect(always.sends).toBeGreaterThan(2);
  });

  it("Deno's NotCapable (no --allow-net) says so", async () => {
    const error = await api(failing(Infinity, denoDenied).fetch as typeof fetch).get('api/v1/users').catch((e: unknown) => e);
    expect(codeOf(error)).toMatch(/^NETWORK_ERROR: GET [\w.:-]+\/api\/v1\/users failed before Okta answered \(Requires net access to "127\.0\.0\.1:59999", run again with the --allow-net flag\)\.$/);
  });
});

describe("createOktaFetch: Deno's NotCapable (no --allow-net)", () => {
  it('says so, the fix in the message, not only in the cause', async () => {
    const okta = createOktaFetch({ credential: org.ssws(org.org.url), fetch: failing(Infinity, denoDenied).fetch as typeof fetch });
    const error = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(codeOf(error)).toMatch(/\(Requires net access to "127\.0\.0\.1:59999", run again with the --allow-net flag\)\.$/);
  });
});
