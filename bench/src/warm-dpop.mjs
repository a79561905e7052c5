// Benchmark 2: the warm path with DPoP. A cached DPoP-bound token, a new
// proof for every request, against @org/okta-emulator (a child process):
// ours, oauth4webapi's protectedResourceRequest with its DPoP handle, and the
// floors: a bare loop of WebCrypto ES256 signatures, and fetch with a
// minimal proof built by hand (one signature + the request).
import * as o from 'oauth4webapi';
import { createHash, randomUUID } from 'node:crypto';
import { startEmulatorChild } from './children.mjs';
import { NO_RATE_LIMITS } from './contenders.mjs';
import { interleave, runConcurrent } from './interleave.mjs';
import { tryImport } from './load.mjs';

const PATH = '/api/v1/users?limit=1';
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const enc = new TextEncoder();

/** oauth4webapi's client-credentials token, DPoP-bound, with its nonce retry (aud set to the token endpoint: anchors [A]). */
async function oauth4webapiToken(orgUrl, app) {
  const issuer = new URL(orgUrl);
  const insecure = { [o.allowInsecureRequests]: true };
  const as = await o.processDiscoveryResponse(issuer, await o.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  const client = { client_id: app.clientId };
  const key = await crypto.subtle.importKey('jwk', app.privateJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const clientAuth = o.PrivateKeyJwt(
    { key, kid: app.keyId },
    {
      [o.modifyAssertion]: (_header, payload) => {
        payload.aud = as.token_endpoint;
      },
    },
  );
  const dpop = o.DPoP(client, await o.generateKeyPair('ES256'));
  const grant = () => o.clientCredentialsGrantRequest(as, client, clientAuth, { scope: 'okta.users.read' }, { DPoP: dpop, ...insecure });
  let tokens;
  try {
    tokens = await o.processClientCredentialsResponse(as, client, await grant());
  } catch (error) {
    if (!o.isDPoPNonceError(error)) throw error;
    tokens = await o.processClientCredentialsResponse(as, client, await grant());
  }
  return { accessToken: tokens.access_token, dpop, insecure };
}

export async function warmDpop({ rounds = 7, batchSize = 200, concurrency = 4 } = {}) {
  const oauth = await tryImport('@org/okta-oauth');
  const core = await tryImport('@org/okta-auth-core');
  const coreKy = await tryImport('@org/okta-auth-core/ky');
  if (!oauth.module || !core.module || !coreKy.module) {
    return { skipped: `not yet: ${[oauth, core, coreKy].find((m) => m.missing).missing}` };
  }
  const emu = await startEmulatorChild({ seed: { users: 3 }, rateLimits: NO_RATE_LIMITS });
  try {
    const app = await emu.call('createServiceApp', { keyType: 'EC', requireDpop: true, scopes: ['okta.users.read'] });
    const url = `${emu.url}${PATH}`;
    const contenders = [];
    const add = (name, once) => contenders.push({ name, batch: (n) => runConcurrent(n, concurrency, once) });

    // Floor 1: a bare ES256 signature over a proof-sized input.
    const keyPair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const signingInput = enc.encode('x'.repeat(400));
    add('WebCrypto ES256 signature (signature floor)', async () => {
      await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, signingInput);
    });

    // Floor 2: fetch with a minimal DPoP proof built by hand for each request, with o4w's token.
    const o4w = await oauth4webapiToken(emu.url, app);
    const publicJwk = await crypto.subtle.exportKey('jwk', keyPair.publicKey);
    const header = b64url(enc.encode(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y } })));
    // The floor's token must be bound to this key: get one with its own key pair.
    const floorToken = await (async () => {
      const t = await oauth4webapiTokenWithKey(emu.url, app, keyPair);
      return t;
    })();
    const ath = createHash('sha256').update(floorToken).digest('base64url');
    const htu = `${emu.url}/api/v1/users`;
    add('fetch + one ES256 proof per request (floor)', async () => {
      const payload = b64url(enc.encode(JSON.stringify({ htm: 'GET', htu, iat: Math.floor(Date.now() / 1000), jti: randomUUID(), ath })));
      const input = `${header}.${payload}`;
      const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, enc.encode(input));
      const res = await fetch(url, { headers: { authorization: `DPoP ${floorToken}`, dpop: `${input}.${b64url(sig)}`, accept: 'application/json' } });
      if (!res.ok) throw new Error(`floor: HTTP ${res.status} ${await res.text()}`);
      await res.json();
    });

    const credential = oauth.module.createServiceAppCredential({
      orgUrl: emu.url,
      clientId: app.clientId,
      privateKey: app.privateKeyPem,
      keyId: app.keyId,
      scopes: ['okta.users.read'],
      dpop: 'required',
      allowInsecureLoopback: true,
    });
    const okta = core.module.createOktaFetch({ credential });
    add('ours: createOktaFetch + service app (DPoP)', async () => {
      await (await okta(PATH)).json();
    });
    const api = coreKy.module.createOktaKy({ credential });
    add('ours: createOktaKy + service app (DPoP)', async () => {
      await api.get(PATH.slice(1)).json();
    });

    add('oauth4webapi: protectedResourceRequest (DPoP handle)', async () => {
      const res = await o.protectedResourceRequest(o4w.accessToken, 'GET', new URL(url), new Headers({ accept: 'application/json' }), null, {
        DPoP: o4w.dpop,
        ...o4w.insecure,
      });
      if (!res.ok) throw new Error(`oauth4webapi: HTTP ${res.status}`);
      await res.json();
    });

    const before = await emu.call('counters');
    const results = await interleave(contenders, { rounds, batchSize, warmupBatches: 1 });
    const after = await emu.call('counters');
    const tokenRequests = (c) => Object.values(c.tokenRequests).reduce((n, outcomes) => n + Object.values(outcomes).reduce((a, b) => a + b, 0), 0);
    return { rounds, batchSize, concurrency, results, tokenRequestsDuringRun: tokenRequests(after) - tokenRequests(before) };
  } finally {
    await emu.close();
  }
}

/** A DPoP-bound token for the floor contender, bound to `keyPair` (obtained with oauth4webapi). */
export async function oauth4webapiTokenWithKey(orgUrl, app, keyPair) {
  const issuer = new URL(orgUrl);
  const insecure = { [o.allowInsecureRequests]: true };
  const as = await o.processDiscoveryResponse(issuer, await o.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
  const client = { client_id: app.clientId };
  const key = await crypto.subtle.importKey('jwk', app.privateJwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const clientAuth = o.PrivateKeyJwt({ key, kid: app.keyId }, { [o.modifyAssertion]: (_h, p) => void (p.aud = as.token_endpoint) });
  const dpop = o.DPoP(client, keyPair);
  const grant = () => o.clientCredentialsGrantRequest(as, client, clientAuth, { scope: 'okta.users.read' }, { DPoP: dpop, ...insecure });
  try {
    return (await o.processClientCredentialsResponse(as, client, await grant())).access_token;
  } catch (error) {
    if (!o.isDPoPNonceError(error)) throw error;
    return (await o.processClientCredentialsResponse(as, client, await grant())).access_token;
  }
}
