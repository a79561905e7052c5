/**
 * The edges of what the Apps API's credential routes take (mutation testing, twenty-first round): every
 * private JWK member, `e` from 3 to 2^64 - 1, a `kid` of 1 to 255 characters, a caller's secret of 14 to
 * 100 characters. Each case on a new app, so Okta's 2-secret and 50-key limits never decide it: a service app
 * made with an EC key of its own (P-256, generated in a millisecond; an RSA one took a loaded machine about half a
 * second per case): of the keys an app holds the route reads only their kids. The tests only add apps of their own
 * to the one org: they run at once.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import { describe, it } from 'vitest';
import { newKeyPair } from '../state/key-pair.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { appsApi, type AppsAnswer } from '../test-helpers/apps-api.js';
import { ssws } from '../test-helpers/http.js';

const env = useApiTokenOrg();

const post = (path: string, body: unknown): Promise<AppsAnswer> => appsApi(env.org, path, 'POST', body, ssws(env.token));
const addKey = (jwk: unknown) => post(`${env.org.createServiceApp({ scopes: [], keyType: 'EC' }).clientId}/credentials/jwks`, jwk);
const addSecret = (body: unknown) => post(`${env.org.createOinApp({ scopes: [] }).clientId}/credentials/secrets`, body);
const cause = (res: { body: any }): unknown => res.body.errorCauses?.[0]?.errorSummary;
/** An unsigned big-endian integer as a JWK member: base64url of its octets, no leading zero. */
const b64uInt = (n: bigint): string => {
  const hex = n.toString(16);
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex').toString('base64url');
};

const ec = { ...(newKeyPair('EC').publicKey.export({ format: 'jwk' }) as JWK) };
const rsa = newKeyPair('RSA').publicKey.export({ format: 'jwk' }) as JWK & { n: string; e: string };

describe.concurrent('the JSON Web Keys a create takes', () => {
  it.for(['p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])('refuses a key carrying the private member %s, and never echoes it', async (member, { expect }) => {
    const res = await addKey({ ...ec, kid: 'new', [member]: 'c2VjcmV0LXBhcnQ' });
    expect([res.status, cause(res)]).toEqual([400, 'The JSON Web Key must be a public key: remove its private members (d, p, q, dp, dq, qi), or give a public key.']);
    expect(JSON.stringify(res.body)).not.toContain('c2VjcmV0LXBhcnQ');
  });

  it('takes an odd e from 3 to 2^64 - 1, and refuses 1 and 2^64 + 1', async ({ expect }) => {
    const refusal = "e: 'e' must be an odd exponent from 3 to 2^64 - 1 (as a rule 65537, 'AQAB').";
    for (const e of [1n, 2n ** 64n + 1n]) {
      const res = await addKey({ ...rsa, kid: 'new', e: b64uInt(e) });
      expect([res.status, cause(res)]).toEqual([400, refusal]);
    }
    for (const e of [3n, 2n ** 64n - 1n]) {
      const res = await addKey({ ...rsa, kid: 'new', e: b64uInt(e) });
      expect([res.status, res.body.e]).toEqual([201, b64uInt(e)]);
    }
  });

  it('takes a kid of 1 to 255 characters; refuses an empty one and 256', async ({ expect }) => {
    const refusal = "kid: 'kid' must be a string of 1 to 255 characters.";
    for (const kid of ['', 'k'.repeat(256)]) expect(cause(await addKey({ ...ec, kid }))).toBe(refusal);
    for (const kid of ['k', 'k'.repeat(255)]) expect((await addKey({ ...ec, kid })).body.kid).toBe(kid);
  });

  it("takes each family's algorithms, and a null alg or use as none given", async ({ expect }) => {
    for (const alg of ['RS256', 'RS384', 'RS512']) expect((await addKey({ ...rsa, kid: 'new', alg })).body.alg).toBe(alg);
    for (const [crv, alg] of [['P-384', 'ES384'], ['P-521', 'ES512']] as const) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: crv, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
      const jwk = createPublicKey(publicKey).export({ format: 'jwk' }) as JWK;
      expect((await addKey({ ...jwk, kid: 'new', alg })).body).toMatchObject({ crv, alg });
    }
    expect((await addKey({ ...ec, kid: 'new', alg: null, use: null })).body).toMatchObject({ status: 'ACTIVE', use: 'sig' });
  });
});

describe.concurrent('the client secret a create takes (bring your own)', () => {
  it('takes 14 and 100 characters, refuses 13 and 101, and anything but a string; null makes one', async ({ expect }) => {
    for (const given of ['s'.repeat(14), 's'.repeat(100)]) expect((await addSecret({ client_secret: given })).body.client_secret).toBe(given);
    expect(cause(await addSecret({ client_secret: 's'.repeat(13) }))).toBe("client_secret: 'client_secret' must be at least '14' characters long.");
    expect(cause(await addSecret({ client_secret: 's'.repeat(101) }))).toBe("client_secret: 'client_secret' can't be more than '100' characters long.");
    const number = await addSecret({ client_secret: 12_345_678_901_234 });
    expect([number.status, number.body.errorSummary, cause(number)]).toEqual([400, 'Api validation failed: client_secret', "client_secret: 'client_secret' must be a string."]);
    const made = await addSecret({ client_secret: null });
    expect([made.status, typeof made.body.client_secret, made.body.client_secret?.length]).toEqual([201, 'string', 40]);
  });
});
