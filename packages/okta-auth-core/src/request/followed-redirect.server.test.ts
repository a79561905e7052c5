/**
 * A `fetch` of yours that follows redirects whatever the request says (a wrapper that passes only
 * the URL and headers, a fetch library that ignores `redirect: 'manual'`): the answer is another
 * location's, and some fetch libraries send the `Authorization` header on to it. The client takes
 * no such answer as Okta's: `response.redirected` is `REDIRECT_BLOCKED`, as a redirect answer is,
 * through every driver, naming the other origin only as "another origin".
 */
import { failure, json } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { useTwoOrigins } from '../test-helpers/two-origins.js';

const origins = useTwoOrigins();

/** A fetch that follows every redirect, as a careless wrapper does. */
const following: typeof fetch = (input, init) =>
  globalThis.fetch(input instanceof Request ? new Request(input, { redirect: 'follow' }) : input, { ...init, redirect: 'follow' });

describe.each(Object.keys(drivers))('an answer your fetch reached through a redirect, through %s', (name) => {
  const driver = drivers[name]!;

  it.each([302, 307])('a %i to another origin is REDIRECT_BLOCKED, not the other origin\'s answer', async (status) => {
    origins.okta.handle((_req, res) => {
      res.writeHead(status, { location: `${origins.elsewhere.origin}/steal` });
      res.end();
    });
    const error = await failure(driver({ credential: countingCredential(origins.okta.origin), retry: false, fetch: following }).getJson('/api/v1/users'), isOktaAuthError);
    expect([error.code, error.message]).toEqual(['REDIRECT_BLOCKED', 'Okta answered /api/v1/users with a redirect to another origin; credentials are never sent on a redirect. Your fetch followed it: keep its redirect: "manual".']);
    // The runtime's fetch drops the Authorization header on a redirect to another origin; the redirect was followed.
    expect(origins.elsewhere.requests).toHaveLength(1);
  });

  it('a redirect on the org is refused too, naming its path', async () => {
    origins.okta.handle((req, res) => {
      if (req.path === '/moved') return json(res, 200, [{ id: 'moved' }]);
      res.writeHead(301, { location: '/moved' });
      res.end();
    });
    const error = await failure(driver({ credential: countingCredential(origins.okta.origin), retry: false, fetch: following }).getJson('/api/v1/users'), isOktaAuthError);
    expect([error.code, error.message]).toEqual(['REDIRECT_BLOCKED', expect.stringMatching(/^Okta answered \/api\/v1\/users with a redirect to \/moved; /)]);
  });

  /** A browser's opaque redirect, as far as Node lets one be made: its clone (ky's hooks read one) is one too. */
  const opaqueRedirect = (): Response => Object.defineProperties(Response.error(), { type: { value: 'opaqueredirect' }, clone: { value: opaqueRedirect } });

  // A browser's fetch answers `redirect: 'manual'` with an opaque redirect: status 0, no headers. It is a
  // redirect, not the status-0 answer (`API_ERROR`) a `mode: 'no-cors'` call gets. Node's fetch never makes
  // one: this fetch does, as a browser's would.
  it("a browser's opaque redirect (status 0) is REDIRECT_BLOCKED, not an API_ERROR of status 0", async () => {
    origins.okta.handle((_req, res) => json(res, 200, []));
    const opaque: typeof fetch = async (input, init) => {
      await (await globalThis.fetch(input, init)).body?.cancel();
      return opaqueRedirect();
    };
    const error = await failure(driver({ credential: countingCredential(origins.okta.origin), retry: false, fetch: opaque }).getJson('/api/v1/users'), isOktaAuthError);
    expect([error.code, error.message]).toEqual(['REDIRECT_BLOCKED', 'Okta answered /api/v1/users with a redirect to another location; credentials are never sent on a redirect. Call the final URL directly.']);
  });
});
