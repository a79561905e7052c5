/**
 * The one set of checks of an authorization request's parameters, which /authorize (authorize.ts) and
 * /par (par.ts, answering their refusals as JSON) both make. Its own module, imported by both: /authorize
 * also takes a pushed request from /par (`takePushedRequest`), and the two importing each other was an
 * import cycle (until pack165).
 */
import type { OrgContext } from '../state/context.js';
import { repeatedNames } from '../http/http-types.js';
import { randomToken } from '../state/ids.js';
import type { AuthorizeTransaction } from '../state/model.js';
import { grantedScopes, parseScopes } from '../protocol/scopes.js';
import { spaceDelimited } from '../protocol/space-delimited.js';
import { OAuthFailure } from '../http/errors.js';
import { duplicatedParameters } from './token.js';
import { servedApp } from '../state/app-lifecycle.js';

/** Okta's error page for a client it does not serve (CAT `invalid_client_id`'s words): unknown, not a sign-in app, or deactivated. */
export const UNKNOWN_CLIENT = "Invalid value for 'client_id' parameter.";

const TXN_LIFETIME_SECONDS = 600;

export type ResponseMode = AuthorizeTransaction['responseMode'];

/**
 * Okta's predefined `acr_values`, each with whether a password alone meets it: the emulator has no second
 * factor, so `2fa:any:ifpossible` is met by one ("any one factor is presented" when no other is enrolled),
 * and `2fa:any`, `phr` and `phrh` are not [I: Okta asks to enroll a factor where a policy allows it].
 *
 * @see https://developer.okta.com/docs/guides/step-up-authentication/main/
 */
const ACR_VALUES = new Map([
  ['urn:okta:loa:1fa:any', true],
  ['urn:okta:loa:1fa:pwd', true],
  ['urn:okta:loa:2fa:any', false],
  ['urn:okta:loa:2fa:any:ifpossible', true],
  ['phr', false],
  ['phrh', false],
]);

/** The authenticators `enroll_amr_values` takes (OIDC reference, `/authorize`). */
const ENROLL_AMR_VALUES = new Set(['pwd', 'kba', 'email', 'sms', 'tel', 'duo', 'symantec', 'google_otp', 'okta_verify', 'pop', 'oath_otp', 'rsa', 'yubikey', 'otp', 'fed']);

/**
 * `prompt=enroll_authenticator` and `response_type=none` go together, with `enroll_amr_values`,
 * `acr_values=urn:okta:loa:2fa:any:ifpossible` and `max_age=0` (OIDC reference, `/authorize`); what is
 * missing is refused in the words of Okta's catalogue (`invalid_response_type_for_authenticator_enrollment`,
 * `invalid_prompt_for_none_response_type`, `invalid_enroll_amr_for_none_response_type`,
 * `invalid_acr_values_for_enroll_authenticator_prompt`, `invalid_max_age_for_enroll_authenticator_prompt`)
 * [I: the order]. A whole enrollment request is not emulated: `unsupported_response_type` follows.
 */
function enrollmentRefusal(q: URLSearchParams): string | undefined {
  const none = q.get('response_type') === 'none';
  const enroll = promptOf(q) === 'enroll_authenticator';
  if (enroll && !none) return "Authenticator enrollment requires 'none' response_type.";
  if (none && !enroll) return "'prompt' parameter must have the value 'enroll_authenticator' for request with 'none' as response_type.";
  if (!enroll) return undefined;
  const amr = spaceDelimited(q.get('enroll_amr_values'));
  if (amr.length === 0 || !amr.every((v) => ENROLL_AMR_VALUES.has(v))) {
    return "'enroll_amr_values' parameter must have valid space delimited authenticators list for request with 'none' as response_type.";
  }
  if (q.get('acr_values') !== 'urn:okta:loa:2fa:any:ifpossible') {
    return "'acr_values' parameter must have the value 'urn:okta:loa:2fa:any:ifpossible' for request with 'enroll_authenticator' as prompt.";
  }
  if (q.get('max_age') !== '0') return "'max_age' parameter must have the value '0' for request with 'enroll_authenticator' as prompt.";
  return undefined;
}

/**
 * `prompt`, "a space-delimited list" (OIDC `/authorize`), as its values joined by one space: repeated, leading or
 * trailing spaces are dropped by the one splitter, as for `scope`; absent, `''`.
 */
const promptOf = (q: URLSearchParams): string => spaceDelimited(q.get('prompt')).join(' ');

/** `max_age`'s range in Okta's catalogue (`invalid_max_age`): "within range 0 - 2^31-1". */
const MAX_AGE_LIMIT = 2 ** 31 - 1;

/**
 * `max_age`, "Allowable elapsed time, in seconds, since the last time the end user was actively authenticated by
 * Okta" (OAS `authorize`): unset, or a whole number of seconds from 0 to 2^31-1 written in digits; anything else
 * (a sign, a fraction, an exponent, an empty value) is `'invalid'` [I: which spellings Okta reads].
 */
function readMaxAge(raw: string | null): number | 'invalid' | undefined {
  if (raw === null) return undefined;
  const seconds = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
  return seconds <= MAX_AGE_LIMIT ? seconds : 'invalid';
}

/** What {@link checkAuthorizeRequest} makes of an authorization request. */
export type CheckedAuthorizeRequest =
  /** No redirect to trust (an unknown client or redirect URI, either repeated): Okta's error page. */
  | { readonly kind: 'page'; readonly description: string }
  /** Refused: the error goes to the redirect URI. */
  | { readonly kind: 'refused'; readonly redirectUri: string; readonly mode: ResponseMode; readonly state: string | undefined; readonly error: string; readonly description: string }
  | { readonly kind: 'ok'; readonly txn: AuthorizeTransaction; readonly prompt: string; readonly maxAge: number | undefined };

/**
 * The one set of checks of an authorization request's parameters `q` (the /authorize query, or the
 * form pushed to /par, which answers the same refusals as JSON): the client, the redirect URI,
 * then what goes back to it.
 */
export function checkAuthorizeRequest(ctx: OrgContext, q: URLSearchParams): CheckedAuthorizeRequest {
  const repeated = repeatedNames(q);
  // A repeated client_id or redirect_uri leaves no redirect to trust: the error page, as for an unknown one.
  if (repeated.includes('client_id') || repeated.includes('redirect_uri')) return { kind: 'page', description: duplicatedParameters(repeated).description };
  const clientId = q.get('client_id') ?? '';
  // A deactivated app is an unknown client here too (FIDELITY C17).
  const app = servedApp(ctx, clientId);
  if (app === undefined || (app.kind !== 'spa' && app.kind !== 'web' && app.kind !== 'native')) {
    return { kind: 'page', description: UNKNOWN_CLIENT };
  }
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!app.redirectUris.includes(redirectUri)) {
    return { kind: 'page', description: "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings." };
  }
  const stateParam = q.get('state') ?? undefined;
  const modeParam = q.get('response_mode') ?? 'query';
  const mode: ResponseMode = modeParam === 'fragment' || modeParam === 'form_post' ? modeParam : 'query';
  const fail = (error: string, description: string): CheckedAuthorizeRequest => ({ kind: 'refused', redirectUri, mode, state: stateParam, error, description });

  if (repeated.length > 0) return fail('invalid_request', duplicatedParameters(repeated).description);
  if (modeParam !== mode) {
    return fail('unsupported_response_mode', 'The response mode is not supported by the authorization server. Valid response modes: [query, fragment, form_post].');
  }
  const enrollment = enrollmentRefusal(q);
  if (enrollment !== undefined) return fail('invalid_request', enrollment);
  if (q.get('response_type') !== 'code') {
    return fail('unsupported_response_type', 'The response type is not supported by the authorization server. Configured response types: [code].');
  }
  // Okta's OIDC reference: state "can contain alphanumeric, comma, period, underscore, and hyphen characters".
  if (stateParam === undefined || !/^[A-Za-z0-9,._-]+$/.test(stateParam)) {
    return fail('invalid_request', "The authentication request has an invalid 'state' parameter.");
  }
  let scopes: string[];
  try {
    scopes = grantedScopes(app, parseScopes(q.get('scope')));
  } catch (e) {
    if (e instanceof OAuthFailure) return fail(e.error, e.description);
    throw e;
  }
  const challenge = q.get('code_challenge') ?? undefined;
  const method = q.get('code_challenge_method') ?? undefined;
  // PKCE rules and wording: Okta's OAuth error catalogue (pkce_* entries), see docs/FIDELITY.md.
  if (challenge === undefined) {
    if (app.secrets.length === 0) return fail('invalid_request', 'PKCE code challenge is required by the application.');
    if (method !== undefined) return fail('invalid_request', 'PKCE code challenge is required by the application.');
  } else {
    if (method !== 'S256') return fail('invalid_request', 'PKCE code challenge method is not supported. Valid values: [S256]');
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request', 'PKCE code challenge contains illegal characters.');
  }
  // Step-up guide: values Okta does not support are ignored; of several, "the authorization server chooses one"
  // (OAS) [I: the first a password meets; the emulator signs in with a password alone].
  const asked = spaceDelimited(q.get('acr_values')).filter((v) => ACR_VALUES.has(v));
  const acr = asked.find((v) => ACR_VALUES.get(v) === true);
  if (acr === undefined && asked.length > 0) {
    return fail('unmet_authentication_requirements', "Unable to meet the authentication requirements imposed by 'acr_values' parameter.");
  }
  const prompt = promptOf(q);
  // OIDC reference, /authorize: "Valid values: none, enroll_authenticator, consent, login, or consent and login in
  // either order"; another is the catalogue's invalid_prompt [I: the list's wording]. No consent screen is emulated.
  if (prompt !== '' && !['none', 'enroll_authenticator', 'consent', 'login', 'consent login', 'login consent'].includes(prompt)) {
    return fail('invalid_request', "Invalid value for 'prompt' parameter. Supported values: [none, enroll_authenticator, consent, login]");
  }
  const maxAge = readMaxAge(q.get('max_age'));
  if (maxAge === 'invalid') return fail('invalid_request', "Invalid value for 'max_age' parameter. It should be within range 0 - 2^31-1.");
  if (maxAge === 0 && prompt === 'none') return fail('invalid_request', "'prompt' parameter must not have the value 'none' for request with 'zero' as max_age.");
  const txn: AuthorizeTransaction = {
    id: randomToken(24),
    clientId,
    redirectUri,
    scopes,
    state: stateParam,
    nonce: q.get('nonce') ?? undefined,
    codeChallenge: challenge,
    responseMode: mode,
    expiresAt: ctx.clock.nowSeconds() + TXN_LIFETIME_SECONDS,
    acr,
  };
  return { kind: 'ok', txn, prompt, maxAge };
}
