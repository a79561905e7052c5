import { randomUUID } from 'node:crypto';
import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, importPKCS8, SignJWT, type CryptoKey, type JWK, type KeyObject } from 'jose';
import type { OktaEmulator, ServiceAppCredentials } from '../index.js';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface AssertionOptions {
  alg?: string;
  kid?: string | null;
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number | null;
  /** `null` leaves `iat` out; default now. */
  iat?: number | null;
  nbf?: number;
  jti?: string | null;
  key?: CryptoKey | KeyObject | Uint8Array;
  nowSeconds?: number;
  /** Claims laid over the assertion's own (a `jti` or `iat` that is not what its type says). */
  claims?: Record<string, unknown>;
}

/** A private_key_jwt client assertion for a service app. */
export async function clientAssertion(org: OktaEmulator, app: ServiceAppCredentials, o: AssertionOptions = {}): Promise<string> {
  const alg = o.alg ?? String(app.privateJwk.alg);
  const key = o.key ?? (await importPKCS8(app.privateKeyPem, alg));
  const now = o.nowSeconds ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: o.iss ?? app.clientId,
    sub: o.sub ?? app.clientId,
    aud: o.aud ?? `${org.url}/oauth2/v1/token`,
  };
  if (o.iat !== null) claims.iat = o.iat ?? now;
  if (o.nbf !== undefined) claims.nbf = o.nbf;
  if (o.exp !== null) claims.exp = o.exp ?? now + 300;
  if (o.jti !== null) claims.jti = o.jti ?? randomUUID();
  Object.assign(claims, o.claims);
  const header: Record<string, unknown> = { alg };
  if (o.kid !== null) header.kid = o.kid ?? app.keyId;
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
}

export interface DpopKey {
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function dpopKey(alg = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, privateKey, publicJwk: await exportJWK(publicKey) };
}

export interface ProofOptions {
  htm?: string;
  htu: string;
  nonce?: string | undefined;
  accessToken?: string | undefined;
  ath?: string;
  iat?: number;
  jti?: string;
  typ?: string;
  jwk?: JWK;
  alg?: string;
  signWith?: CryptoKey | Uint8Array;
  /** Claims laid over the proof's own (`exp`, an `iat` that is not a number). */
  claims?: Record<string, unknown>;
}

export function athOf(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

export async function dpopProof(key: DpopKey, o: ProofOptions): Promise<string> {
  const claims: Record<string, unknown> = {
    htm: o.htm ?? 'POST',
    htu: o.htu,
    iat: o.iat ?? Math.floor(Date.now() / 1000),
    jti: o.jti ?? randomUUID(),
  };
  if (o.nonce !== undefined) claims.nonce = o.nonce;
  if (o.ath !== undefined) claims.ath = o.ath;
  else if (o.accessToken !== undefined) claims.ath = athOf(o.accessToken);
  Object.assign(claims, o.claims);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: o.alg ?? key.alg, typ: o.typ ?? 'dpop+jwt', jwk: o.jwk ?? key.publicJwk })
    .sign(o.signWith ?? key.privateKey);
}

export function form(params: Record<string, string>): { method: 'POST'; headers: Record<string, string>; body: string } {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
  };
}

export async function postToken(org: OktaEmulator, params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  const init = form(params);
  return fetch(`${org.url}/oauth2/v1/token`, { ...init, headers: { ...init.headers, ...headers } });
}

/** client_credentials with private_key_jwt; does the DPoP nonce dance when `key` is given. */
export async function serviceToken(org: OktaEmulator, app: ServiceAppCredentials, scope: string, key?: DpopKey): Promise<{ access_token: string; token_type: string; expires_in: number; scope: string }> {
  const htu = `${org.url}/oauth2/v1/token`;
  let nonce: string | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    const headers: Record<string, string> = key === undefined ? {} : { DPoP: await dpopProof(key, { htu, nonce }) };
    const res = await postToken(org, { grant_type: 'client_credentials', scope, client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(org, app) }, headers);
    const body = await res.json();
    if (res.status === 400 && body.error === 'use_dpop_nonce') {
      nonce = res.headers.get('dpop-nonce') ?? undefined;
      continue;
    }
    if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
    return body;
  }
  throw new Error('nonce dance failed');
}

export async function importPublic(jwk: JWK, alg: string): Promise<CryptoKey> {
  return (await importJWK(jwk, alg)) as CryptoKey;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}
