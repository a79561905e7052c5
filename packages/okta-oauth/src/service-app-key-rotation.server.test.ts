/**
 * A service app's key rotated under a running process, as the README's "Rotating the app's key without
 * losing a call" says: a second key added, the process switched through a credential of its own that
 * hands each attempt to the current one, the old key deactivated. Nothing fails; what is still on the
 * old key gets `invalid_client` naming what to fix, and never shows a key.
 */
import { inspect } from 'node:util';
import { createOktaFetch, paginate, type OktaCredential, type OktaLogEvent } from '@org/okta-auth-core';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from './errors.js';
import { createServiceAppCredential } from './service-app.js';
import { emulator, useEmulators } from './test-helpers/org.js';

useEmulators();

const scopes = ['okta.users.read'];

/** What a key may show of itself anywhere: a PEM body line, a JWK's `d`. */
function keyParts(pem: string, jwk: object): string[] {
  return [pem.split('\n')[1] ?? '', String((jwk as { d?: string }).d)].map((part) => part.slice(0, 24));
}

async function refusal(promise: Promise<unknown>) {
  const error: unknown = await promise.then(() => undefined, (reason: unknown) => reason);
  if (!isOktaOAuthError(error)) throw new Error(`expected an OktaOAuthError, got ${String(error)}`);
  return error;
}

describe("a service app's key rotated while requests keep flowing", () => {
  it('switches a running client, a listing under way included, with no failed call; the old key then gets invalid_client naming its kid', async () => {
    const org = await emulator({ seed: { users: 19 } }); // and the org's seeded super admin
    const app = org.createServiceApp({ scopes });
    const base = { orgUrl: org.url, clientId: app.clientId, scopes, allowInsecureLoopback: true };
    const events: OktaLogEvent[] = [];
    const old = createServiceAppCredential({ ...base, privateKey: app.privateKeyPem, keyId: app.keyId });
    let current: OktaCredential = old;
    // The README's credential of your own: each attempt (each page, each retry) takes the current key's credential.
    const credential: OktaCredential = {
      kind: current.kind,
      origin: current.origin,
      authorize: (attempt) => current.authorize(attempt),
      challenge: (state) => current.challenge?.(state) ?? Promise.resolve(false),
      explain: (state) => current.explain?.(state),
    };
    const okta = createOktaFetch({ credential, logger: (event) => events.push(event) });
    const calls = Array.from({ length: 10 }, () => okta('/api/v1/users?limit=1').then((response) => response.status));
    let added: ReturnType<typeof org.addAppKey> | undefined;
    let listed = 0;
    for await (const user of paginate<{ id: string }>(okta, '/api/v1/users?limit=4')) {
      expect(user.id).toEqual(expect.any(String));
      if (++listed !== 5) continue;
      // Steps 1 to 3: a second key, the process on it (a private JWK: its kid is the keyId), the old one deactivated.
      added = org.addAppKey(app.clientId);
      current = createServiceAppCredential({ ...base, privateKey: added.privateJwk });
      expect(await Promise.all(calls)).toEqual(calls.map(() => 200));
      org.deactivateAppKey(app.clientId, app.keyId);
    }
    expect(listed).toBe(20); // every user, pages before and after the switch
    // The old credential keeps its cached token until it expires, then is refused with what to fix;
    // the running client renews with the new key.
    const stale = createOktaFetch({ credential: old, logger: (event) => events.push(event) });
    expect((await stale('/api/v1/users?limit=1')).status).toBe(200);
    org.setClockOffset(3600);
    expect((await okta('/api/v1/users?limit=1')).status).toBe(200);
    const error = await refusal(stale('/api/v1/users?limit=1'));
    expect([error.code, error.error]).toEqual(['TOKEN_REQUEST_FAILED', 'invalid_client']);
    expect(error.message).toContain(`the app's public key with kid "${app.keyId}" is registered and active in Okta`);
    const shown = [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(events), inspect(credential), JSON.stringify(credential)].join('\n');
    for (const part of [...keyParts(app.privateKeyPem, app.privateJwk), ...keyParts(added?.privateKeyPem ?? '', added?.privateJwk ?? {})]) expect(shown).not.toContain(part);
  });

  // The README's step 0: a credential with no keyId (a PEM, the app's one key) keeps working until the app has two.
  it('a PEM credential with no keyId keeps its cached token once a second key is added, then is told to set keyId', async () => {
    const org = await emulator();
    const app = org.createServiceApp({ scopes });
    const okta = createOktaFetch({ credential: createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, scopes, allowInsecureLoopback: true, privateKey: app.privateKeyPem }) });
    expect((await okta('/api/v1/users?limit=1')).status).toBe(200);
    org.addAppKey(app.clientId);
    expect((await okta('/api/v1/users?limit=1')).status).toBe(200);
    org.setClockOffset(3600);
    const error = await refusal(okta('/api/v1/users?limit=1'));
    expect([error.code, error.error]).toEqual(['TOKEN_REQUEST_FAILED', 'invalid_client']);
    expect(error.message).toContain('The app has more than one key: set keyId (OKTA_CLIENT_KEYID)');
  });

  // A rotation's likeliest slip: the new key rolled out with the old OKTA_CLIENT_KEYID, or the reverse: refused at
  // once, the kid named, no key shown.
  it.each([
    ['the new key with the old kid', 'new', 'old'],
    ['the old key with the new kid', 'old', 'new'],
  ] as const)('%s: invalid_client at once, naming the kid sent, showing no key', async (_what, keyOf, kidOf) => {
    const org = await emulator();
    const app = org.createServiceApp({ scopes });
    const added = org.addAppKey(app.clientId);
    const pick = { old: app, new: added };
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, scopes, allowInsecureLoopback: true, privateKey: pick[keyOf].privateKeyPem, keyId: pick[kidOf].keyId });
    const error = await refusal(createOktaFetch({ credential })('/api/v1/users?limit=1'));
    expect([error.code, error.error]).toEqual(['TOKEN_REQUEST_FAILED', 'invalid_client']);
    // Okta has that kid, active: its answer ("The client_assertion signature is invalid.") says the private key is not that kid's.
    expect(error.message).toContain(`The private key does not match the app's public key with kid "${pick[kidOf].keyId}" in Okta (another app's key, or a rotated one).`);
    expect(error.message).not.toContain('is registered and active');
    for (const part of [...keyParts(app.privateKeyPem, app.privateJwk), ...keyParts(added.privateKeyPem, added.privateJwk)]) expect(error.message + JSON.stringify(error)).not.toContain(part);
  });
});
