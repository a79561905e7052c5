/**
 * Step-up through `startSignIn({ acrValues })` against @org/okta-emulator, which models Okta's predefined
 * `acr_values` (routes/authorize-request.ts): sent as `acr_values`, kept in the transaction, and the ID token's
 * `acr` checked to be one of the values asked. Okta ignores a value it does not support and may choose any one of
 * several (OIDC Core §3.1.2.1: the request is voluntary for the server), so a token without `acr`, or with one
 * not asked for (the authorize URL changed on its way through the browser), is `ID_TOKEN_INVALID`, reason `acr`.
 *
 * @see https://developer.okta.com/docs/guides/step-up-authentication/main/
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import type { StartSignInOptions } from './authorize.js';
import type { SignInClientBase } from './sign-in-options.js';
import { login, password, signInEntries, signInFailure as failure, spaOf, useSignInOrg, transactionKeyOf } from './test-helpers/sign-in-org.js';
import { createMemoryStorage } from './storage.js';

const env = useSignInOrg();

/** A sign-in asking `options`, the authorize URL changed by `edit` on its way (the browser, or whoever holds it). */
async function stepUp(client: SignInClientBase, options: StartSignInOptions, edit: (url: URL) => void = () => {}) {
  const { url, transaction } = await client.startSignIn(options);
  edit(url);
  return { url, transaction, finished: client.finishSignIn(await fillSignInForm(url, login, password), transaction) };
}

describe.each(signInEntries)('startSignIn({ acrValues }) of %s', (_entry, create) => {
  const spa = () => spaOf(env.org, {}, undefined, create);

  it('sends acr_values, keeps them in the transaction, and resolves with the acr met', async () => {
    const { url, transaction, finished } = await stepUp(spa(), { acrValues: 'urn:okta:loa:1fa:pwd' });
    expect(url.searchParams.get('acr_values')).toBe('urn:okta:loa:1fa:pwd');
    expect(transaction.acrValues).toBe('urn:okta:loa:1fa:pwd');
    expect((await finished).claims?.acr).toBe('urn:okta:loa:1fa:pwd');
  });

  it('takes the one value of several that Okta chose', async () => {
    const { finished } = await stepUp(spa(), { acrValues: 'urn:okta:loa:2fa:anny urn:okta:loa:1fa:any' });
    expect((await finished).claims?.acr).toBe('urn:okta:loa:1fa:any');
  });

  it('refuses an ID token without acr (a value Okta does not support is ignored: a typo) with reason acr, quoting none', async () => {
    const { finished } = await stepUp(spa(), { acrValues: 'urn:okta:loa:2fa:anny' });
    const error = await failure(finished);
    expect([error.code, error.reason]).toEqual(['ID_TOKEN_INVALID', 'acr']);
    expect(error.message).toMatch(/^The ID token is invalid: its acr is not one of acr_values: the step-up was not met/);
    expect(error.message).not.toContain('anny');
  });

  it('refuses a lower acr than asked, or none, when the authorize URL was changed on its way', async () => {
    const lower = await stepUp(spa(), { acrValues: 'urn:okta:loa:2fa:any:ifpossible' }, (url) => url.searchParams.set('acr_values', 'urn:okta:loa:1fa:pwd'));
    const error = await failure(lower.finished);
    expect([error.code, error.reason]).toEqual(['ID_TOKEN_INVALID', 'acr']);
    expect(error.message).not.toContain('urn:okta:loa:1fa:pwd');
    const dropped = await stepUp(spa(), { acrValues: 'urn:okta:loa:1fa:pwd' }, (url) => url.searchParams.delete('acr_values'));
    expect((await failure(dropped.finished)).reason).toBe('acr');
  });

  it('finishes a transaction stored by the previous release (no acrValues), found by state, as before', async () => {
    const storage = createMemoryStorage();
    const client = spaOf(env.org, { storage }, undefined, create);
    const { url, transaction } = await client.startSignIn();
    expect('acrValues' in transaction).toBe(false);
    // Its stored JSON is the previous release's shape: nothing to drop.
    const stored = JSON.parse((await storage.get(transactionKeyOf(client.clientId, transaction.state))) ?? 'null') as Record<string, unknown>;
    expect(Object.keys(stored)).not.toContain('acrValues');
    const { claims } = await client.finishSignIn(await fillSignInForm(url, login, password));
    expect(claims?.acr).toBeUndefined();
  });

  it('refuses acrValues that are not a non-empty string, acr_values in extraParams, and acrValues without openid', async () => {
    const client = spa();
    const refusal = "startSignIn: acrValues must be space-separated acr values (Okta's urn:okta:loa:…) with the openid scope (the ID token's acr is checked), or unset.";
    for (const acrValues of ['', ' ', 2, ['urn:okta:loa:1fa:pwd']]) {
      const error = await failure(client.startSignIn({ acrValues } as unknown as StartSignInOptions));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toBe(refusal);
    }
    const viaExtra = await failure(client.startSignIn({ extraParams: { acr_values: 'urn:okta:loa:2fa:any' } }));
    expect(viaExtra.message).toBe('startSignIn: extraParams cannot set "acr_values"; it is set by the client (use the dedicated option where there is one).');
    const noOpenid = await failure(client.startSignIn({ acrValues: 'urn:okta:loa:1fa:pwd', scopes: ['okta.users.read'] }));
    expect([noOpenid.code, noOpenid.message]).toEqual(['INVALID_CONFIG', refusal]);
    expect(isOktaOAuthError(noOpenid)).toBe(true);
  });

  it('refuses a transaction whose acrValues is no string (INVALID_TRANSACTION), sending nothing', async () => {
    const client = spa();
    const { url, transaction } = await client.startSignIn({ acrValues: 'urn:okta:loa:1fa:pwd' });
    const callback = await fillSignInForm(url, login, password);
    const error = await failure(client.finishSignIn(callback, { ...transaction, acrValues: 1 } as unknown as typeof transaction));
    expect(error.code).toBe('INVALID_TRANSACTION');
  });
});
