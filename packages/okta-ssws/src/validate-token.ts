import { jwtShape, quotedProblem, shortenedCopy } from '@org/okta-auth-core/internal';
import { OktaSswsError } from './errors.js';

const placeholder = /[{}<>]|^(?:(?:your|my)[-_ ]?(?:api[-_ ]?)?)?token$|^x{6,}$|^changeme$/i;
// An Okta API token is base64url: "00" and 40 letters, digits, "-" and "_" (no dot, no padding).
const tokenAlphabet = /^[\w-]+$/;

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
  check(input !== undefined, `is not set: pass the API token as ${source === 'token' ? 'the token option' : source}.`);
  check(typeof input === 'string', `must be a string, got ${input === null ? 'null' : typeof input}.`);
  const token = (input as string).trim();
  check(token !== '', 'is empty: create one in the Admin Console under Security > API > Tokens.');
  // A JWT alone or after its scheme: an access or ID token is never an API token.
  check(
    !jwtShape.test(token.replace(/^(?:bearer|dpop)\s+/i, '')),
    'looks like an OAuth access or ID token (a JWT), not an API token. The SSWS scheme accepts only API tokens; for OAuth access tokens use @org/okta-oauth.',
    `The value given as the Okta API token (${source})`,
  );
  // A whole pasted header line ("Authorization: SSWS …") or a scheme before the token ("SSWS ", "Bearer ", "SSWS:").
  check(
    !/^(?:(?:ssws|bearer|dpop|basic|token)[\s:=]|authorization\s*:)/i.test(token),
    'starts with "SSWS ", another scheme or a header name: pass the token alone; the SSWS scheme is added for you.',
  );
  // Core's one check of quotes around a configured value (`docker run --env-file` keeps those of VAR="…").
  const quoted = quotedProblem(token);
  if (quoted) check(false, quoted);
  // A whole line of a .env file or shell script: `OKTA_CLIENT_TOKEN=00…`, `export OKTA_CLIENT_TOKEN=00…`.
  check(!/^(?:export\s+)?[A-Za-z_]\w*=/.test(token), 'is a whole NAME=value line: pass only the value after "=".');
  // Okta's documentation shortens its example token as `00QCjAl4MlV-WPXM...0HmjFx-vbGua`.
  check(!shortenedCopy.test(token), 'is shortened ("..." inside it, as in the example of Okta\'s documentation): use your own token, whole.');
  check(!placeholder.test(token), 'is still a placeholder: replace it with a real API token.');
  check(!/\s/.test(token), 'contains white space inside it: copy the token again, as one piece.');
  check(
    tokenAlphabet.test(token),
    'contains characters an API token never has (it has only letters, digits, "-" and "_"; no control or non-ASCII characters, no punctuation around it): copy it again.',
  );
  check(token.length >= 20 && token.length <= 200, `has ${token.length} characters; Okta API tokens have about 42: check that it was copied whole.`);
  return token;
}
