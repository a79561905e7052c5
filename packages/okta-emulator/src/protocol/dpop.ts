import {
  calculateJwkThumbprint,
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  type JWTPayload,
} from 'jose';
import type { OrgContext } from '../state/context.js';
import { sha256b64url } from '../state/ids.js';

/** The proof signing algorithms Okta accepts (`dpop_signing_alg_values_supported`). */
export const DPOP_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512'] as const;

/** A DPoP proof was rejected; `description` is the `error_description` to send. */
export class DpopProofError extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'DpopProofError';
  }
}

export interface ProofExpectations {
  htm: string;
  /** The exact `htu` expected: origin + percent-decoded path, no query. */
  htu: string;
  /** When given, the proof must carry `ath` = base64url(SHA-256(token)). */
  accessToken?: string | undefined;
}

export interface VerifiedProof {
  /** The SHA-256 JWK thumbprint of the proof key. */
  jkt: string;
  nonce: string | undefined;
}

/**
 * Read the single `DPoP` header (a repeated header is an invalid proof). Node joins repeated header lines
 * with ", ", and a JWT has no comma, so a comma is a second proof.
 */
export function proofHeader(headers: Record<string, string | string[] | undefined>): string | undefined {
  const raw = headers.dpop;
  if (Array.isArray(raw) || raw?.includes(',') === true) throw new DpopProofError('Multiple DPoP proof JWT headers are not allowed.');
  return raw === undefined || raw === '' ? undefined : raw;
}

/**
 * Verify a DPoP proof (RFC 9449 section 4.3): `typ`, asymmetric `alg`, public `jwk`, signature,
 * `htm`, `htu`, `iat` window, unique `jti` and (for resource calls) `ath`. Nonce checking is left
 * to the caller, which knows whether one is required.
 */
export async function verifyDpopProof(ctx: OrgContext, proof: string, expect: ProofExpectations): Promise<VerifiedProof> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(proof);
  } catch {
    throw new DpopProofError('The DPoP proof JWT cannot be parsed.');
  }
  if (header.typ !== 'dpop+jwt') throw new DpopProofError("'typ' must be 'dpop+jwt' in the DPoP proof JWT.");
  const alg = header.alg ?? '';
  if (!(DPOP_ALGS as readonly string[]).includes(alg)) {
    throw new DpopProofError('The DPoP proof JWT signature algorithm is invalid.');
  }
  const jwk = header.jwk;
  // No catalogue entry names the jwk header: a missing or private one fails like any invalid proof.
  if (jwk === undefined || typeof jwk !== 'object' || 'd' in jwk || (jwk.kty !== 'RSA' && jwk.kty !== 'EC')) {
    throw new DpopProofError('The DPoP proof JWT is invalid.');
  }

  let payload: JWTPayload;
  try {
    // The signature only: the claims are checked below, each with the catalogue's wording.
    await compactVerify(proof, await importJWK(jwk, alg), { algorithms: [alg] });
    payload = decodeJwt(proof);
  } catch {
    throw new DpopProofError('The DPoP proof JWT signature is invalid.');
  }

  if (payload.htm !== expect.htm) throw new DpopProofError("'htm' claim in the DPoP proof JWT is invalid.");
  if (payload.htu !== expect.htu) throw new DpopProofError("'htu' claim in the DPoP proof JWT is invalid.");
  const now = ctx.clock.nowSeconds();
  const { iat } = payload;
  if (typeof iat !== 'number') throw new DpopProofError("'iat' claim in the DPoP proof JWT is invalid.");
  if (iat - now > ctx.settings.proofMaxFutureSeconds) throw new DpopProofError('The DPoP proof JWT is issued in the future.');
  if (now - iat > ctx.settings.proofMaxAgeSeconds) throw new DpopProofError('The DPoP proof JWT is issued more than five minutes in the past.');
  // exp and nbf are optional in a proof (RFC 9449 §4.2); when present they hold (RFC 7519 §4.1.4, §4.1.5).
  const { exp, nbf } = payload;
  if (exp !== undefined && (typeof exp !== 'number' || exp <= now)) throw new DpopProofError('The DPoP proof JWT is expired.');
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) throw new DpopProofError('The DPoP proof JWT is invalid.');
  if (typeof payload.jti !== 'string' || payload.jti === '') {
    throw new DpopProofError("'jti' claim in the DPoP proof JWT is invalid.");
  }
  if (expect.accessToken !== undefined && payload.ath !== sha256b64url(expect.accessToken)) {
    throw new DpopProofError("'ath' claim in the DPoP proof does not match the presented access_token.");
  }

  if (!spendProofJti(ctx, payload.jti)) throw new DpopProofError('The DPoP proof JWT has already been used.');

  const jkt = await calculateJwkThumbprint(jwk, 'sha256');
  return { jkt, nonce: typeof payload.nonce === 'string' ? payload.nonce : undefined };
}

/** Record `jti` as used until a proof carrying it is too old anyway; `false` when it was already. */
function spendProofJti(ctx: OrgContext, jti: string): boolean {
  const seen = ctx.store.proofJtis;
  const nowMs = ctx.clock.nowMs();
  if ((seen.get(jti) ?? 0) >= nowMs) return false;
  seen.set(jti, nowMs + (ctx.settings.proofMaxAgeSeconds + ctx.settings.proofMaxFutureSeconds + 60) * 1000);
  return true;
}

/**
 * Spend the `jti` of the request's DPoP proof, unverified, when a 429 answers it before the proof is
 * read: Okta refuses the same proof re-sent after its 429 ("The DPoP proof JWT has already been
 * used."). A header that is no single JWT, or a `jti` that is no string of 1 to 256 characters, is left.
 *
 * @example
 * ```ts
 * spendProofOf429(ctx, req.headers); // before writing the 429
 * ```
 * @see https://github.com/okta/terraform-provider-okta/issues/2392
 */
export function spendProofOf429(ctx: OrgContext, headers: Record<string, string | string[] | undefined>): void {
  try {
    const proof = proofHeader(headers);
    const jti = proof === undefined ? undefined : decodeJwt(proof).jti;
    if (typeof jti === 'string' && jti !== '' && jti.length <= 256) spendProofJti(ctx, jti);
  } catch {
    // not a proof: nothing to spend
  }
}

/** The `htu` Okta expects for a request: origin + percent-decoded path, no query or fragment. */
export function expectedHtu(origin: string, rawPath: string): string {
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // keep the raw path; the proof will not match it anyway
  }
  return `${origin}${path}`;
}
