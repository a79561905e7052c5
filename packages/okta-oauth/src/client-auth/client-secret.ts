import { Secret } from '@org/okta-auth-core';
import { isSecret } from '@org/okta-auth-core/internal';
import { configError, readOptions } from '../errors.js';
import { keyParams } from '../internal/jws.js';
import { refusedName } from '../internal/algorithms.js';
import { addClientAssertion } from './assertion.js';
import { serverClock } from '../internal/server-clock.js';
import { secretBinding, withBinding, withServerClock, type ClientAuth } from './client-auth.js';

/** RFC 6749 §2.3.1: `application/x-www-form-urlencoded` before base64. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The secret, checked: non-empty printable ASCII (a stored secret with a line break fails here, not at Okta). @internal */
export function checkClientSecret(value: unknown, what = 'clientSecret'): Secret {
  const raw = isSecret(value) ? value.reveal() : value;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw configError(`${what} is missing or empty: give the client secret of the app (Okta Admin Console, the app's General tab).`);
  }
  if (!/^[\x20-\x7E]+$/.test(raw.trim())) {
    throw configError(`${what} contains characters a client secret cannot have (line breaks or non-ASCII); check how it was stored.`);
  }
  return new Secret(raw.trim());
}

const secretValues = (secret: Secret): string[] => [secret.reveal(), formEncode(secret.reveal())];

/** Token cache keys name a secret method by an HMAC keyed with the secret (never the secret). */
const bySecret = <T extends ClientAuth>(auth: T, secret: Secret): T => withBinding(auth, async (clientId) => `hmac:${await secretBinding(clientId, secret.reveal())}`);

/**
 * `client_secret_basic` (RFC 6749 §2.3.1): `Authorization: Basic base64(id:secret)`, both parts
 * form-encoded first. Okta's default for apps with a secret, and what OIN integrations use.
 *
 * @example
 * ```ts
 * import { createSignInClient, clientSecretBasic } from '@org/okta-oauth';
 *
 * const client = createSignInClient({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1b2c3d4',
 *   clientAuth: clientSecretBasic(process.env.OKTA_CLIENT_SECRET!),
 *   redirectUri: 'https://app.example.com/callback',
 *   scopes: ['openid', 'okta.users.read'],
 * });
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/#client-secret
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientSecretBasic(clientSecret: string | Secret): ClientAuth {
  const secret = checkClientSecret(clientSecret);
  return bySecret({
    method: 'client_secret_basic',
    apply({ clientId, headers }) {
      headers.set('authorization', `Basic ${btoa(`${formEncode(clientId)}:${formEncode(secret.reveal())}`)}`);
    },
    secrets: () => secretValues(secret),
  }, secret);
}

/**
 * `client_secret_post` (RFC 6749 §2.3.1): `client_id` and `client_secret` in the form body.
 *
 * @example
 * ```ts
 * import { createOinAppCredential, clientSecretPost } from '@org/okta-oauth';
 *
 * const credential = createOinAppCredential({
 *   orgUrl: 'https://customer.okta.com',
 *   clientId: '0oa9xyz',
 *   clientAuth: clientSecretPost(process.env.OKTA_CLIENT_SECRET!),
 *   scopes: ['okta.users.read'],
 * });
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/#client-secret
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientSecretPost(clientSecret: string | Secret): ClientAuth {
  const secret = checkClientSecret(clientSecret);
  return bySecret({
    method: 'client_secret_post',
    apply({ clientId, body }) {
      body.set('client_id', clientId);
      body.set('client_secret', secret.reveal());
    },
    secrets: () => secretValues(secret),
  }, secret);
}

/** The HMAC algorithms Okta accepts for `client_secret_jwt`. */
const hmacAlgorithms: readonly string[] = ['HS256', 'HS384', 'HS512'];

/**
 * Options of {@link clientSecretJwt}.
 *
 * @example
 * ```ts
 * const options: ClientSecretJwtOptions = { algorithm: 'HS512' };
 * const clientAuth = clientSecretJwt(process.env.OKTA_CLIENT_SECRET!, options);
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.2
 */
export interface ClientSecretJwtOptions {
  /** The HMAC algorithm of the assertion: `'HS256'` (the default), `'HS384'` or `'HS512'`; anything else is `INVALID_CONFIG`. */
  readonly algorithm?: 'HS256' | 'HS384' | 'HS512' | undefined;
}

/**
 * `client_secret_jwt` (RFC 7523 §2.2, OpenID Connect Core §9): a fresh JWT per attempt, HMAC
 * signed with the client secret (HS256 unless `algorithm` says HS384 or HS512), with
 * `iss` = `sub` = client id, `aud` = the endpoint invoked, `exp` 5 minutes ahead and a random
 * `jti`. The secret itself never leaves the process. It must be at least 32 bytes (RFC 7518
 * §3.2); Okta's generated secrets are.
 *
 * @example
 * ```ts
 * import { createSignInClient, clientSecretJwt } from '@org/okta-oauth';
 *
 * const client = createSignInClient({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1b2c3d4',
 *   clientAuth: clientSecretJwt(process.env.OKTA_CLIENT_SECRET!),
 *   redirectUri: 'https://app.example.com/callback',
 *   scopes: ['openid', 'okta.users.read'],
 * });
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/#jwt-with-shared-key
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export function clientSecretJwt(clientSecret: string | Secret, options?: ClientSecretJwtOptions): ClientAuth {
  const secret = checkClientSecret(clientSecret);
  const alg = readOptions(options, 'clientSecretJwt(clientSecret, options)').algorithm ?? 'HS256';
  if (!hmacAlgorithms.includes(alg)) throw configError(`clientSecretJwt: algorithm ${refusedName(alg)} is not one Okta accepts: use HS256, HS384 or HS512.`);
  const bytes = new TextEncoder().encode(secret.reveal());
  if (bytes.length < 32) throw configError(`clientSecretJwt: the client secret has ${bytes.length} bytes; an HMAC client assertion needs at least 32 (RFC 7518 §3.2). Generate a new secret in Okta.`);
  let key: ReturnType<typeof crypto.subtle.importKey> | undefined;
  return withServerClock(bySecret({
    method: 'client_secret_jwt',
    apply(request) {
      key ??= crypto.subtle.importKey('raw', bytes, keyParams(alg), false, ['sign']);
      const signing = key;
      return addClientAssertion(request, {
        alg,
        kid: undefined,
        sign: async (data) => new Uint8Array(await crypto.subtle.sign('HMAC', await signing, data)),
      });
    },
    secrets: () => secretValues(secret),
  }, secret), serverClock);
}

/**
 * `none`: a public client (SPA, native app, CLI) that has no secret sends only `client_id`
 * in the body, and proves the sign-in with PKCE. The sign-in client's default.
 *
 * @example
 * ```ts
 * import { createSignInClient, noClientAuth } from '@org/okta-oauth';
 *
 * const client = createSignInClient({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1b2c3d4',
 *   clientAuth: noClientAuth(),
 *   redirectUri: 'http://localhost:5173/callback',
 *   scopes: ['openid', 'okta.users.read'],
 * });
 * ```
 * @see https://developer.okta.com/docs/api/openapi/okta-oauth/guides/client-auth/#no-client-authentication
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.1
 */
export function noClientAuth(): ClientAuth {
  const auth: ClientAuth = {
    method: 'none',
    apply({ clientId, body }) {
      body.set('client_id', clientId);
    },
  };
  return auth;
}
