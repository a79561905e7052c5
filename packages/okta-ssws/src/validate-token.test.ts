import { describe, expect, it } from 'vitest';
import { failure } from '@org/okta-test-utils';
import { isOktaSswsError } from './errors.js';
import { validateApiToken } from './validate-token.js';

const refusal = (input: unknown) => failure.sync(() => validateApiToken(input, 'OKTA_CLIENT_TOKEN'), isOktaSswsError);

describe('validateApiToken', () => {
  it('names where the token came from, and what it got instead of a string', () => {
    const error = refusal(null);
    expect([error.name, error.code, error.message]).toEqual(['OktaSswsError', 'INVALID_TOKEN', 'The Okta API token (OKTA_CLIENT_TOKEN) must be a string, got null.']);
  });

  it('takes 20 to 200 characters, and refuses one more or one fewer', () => {
    for (const length of [20, 200]) expect(validateApiToken('0'.repeat(length), 'token')).toHaveLength(length);
    for (const length of [19, 201]) expect(refusal('0'.repeat(length)).message).toContain(`has ${length} characters`);
  });

  it('refuses placeholders long enough to pass as a token, in every spelling', () => {
    for (const input of ['x'.repeat(42), 'XXXXXX', 'changeme', 'token', 'yourtoken', 'my api token', 'YOUR_API_TOKEN', 'yourapitoken', 'my-apitoken']) {
      expect(refusal(input).message).toContain('is still a placeholder');
    }
  });

  // A JWE (RFC 7516 compact form: five segments, the first a JSON header) is an encrypted ID or
  // access token, never an API token, whatever its length: the message points to @org/okta-oauth.
  it('refuses an encrypted token (a five-segment JWE), short or of a real encrypted ID token\'s length', () => {
    const json = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const part = (length: number) => 'Qx-_9'.repeat(length).slice(0, length);
    const short = `${json({ alg: 'dir', enc: 'A128GCM' })}..${part(16)}.${part(24)}.${part(22)}`;
    const idToken = `${json({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'k1', cty: 'JWT' })}.${part(342)}.${part(16)}.${part(1100)}.${part(22)}`;
    for (const jwe of [short, idToken]) {
      expect(refusal(jwe).message).toMatch(/looks like an OAuth access or ID token.*@org\/okta-oauth/);
    }
    expect(short.length).toBeLessThanOrEqual(200);
  });

  // Each was sent as `SSWS <value>`, and Okta's 401 then said to create a new token: the new one,
  // pasted the same way, failed the same way.
  it('refuses what no API token holds, saying what to fix and quoting none of it', () => {
    const token = '00QCjAl4MlV-WPXMsentinelSswsToken0HmjFxZ9';
    for (const [input, problem] of [
      // The example of Okta's own documentation, shortened with "...".
      ['00QCjAl4MlV-WPXM...0HmjFx-vbGua', 'is shortened ("..." inside it'],
      [`${token.slice(0, 16)}\u2026${token.slice(-12)}`, 'is shortened'],
      // A line of a .env file or a shell script.
      [`OKTA_CLIENT_TOKEN=${token}`, 'is a whole NAME=value line: pass only the value after "=".'],
      [`export OKTA_CLIENT_TOKEN=${token}`, 'is a whole NAME=value line'],
      // Half a pair of quotes.
      [`"${token}`, 'is wrapped in quotes (or has one at an end): remove them.'],
      [`${token}'`, 'is wrapped in quotes'],
      // A scheme other than "SSWS ", or SSWS with another separator.
      [`SSWS:${token}`, 'starts with "SSWS ", another scheme or a header name'],
      [`SSWS=${token}`, 'another scheme'],
      [`Basic ${token}`, 'another scheme'],
      [`Token ${token}`, 'another scheme'],
      [`Bearer ${token}`, 'another scheme'],
      // Punctuation around it, a percent-encoded or masked copy, a URL in the wrong variable.
      [`${token};`, 'contains characters an API token never has (it has only letters, digits, "-" and "_"'],
      [`${token},`, 'contains characters an API token never has'],
      [`${token}\\`, 'contains characters an API token never has'],
      [`${token.slice(0, 10)}%2F${token.slice(10)}`, 'contains characters an API token never has'],
      ['*'.repeat(42), 'contains characters an API token never has'],
      ['https://acme.okta.com', 'contains characters an API token never has'],
      [`00aaaaaaaaaaaaaaaaaaaa.${'b'.repeat(20)}`, 'contains characters an API token never has'],
    ] as const) {
      const error = refusal(input);
      expect(error.message, input).toContain(problem);
      expect(error.message, input).not.toContain(token.slice(2, 18));
    }
  });

  it('refuses a JWT whose segments are padded, as a JWT', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0=.c2lnbmF0dXJl==';
    for (const input of [jwt, `Bearer ${jwt}`, `DPoP ${jwt}`]) expect(refusal(input).message).toMatch(/looks like an OAuth access or ID token/);
  });

  it('says a missing token is not set, naming where it goes', () => {
    expect(failure.sync(() => validateApiToken(undefined, 'token'), isOktaSswsError).message).toBe('The Okta API token (token) is not set: pass the API token as the token option.');
    expect(refusal(undefined).message).toBe('The Okta API token (OKTA_CLIENT_TOKEN) is not set: pass the API token as OKTA_CLIENT_TOKEN.');
  });

  it('accepts every shape of Okta API token: 00 then letters, digits, "-" and "_"', () => {
    for (const token of ['00QCjAl4MlV-WPXM0HmjFx-vbGuaeyJ4bGc_12345', '00eyJhbGciOiJIUzI1NiJ9-abcdefghijklmnopqr', '00' + 'a'.repeat(40)]) {
      expect(validateApiToken(token, 'token')).toBe(token);
    }
  });

  it('accepts a token that only starts or ends like a placeholder word', () => {
    for (const token of ['xxxxxx00QCjAl4MlV-WPXM0HmjF', '00QCjAl4MlV-WPXM0Hmj-changeme', '00QCjAl4MlV-WPXM0HmjFx-token', '00QCjAl4MlV-WPXM-your-token', 'changeme-00QCjAl4MlV-WPXM0H', 'token-00QCjAl4MlV-WPXM0HmjF']) {
      expect(validateApiToken(token, 'token')).toBe(token);
    }
  });
});
