/**
 * Mutation testing, thirty-first round (`secret.ts`): a text that is nothing but an echo (a request
 * id, a header value, a path echoing a cookie value or a token's half) is masked like one inside a
 * longer text, at the shortest lengths `scrub` matches; only `Basic` credentials are decoded.
 */
import { describe, expect, it } from 'vitest';
import { requestSecrets, scrub } from './secret.js';

describe('scrub: a text that is only the echo', () => {
  it('masks a text that is exactly a secret of 8 to 12 characters (a short cookie value echoed as a request id)', () => {
    for (const secret of ['s3ss10n8', 'sess-10-chr', 'sess-12-chars']) {
      expect(scrub(secret, [secret])).toBe('[redacted]');
      expect(scrub(secret.toUpperCase(), [secret])).toBe('[redacted]');
    }
  });

  it('masks a text that is exactly the first or the last half of a secret (12 characters at least)', () => {
    const token = '00QCjAl4MlV-WPXM0HmjFx-vbGua0HmjFx-Z9a1Q'; // 40 characters: halves of 20
    expect(token).toHaveLength(40);
    for (const half of [token.slice(0, 20), token.slice(20), token.slice(0, 20).toLowerCase()]) {
      expect(scrub(half, [token])).toBe('[redacted]');
    }
    const short = 'abcdefghijklmnopqrstuvwx'; // 24 characters: the 12 at least
    expect(scrub(short.slice(0, 12), [short])).toBe('[redacted]');
    expect(scrub(short.slice(12), [short])).toBe('[redacted]');
    expect(scrub(short.slice(0, 11), [short])).toBe(short.slice(0, 11));
    expect(scrub(token.slice(0, 19), [token])).toBe(token.slice(0, 19));
  });
});

describe('requestSecrets: only Basic credentials are decoded', () => {
  it('lists a Bearer, DPoP or SSWS credential that happens to be base64 as sent, not its decoded bytes', () => {
    const credentials = btoa('0oa-client:secret-value');
    for (const scheme of ['Bearer', 'DPoP', 'SSWS']) {
      expect(requestSecrets(new Headers({ authorization: `${scheme} ${credentials}` }))).toEqual([`${scheme} ${credentials}`, credentials]);
    }
    // What an answer says in words is shown, though it equals what the bytes decode to.
    expect(scrub('no client secret-value here', requestSecrets(new Headers({ authorization: `Bearer ${credentials}` })))).toBe('no client secret-value here');
  });
});
