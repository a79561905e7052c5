import { OktaSswsError } from './errors.js';

// A JWT in compact form: signed (JWS, three segments) or encrypted (JWE, five: an encrypted ID token).
const jwtShape = /^eyJ[\w-]*(?:\.[\w-]*){2}(?:(?:\.[\w-]*){2})?$/;
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
  // One message shape: what is wrong with "the Okta API token (<where it came from>)", and what to do.
  const check = (ok: boolean, problem: string, subject = `The Okta API token (${source})`): void => {
    if (!ok) throw new OktaSswsError('INVALID_TOKEN', `${subject} ${problem}`);
  };
  check(typeof input === 'string', `must be a string, got ${input === null ? 'null' : typeof input}.`);
  const token = (input as string).trim();
  check(token !== '', 'is empty: create one in the Admin Console under Security > API > Tokens.');
  // A whole pasted header line too ("Authorization: SSWS …", "Authorization: Bearer …").
  check(!/^(?:ssws\s|authorization\s*:)/i.test(token), 'starts with "SSWS " or a header name: pass the token alone; the scheme is added for you.');
  // `docker run --env-file` keeps the quotes of VAR="…" as part of the value.
  check(!/^(["'`]).*\1$/.test(token), 'is wrapped in quotes: remove them.');
  check(
    !/^(?:bearer|dpop)\s/i.test(token) && !jwtShape.test(token),
    'looks like an OAuth access or ID token (a JWT), not an API token. The SSWS scheme accepts only API tokens; for OAuth access tokens use @org/okta-oauth.',
    `The value given as the Okta API token (${source})`,
  );
  check(!placeholder.test(token), 'is still a placeholder: replace it with a real API token.');
  check(!/\s/.test(token), 'contains white space inside it: copy the token again, as one piece.');
  check(printableAscii.test(token), 'contains characters an API token never has (non-ASCII or control characters): copy it again.');
  check(token.length >= 20 && token.length <= 200, `has ${token.length} characters; Okta API tokens have about 42: check that it was copied whole.`);
  return token;
}
