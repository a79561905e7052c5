import { inspect } from 'node:util';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError, OktaAuthError } from '../errors/errors.js';
import { envLineBreaks, namingVariable } from './runtime.js';

describe('envLineBreaks', () => {
  // The one reading of a variable's escaped line breaks, for okta-oauth's key reader and the CLI's privateKey alike.
  it('reads a literal \\n and \\r\\n (a Windows .env file) as a line break, and leaves the rest as it is', () => {
    expect(envLineBreaks('-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----')).toBe('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
    expect(envLineBreaks('-----BEGIN PRIVATE KEY-----\\r\\nabc\\r\\n-----END PRIVATE KEY-----')).toBe('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----');
    expect(envLineBreaks('a\nb\\rc\\\\')).toBe('a\nb\\rc\\\\');
  });
});

describe('namingVariable', () => {
  const cause = new TypeError('inner');
  const ours = () => new OktaAuthError('INVALID_ORG_URL', 'The Okta org URL must use https.', { cause });

  it('gives our error the variable: the same error (class, code, cause), its message and stack naming it', () => {
    const thrown = ours();
    const got = failure.sync(() => namingVariable('OKTA_CLIENT_ORGURL', () => { throw thrown; }), isOktaAuthError);
    expect(got).toBe(thrown);
    expect([got.code, got.message, got.envVariable, got.cause]).toEqual(['INVALID_ORG_URL', 'OKTA_CLIENT_ORGURL: The Okta org URL must use https.', 'OKTA_CLIENT_ORGURL', cause]);
    expect(got.stack?.split('\n')[0]).toBe('OktaAuthError: OKTA_CLIENT_ORGURL: The Okta org URL must use https.');
    // A stack already written (read before) is brought up to date too.
    const read = ours();
    expect(read.stack).toMatch(/^OktaAuthError: The Okta/);
    const named = failure.sync(() => namingVariable('OKTA_CLIENT_ORGURL', () => { throw read; }), isOktaAuthError);
    expect(named.stack?.split('\n')[0]).toBe('OktaAuthError: OKTA_CLIENT_ORGURL: The Okta org URL must use https.');
    expect(inspect(named)).toContain("envVariable: 'OKTA_CLIENT_ORGURL'");
  });

  it('keeps a message that already names the variable, and the first variable an inner step named', () => {
    const own = failure.sync(() => namingVariable('OKTA_CLIENT_TOKEN', () => { throw new OktaAuthError('INVALID_CONFIG', 'OKTA_CLIENT_TOKEN is not set.'); }), isOktaAuthError);
    expect([own.message, own.envVariable]).toEqual(['OKTA_CLIENT_TOKEN is not set.', 'OKTA_CLIENT_TOKEN']);
    const inner = failure.sync(() => namingVariable('OKTA_CLIENT_PRIVATEKEY', () => namingVariable('OKTA_CLIENT_KEYID', () => { throw ours(); })), isOktaAuthError);
    expect([inner.message, inner.envVariable]).toEqual(['OKTA_CLIENT_KEYID: The Okta org URL must use https.', 'OKTA_CLIENT_KEYID']);
  });

  it("leaves an error that is none of ours (user code's) untouched, and returns the step's value", () => {
    const foreign = new Error('user code');
    expect(failure.sync(() => namingVariable('OKTA_CLIENT_ORGURL', () => { throw foreign; }))).toBe(foreign);
    expect([foreign.message, 'envVariable' in foreign]).toEqual(['user code', false]);
    expect(namingVariable('OKTA_CLIENT_ORGURL', () => 42)).toBe(42);
  });
});
