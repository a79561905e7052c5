/**
 * Two service-app credentials of one app on one `tokenStore` with one `dpopKeyPair` (a fleet's
 * shared key, `loadSharedDpopKeyPair`) have one token cache key; one with `dpop: 'required'`, the
 * other `'auto'`. A cache joins the token request under way for its key in the process (the
 * single flight): a `required` credential joining an `auto` one's was handed the Bearer token
 * Okta answered (a silent downgrade, which `required` promises never happens), and an `auto`
 * credential joining a `required` one's got that credential's `DPOP_NOT_BOUND`. Over real HTTP
 * against @org/okta-emulator, whose app does not require DPoP (so it answers Bearer); both calls
 * start in one tick once each cache is ready, so the second meets the first's flight under way.
 */
import type { AuthorizationHeaders, OktaCredential, RequestAttempt } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { generateDpopKeyPair } from '../dpop/dpop-key-pair.js';
import { isOktaOAuthError } from '../errors.js';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import { recordingFetch } from '../test-helpers/wire.js';
import { createMemoryTokenStore } from '../token-cache/token-store.js';

useEmulators();

/** What a caller gets: the `Authorization` scheme, or the error's code. */
const outcome = (headers: Promise<AuthorizationHeaders>): Promise<string> =>
  headers.then(
    (sent) => sent.authorization.split(' ')[0] ?? 'none',
    (error: unknown) => (isOktaOAuthError(error) ? error.code : `not ours: ${String(error)}`),
  );

async function twoModes() {
  const org = await emulator({ seed: { users: 1 } });
  const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read'] });
  const wire = recordingFetch();
  const shared = {
    orgUrl: org.url,
    clientId: app.clientId,
    privateKey: app.privateKeyPem,
    keyId: app.keyId,
    scopes: ['okta.users.read'],
    tokenStore: createMemoryTokenStore(),
    dpopKeyPair: await generateDpopKeyPair('ES256'),
    allowInsecureLoopback: true,
    fetch: wire.fetch,
  };
  const auto = createServiceAppCredential({ ...shared, dpop: 'auto' });
  const required = createServiceAppCredential({ ...shared, dpop: 'required' });
  const attempt = (): RequestAttempt => ({ method: 'GET', url: new URL('/api/v1/users', org.url) });
  // Each cache made ready (its key needs the DPoP key's thumbprint): `required` refused Okta's Bearer answer, `auto` took it.
  expect(await outcome(required.authorize(attempt()))).toBe('DPOP_NOT_BOUND');
  const first = await auto.authorize(attempt());
  expect(first.authorization).toMatch(/^Bearer /);
  // Okta refuses it (401 invalid_token): the next call of either credential asks for a new token.
  const refused = new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
  expect(await auto.challenge?.({ attempt: attempt(), request: new Request(attempt().url, { headers: first }), response: refused, errorCode: undefined })).toBe(true);
  return { wire, auto, required, attempt };
}

/** The two calls in one tick, `leader` first: its flight is under way when the other's cache looks for one. */
function together(leader: OktaCredential, follower: OktaCredential, attempt: () => RequestAttempt): Promise<[string, string]> {
  const led = outcome(leader.authorize(attempt()));
  const followed = outcome(follower.authorize(attempt()));
  return Promise.all([led, followed]);
}

describe("a 'required' and an 'auto' credential with one token cache key", () => {
  it("'required' never takes the Bearer token of an 'auto' credential's token request under way: its own request, DPOP_NOT_BOUND", async () => {
    const { wire, auto, required, attempt } = await twoModes();
    expect(await together(auto, required, attempt)).toEqual(['Bearer', 'DPOP_NOT_BOUND']);
    expect(wire.tokenRequests()).toHaveLength(4);
  });

  it("'auto' never gets the DPOP_NOT_BOUND of a 'required' credential's token request under way: its own request, a Bearer token", async () => {
    const { wire, auto, required, attempt } = await twoModes();
    expect(await together(required, auto, attempt)).toEqual(['DPOP_NOT_BOUND', 'Bearer']);
    expect(wire.tokenRequests()).toHaveLength(4);
  });
});
