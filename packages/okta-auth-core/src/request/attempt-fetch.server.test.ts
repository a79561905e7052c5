/**
 * The client's transport on the attempt (`RequestAttempt.fetch`, transport168), in every driver, against the
 * emulator: a credential asked to authorize an attempt is told which `fetch` the client sends it with, so a
 * token request it makes for that attempt can leave the same way (a proxy's `ProxyAgent` dispatcher: the
 * core README's "Behind a proxy"). Before, an okta-oauth credential made without its own `fetch` sent its
 * token requests through the global fetch while the client's calls went through the proxy (rev168c).
 * A client given no fetch gives none: its attempts are as before.
 */
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import type { OktaCredential, RequestAttempt } from '../credential.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { executeOktaRequest } from './execute.js';
import { createOktaFetch } from './okta-fetch.js';

const org = useApiTokenOrg();

const path = 'api/v1/users?limit=1';
type Send = (credential: OktaCredential, fetch: typeof globalThis.fetch | undefined) => Promise<Response>;
const drivers: Record<string, Send> = {
  createOktaFetch: (credential, fetch) => createOktaFetch({ credential, fetch })(`/${path}`),
  executeOktaRequest: (credential, fetch) => executeOktaRequest(() => Promise.resolve(new Request(`${org.org.url}/${path}`)), { credential, fetch, origin: org.org.url }),
  createOktaKy: (credential, fetch) => createOktaKy({ credential, fetch })(path),
  // Your own instance: its ky `fetch` option is the transport.
  'oktaKyHooks on your own instance': (credential, fetch) => ky.create({ baseUrl: `${org.org.url}/`, fetch, hooks: oktaKyHooks({ credential }) })(path),
};

/** The org's API token credential, recording each attempt it is asked to authorize. */
function recording(): { credential: OktaCredential; attempts: RequestAttempt[] } {
  const attempts: RequestAttempt[] = [];
  const ssws = org.ssws(org.org.url);
  return { attempts, credential: { ...ssws, authorize: (attempt) => (attempts.push(attempt), ssws.authorize(attempt)) } };
}

/** A fetch that counts what it sends, then sends it with the global one. */
function counting(): { fetch: typeof globalThis.fetch; sent: string[] } {
  const sent: string[] = [];
  return { sent, fetch: (input, init) => (sent.push(new URL(input instanceof Request ? input.url : String(input)).pathname), fetch(input, init)) };
}

describe.each(Object.entries(drivers))('the attempt through %s', (_, send) => {
  it("carries the client's fetch, the one its call is sent with", async () => {
    const { credential, attempts } = recording();
    const client = counting();
    expect((await send(credential, client.fetch)).status).toBe(200);
    expect(client.sent).toEqual(['/api/v1/users']);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.fetch).toBe(client.fetch);
  });

  it('carries none when the client was given none (the global fetch, looked up when sent)', async () => {
    const { credential, attempts } = recording();
    expect((await send(credential, undefined)).status).toBe(200);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.fetch).toBeUndefined();
  });
});
