/**
 * A fetch that rejects an aborted request with an `AbortError` of its own, not the signal's
 * reason, as WebKit's does ("Fetch is aborted"; Chromium, Firefox, Node.js, Deno, Bun and workerd
 * reject with the reason). Since `createOktaKy` turned ky's own timeout off (kywait140), the
 * attempt's timer aborts the fetch it gives ky: WebKit's rejection reached the caller untyped
 * (the runtime matrix's ky faults case, webkit-2.50). Both drivers now type it as the fetch driver
 * does: `TIMEOUT` naming the bound, the caller's abort `ABORTED`. Its fetch looks at the signal
 * first (before abort147 it missed one aborted already: such a call hung); each window the caller's
 * abort can land in: `abort-windows.server.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createOktaKy } from './create-okta-ky.js';

const org = useApiTokenOrg();

/** WebKit's fetch: an abort rejects with a new AbortError, whatever the signal's reason; a signal aborted already at once (no abort event comes then). */
const webkitFetch: typeof fetch = (input, init) =>
  new Promise((_, reject) => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const abort = () => reject(new DOMException('Fetch is aborted', 'AbortError'));
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort, { once: true });
  });

const codeOf = (error: unknown) => (isOktaAuthError(error) ? `${error.code}: ${error.message}` : String(error));

describe('createOktaKy over a fetch that rejects an abort with its own AbortError (WebKit)', () => {
  it("the attempt's timeoutMs is TIMEOUT, naming it", async () => {
    const okta = createOktaKy({ credential: org.ssws(org.org.url), timeoutMs: 200, fetch: webkitFetch });
    const error: unknown = await okta.get('api/v1/users').catch((e: unknown) => e);
    expect(codeOf(error)).toMatch(/^TIMEOUT: GET [\w.:-]+\/api\/v1\/users got no complete answer within 200 ms \(timeoutMs\)/);
  });

  it("the caller's abort is ABORTED", async () => {
    const okta = createOktaKy({ credential: org.ssws(org.org.url), timeoutMs: 30_000, fetch: webkitFetch });
    const controller = new AbortController();
    const call = okta.get('api/v1/users', { signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 50);
    expect(codeOf(await call)).toMatch(/^ABORTED: /);
  });
});
