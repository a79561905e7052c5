/**
 * Core's one check of a configured value in quotes, `quotedProblem`: the problem, or nothing. Each
 * caller refuses in its own words (the org URL's here; `refuseQuoted`'s, the mode's; the API token's;
 * okta-oauth's client id, scopes and key id), and okta-oauth's OIN `invalid_client` hint says it of a
 * secret without a throw to catch (`oin-invalid-client.server.test.ts`).
 */
import { describe, expect, it } from 'vitest';
import { quotedProblem, refuseQuoted } from '../internal.js';
import { parseOrgUrl } from './org-url.js';

const problem = 'is wrapped in quotes (or has one at an end): remove them.';

describe('quotedProblem', () => {
  it.each(['"abc"', "'abc'", '`abc`', '"abc', "abc'", '`'])('%s: the problem', (text) => {
    expect(quotedProblem(text)).toBe(problem);
  });
  it.each(['abc', 'a"b', "it's", ''])('%s: none', (text) => {
    expect(quotedProblem(text)).toBeUndefined();
  });
  it("is the org URL's refusal, in its words", () => {
    expect(() => parseOrgUrl('"https://acme.okta.com"')).toThrow(`The Okta org URL ${problem}`);
  });
});

describe('refuseQuoted', () => {
  it("throws what refuse returns, given quotedProblem's words; calls nothing for a value without quotes", () => {
    expect(() => refuseQuoted('"abc"', (said) => new Error(`The value ${said}`))).toThrow(`The value ${problem}`);
    let called = false;
    refuseQuoted('abc', () => (called = true));
    expect(called).toBe(false);
  });
});
