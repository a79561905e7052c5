// A consumer of the published packages: every entry point, resolved to dist/*.d.ts
// (no source condition), compiled with skipLibCheck off and no Node types.
import * as core from '@org/okta-auth-core';
import * as coreKy from '@org/okta-auth-core/ky';
import * as oauth from '@org/okta-oauth';
import * as ssws from '@org/okta-ssws';

export const entryPoints = [core, coreKy, oauth, ssws] as const;

export const credential: core.OktaCredential = ssws.createSswsCredential({ orgUrl: 'https://acme.okta.com', token: 'x' });
export const serviceApp: core.OktaCredential = oauth.createServiceAppCredential({
  orgUrl: 'https://acme.okta.com',
  clientId: '0oa1',
  privateKey: '-----BEGIN PRIVATE KEY-----',
  scopes: ['okta.users.read'],
});
export const signIn: oauth.SignInClient = oauth.createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa2', redirectUri: 'https://app.example/callback', scopes: ['openid'] });
