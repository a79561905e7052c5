/**
 * A `fetch` option whose Response is another implementation's: npm undici's `fetch` (a proxy's, a
 * pinned undici's) resolves with undici's own `Response` class, not Node.js's global one. Core's one
 * check of what a fetch option gives (`recordAttempt`, `isResponseLike`: the shape, not `instanceof`)
 * must take it in both drivers, for an answer and for a refusal (`OktaApiError`), against the emulator.
 */
import { createOktaFetch, isOktaApiError } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createSswsCredential } from '@org/okta-ssws';
import { fetch as undiciFetch, Response as UndiciResponse } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcome } from './test-helpers/calls.js';

let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator({ seed: { users: 2 } });
});
afterAll(async () => {
  await org.close();
});

describe("npm undici's Response through core", () => {
  it('is another class than the global Response, and both drivers take it: an answer and an OktaApiError', async () => {
    const seen: unknown[] = [];
    const viaUndici = (async (input: Request | string | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const response = await undiciFetch(request.url, { method: request.method, headers: [...request.headers], signal: request.signal });
      seen.push(response);
      return response;
    }) as unknown as typeof fetch;
    const credential = createSswsCredential({ orgUrl: org.url, token: org.createApiToken().token, allowInsecureLoopback: true });
    const okta = createOktaFetch({ credential, fetch: viaUndici });
    expect(((await (await okta('/api/v1/users?limit=1')).json()) as unknown[]).length).toBe(1);
    expect(seen[0]).toBeInstanceOf(UndiciResponse);
    expect(seen[0] instanceof Response).toBe(UndiciResponse === Response);
    const refused = await outcome(okta('/api/v1/users/nobody'));
    expect(!refused.ok && isOktaApiError(refused.error) && refused.error.status).toBe(404);
    const ky = createOktaKy({ credential, fetch: viaUndici });
    expect((await ky.get('api/v1/users?limit=1').json<unknown[]>()).length).toBe(1);
    const kyRefused = await outcome(ky.get('api/v1/users/nobody').json());
    expect(!kyRefused.ok && isOktaApiError(kyRefused.error) && kyRefused.error.status).toBe(404);
  });
});
