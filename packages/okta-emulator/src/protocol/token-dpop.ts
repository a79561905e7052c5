import type { OrgContext } from '../state/context.js';
import { DpopProofError, proofHeader, verifyDpopProof } from './dpop.js';
import { OAuthFailure } from '../http/errors.js';
import type { EmuRequest } from '../http/http-types.js';
import type { AppRecord } from '../state/model.js';

/**
 * DPoP at the token endpoint (RFC 9449 section 5, Okta's flow). For an app that requires DPoP:
 * no proof → `invalid_dpop_proof` "The DPoP proof JWT header is missing."; a bad proof →
 * `invalid_dpop_proof`; a proof without a current nonce → `use_dpop_nonce` with `DPoP-Nonce`.
 * Returns the proof key's thumbprint to bind the tokens to. For other apps a proof is ignored and
 * tokens are Bearer (see the README's fidelity notes).
 */
export async function tokenEndpointDpop(ctx: OrgContext, req: EmuRequest, app: AppRecord, endpoint: string): Promise<string | undefined> {
  if (!app.requireDpop) return undefined;
  try {
    const proof = proofHeader(req.headers);
    if (proof === undefined) throw new DpopProofError('The DPoP proof JWT header is missing.');
    const verified = await verifyDpopProof(ctx, proof, { htm: 'POST', htu: endpoint });
    if (verified.nonce === undefined || !ctx.nonces.isAcceptable(verified.nonce)) {
      throw new OAuthFailure(400, 'use_dpop_nonce', 'Authorization server requires nonce in DPoP proof.', {
        'DPoP-Nonce': ctx.nonces.current(),
      });
    }
    return verified.jkt;
  } catch (e) {
    if (e instanceof DpopProofError) throw new OAuthFailure(400, 'invalid_dpop_proof', e.description);
    throw e;
  }
}
