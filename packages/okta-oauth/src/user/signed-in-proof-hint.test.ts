/**
 * The root sign-in client's hint for an API's refusal of a DPoP proof (`signedInProofHint`): given
 * when one of the answer's challenges is `invalid_dpop_proof`, whichever it is, and only then.
 */
import { describe, expect, it } from 'vitest';
import { signedInProofHint } from './signed-in-proof-hint.js';

const hint =
  'Okta refused the DPoP proof: DPoP-bound tokens need the DPoP key they were issued with (give the sign-in client that same dpopKeyPair: one made without it has a new key); otherwise check the system clock.';
const answer = (challenge?: string): Response => new Response(null, { status: 401, headers: challenge === undefined ? {} : { 'www-authenticate': challenge } });

describe('signedInProofHint', () => {
  it.each([
    ['DPoP error="invalid_dpop_proof"', hint],
    // Okta lists a Bearer challenge beside the DPoP one: the DPoP one's error is enough.
    ['Bearer realm="api", DPoP algs="ES256", error="invalid_dpop_proof"', hint],
    ['DPoP error="invalid_token"', undefined],
    ['Bearer realm="api"', undefined],
    [undefined, undefined],
  ])('%s: %s', (challenge, expected) => {
    expect(signedInProofHint(answer(challenge))).toBe(expected);
  });
});
