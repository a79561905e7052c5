/**
 * A sign-in's redirect URI may carry a query of its own (an app telling its orgs apart by
 * `?org=`), but not one of the authorization response's parameters (`code`, `state`, `iss`,
 * `error`, `error_description`, `error_uri`): Okta's answer adds its own after the URI's, so every
 * callback would read as repeating a parameter (refused as tampered with) or as an error. Refused
 * where the URI is given (the client, `startSignIn`, the environment), `INVALID_CONFIG` naming the
 * option and the parameter; a post-logout redirect URI is not a callback and is not checked.
 */
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { refusal } from '../test-helpers/refusal.js';
import { createSignInClient } from './sign-in-client.js';
import { signInClientFromEnv } from './sign-in-env.js';

const base = { orgUrl: 'https://acme.okta.com', clientId: '0oa1bcd2efGHIJ3kl4m5', scopes: 'openid' };
const refusedAs = (name: string, parameter: string) => `INVALID_CONFIG: ${name} has a query parameter "${parameter}", which Okta's answer to the sign-in sets (RFC 6749 §4.1.2): name yours otherwise.`;

describe("a redirect URI's own query", () => {
  it.each(['code', 'state', 'iss', 'error', 'error_description', 'error_uri'])('refuses a redirectUri with its own %s', (parameter) => {
    const redirectUri = `https://app.example.com/callback?org=acme&${parameter}=x`;
    expect(refusal(() => createSignInClient({ ...base, redirectUri }))).toBe(refusedAs('redirectUri', parameter));
    expect(refusal(() => signInClientFromEnv({ OKTA_CLIENT_ORGURL: base.orgUrl, OKTA_CLIENT_CLIENTID: base.clientId, OKTA_CLIENT_SCOPES: 'openid', OKTA_CLIENT_REDIRECTURI: redirectUri }))).toContain(refusedAs('redirectUri', parameter).slice('INVALID_CONFIG: '.length));
  });

  it('refuses one given to startSignIn before anything is sent', async () => {
    const client = createSignInClient({ ...base, redirectUri: 'https://app.example.com/callback' });
    const error = await client.startSignIn({ redirectUri: 'https://app.example.com/callback?state=1' }).then(() => undefined, (reason: unknown) => reason);
    expect(isOktaOAuthError(error) && `${error.code}: ${error.message}`).toBe(refusedAs('startSignIn: redirectUri', 'state'));
  });

  it('takes a query of other names, and a post-logout redirect URI with any query', () => {
    expect(refusal(() => createSignInClient({ ...base, redirectUri: 'https://app.example.com/callback?org=acme&codes=1' }))).toBe('accepted');
    expect(refusal(() => createSignInClient({ ...base, redirectUri: 'https://app.example.com/callback', postLogoutRedirectUri: 'https://app.example.com/?state=out' }))).toBe('accepted');
  });
});
