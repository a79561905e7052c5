import type { Secret } from '@org/okta-auth-core';
import { base64url, SignJWT } from 'jose';
import { randomId } from '../internal/random.js';
import { signingFailure, type ClientSigningKey } from './client-key.js';

/** What a client authentication method may change on one token request. @internal */
export interface TokenRequestParts {
  /** The token endpoint URL; the `aud` of a client assertion. */
  readonly tokenEndpoint: URL;
  /** The form body (`grant_type`, `scope`, …). */
  readonly body: URLSearchParams;
  readonly headers: Headers;
  /** Current time in seconds, corrected for the server's clock. */
  readonly nowSeconds: number;
}

/**
 * How a client proves who it is to the token endpoint. Called once per token request
 * attempt (so a retried request carries a new assertion). Holds its secret in a closure.
 * @internal
 */
export interface ClientAuthentication {
  readonly clientId: string;
  readonly method: 'private_key_jwt' | 'client_secret_basic' | 'none';
  apply(parts: TokenRequestParts): Promise<void>;
  /**
   * The long-lived secret values (a client secret) that must never appear in messages. What
   * one attempt carries (its client assertion) is found by core from that attempt's form.
   */
  secrets(): readonly string[];
  /**
   * A stable value that proves nothing but names this client authentication, for token cache
   * keys: a keyed hash of the secret, or the public key's thumbprint. Never the secret itself.
   * `undefined` when none can be derived (then the cache key is unique to this object).
   */
  binding?(): Promise<string | undefined>;
}

/**
 * HMAC-SHA-256 keyed with the client secret over a fixed label and the client id, base64url:
 * stable across processes (so a shared store still shares), useless for recovering the secret.
 * @internal
 */
export async function secretBinding(clientId: string, secret: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`okta-oauth token cache binding v1|${clientId}`));
  return base64url.encode(new Uint8Array(mac));
}

/** Client assertion lifetime: short (Okta allows at most an hour), long enough for slow clocks. */
export const clientAssertionLifetimeSeconds = 300;

/**
 * `private_key_jwt` (RFC 7523 §2.2): a fresh signed assertion per attempt with
 * `iss` = `sub` = client id, `aud` = the token endpoint URL, `iat`, `exp` = `iat` + 5 min
 * and a random `jti`; `kid` in the header when known.
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-and-sign-the-jwt
 * @internal
 */
export function privateKeyJwt(clientId: string, signingKey: ClientSigningKey): ClientAuthentication {
  return {
    clientId,
    method: 'private_key_jwt',
    async apply({ tokenEndpoint, body, nowSeconds }) {
      const header = signingKey.keyId === undefined ? { alg: signingKey.algorithm, typ: 'JWT' } : { alg: signingKey.algorithm, typ: 'JWT', kid: signingKey.keyId };
      const key = await signingKey.load();
      const assertion = await new SignJWT({})
        .setProtectedHeader(header)
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(tokenEndpoint.href)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + clientAssertionLifetimeSeconds)
        .setJti(randomId())
        .sign(key)
        .catch((error: unknown) => {
          throw signingFailure(signingKey.algorithm, error);
        });
      body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      body.set('client_assertion', assertion);
    },
    // No shared "last assertion": each attempt's own assertion is in its form, scrubbed by core.
    secrets: () => [],
    binding: async () => {
      const thumbprint = await signingKey.thumbprint();
      return thumbprint === undefined ? undefined : `jkt:${thumbprint}`;
    },
  };
}

function formEncode(value: string): string {
  // RFC 6749 §2.3.1: application/x-www-form-urlencoded before base64.
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * `client_secret_basic` (RFC 6749 §2.3.1): `Authorization: Basic base64(id:secret)`, both parts
 * form-urlencoded first. Used by OIN API service integrations.
 * @see https://developer.okta.com/docs/guides/build-api-integration/main/#request-an-access-token
 * @internal
 */
export function clientSecretBasic(clientId: string, clientSecret: Secret): ClientAuthentication {
  return {
    clientId,
    method: 'client_secret_basic',
    apply({ headers }) {
      const pair = `${formEncode(clientId)}:${formEncode(clientSecret.reveal())}`;
      headers.set('authorization', `Basic ${btoa(pair)}`);
      return Promise.resolve();
    },
    secrets: () => [clientSecret.reveal(), formEncode(clientSecret.reveal()), btoa(`${formEncode(clientId)}:${formEncode(clientSecret.reveal())}`)],
    binding: async () => `hmac:${await secretBinding(clientId, clientSecret.reveal())}`,
  };
}

/**
 * A public client (`token_endpoint_auth_method: none`): sends `client_id` in the body.
 * For user sign-in apps with PKCE.
 * @internal
 */
export function noClientAuthentication(clientId: string): ClientAuthentication {
  return {
    clientId,
    method: 'none',
    apply({ body }) {
      body.set('client_id', clientId);
      return Promise.resolve();
    },
    secrets: () => [],
    binding: () => Promise.resolve('none'),
  };
}
