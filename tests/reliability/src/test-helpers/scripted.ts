import { createSign, type KeyObject } from 'node:crypto';
import { newKeyPair } from '@org/okta-test-utils';

/** A scripted org: no sockets, each path answers what the test says. Origin https://acme.okta.com. */
export const ORIGIN = 'https://acme.okta.com';
export const REDIRECT = 'https://app.example.com/callback';

export type Route = (request: Request) => Response | Promise<Response>;

export function scriptedFetch(routes: Record<string, Route>): typeof fetch & { calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const f = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    calls.set(url.pathname, (calls.get(url.pathname) ?? 0) + 1);
    if (url.origin !== ORIGIN) throw new Error(`scripted org: a request left the org origin: ${url.origin}`);
    const route = routes[url.pathname];
    if (route === undefined) return json(404, { errorCode: 'E0000007', errorSummary: 'Not found' });
    return route(request);
  };
  return Object.assign(f, { calls });
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', date: new Date().toUTCString(), ...headers } });
}

/** An org authorization server's discovery document, for `origin` (the scripted org by default). */
export function discoveryDocument(origin = ORIGIN): Record<string, unknown> {
  return {
    issuer: origin,
    authorization_endpoint: `${origin}/oauth2/v1/authorize`,
    token_endpoint: `${origin}/oauth2/v1/token`,
    jwks_uri: `${origin}/oauth2/v1/keys`,
    userinfo_endpoint: `${origin}/oauth2/v1/userinfo`,
    revocation_endpoint: `${origin}/oauth2/v1/revoke`,
    introspection_endpoint: `${origin}/oauth2/v1/introspect`,
    device_authorization_endpoint: `${origin}/oauth2/v1/device/authorize`,
    end_session_endpoint: `${origin}/oauth2/v1/logout`,
    authorization_response_iss_parameter_supported: true,
    code_challenge_methods_supported: ['S256'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code'],
  };
}

/** The org's ID-token signing key. */
export const signingKey: { privateKey: KeyObject; jwk: Record<string, unknown> } = (() => {
  const { privateKey, publicKey } = newKeyPair({ type: 'rsa', modulusLength: 2048 });
  return { privateKey, jwk: { ...(publicKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: 'k1', alg: 'RS256', use: 'sig' } };
})();

const b64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** Signs a JWT with RS256 (or returns it unsigned-looking for other algs), with any header and claims. */
export function signJwt(header: Record<string, unknown>, claims: unknown, key: KeyObject = signingKey.privateKey): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key);
  return `${input}.${b64url(signature)}`;
}

export function idTokenClaims(clientId: string, nonce: string, nowSeconds = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return { iss: ORIGIN, aud: clientId, sub: '00u1', iat: nowSeconds, exp: nowSeconds + 3600, nonce, auth_time: nowSeconds, name: 'Ada' };
}

/** A good token answer (Bearer by default) for `/oauth2/v1/token`. */
export const goodToken = (type = 'Bearer'): Route => () => json(200, { access_token: 'eyJ.good.token', token_type: type, expires_in: 3600, scope: 'okta.users.read' });

/** The Okta API request an app credential authorizes in the tests. */
export const appRequest = { method: 'GET', url: new URL(`${ORIGIN}/api/v1/users`), signal: new AbortController().signal };
