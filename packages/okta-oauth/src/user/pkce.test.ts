import { describe, expect, it } from 'vitest';
import { randomId } from '@org/okta-auth-core/internal';
import { codeChallengeS256, isValidCodeVerifier } from './pkce.js';

describe('PKCE', () => {
  it('computes the RFC 7636 appendix B example challenge', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes distinct 43-character verifiers that satisfy RFC 7636', () => {
    const a = randomId(32);
    const b = randomId(32);
    expect(a).not.toBe(b);
    expect(a).toHaveLength(43);
    expect(isValidCodeVerifier(a)).toBe(true);
    expect(isValidCodeVerifier('short')).toBe(false);
    expect(isValidCodeVerifier(`${a}!`)).toBe(false);
  });
});
