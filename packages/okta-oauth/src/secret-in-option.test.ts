/**
 * A secret pasted into an option that is not secret (session 29 review). `scopes` quoted up to
 * 60 characters of a refused entry, so an API token or client secret pasted into it (in quotes,
 * as it is often copied) was shown in the error; a `keyId` holding a PEM or a long secret was
 * accepted, then named in the token errors' hints and sent as the client assertion's JWS `kid`.
 * Now a refused scope entry that looks like a token (a run of 32 or more token characters) is
 * described, not quoted, and a `keyId` (or a signer's `kid`) must be a key id: printable ASCII
 * without whitespace, at most 128 characters (RFC 7517 §4.5 leaves its form open; Okta's are
 * 20-character ids or 43-character thumbprints).
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { importPrivateKey } from './client-auth/import-private-key.js';
import { privateKeyJwt } from './client-auth/private-key-jwt.js';
import { createOinAppCredential } from './oin-app.js';
import { createServiceAppCredential } from './service-app.js';
import { testKey } from './test-helpers/keys.js';

const apiToken = '00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_AbC';
const clientSecret = 'Zx9_yW8-vU7tS6rQ5pO4nM3lK2jI1hG0fE9dC8bA7zY6xW5v';
const org = { orgUrl: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5' };

/** The typed refusal of `run`, checked to carry none of `secrets` (nor a cut of one). */
async function refusedWithout(run: () => unknown, secrets: readonly string[]): Promise<{ code: string; message: string }> {
  const error = await failure(run, isOktaAuthError);
  const shown = `${error.message} ${JSON.stringify(error)} ${String(error.cause)}`;
  for (const secret of secrets) expect(shown).not.toContain(secret.slice(4, 24));
  return { code: error.code, message: error.message };
}

describe('a token or secret pasted into scopes', () => {
  it.each([
    ['an API token in double quotes', `"${apiToken}"`],
    ['a client secret in double quotes, beside a scope', `okta.users.read,"${clientSecret}"`],
    ['a client secret after a backslash', [`\\${clientSecret}`]],
    ['an API token with a space, in an array', [`SSWS ${apiToken}`]],
  ])('is described, never quoted: %s', async (_name, scopes) => {
    for (const create of [() => createServiceAppCredential({ ...org, privateKey: testKey('p256').pem, scopes }), () => createOinAppCredential({ ...org, clientSecret: 'x', scopes })]) {
      const { code, message } = await refusedWithout(create, [apiToken, clientSecret]);
      expect(code).toBe('INVALID_CONFIG');
      expect(message).toMatch(/^scopes has an invalid entry, not shown \(\d+ characters, like a token or secret\): scopes are single words such as "okta\.users\.read"\.$/);
    }
  });

  it('still quotes an entry that looks like a scope (a typo is worth showing)', async () => {
    const { message } = await refusedWithout(() => createOinAppCredential({ ...org, clientSecret: 'x', scopes: ['okta.users.read okta.groups.read'] }), []);
    expect(message).toBe(
      'scopes has an entry holding several scopes, "okta.users.read okta.groups.read": give one scope per array entry, such as ["okta.users.read", "okta.groups.read"], or the whole list as one string separated by spaces.',
    );
  });
});

describe('a keyId that is not a key id', () => {
  const pem = testKey('p256').pem;
  const bad: readonly (readonly [string, string])[] = [
    ['a PEM', pem],
    ['a secret with a space', `SSWS ${apiToken}`],
    ['a secret of 129 characters', `${clientSecret}${clientSecret}${clientSecret}`.slice(0, 129)],
    ['a control character', 'key-2026\u001b[2J'],
  ];

  it.each(bad)('is refused by createServiceAppCredential, not shown: %s', async (_name, keyId) => {
    const { code, message } = await refusedWithout(() => createServiceAppCredential({ ...org, privateKey: pem, keyId, scopes: ['okta.users.read'] }), [keyId, apiToken, clientSecret]);
    expect(code).toBe('INVALID_CONFIG');
    expect(message).toBe("keyId is not a key id: give the kid of the app's public key in Okta (printable ASCII without spaces, at most 128 characters).");
  });

  it.each(bad)('is refused by privateKeyJwt (a key, a signer) and importPrivateKey, not shown: %s', async (_name, keyId) => {
    const sign = () => Promise.resolve(new Uint8Array(64));
    for (const run of [() => privateKeyJwt(pem, { keyId }), () => privateKeyJwt({ alg: 'ES256', kid: keyId, sign }), () => importPrivateKey(pem, { keyId })]) {
      const { code, message } = await refusedWithout(run, [keyId, apiToken, clientSecret]);
      expect(code).toBe('INVALID_CONFIG');
      expect(message).toMatch(/^(keyId|The client assertion signer's kid) is not a key id: give the kid of the app's public key in Okta \(printable ASCII without spaces, at most 128 characters\)\.$/);
    }
  });

  it("accepts Okta's key ids: a 20-character id, a 43-character thumbprint, one of 128 characters", async () => {
    for (const keyId of ['akmio72mri0JkowgQ0g3', 'sd0bh0NMbPDaqTdxqe6RZFKu-1pbaSaWt0Vck6EJ8Xw', 'k'.repeat(128)]) {
      expect(createServiceAppCredential({ ...org, privateKey: pem, keyId, scopes: ['okta.users.read'] }).kind).toBe('service-app');
      expect((await importPrivateKey(pem, { keyId })).keyId).toBe(keyId);
    }
  });
});
