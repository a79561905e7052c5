import { describe, expect, it } from 'vitest';
import { findChallenge, parseWwwAuthenticate } from './www-authenticate.js';

describe('parseWwwAuthenticate', () => {
  it("reads Okta's insufficient_scope challenge", () => {
    const header =
      'Bearer authorization_uri="http://acme.okta.com/oauth2/v1/authorize", realm="http://acme.okta.com", scope="okta.groups.read", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="/api/v1/groups"';
    const [challenge] = parseWwwAuthenticate(header);
    expect(challenge?.scheme).toBe('Bearer');
    expect(challenge?.params).toMatchObject({
      scope: 'okta.groups.read',
      error: 'insufficient_scope',
      error_description: 'The access token provided does not contain the required scopes.',
      resource: '/api/v1/groups',
    });
  });

  it('reads several challenges, with DPoP algs and a comma inside quotes', () => {
    const header = 'DPoP algs="RS256 RS384 ES256", error="invalid_dpop_proof", error_description="\'htu\' claim, in the proof, is invalid.", Bearer realm="x"';
    const challenges = parseWwwAuthenticate(header);
    expect(challenges.map((c) => c.scheme)).toEqual(['DPoP', 'Bearer']);
    expect(challenges[0]?.params.algs).toBe('RS256 RS384 ES256');
    expect(challenges[0]?.params.error_description).toBe("'htu' claim, in the proof, is invalid.");
    expect(findChallenge(challenges, 'dpop')?.params.error).toBe('invalid_dpop_proof');
    expect(findChallenge(challenges, 'bearer')?.params.realm).toBe('x');
  });

  it('handles bare schemes, token68, escapes, odd spacing and case', () => {
    expect(parseWwwAuthenticate('Basic, Bearer')).toEqual([
      { scheme: 'Basic', params: {} },
      { scheme: 'Bearer', params: {} },
    ]);
    expect(parseWwwAuthenticate('Negotiate abc+/def==')[0]?.token68).toBe('abc+/def==');
    expect(parseWwwAuthenticate('Bearer ERROR = "a\\"b" ,  Realm=x')[0]?.params).toEqual({ error: 'a"b', realm: 'x' });
    expect(parseWwwAuthenticate('DPoP error=use_dpop_nonce')[0]?.params.error).toBe('use_dpop_nonce');
  });

  it('keeps a parameter named like an Object property as its own, and reads no absent one from Object', () => {
    const [challenge] = parseWwwAuthenticate('Bearer constructor="a", __proto__="b", toString=c, error="invalid_token"');
    expect(Object.entries(challenge?.params ?? {})).toEqual([
      ['constructor', 'a'],
      ['__proto__', 'b'],
      ['tostring', 'c'],
      ['error', 'invalid_token'],
    ]);
    const params = parseWwwAuthenticate('Bearer error="invalid_token"')[0]?.params ?? {};
    expect(['constructor', 'hasOwnProperty', 'toString'].filter((name) => name in params)).toEqual([]);
  });

  it('never throws on garbage and gives nothing for absent or huge headers', () => {
    for (const header of ['', ',,,', '"unterminated', '=x', 'Bearer =', 'Bearer a="', 'Bearer a=b c=d', '\u0000\u0001', '=,=,"']) {
      expect(() => parseWwwAuthenticate(header)).not.toThrow();
    }
    expect(parseWwwAuthenticate(null)).toEqual([]);
    expect(parseWwwAuthenticate(`Bearer a="${'x'.repeat(20_000)}"`)).toEqual([]);
  });

  it('reads tabs as white space, and a token68 followed by another challenge', () => {
    expect(parseWwwAuthenticate('Bearer realm="x",\tDPoP\terror="use_dpop_nonce"')).toEqual([
      { scheme: 'Bearer', params: { realm: 'x' } },
      { scheme: 'DPoP', params: { error: 'use_dpop_nonce' } },
    ]);
    expect(parseWwwAuthenticate('Basic dXNlcg==, DPoP error="use_dpop_nonce"')).toEqual([
      { scheme: 'Basic', params: {}, token68: 'dXNlcg==' },
      { scheme: 'DPoP', params: { error: 'use_dpop_nonce' } },
    ]);
  });

  it('skips garbage up to the next comma outside quotes, after a parameter or in place of a scheme', () => {
    const header = 'Bearer error="invalid_token" junk "a, b", "x, DPoP y", DPoP error="use_dpop_nonce"';
    expect(parseWwwAuthenticate(header)).toEqual([
      { scheme: 'Bearer', params: { error: 'invalid_token' } },
      { scheme: 'DPoP', params: { error: 'use_dpop_nonce' } },
    ]);
    // A parameter with no name is no parameter: the challenge ends there, and nothing reads its value.
    const nameless = parseWwwAuthenticate('Bearer =x, error="invalid_token"');
    expect(nameless[0]).toEqual({ scheme: 'Bearer', params: {} });
    expect(nameless.filter((c) => Object.keys(c.params).length > 0)).toEqual([]);
  });

  it('parses a header of 16 KiB, and gives nothing for a longer one', () => {
    const start = 'DPoP error="use_dpop_nonce", x="';
    const header = `${start}${'y'.repeat(16_384 - start.length - 1)}"`;
    expect(header).toHaveLength(16_384);
    expect(parseWwwAuthenticate(header)[0]?.params.error).toBe('use_dpop_nonce');
    expect(parseWwwAuthenticate(`${header} `)).toEqual([]);
  });

  it('reads a token68 after several spaces, and an unterminated quoted value to the end, a last lone backslash kept', () => {
    expect(parseWwwAuthenticate('Negotiate  abc==')[0]?.token68).toBe('abc==');
    expect(parseWwwAuthenticate('Bearer error="a, b')[0]?.params).toEqual({ error: 'a, b' });
    expect(parseWwwAuthenticate('Bearer error="a\\')[0]?.params).toEqual({ error: 'a\\' });
  });

  it('skips a quoted string with an escaped quote in garbage whole', () => {
    expect(parseWwwAuthenticate('Bearer error="x" junk "a\\", DPoP b", DPoP error="use_dpop_nonce"')).toEqual([
      { scheme: 'Bearer', params: { error: 'x' } },
      { scheme: 'DPoP', params: { error: 'use_dpop_nonce' } },
    ]);
  });
});
