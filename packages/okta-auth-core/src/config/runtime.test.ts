import { inspect } from 'node:util';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError, OktaAuthError } from '../errors/errors.js';
import { checkedEnv, envLineBreaks, namingVariable, refuseNamed } from './runtime.js';

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

describe('checkedEnv', () => {
  const refuse = (message: string) => new OktaAuthError('INVALID_CONFIG', message);
  const https = (value: string) => {
    if (!value.startsWith('https://')) throw new OktaAuthError('INVALID_ORG_URL', 'The Okta org URL must use https.');
  };

  it("returns the value as read once the check accepts it, and an unset optional one without checking it", () => {
    expect(checkedEnv('OKTA_CLIENT_ORGURL', () => ' https://acme.okta.com', (value) => https(value.trim()))).toBe(' https://acme.okta.com');
    expect(checkedEnv('OKTA_CLIENT_REDIRECTURI', () => undefined, () => { throw new Error('not called'); })).toBeUndefined();
  });

  it("names the variable in the check's error and in the reading's (an unset required variable)", () => {
    const checked = failure.sync(() => checkedEnv('OKTA_CLIENT_ORGURL', () => 'http://acme.okta.com', https), isOktaAuthError);
    expect([checked.code, checked.message, checked.envVariable]).toEqual(['INVALID_ORG_URL', 'OKTA_CLIENT_ORGURL: The Okta org URL must use https.', 'OKTA_CLIENT_ORGURL']);
    const read = failure.sync(() => checkedEnv('OKTA_CLIENT_TOKEN', () => { throw refuse('OKTA_CLIENT_TOKEN is not set.'); }, () => undefined), isOktaAuthError);
    expect([read.code, read.message, read.envVariable]).toEqual(['INVALID_CONFIG', 'OKTA_CLIENT_TOKEN is not set.', 'OKTA_CLIENT_TOKEN']);
  });
});

describe('refuseNamed', () => {
  it('returns the same error named as namingVariable names it, to throw', () => {
    const error = new OktaAuthError('INVALID_CONFIG', 'Set it to SSWS.');
    const got = refuseNamed('OKTA_CLIENT_AUTHORIZATIONMODE', error);
    expect(got).toBe(error);
    expect([got.message, got.envVariable]).toEqual(['OKTA_CLIENT_AUTHORIZATIONMODE: Set it to SSWS.', 'OKTA_CLIENT_AUTHORIZATIONMODE']);
    expect(got.stack?.split('\n')[0]).toBe('OktaAuthError: OKTA_CLIENT_AUTHORIZATIONMODE: Set it to SSWS.');
    const own = refuseNamed('OKTA_CLIENT_TOKEN', new OktaAuthError('INVALID_CONFIG', 'OKTA_CLIENT_TOKEN is not set.'));
    expect([own.message, own.envVariable]).toEqual(['OKTA_CLIENT_TOKEN is not set.', 'OKTA_CLIENT_TOKEN']);
  });

  it('names an error whose stack is gone (a runtime or user code that left none), without throwing', () => {
    const error = new OktaAuthError('INVALID_CONFIG', 'Set it to SSWS.');
    delete error.stack;
    const got = refuseNamed('OKTA_CLIENT_AUTHORIZATIONMODE', error);
    expect([got.message, got.envVariable, got.stack]).toEqual(['OKTA_CLIENT_AUTHORIZATIONMODE: Set it to SSWS.', 'OKTA_CLIENT_AUTHORIZATIONMODE', undefined]);
  });

  it("leaves an error that is not ours, or already names a variable, as it is", () => {
    const foreign = new Error('user code');
    expect(refuseNamed('OKTA_CLIENT_ORGURL', foreign)).toBe(foreign);
    expect([foreign.message, 'envVariable' in foreign]).toEqual(['user code', false]);
    const inner = refuseNamed('OKTA_CLIENT_KEYID', new OktaAuthError('INVALID_CONFIG', 'Bad kid.'));
    expect(refuseNamed('OKTA_CLIENT_PRIVATEKEY', inner).envVariable).toBe('OKTA_CLIENT_KEYID');
    expect(inner.message).toBe('OKTA_CLIENT_KEYID: Bad kid.');
  });
});
