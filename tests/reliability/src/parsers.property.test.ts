/**
 * Bad input: property-based tests (fast-check) for every @org/okta-oauth parser that sees outside
 * data, through the public API (answers come from a scripted org: a `fetch` that plays Okta):
 * PEM and JWK keys, service-app environment configuration, token responses and token-endpoint
 * error bodies, discovery documents, callback URLs, ID tokens and JWKS answers, device-flow
 * answers, introspection answers, stored tokens and stored sign-in transactions.
 *
 * Each case must end in a value or our typed error (isOktaAuthError), never another exception and
 * never a hang; long adversarial inputs must not take super-linear time (they finish under the
 * hang bound). Org URLs, Link, WWW-Authenticate, rate-limit headers, Okta error bodies at resources,
 * API tokens and SSWS env config are covered in core's and ssws's own property tests.
 */
import { generateKeyPairSync } from 'node:crypto';
import { isOktaAuthError } from '@org/okta-auth-core';
import {
  createOinAppCredential,
  createServiceAppCredential,
  createSignInClient,
  serviceAppCredentialFromEnv,
  UserTokens,
  type SignInClient,
  type SignInTransaction,
} from '@org/okta-oauth';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { discoveryDocument, idTokenClaims, json, ORIGIN, REDIRECT, scriptedFetch, signJwt, signingKey, type Route } from './test-helpers/scripted.js';

/** Cases per parser (`PROPERTY_RUNS` to change). */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 2000);
/** For properties that sign an RSA JWT per case. */
const SIGNED_RUNS = Math.max(100, Math.round(RUNS / 2));
/** No single case may take longer: a hang or super-linear time shows up as a failure. */
const HANG_MS = 5000;
/**
 * A property runs its cases one after another: its time grows with RUNS and the machine's pace.
 * 60 ms a case (2 min for 2,000): the longest took 23 s of the project's 30 s on a loaded 2-core
 * machine, and over 30 s with a sixth of a core; a hang still fails its case within HANG_MS.
 */
vi.setConfig({ testTimeout: Math.max(30_000, RUNS * 60) });

const counts: Record<string, number> = {};
afterAll(() => {
  console.log(`property cases per parser: ${JSON.stringify(counts)}; total ${Object.values(counts).reduce((a, b) => a + b, 0)}`);
});

class Untyped extends Error {}

/** Runs one case: a value, or our typed error; anything else (or a hang) fails the property. */
async function valueOrTyped<T>(work: () => T | Promise<T>): Promise<{ value?: T; error?: unknown }> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Untyped(`no answer within ${HANG_MS} ms`));
    }, HANG_MS);
  });
  try {
    return { value: await Promise.race([Promise.resolve().then(work), hang]) };
  } catch (error) {
    if (error instanceof Untyped) throw error;
    if (!isOktaAuthError(error)) throw new Untyped(`not a typed error: ${String(error)}\n${(error as Error).stack ?? ''}`);
    expect(error.message.length).toBeGreaterThan(0);
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

function counted<T>(name: string, arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return arb.map((x) => {
    counts[name] = (counts[name] ?? 0) + 1;
    return x;
  });
}

// ── Arbitraries ──────────────────────────────────────────────────────────────

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const realPems = [
  rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
  ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  ec.privateKey.export({ format: 'pem', type: 'sec1' }).toString(),
  rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  ec.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
];
const realJwks = [rsa.privateKey.export({ format: 'jwk' }), ec.privateKey.export({ format: 'jwk' }), rsa.publicKey.export({ format: 'jwk' })] as Record<string, unknown>[];

/** Mutations of a real value: truncation, a changed character, an insertion, line-ending games. */
function mutated(real: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...real), fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1))),
    fc.tuple(fc.constantFrom(...real), fc.nat(), fc.string({ minLength: 1, maxLength: 3 })).map(([s, n, c]) => {
      const i = n % s.length;
      return s.slice(0, i) + c + s.slice(i + 1);
    }),
    fc.tuple(fc.constantFrom(...real), fc.nat(), fc.string({ maxLength: 40 })).map(([s, n, c]) => {
      const i = n % s.length;
      return s.slice(0, i) + c + s.slice(i);
    }),
    fc.constantFrom(...real).map((s) => s.replace(/\n/g, '\r\n')),
    fc.constantFrom(...real).map((s) => s.replace(/\n/g, '\\n')),
    fc.constantFrom(...real).map((s) => s.replace(/\n/g, ' ')),
    fc.tuple(fc.constantFrom(...real), fc.constantFrom(...real)).map(([a, b]) => a + b),
  );
}

const base64Body = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64').replace(/(.{64})/g, '$1\n'));
const pemLabel = fc.constantFrom('PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PUBLIC KEY', 'CERTIFICATE', 'OPENSSH PRIVATE KEY', 'X');
const pemInput = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  mutated(realPems),
  fc.tuple(pemLabel, base64Body, pemLabel).map(([a, body, b]) => `-----BEGIN ${a}-----\n${body}\n-----END ${b}-----\n`),
  fc.tuple(pemLabel, fc.string()).map(([a, body]) => `-----BEGIN ${a}-----\n${body}\n-----END ${a}-----`),
);

const b64u = fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64url'));
const member = fc.oneof(b64u, fc.string(), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.string(), { maxLength: 3 }));
const jwkInput: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      kty: fc.oneof(fc.constantFrom('RSA', 'EC', 'OKP', 'oct', 'rsa', ''), fc.string(), fc.integer()),
      crv: fc.oneof(fc.constantFrom('P-256', 'P-384', 'P-521', 'secp256k1', 'Ed25519', 'X25519'), fc.string()),
      alg: fc.oneof(fc.constantFrom('RS256', 'ES256', 'ES384', 'PS256', 'HS256', 'none', 'EdDSA'), fc.string()),
      kid: fc.oneof(fc.string(), fc.integer()),
      use: fc.constantFrom('sig', 'enc', 'x'),
      key_ops: fc.array(fc.string(), { maxLength: 3 }),
      d: member,
      x: member,
      y: member,
      n: member,
      e: member,
      p: member,
      q: member,
      dp: member,
      dq: member,
      qi: member,
      k: member,
    },
    { requiredKeys: [] },
  ),
  fc.tuple(fc.constantFrom(...realJwks), fc.constantFrom('d', 'x', 'y', 'n', 'e', 'p', 'q', 'kty', 'crv'), fc.option(member)).map(([jwk, key, value]) => {
    const copy: Record<string, unknown> = { ...jwk };
    if (value === null) Reflect.deleteProperty(copy, key);
    else copy[key] = value;
    return copy;
  }),
  fc.anything(),
);

// ── Scripted org ─────────────────────────────────────────────────────────────

const goodToken = (type = 'Bearer'): Route => () => json(200, { access_token: 'eyJ.good.token', token_type: type, expires_in: 3600, scope: 'okta.users.read' });

const answerBody = fc.oneof(
  fc.record(
    {
      access_token: fc.oneof(fc.string(), fc.constant('eyJ.abc.def'), fc.integer(), fc.constant(null), fc.string({ unit: 'grapheme' })),
      token_type: fc.oneof(fc.constantFrom('Bearer', 'bearer', 'DPoP', 'dpop', 'N_A', 'Basic', ''), fc.string(), fc.integer()),
      expires_in: fc.oneof(fc.integer(), fc.double(), fc.constantFrom('3600', '1e3', '-1', '0', 'NaN', '', '99999999999'), fc.constant(null)),
      scope: fc.oneof(fc.string(), fc.integer(), fc.array(fc.string())),
      refresh_token: fc.oneof(fc.string(), fc.integer()),
      id_token: fc.oneof(fc.string(), fc.integer()),
      error: fc.oneof(fc.constantFrom('invalid_client', 'invalid_grant', 'use_dpop_nonce', 'invalid_dpop_proof', 'authorization_pending', 'slow_down'), fc.string()),
      error_description: fc.string({ unit: 'grapheme' }),
      errorCode: fc.oneof(fc.constantFrom('E0000011', 'E0000047'), fc.string()),
      errorSummary: fc.string(),
      errorCauses: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
);
/** An answer: status, content type and a body that is JSON of an answer-like object, or any text. */
const answer = fc
  .tuple(
    fc.oneof(fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503), fc.integer({ min: 200, max: 299 }), fc.integer({ min: 400, max: 599 })),
    fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/html', 'text/plain', ''),
    fc.oneof(answerBody.map((b) => JSON.stringify(b) as string | undefined), fc.string(), fc.string({ unit: 'grapheme' }), fc.constant('{"access_token":')),
    fc.option(fc.oneof(fc.string(), fc.constantFrom('DPoP error="use_dpop_nonce"', 'Bearer error="invalid_token"'))),
    fc.option(fc.oneof(fc.string({ unit: 'grapheme-ascii' }), fc.constant('abc-nonce'))),
  )
  .map(([status, type, body, wwwAuthenticate, nonce]): Route => () => {
    const headers = new Headers({ date: new Date().toUTCString() });
    if (type !== '') headers.set('content-type', type);
    try {
      if (wwwAuthenticate !== null) headers.set('www-authenticate', wwwAuthenticate);
      if (nonce !== null) headers.set('dpop-nonce', nonce);
    } catch {
      // not a header value: leave it out
    }
    return new Response(status === 204 || status === 205 ? null : (body ?? ''), { status, headers });
  });

// ── Properties ───────────────────────────────────────────────────────────────

const appRequest = { method: 'GET', url: new URL(`${ORIGIN}/api/v1/users`), signal: new AbortController().signal };

describe('keys', () => {
  it('a PEM private key: a credential that signs, or INVALID_KEY/INVALID_CONFIG', async () => {
    await fc.assert(
      fc.asyncProperty(counted('PEM key', pemInput), async (pem) => {
        await valueOrTyped(async () => {
          const credential = createServiceAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', privateKey: pem, keyId: 'k', scopes: 'okta.users.read', dpop: 'off', retry: false, fetch: scriptedFetch({ '/oauth2/v1/token': goodToken() }) });
          return credential.authorize(appRequest);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('a JWK private key (object or JSON text): a credential that signs, or INVALID_KEY/INVALID_CONFIG', async () => {
    await fc.assert(
      fc.asyncProperty(counted('JWK key', fc.oneof(jwkInput, jwkInput.map((j) => JSON.stringify(j) as unknown))), async (jwk) => {
        await valueOrTyped(async () => {
          const credential = createServiceAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', privateKey: jwk as never, scopes: 'okta.users.read', dpop: 'off', retry: false, fetch: scriptedFetch({ '/oauth2/v1/token': goodToken() }) });
          return credential.authorize(appRequest);
        });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('service-app environment configuration', () => {
  const envValue = (real: string[]) => fc.option(fc.oneof(fc.constantFrom(...real), fc.string(), mutated(real)), { nil: undefined });
  const envArb = fc.record({
    OKTA_CLIENT_ORGURL: envValue([ORIGIN, 'https://acme.okta.com/', 'https://acme-admin.okta.com', 'http://acme.okta.com', 'https://{yourOktaDomain}']),
    OKTA_CLIENT_AUTHORIZATIONMODE: envValue(['PrivateKey', 'privatekey', 'SSWS', 'JWT']),
    OKTA_CLIENT_CLIENTID: envValue(['0oa1b2c3d4e5f6g7h8i9']),
    OKTA_CLIENT_SCOPES: envValue(['okta.users.read', 'okta.users.read okta.groups.read', 'okta.users.read,okta.groups.read']),
    OKTA_CLIENT_PRIVATEKEY: envValue([...realPems, ...realJwks.map((j) => JSON.stringify(j))]),
    OKTA_CLIENT_KEYID: envValue(['k1']),
    OKTA_CLIENT_PRIVATEKEYID: envValue(['k1']),
  });
  it('a credential, or a typed error naming the variable', async () => {
    await fc.assert(
      fc.asyncProperty(counted('service-app env', envArb), async (env) => {
        await valueOrTyped(() => serviceAppCredentialFromEnv(env, { retry: false }));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('token responses and token-endpoint error bodies', () => {
  it('OIN app (client secret, Bearer): Authorization headers with a header-safe token, or a typed error; a failure caches nothing', async () => {
    await fc.assert(
      fc.asyncProperty(counted('token response (Bearer)', answer), async (reply) => {
        let first = true;
        const fetch = scriptedFetch({ '/oauth2/v1/token': (r) => (first ? ((first = false), reply(r)) : goodToken()(r)) });
        const credential = createOinAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', clientSecret: 'secret-value-123', scopes: 'okta.users.read', retry: false, fetch });
        const { value, error } = await valueOrTyped(() => credential.authorize(appRequest));
        if (value !== undefined) {
          expect(() => new Headers({ authorization: value.authorization })).not.toThrow();
          expect(value.authorization).toMatch(/^Bearer \S+$/);
        }
        if (error !== undefined) {
          // Nothing was cached: the next call asks again and gets the good token.
          const next = await credential.authorize(appRequest);
          expect(next.authorization).toBe('Bearer eyJ.good.token');
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('service app with DPoP: DPoP headers with a fresh proof, or a typed error', async () => {
    const key = ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await fc.assert(
      fc.asyncProperty(counted('token response (DPoP)', fc.array(answer, { minLength: 1, maxLength: 3 })), async (replies) => {
        let i = 0;
        const fetch = scriptedFetch({ '/oauth2/v1/token': (r) => replies[Math.min(i++, replies.length - 1)]!(r) });
        const credential = createServiceAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', privateKey: key, keyId: 'k', scopes: 'okta.users.read', dpop: 'required', retry: false, fetch });
        const { value } = await valueOrTyped(() => credential.authorize(appRequest));
        if (value !== undefined) {
          expect(value.authorization).toMatch(/^DPoP \S+$/);
          expect(value.dpop).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
        }
        expect(i).toBeLessThanOrEqual(3); // at most a nonce retry and a clock retry
      }),
      { numRuns: SIGNED_RUNS },
    );
  });
});

// ── User sign-in: discovery, callbacks, ID tokens, JWKS, device flow, introspection ──

interface UserOrg {
  discovery?: Route;
  token?: Route;
  keys?: Route;
  device?: Route;
  introspect?: Route;
}

function userClient(org: UserOrg, extra: Partial<Parameters<typeof createSignInClient>[0]> = {}): SignInClient {
  const routes: Record<string, Route> = {
    '/.well-known/openid-configuration': org.discovery ?? (() => json(200, discoveryDocument())),
    '/oauth2/v1/keys': org.keys ?? (() => json(200, { keys: [signingKey.jwk] })),
  };
  if (org.token !== undefined) routes['/oauth2/v1/token'] = org.token;
  if (org.device !== undefined) routes['/oauth2/v1/device/authorize'] = org.device;
  if (org.introspect !== undefined) routes['/oauth2/v1/introspect'] = org.introspect;
  return createSignInClient({ orgUrl: ORIGIN, clientId: '0oaWeb', clientSecret: 'web-secret-123', redirectUri: REDIRECT, scopes: ['openid', 'offline_access', 'okta.users.read'], retry: false, fetch: scriptedFetch(routes), ...extra });
}

const transaction: SignInTransaction = {
  state: 'state-0123456789abcdef',
  nonce: 'nonce-0123456789abcdef',
  codeVerifier: 'verifier-0123456789abcdef0123456789abcdef0123',
  redirectUri: REDIRECT,
  createdAt: Date.now(),
  scope: 'openid offline_access okta.users.read',
};
const goodCallback = `${REDIRECT}?code=abc&state=${transaction.state}&iss=${encodeURIComponent(ORIGIN)}`;
const signedIdToken = () => signJwt({ alg: 'RS256', kid: 'k1', typ: 'JWT' }, idTokenClaims('0oaWeb', transaction.nonce));
const codeAnswer = (idToken: string): Route => () => json(200, { access_token: 'eyJ.user.at', token_type: 'Bearer', expires_in: 3600, scope: 'openid offline_access okta.users.read', refresh_token: 'rt-123456789', id_token: idToken });

describe('user sign-in', () => {
  it('discovery documents: metadata, or DISCOVERY_FAILED', async () => {
    const field = fc.constantFrom(...Object.keys(discoveryDocument()));
    const docArb = fc.oneof(
      fc.tuple(fc.array(fc.tuple(field, fc.option(fc.oneof(fc.anything(), fc.webUrl(), fc.constantFrom('https://evil.example.com/token', `${ORIGIN}.evil.com/x`, 'javascript:alert(1)', `${ORIGIN}/`))))), fc.constant(0)).map(([edits]) => {
        const doc = discoveryDocument();
        for (const [key, value] of edits) {
          if (value === null) Reflect.deleteProperty(doc, key);
          else doc[key] = value;
        }
        return JSON.stringify(doc);
      }),
      fc.string(),
      fc.anything().map((v) => JSON.stringify(v) as string | undefined ?? ''),
    );
    await fc.assert(
      fc.asyncProperty(counted('discovery document', fc.tuple(docArb, fc.constantFrom(200, 200, 404, 500))), async ([doc, status]) => {
        const { value } = await valueOrTyped(() => userClient({ discovery: () => new Response(doc, { status, headers: { 'content-type': 'application/json' } }) }).metadata());
        if (value !== undefined) {
          for (const endpoint of [value.tokenEndpoint, value.jwksUri, value.authorizationEndpoint]) expect(endpoint.origin).toBe(ORIGIN);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('callback URLs: tokens, or a typed error (state, issuer, error, code)', async () => {
    const param = fc.tuple(
      fc.constantFrom('code', 'state', 'iss', 'error', 'error_description', 'session_state', 'state', 'code'),
      fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom(transaction.state, ORIGIN, 'access_denied', 'login_required', 'abc', '')),
    );
    const callbackArb = fc.oneof(
      fc.string(),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.tuple(fc.array(param, { maxLength: 6 }), fc.constantFrom('?', '#', '?x#'), fc.constantFrom(REDIRECT, '/callback', '', 'https://other.example/cb')).map(
        ([params, sep, base]) => `${base}${sep}${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`,
      ),
      mutated([goodCallback]),
    );
    const client = userClient({ token: codeAnswer(signedIdToken()) });
    await fc.assert(
      fc.asyncProperty(counted('callback URL', callbackArb), async (callback) => {
        await valueOrTyped(() => client.finishSignIn(callback, transaction));
      }),
      { numRuns: RUNS },
    );
  });

  it('ID tokens and JWKS answers: validated claims, or a typed error', async () => {
    const claimValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.boolean());
    const claimsArb = fc.tuple(fc.array(fc.tuple(fc.constantFrom('iss', 'aud', 'sub', 'iat', 'exp', 'nonce', 'azp', 'auth_time', 'nbf'), fc.option(claimValue)), { maxLength: 4 })).map(([edits]) => {
      const claims = idTokenClaims('0oaWeb', transaction.nonce);
      for (const [key, value] of edits) {
        if (value === null) Reflect.deleteProperty(claims, key);
        else claims[key] = value;
      }
      return claims;
    });
    const headerArb = fc.record({ alg: fc.constantFrom('RS256', 'RS256', 'none', 'HS256', 'ES256', 'PS256'), kid: fc.constantFrom('k1', 'k1', 'k2', ''), typ: fc.constantFrom('JWT', 'at+jwt') }, { requiredKeys: ['alg'] });
    const idTokenArb = fc.oneof(
      fc.tuple(headerArb, claimsArb).map(([h, c]) => signJwt(h, c)),
      fc.string(),
      fc.tuple(b64u, b64u, b64u).map((parts) => parts.join('.')),
      fc.constant(signedIdToken()).chain((t) => mutated([t])),
    );
    const jwksArb = fc.oneof(
      fc.constant(JSON.stringify({ keys: [signingKey.jwk] })),
      fc.tuple(fc.constantFrom('kty', 'n', 'e', 'kid', 'alg', 'use'), fc.option(member)).map(([key, value]) => {
        const jwk: Record<string, unknown> = { ...signingKey.jwk };
        if (value === null) Reflect.deleteProperty(jwk, key);
        else jwk[key] = value;
        return JSON.stringify({ keys: [jwk] });
      }),
      jwkInput.map((j) => JSON.stringify({ keys: [j] })),
      fc.anything().map((v) => JSON.stringify(v) as string | undefined ?? ''),
      fc.string(),
    );
    await fc.assert(
      fc.asyncProperty(counted('ID token + JWKS', fc.tuple(idTokenArb, jwksArb)), async ([idToken, jwks]) => {
        const client = userClient({ token: codeAnswer(idToken), keys: () => new Response(jwks, { status: 200, headers: { 'content-type': 'application/json' } }) });
        const { value } = await valueOrTyped(() => client.finishSignIn(goodCallback, transaction));
        if (value !== undefined) expect(value.claims?.nonce).toBe(transaction.nonce);
      }),
      { numRuns: SIGNED_RUNS },
    );
  });

  it('device authorization and polling answers: tokens, or a typed error, with polling bounded', async () => {
    const deviceAnswer = fc.oneof(
      fc
        .record(
          {
            device_code: fc.oneof(fc.string(), fc.integer()),
            user_code: fc.oneof(fc.string(), fc.constant('WDJB-MJHT')),
            verification_uri: fc.oneof(fc.webUrl(), fc.string(), fc.constant(`${ORIGIN}/activate`)),
            verification_uri_complete: fc.oneof(fc.webUrl(), fc.string()),
            expires_in: fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.double(), fc.string()),
            interval: fc.oneof(fc.integer({ min: -1, max: 30 }), fc.double(), fc.string()),
          },
          { requiredKeys: [] },
        )
        .map((b) => json(200, b)),
      answer.map((reply) => reply(new Request(ORIGIN)) as Response),
    );
    await fc.assert(
      fc.asyncProperty(counted('device flow', fc.tuple(deviceAnswer, fc.array(answer, { maxLength: 6 }))), async ([device, polls]) => {
        let now = Date.now();
        let asked = 0;
        const client = userClient(
          {
            device: () => device.clone(),
            // After the scripted answers, Okta says the code expired.
            token: (r) => (asked < polls.length ? polls[asked++]!(r) : (asked++, json(400, { error: 'expired_token', error_description: 'The device code has expired.' }))),
          },
          {
            now: () => now,
            sleep: (ms) => {
              now += ms;
              return Promise.resolve();
            },
          },
        );
        await valueOrTyped(async () => (await client.startDeviceSignIn()).poll());
        // Each poll may be re-signed once when the answer's Date is far from our (fake) clock.
        expect(asked).toBeLessThanOrEqual(2 * (polls.length + 1));
      }),
      { numRuns: RUNS },
    );
  });

  it('introspection answers: a result, or a typed error', async () => {
    const introspectArb = fc.oneof(
      fc.record({ active: fc.oneof(fc.boolean(), fc.string(), fc.integer()), scope: fc.anything(), exp: fc.anything(), sub: fc.anything(), aud: fc.anything(), client_id: fc.anything() }, { requiredKeys: [] }).map((b) => () => json(200, b)),
      answer,
    );
    await fc.assert(
      fc.asyncProperty(counted('introspection', introspectArb), async (reply) => {
        const { value } = await valueOrTyped(() => userClient({ introspect: reply }).introspect('eyJ.some.token'));
        if (value !== undefined) expect(typeof value.active).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
  });

  it('stored tokens (UserTokens.fromStorable): tokens, or INVALID_CONFIG', async () => {
    const stored = fc.oneof(
      fc.record({ version: fc.oneof(fc.constant(1), fc.anything()), accessToken: fc.anything(), tokenType: fc.oneof(fc.constantFrom('Bearer', 'DPoP'), fc.anything()), expiresAt: fc.anything(), refreshToken: fc.anything(), idToken: fc.anything(), scope: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(counted('stored tokens', fc.oneof(stored, stored.map((s) => JSON.stringify(s) as unknown), fc.string())), async (value) => {
        await valueOrTyped(() => UserTokens.fromStorable(value as never));
      }),
      { numRuns: RUNS },
    );
  });

  it('stored sign-in transactions: a finished sign-in, or a typed error', async () => {
    const client = userClient({ token: codeAnswer(signedIdToken()) });
    const transactionArb = fc.oneof(
      fc.record({ state: fc.oneof(fc.string(), fc.constant(transaction.state)), nonce: fc.oneof(fc.string(), fc.constant(transaction.nonce)), codeVerifier: fc.string(), redirectUri: fc.oneof(fc.string(), fc.constant(REDIRECT), fc.webUrl()), createdAt: fc.oneof(fc.integer(), fc.double(), fc.constant(Date.now())), scope: fc.string(), maxAge: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(counted('stored transaction', transactionArb), async (t) => {
        await valueOrTyped(() => client.finishSignIn(goodCallback, t as SignInTransaction));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('regressions (found by these properties, fixed)', () => {
  it('a private JWK with a malformed optional member (p: false) is refused with INVALID_KEY, not a WebCrypto OperationError', async () => {
    const jwk = { ...(realJwks[0]!), p: false };
    const credential = createServiceAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', privateKey: jwk as never, scopes: 'okta.users.read', dpop: 'off', retry: false, fetch: scriptedFetch({ '/oauth2/v1/token': goodToken() }) });
    const error: unknown = await credential.authorize(appRequest).catch((e: unknown) => e);
    expect(isOktaAuthError(error), String(error)).toBe(true);
  });

  it("a JWKS answer with a key WebCrypto cannot import (RSA without n) ends in a typed error, not a DataError", async () => {
    const withoutN: Record<string, unknown> = { ...signingKey.jwk };
    Reflect.deleteProperty(withoutN, 'n');
    const client = userClient({ token: codeAnswer(signedIdToken()), keys: () => json(200, { keys: [withoutN] }) });
    const error: unknown = await client.finishSignIn(goodCallback, transaction).catch((e: unknown) => e);
    expect(isOktaAuthError(error), String(error)).toBe(true);
  });
});

describe('long adversarial inputs finish (no super-linear regular expressions)', () => {
  const long = (unit: string, n = 200_000) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  const inputs = [
    long('a'),
    long(' '),
    long('\t\n'),
    long('-----BEGIN PRIVATE KEY-----'),
    `-----BEGIN PRIVATE KEY-----\n${long('A')}\n-----END PRIVATE KEY-----`,
    `-----BEGIN PRIVATE KEY-----${long('-')}`,
    long('%'),
    long('%2'),
    long('='),
    long('eyJ.'),
    long('"'),
    long('\\'),
    long('{'),
    long('[,'),
    `${REDIRECT}?${long('a=b&')}`,
    `${REDIRECT}#${long('#')}`,
  ];
  it.each(inputs.map((input, i) => [i, input] as const))('input %i through every parser', async (_i, input) => {
    counts['long inputs'] = (counts['long inputs'] ?? 0) + 1;
    const reply: Route = () => new Response(input, { status: 200, headers: { 'content-type': 'application/json' } });
    await valueOrTyped(() => createServiceAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', privateKey: input, scopes: 'okta.users.read', retry: false, fetch: scriptedFetch({}) }));
    await valueOrTyped(() => serviceAppCredentialFromEnv({ OKTA_CLIENT_ORGURL: input, OKTA_CLIENT_CLIENTID: input, OKTA_CLIENT_SCOPES: input, OKTA_CLIENT_PRIVATEKEY: input }));
    await valueOrTyped(() => createOinAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', clientSecret: 'secret-value-123', scopes: 'okta.users.read', retry: false, fetch: scriptedFetch({ '/oauth2/v1/token': reply }) }).authorize(appRequest));
    await valueOrTyped(() => userClient({ discovery: reply }).metadata());
    await valueOrTyped(() => userClient({ token: codeAnswer(signedIdToken()) }).finishSignIn(input, transaction));
    await valueOrTyped(() => userClient({ token: codeAnswer(input) }).finishSignIn(goodCallback, transaction));
    await valueOrTyped(() => userClient({ token: codeAnswer(signedIdToken()), keys: reply }).finishSignIn(goodCallback, transaction));
    await valueOrTyped(() => userClient({ introspect: reply }).introspect('eyJ.some.token'));
    await valueOrTyped(() => UserTokens.fromStorable(input));
  });
});
