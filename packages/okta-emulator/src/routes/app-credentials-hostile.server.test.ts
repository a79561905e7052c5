/**
 * Hostile input at the Apps API's credential routes: a private key given as a public one, more than
 * Okta's 50 keys, a body over 1 MiB, bodies that are no object, unknown fields, and garbage key material.
 */
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { appsApi, type AppsAnswer } from '../test-helpers/apps-api.js';
import { ssws } from '../test-helpers/http.js';
import { newKeyPair } from '../state/key-pair.js';
import { rawExchange } from '../test-helpers/raw-http.js';

const env = useApiTokenOrg();

/** A POST of `body` as it is (hostile input). */
const post = (path: string, body: string): Promise<AppsAnswer> => appsApi(env.org, path, 'POST', body, ssws(env.token));

const ecJwk = (kid: string): JWK => ({ ...(newKeyPair('EC').publicKey.export({ format: 'jwk' }) as JWK), kid });

describe('hostile input at /api/v1/apps/{appId}/credentials', () => {
  it('refuses a JWK with its private part, and never echoes it', async () => {
    const app = env.org.createServiceApp({ scopes: [] });
    const privateJwk = { ...(newKeyPair('EC').privateKey.export({ format: 'jwk' }) as JWK), kid: 'leaked' };
    const res = await post(`${app.clientId}/credentials/jwks`, JSON.stringify(privateJwk));
    expect(res).toMatchObject({ status: 400, body: { errorCode: 'E0000001', errorCauses: [{ errorSummary: expect.stringMatching(/must be a public key/) }] } });
    expect(JSON.stringify(res.body)).not.toContain(String(privateJwk.d));
    const rsaPrivate = newKeyPair('RSA').privateKey.export({ format: 'jwk' }) as JWK;
    const rsa = await post(`${app.clientId}/credentials/jwks`, JSON.stringify({ ...rsaPrivate, kid: 'rsa', d: undefined }));
    expect(rsa.status).toBe(400);
    expect(JSON.stringify(rsa.body)).not.toContain(String(rsaPrivate.p));
    // Nothing was kept.
    const listed = await fetch(`${env.org.url}/api/v1/apps/${app.clientId}/credentials/jwks`, { headers: ssws(env.token) });
    expect(((await listed.json()) as unknown[]).length).toBe(1);
  });

  it("takes Okta's 50 keys, active and inactive, and refuses the 51st", async () => {
    const app = env.org.createServiceApp({ scopes: [] });
    for (let i = 1; i < 50; i++) {
      const res = await post(`${app.clientId}/credentials/jwks`, JSON.stringify({ ...ecJwk(`k${String(i)}`), status: i % 2 === 0 ? 'INACTIVE' : 'ACTIVE' }));
      expect(res.status).toBe(201);
    }
    const over = await post(`${app.clientId}/credentials/jwks`, JSON.stringify(ecJwk('k50')));
    expect(over).toMatchObject({ status: 400, body: { errorCauses: [{ errorSummary: expect.stringMatching(/maximum number of keys allowed \(50\)/) }] } });
    expect(() => env.org.addAppKey(app.clientId)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('answers a body over 1 MiB with 413 E0000003', async () => {
    const app = env.org.createServiceApp({ scopes: [] });
    const body = JSON.stringify({ ...ecJwk('big'), pad: 'x'.repeat(1024 * 1024) });
    const res = await rawExchange(env.org, (send) => {
      send(`POST /api/v1/apps/${app.clientId}/credentials/jwks HTTP/1.1\r\nHost: x\r\nAuthorization: SSWS ${env.token}\r\nContent-Type: application/json\r\nContent-Length: ${String(body.length)}\r\n\r\n`);
      send(body);
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ errorCode: 'E0000003' });
  });

  it.each([
    ['malformed JSON', '{"kty":'],
    ['an array', '[]'],
    ['a string', '"RSA"'],
  ])('answers %s with 400 E0000003', async (_, body) => {
    const app = env.org.createOinApp({ scopes: [] });
    for (const kind of ['secrets', 'jwks']) {
      const res = await post(`${app.clientId}/credentials/${kind}`, body);
      expect(res).toMatchObject({ status: 400, body: { errorCode: 'E0000003' } });
    }
  });

  it('ignores unknown fields (never kept or echoed), __proto__ included', async () => {
    const app = env.org.createOinApp({ scopes: [] });
    const res = await post(`${app.clientId}/credentials/secrets`, '{"__proto__":{"status":"INACTIVE"},"extra":"field","status":"ACTIVE"}');
    expect(res.status).toBe(201);
    expect(Object.keys(res.body as object).sort()).toEqual(['_links', 'client_secret', 'created', 'id', 'lastUpdated', 'secret_hash', 'status']);
    expect(res.body.status).toBe('ACTIVE');
  });

  it.each([
    ['an unknown kty', { kty: 'oct', kid: 'a' }, /kty/],
    ['garbage RSA material', { kty: 'RSA', kid: 'a', n: 'not-a-modulus', e: 'AQAB' }, /not a valid RSA public key|less than '2,048'/],
    ['an unknown curve', { kty: 'EC', kid: 'a', crv: 'P-192', x: 'AA', y: 'AA' }, /crv/],
    ['an alg of another family', { ...ecJwk('a'), alg: 'RS256' }, /alg/],
    ['an encryption key', { ...ecJwk('a'), use: 'enc' }, /signing keys/],
    ['a kid that is no string', { ...ecJwk('a'), kid: 7 }, /kid/],
    ['a status that is neither', { ...ecJwk('a'), status: 'SUSPENDED' }, /status/],
  ])('refuses %s with 400 E0000001', async (_, jwk, cause) => {
    const app = env.org.createServiceApp({ scopes: [] });
    const res = await post(`${app.clientId}/credentials/jwks`, JSON.stringify(jwk));
    expect(res).toMatchObject({ status: 400, body: { errorCode: 'E0000001', errorCauses: [{ errorSummary: expect.stringMatching(cause) }] } });
  });
});

describe('key material and secret values a hostile client sends', () => {
  const rsa = newKeyPair('RSA').publicKey.export({ format: 'jwk' }) as JWK & { n: string; e: string };
  const ec = ecJwk('ec') as JWK & { x: string; y: string };
  it.each([
    ['an n that is not base64url', { ...rsa, kid: 'a', n: `${rsa.n.slice(0, 10)}!<\u0000>${rsa.n.slice(10)}` }, /'n'/],
    ['an n in padded standard base64', { ...rsa, kid: 'a', n: `${rsa.n.replace(/-/g, '+').replace(/_/g, '/')}==` }, /'n'/],
    ['an n padded with 500 KB of zero octets', { ...rsa, kid: 'a', n: `${'A'.repeat(500_000)}${rsa.n}` }, /'n'/],
    ['an e of 2,400 bits', { ...rsa, kid: 'a', e: `A${'B'.repeat(400)}` }, /'e'/],
    ['an even e', { ...rsa, kid: 'a', e: 'AQAA' }, /'e'/],
    ['an EC x with leading zero octets', { ...ec, x: `AAAA${ec.x}` }, /'x'/],
    ['an EC y that is not base64url', { ...ec, y: `${ec.y}!!` }, /'y'/],
    ['a crv named like a prototype member', { ...ec, crv: 'toString' }, /crv/],
  ])('refuses %s with 400 E0000001, keeping nothing', async (_, jwk, cause) => {
    const app = env.org.createServiceApp({ scopes: [] });
    const res = await post(`${app.clientId}/credentials/jwks`, JSON.stringify(jwk));
    expect(res).toMatchObject({ status: 400, body: { errorCode: 'E0000001', errorCauses: [{ errorSummary: expect.stringMatching(cause) }] } });
    const listed = await fetch(`${env.org.url}/api/v1/apps/${app.clientId}/credentials/jwks`, { headers: ssws(env.token) });
    expect(((await listed.json()) as unknown[]).length).toBe(1);
  });

  it("never quotes a caller's own secret put where its id goes, active or inactive", async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: ['http://localhost/cb'] });
    const value = 'Ab12Cd34Ef56Gh78';
    const made = await post(`${app.clientId}/credentials/secrets`, JSON.stringify({ client_secret: value, status: 'INACTIVE' }));
    expect(made.status).toBe(201);
    for (const path of [value, `${value}/lifecycle/activate`]) {
      const res = await fetch(`${env.org.url}/api/v1/apps/${app.clientId}/credentials/secrets/${path}`, { method: path === value ? 'GET' : 'POST', headers: ssws(env.token) });
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain(value);
    }
    let message = '';
    try {
      env.org.deactivateAppSecret(app.clientId, value);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/not its id/);
    expect(message).not.toContain(value);
  });
});
