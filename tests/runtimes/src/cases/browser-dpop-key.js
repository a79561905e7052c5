// @org/okta-oauth's loadBrowserDpopKeyPair / deleteBrowserDpopKeyPair on every runtime: in a
// browser, a non-extractable DPoP key pair kept in the origin's IndexedDB (the same key on a second
// load, read back from the store; a DPoP-bound token got and used with it; after delete, another
// key); where the runtime has no IndexedDB, INVALID_CONFIG naming importDpopKeyPair.
import { createOktaFetch } from '@org/okta-auth-core';
import { createServiceAppCredential, deleteBrowserDpopKeyPair, isOktaOAuthError, loadBrowserDpopKeyPair } from '@org/okta-oauth';
import { equal, match, ok, rejects } from '../assert.js';

/**
 * What each runtime has (`engine` is the runner's runtime id): IndexedDB that stores a CryptoKey
 * pair in the three browsers; none on Node.js (20, 24), Bun, Deno (2.x dropped its IndexedDB) and
 * workerd (with Node.js compatibility or without).
 */
const keepsKeys = { chromium: true, firefox: true, webkit: true };

/** The RFC 7638 SHA-256 thumbprint of an EC public key, from its JWK export. */
async function thumbprint(publicKey) {
  const { crv, kty, x, y } = await crypto.subtle.exportKey('jwk', publicKey);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify({ crv, kty, x, y }))));
  return base64url(digest);
}

function base64url(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
}

/** The JWK in a DPoP proof's protected header (RFC 9449 §4.2). */
function proofJwk(proof) {
  const header = proof.split('.')[0].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(header.padEnd(Math.ceil(header.length / 4) * 4, '='))).jwk;
}

/** The typed refusal of `call`, for a runtime without IndexedDB. */
async function noIndexedDb(call, what) {
  const error = await rejects(call, `${what} without IndexedDB`);
  ok(isOktaOAuthError(error) && error.code === 'INVALID_CONFIG', `${what}: INVALID_CONFIG, got ${String(error)}`);
  match(error.message, /no IndexedDB.*importDpopKeyPair/, `${what}: the message names the fix`);
}

export const browserDpopKeyCases = [
  {
    name: 'oauth dpop: loadBrowserDpopKeyPair keeps a non-extractable pair in IndexedDB (the same key on a second load, a DPoP-bound token got and used with it; after delete, another key); without IndexedDB, INVALID_CONFIG',
    async run(fixture) {
      const keeps = keepsKeys[fixture.engine] === true;
      const name = `runtime-${fixture.engine}-${crypto.randomUUID()}`;
      equal(typeof globalThis.indexedDB === 'object' && globalThis.indexedDB !== null, keeps, `${fixture.engine} has indexedDB`);
      if (!keeps) {
        await noIndexedDb(() => loadBrowserDpopKeyPair({ name }), 'loadBrowserDpopKeyPair');
        await noIndexedDb(() => deleteBrowserDpopKeyPair({ name }), 'deleteBrowserDpopKeyPair');
        return;
      }
      try {
        const made = await loadBrowserDpopKeyPair({ name });
        const loaded = await loadBrowserDpopKeyPair({ name });
        // The second load's keys are IndexedDB's structured clones, not the objects the first made.
        ok(loaded.privateKey !== made.privateKey && loaded.publicKey !== made.publicKey, 'the second load read the pair back from IndexedDB');
        const jkt = await thumbprint(made.publicKey);
        match(jkt, /^[\w-]{43}$/, 'thumbprint');
        equal(await thumbprint(loaded.publicKey), jkt, 'the same key on a second load');
        equal(loaded.privateKey.extractable, false, 'the stored private key is non-extractable');
        const refused = await rejects(crypto.subtle.exportKey('jwk', loaded.privateKey), 'the stored private key was exported');
        equal(refused?.name, 'InvalidAccessError', "exportKey's refusal");

        // A DPoP-bound token of the EC service app, its proofs signed with the loaded key: the org
        // checks the token request's proof and each resource proof against the token's cnf.jkt.
        const { ec, scopes } = fixture.oauth.serviceApp;
        const credential = createServiceAppCredential({ orgUrl: fixture.orgUrl, clientId: ec.clientId, privateKey: ec.privateJwk, keyId: ec.keyId, scopes, dpop: 'required', dpopKeyPair: loaded, allowInsecureLoopback: true });
        equal((await createOktaFetch({ credential })('/api/v1/users?limit=1')).status, 200, 'a DPoP call with the loaded pair');
        const headers = await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', fixture.orgUrl) });
        match(headers.authorization, /^DPoP \S+$/, 'authorization scheme');
        const proofKey = await crypto.subtle.importKey('jwk', proofJwk(headers.dpop), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
        equal(await thumbprint(proofKey), jkt, "the proof's key is the loaded one");

        equal(await deleteBrowserDpopKeyPair({ name }), undefined, 'deleteBrowserDpopKeyPair');
        const fresh = await thumbprint((await loadBrowserDpopKeyPair({ name })).publicKey);
        ok(fresh !== jkt, 'after delete, a new load makes another key');
      } finally {
        await deleteBrowserDpopKeyPair({ name });
      }
    },
  },
];
