import { Secret } from '@org/okta-auth-core';
import { SignJWT, importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { OktaSignInError } from './errors.js';
import { randomToken } from './pkce.js';

/** The client-authentication methods the sign-in client uses at Okta's token, revocation and introspection endpoints. */
export type ClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/**
 * A private key for `private_key_jwt`: a WebCrypto `CryptoKey` (may be
 * non-extractable), a private JWK, or a PKCS #8 PEM string.
 */
export type PrivateKeyInput = CryptoKey | JWK | string;

/**
 * Adds client authentication to one request to an OAuth endpoint. Holds the
 * secret in its closure. @internal
 */
export interface ClientAuth {
  readonly method: ClientAuthMethod;
  apply(endpoint: URL, body: URLSearchParams, headers: Headers): Promise<void>;
}

const signingAlgs = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;
type SigningAlg = (typeof signingAlgs)[number];

function algForJwk(jwk: JWK): SigningAlg {
  if (typeof jwk.alg === 'string') {
    if ((signingAlgs as readonly string[]).includes(jwk.alg)) return jwk.alg as SigningAlg;
    throw new OktaSignInError('INVALID_CONFIG', `privateKey: alg "${jwk.alg}" is not one Okta accepts (${signingAlgs.join(', ')}).`);
  }
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384';
  if (jwk.kty === 'EC' && jwk.crv === 'P-521') return 'ES512';
  throw new OktaSignInError('INVALID_CONFIG', 'privateKey: use an RSA or EC (P-256, P-384, P-521) key.');
}

function algForCryptoKey(key: CryptoKey): SigningAlg {
  const algorithm = key.algorithm as { name: string; hash?: { name: string }; namedCurve?: string };
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') {
    const bits = algorithm.hash?.name.replace('SHA-', '') ?? '256';
    return `RS${bits}` as SigningAlg;
  }
  if (algorithm.name === 'ECDSA') {
    const curve = algorithm.namedCurve?.replace('P-', '');
    return curve === '521' ? 'ES512' : curve === '384' ? 'ES384' : 'ES256';
  }
  throw new OktaSignInError('INVALID_CONFIG', `privateKey: a ${algorithm.name} CryptoKey cannot sign a client assertion; use RSASSA-PKCS1-v1_5 or ECDSA.`);
}

async function importPem(pem: string): Promise<{ key: CryptoKey; alg: SigningAlg }> {
  for (const alg of ['RS256', 'ES256', 'ES384', 'ES512'] as const) {
    try {
      return { key: await importPKCS8(pem, alg), alg };
    } catch {
      // try the next key type
    }
  }
  throw new OktaSignInError('INVALID_CONFIG', 'privateKey: the PEM is not a PKCS #8 RSA or EC private key ("-----BEGIN PRIVATE KEY-----").');
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;
}

/**
 * Validates the client-authentication options up front and returns the
 * authenticator. @internal
 */
export function createClientAuth(options: {
  readonly clientId: string;
  readonly clientSecret?: string | Secret | undefined;
  readonly privateKey?: PrivateKeyInput | undefined;
  readonly keyId?: string | undefined;
  readonly clientAuthMethod?: 'client_secret_basic' | 'client_secret_post' | undefined;
  readonly now: () => number;
}): ClientAuth {
  const { clientId } = options;
  if (options.clientSecret !== undefined && options.privateKey !== undefined) {
    throw new OktaSignInError('INVALID_CONFIG', 'Pass clientSecret or privateKey, not both.');
  }
  if (options.clientSecret !== undefined) {
    const secret = options.clientSecret instanceof Secret ? options.clientSecret : new Secret(options.clientSecret);
    if (typeof secret.reveal() !== 'string' || secret.reveal().trim() === '') {
      throw new OktaSignInError('INVALID_CONFIG', 'clientSecret is empty.');
    }
    const method = options.clientAuthMethod ?? 'client_secret_basic';
    return {
      method,
      apply(_endpoint, body, headers) {
        if (method === 'client_secret_post') {
          body.set('client_id', clientId);
          body.set('client_secret', secret.reveal());
        } else {
          // RFC 6749 §2.3.1: both values are form-urlencoded before base64.
          const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
          headers.set('authorization', `Basic ${btoa(`${encode(clientId)}:${encode(secret.reveal())}`)}`);
        }
        return Promise.resolve();
      },
    };
  }
  if (options.privateKey !== undefined) {
    const input = options.privateKey;
    let loaded: Promise<{ key: CryptoKey; alg: SigningAlg; kid: string | undefined }>;
    if (typeof input === 'string') {
      if (!input.includes('-----BEGIN')) throw new OktaSignInError('INVALID_CONFIG', 'privateKey: a string must be a PKCS #8 PEM.');
      loaded = importPem(input).then((imported) => ({ ...imported, kid: options.keyId }));
    } else if (isCryptoKey(input)) {
      if (input.type !== 'private') throw new OktaSignInError('INVALID_CONFIG', 'privateKey: the CryptoKey is not a private key.');
      const alg = algForCryptoKey(input);
      loaded = Promise.resolve({ key: input, alg, kid: options.keyId });
    } else if (typeof input === 'object' && typeof input.kty === 'string') {
      const jwk = input;
      if (typeof jwk.d !== 'string') throw new OktaSignInError('INVALID_CONFIG', 'privateKey: the JWK is a public key (no "d").');
      const alg = algForJwk(jwk);
      loaded = importJWK(jwk, alg).then((key) => ({ key: key as CryptoKey, alg, kid: options.keyId ?? jwk.kid }));
    } else {
      throw new OktaSignInError('INVALID_CONFIG', 'privateKey must be a CryptoKey, a private JWK or a PKCS #8 PEM string.');
    }
    loaded.catch(() => undefined);
    return {
      method: 'private_key_jwt',
      async apply(endpoint, body) {
        const { key, alg, kid } = await loaded;
        const now = Math.floor(options.now() / 1000);
        // Okta requires aud = the endpoint invoked (client_assertion_invalid_audience otherwise).
        const assertion = await new SignJWT({})
          .setProtectedHeader(kid === undefined ? { alg } : { alg, kid })
          .setIssuer(clientId)
          .setSubject(clientId)
          .setAudience(`${endpoint.origin}${endpoint.pathname}`)
          .setIssuedAt(now)
          .setExpirationTime(now + 300)
          .setJti(randomToken(16))
          .sign(key);
        body.set('client_id', clientId);
        body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
        body.set('client_assertion', assertion);
      },
    };
  }
  return {
    method: 'none',
    apply(_endpoint, body) {
      body.set('client_id', clientId);
      return Promise.resolve();
    },
  };
}
