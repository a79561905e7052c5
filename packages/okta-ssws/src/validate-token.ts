import { OktaSswsError } from './errors.js';

const jwtShape = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const placeholder = /[{}<>]|\$\{|^(?:your|my)[-_ ]?(?:api[-_ ]?)?token$|^x{6,}$|^changeme$|^token$/i;
const printableAscii = /^[\x21-\x7e]+$/;

/**
 * Checks an Okta API token before it is ever sent, and returns it with
 * surrounding white space removed. Every message says what to fix and none
 * echoes the token.
 *
 * @throws {OktaSswsError} `INVALID_TOKEN`
 */
export function validateApiToken(input: unknown, source: string): string {
  if (typeof input !== 'string') {
    throw new OktaSswsError('INVALID_TOKEN', `The Okta API token (${source}) must be a string, got ${input === null ? 'null' : typeof input}.`);
  }
  const token = input.trim();
  if (token === '') {
    throw new OktaSswsError('INVALID_TOKEN', `The Okta API token (${source}) is empty: create one in the Admin Console under Security > API > Tokens.`);
  }
  if (/^ssws\s/i.test(token)) {
    throw new OktaSswsError('INVALID_TOKEN', `The Okta API token (${source}) starts with "SSWS ": pass the token alone; the scheme is added for you.`);
  }
  if (/^(?:bearer|dpop)\s/i.test(token) || jwtShape.test(token)) {
    throw new OktaSswsError(
      'INVALID_TOKEN',
      `The value given as the Okta API token (${source}) looks like an OAuth access or ID token (a JWT), not an API token. ` +
        'The SSWS scheme accepts only API tokens; for OAuth access tokens use @org/okta-oauth.',
    );
  }
  if (placeholder.test(token)) {
    throw new OktaSswsError('INVALID_TOKEN', `The Okta API token (${source}) is still a placeholder: replace it with a real API token.`);
  }
  if (/\s/.test(token)) {
    throw new OktaSswsError('INVALID_TOKEN', `The Okta API token (${source}) contains white space inside it: copy the token again, as one piece.`);
  }
  if (!printableAscii.test(token)) {
    throw new OktaSswsError('INVALID_TOKEN', `The Okta API token (${source}) contains characters an API token never has (non-ASCII or control characters): copy it again.`);
  }
  if (token.length < 20 || token.length > 200) {
    throw new OktaSswsError('INVALID_TOKEN', `The Okta API token (${source}) has ${token.length} characters; Okta API tokens have about 42: check that it was copied whole.`);
  }
  return token;
}
