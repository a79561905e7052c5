// @org/okta-oauth against the emulator: a service app with private_key_jwt
// and DPoP (EC key as a JWK, RSA key as PKCS#8 PEM: both through WebCrypto),
// and a user credential that refreshes an expired access token with its
// (rotating) refresh token.
import { createOktaFetch, isOktaAuthError, paginate, paginatePages } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { UserTokens, createMultiOrgCredentials, createOinAppCredential, createServiceAppCredential, createSignInClient, isOktaOAuthError } from '@org/okta-oauth';
import * as serviceAppEntry from '@org/okta-oauth/service-app';
import * as signInEntry from '@org/okta-oauth/sign-in';
import { jwksIdTokenVerifier } from '@org/okta-oauth/id-token-jwks';
import { equal, errorTexts, match, notContains, ok, rejects } from '../assert.js';

/** The token request counters of the org at `orgUrl` (the fixture's, or an OIN tenant's). */
async function tokenCounters({ orgUrl }) {
  const response = await fetch(`${orgUrl}/__emulator/counters`);
  ok(response.ok, `emulator counters: ${response.status}`);
  return (await response.json()).tokenRequests;
}

function successes(counters, grant) {
  return counters[grant]?.success ?? 0;
}

/** The EC service app's options: its JWK private key, DPoP required. */
function ecServiceAppOptions(fixture) {
  const { ec, scopes } = fixture.oauth.serviceApp;
  return { orgUrl: fixture.orgUrl, clientId: ec.clientId, privateKey: ec.privateJwk, keyId: ec.keyId, scopes, dpop: 'required', allowInsecureLoopback: true };
}

export const oauthCases = [
  {
    name: 'oauth: a service app (EC JWK) gets a DPoP-bound token and lists every user across pages',
    async run(fixture) {
      const { ec } = fixture.oauth.serviceApp;
      const before = await tokenCounters(fixture);
      const credential = createServiceAppCredential(ecServiceAppOptions(fixture));
      const okta = createOktaFetch({ credential });
      const logins = new Set();
      let pages = 0;
      for await (const page of paginatePages(okta, '/api/v1/users?limit=10')) {
        pages++;
        for (const user of page.items) logins.add(user.profile.login);
      }
      equal(logins.size, fixture.userCount, 'distinct users');
      equal(pages, Math.ceil(fixture.userCount / 10), 'pages');
      const headers = await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', fixture.orgUrl) });
      match(headers.authorization, /^DPoP \S+$/, 'authorization scheme');
      ok(typeof headers.dpop === 'string' && headers.dpop.split('.').length === 3, 'a DPoP proof (a JWS) per request');
      const after = await tokenCounters(fixture);
      equal(successes(after, 'client_credentials') - successes(before, 'client_credentials'), 1, 'token requests (one token, cached across pages)');
      notContains([JSON.stringify(credential), String(credential)], headers.authorization.slice(5), 'the credential shows its access token');
      notContains([JSON.stringify(credential)], ec.privateJwk.d, 'the credential shows its private key');
    },
  },
  {
    name: 'oauth: a service app (RSA PKCS#8 PEM) with DPoP works through createOktaKy',
    async run(fixture) {
      const { rsa, scopes } = fixture.oauth.serviceApp;
      const credential = createServiceAppCredential({
        orgUrl: fixture.orgUrl,
        clientId: rsa.clientId,
        privateKey: rsa.privateKeyPem,
        keyId: rsa.keyId,
        scopes: scopes.join(' '),
        dpop: 'required',
        allowInsecureLoopback: true,
      });
      const api = createOktaKy({ credential });
      let count = 0;
      for await (const user of paginate((url, init) => api.get(url.replace(/^\//, ''), init), '/api/v1/users?limit=25')) {
        ok(typeof user.id === 'string', 'user id');
        count++;
      }
      equal(count, fixture.userCount, 'users');
    },
  },
  {
    name: 'oauth: a service app whose key Okta does not know fails with a typed error, without secrets',
    async run(fixture) {
      const { ec, rsa, scopes } = fixture.oauth.serviceApp;
      // The RSA app's client id with the EC app's key: the client assertion does not verify.
      const credential = createServiceAppCredential({
        orgUrl: fixture.orgUrl,
        clientId: rsa.clientId,
        privateKey: ec.privateJwk,
        keyId: ec.keyId,
        scopes,
        dpop: 'required',
        allowInsecureLoopback: true,
      });
      const error = await rejects(createOktaFetch({ credential })('/api/v1/users?limit=1'), 'a wrong key was accepted');
      ok(isOktaAuthError(error), `isOktaAuthError, got ${String(error)}`);
      ok(isOktaOAuthError(error), `isOktaOAuthError, got ${error.name} ${error.code}`);
      notContains(errorTexts(error), ec.privateJwk.d, 'the private key leaked into the error');
    },
  },
  {
    name: 'oauth: the /service-app entry point (client key through importPrivateKey, also as privateKeyJwt(CryptoKey); a JWK refused), with a DPoP key pair generated extractable, exported as a JWK and imported again',
    async run(fixture) {
      const { ec } = fixture.oauth.serviceApp;
      const refused = (() => {
        try {
          serviceAppEntry.createServiceAppCredential(ecServiceAppOptions(fixture));
        } catch (error) {
          return error;
        }
      })();
      ok(serviceAppEntry.isOktaOAuthError(refused) && refused.code === 'INVALID_CONFIG' && /importPrivateKey/.test(refused.message), `a JWK is INVALID_CONFIG naming importPrivateKey, got ${String(refused)}`);
      notContains(errorTexts(refused), ec.privateJwk.d, 'the private key leaked into the error');
      const imported = await serviceAppEntry.importPrivateKey(ec.privateJwk, { keyId: ec.keyId });
      equal(imported.privateKey.extractable, false, 'importPrivateKey gives a non-extractable key');
      const generated = await serviceAppEntry.generateDpopKeyPair('ES256', { extractable: true });
      const dpopKeyPair = await serviceAppEntry.importDpopKeyPair(await crypto.subtle.exportKey('jwk', generated.privateKey), 'ES256');
      equal(dpopKeyPair.privateKey.extractable, false, 'the imported private key is non-extractable');
      const credential = serviceAppEntry.createServiceAppCredential({ ...ecServiceAppOptions(fixture), ...imported, dpopKeyPair });
      equal((await createOktaFetch({ credential })('/api/v1/users?limit=1')).status, 200, 'a DPoP call with the imported key pair');
      // /service-app's privateKeyJwt takes the CryptoKey too (its algorithm read from key.algorithm).
      const { privateKey, ...keyOptions } = imported;
      const viaClientAuth = serviceAppEntry.createServiceAppCredential({ ...ecServiceAppOptions(fixture), privateKey: undefined, keyId: undefined, clientAuth: serviceAppEntry.privateKeyJwt(privateKey, keyOptions) });
      equal((await createOktaFetch({ credential: viaClientAuth })('/api/v1/users?limit=1')).status, 200, 'a call with privateKeyJwt(CryptoKey) from /service-app');
      const error = await rejects(serviceAppEntry.importDpopKeyPair(ec.privateJwk, 'ES384'), 'a P-256 JWK was imported for ES384');
      ok(serviceAppEntry.isOktaOAuthError(error) && error.code === 'INVALID_CONFIG', `INVALID_CONFIG, got ${String(error)}`);
      notContains(errorTexts(error), ec.privateJwk.d, 'the private key leaked into the error');
    },
  },
  {
    name: 'oauth: an OIN integration in two orgs: createMultiOrgCredentials holds one createOinAppCredential per org, each with its own token; delete() stops a held one',
    async run(fixture) {
      const { oin } = fixture.oauth;
      const before = await Promise.all(oin.map(tokenCounters));
      const orgs = createMultiOrgCredentials({
        create: (orgUrl, tenant) => createOinAppCredential({ orgUrl, clientId: tenant.clientId, clientSecret: tenant.clientSecret, scopes: ['okta.users.read'], allowInsecureLoopback: true }),
      });
      const credentialOf = (tenant) => orgs.get(tenant.orgUrl, { clientId: tenant.clientId, clientSecret: tenant.clientSecret });
      for (const tenant of [...oin, ...oin]) {
        const users = await (await createOktaFetch({ credential: credentialOf(tenant) })('/api/v1/users?limit=2')).json();
        equal(users.length, 2, `users of ${tenant.orgUrl}`);
      }
      equal(orgs.size, 2, 'orgs held');
      const after = await Promise.all(oin.map(tokenCounters));
      oin.forEach((tenant, i) => equal(successes(after[i], 'client_credentials') - successes(before[i], 'client_credentials'), 1, `token requests of ${tenant.orgUrl} (one token, cached)`));
      // One org's credential is never handed to the other's URL.
      const first = credentialOf(oin[0]);
      const mismatch = await rejects(first.authorize({ method: 'GET', url: new URL('/api/v1/users', oin[1].orgUrl) }), "org A's credential authorized a call to org B");
      ok(isOktaAuthError(mismatch) && mismatch.code === 'ORIGIN_MISMATCH', `ORIGIN_MISMATCH, got ${String(mismatch)}`);
      // The customer uninstalled: delete() makes every credential handed out for the org refuse, sending nothing.
      const held = credentialOf(oin[1]);
      ok(orgs.delete(oin[1].orgUrl), 'delete() of a held org');
      const removed = await rejects(createOktaFetch({ credential: held })('/api/v1/users?limit=1'), 'a deleted org\'s credential was used');
      ok(isOktaAuthError(removed) && removed.code === 'INVALID_CONFIG', `INVALID_CONFIG, got ${String(removed)}`);
      equal(orgs.size, 1, 'orgs held after delete()');
      for (const tenant of oin) notContains([JSON.stringify(first), String(first), JSON.stringify(held), String(held), ...errorTexts(mismatch), ...errorTexts(removed)], tenant.clientSecret, 'an OIN secret is shown');
    },
  },
  {
    name: 'oauth: a user credential refreshes its expired access token, rotating the refresh token',
    async run(fixture) {
      const { clientId, scopes, stored } = fixture.oauth.user;
      const before = await tokenCounters(fixture);
      const client = createSignInClient({ orgUrl: fixture.orgUrl, clientId, scopes, allowInsecureLoopback: true });
      const saved = [];
      const tokens = UserTokens.fromStorable(stored);
      ok(tokens.isExpired(), 'the handed-over access token is expired');
      const credential = client.credential(tokens, { onTokens: (t) => { saved.push(t); } });
      const okta = createOktaFetch({ credential });
      const users = await (await okta('/api/v1/users?limit=5')).json();
      equal(users.length, 5, 'users on the first page');
      const after = await tokenCounters(fixture);
      equal(successes(after, 'refresh_token') - successes(before, 'refresh_token'), 1, 'refresh token grants');
      equal(saved.length, 1, 'onTokens calls');
      const renewed = saved[0];
      ok(renewed instanceof UserTokens, 'onTokens got UserTokens');
      ok(!renewed.isExpired(), 'the new access token is fresh');
      ok(renewed.accessToken.reveal() !== stored.accessToken, 'a new access token');
      ok(renewed.refreshToken !== undefined && renewed.refreshToken.reveal() !== stored.refreshToken, 'a rotated refresh token');
      // A second request uses the new token without another refresh.
      equal((await okta('/api/v1/users?limit=1')).status, 200, 'second request');
      equal(successes(await tokenCounters(fixture), 'refresh_token') - successes(before, 'refresh_token'), 1, 'refresh token grants after a second request');
      const shown = [JSON.stringify(credential), String(credential), JSON.stringify(renewed), String(renewed)];
      notContains(shown, renewed.refreshToken.reveal(), 'the refresh token is shown');
      notContains(shown, renewed.accessToken.reveal(), 'the access token is shown');
    },
  },
  {
    name: 'oauth: the /sign-in entry point refreshes expired user tokens, checking the new ID token (claims without jose, signature with jwksIdTokenVerifier)',
    async run(fixture) {
      const { clientId, scopes, stored } = fixture.oauth.signInUser;
      ok(signInEntry.createSignInClient !== createSignInClient, 'the /sign-in entry has its own createSignInClient');
      const client = signInEntry.createSignInClient({ orgUrl: fixture.orgUrl, clientId, scopes, allowInsecureLoopback: true, idTokenVerifier: jwksIdTokenVerifier });
      const saved = [];
      const credential = client.credential(signInEntry.UserTokens.fromStorable(stored), { onTokens: (t) => { saved.push(t); } });
      equal((await createOktaFetch({ credential })('/api/v1/users?limit=1')).status, 200, 'a call after the refresh');
      equal(saved.length, 1, 'onTokens calls');
      ok(typeof credential.claims?.sub === 'string' && credential.claims.aud === clientId, 'the refreshed ID token was validated');
      // Without a verifier the same client runs; what it leaves out is refused with a typed error.
      const lean = signInEntry.createSignInClient({ orgUrl: fixture.orgUrl, clientId, scopes, allowInsecureLoopback: true });
      const error = await rejects(lean.startDeviceSignIn(), 'device sign-in from the /sign-in entry');
      ok(signInEntry.isOktaOAuthError(error) && error.code === 'INVALID_CONFIG', `INVALID_CONFIG, got ${String(error)}`);
    },
  },
  {
    name: 'oauth: a refresh token Okta does not know is refused with a typed error that keeps it secret',
    async run(fixture) {
      const { clientId, scopes, stored } = fixture.oauth.user;
      const client = createSignInClient({ orgUrl: fixture.orgUrl, clientId, scopes, allowInsecureLoopback: true });
      const unknown = { ...stored, accessToken: `${stored.accessToken}x`, refreshToken: 'unknown-refresh-token-0123456789abcdefghij' };
      const dropped = [];
      const credential = client.credential(UserTokens.fromStorable(unknown), { onTokens: (t) => { dropped.push(t); } });
      const error = await rejects(createOktaFetch({ credential })('/api/v1/users?limit=1'), 'an unknown refresh token was accepted');
      ok(isOktaAuthError(error), `isOktaAuthError, got ${String(error)}`);
      equal(dropped.at(-1), null, 'onTokens(null): the tokens were dropped');
      equal(credential.tokens, undefined, 'credential.tokens after the refusal');
      notContains(errorTexts(error), unknown.refreshToken, 'the refresh token leaked into the error');
      notContains(errorTexts(error), unknown.accessToken, 'the access token leaked into the error');
    },
  },
];
