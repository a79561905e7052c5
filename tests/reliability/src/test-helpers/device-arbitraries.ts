/**
 * Generated device-flow answers (RFC 8628) for the sign-in property (`parsers-sign-in.property.test.ts`):
 * device authorization answers the client accepts, or with one member bad, and the token endpoint's
 * answers to a poll (Okta's "not yet"s and ends, tokens, 429s, 5xx, a dropped connection, an echo of
 * the request, or any answer of `arbitraries.ts`). Apart from `arbitraries.ts` because they sign an ID
 * token with the scripted org's key, which the other property files do not make.
 */
import fc from 'fast-check';
import { answer, member } from './arbitraries.js';
import { idTokenClaims, json, ORIGIN, signJwt, type Route } from './scripted.js';

/** A device code to look for in every printed form of a case's error: it is a secret of each poll. */
export const DEVICE_CODE = 'GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS';
/** The access and refresh tokens of a poll's token answer: secrets, looked for too. */
export const DEVICE_TOKENS = ['eyJ.device.access-token.0123456789', 'rt-device-0123456789'] as const;

/**
 * A device authorization answer's body the client accepts (RFC 8628 §3.2; Okta's expires in 600 s
 * and asks for 5 s): a code lifetime of at most a minute, so a case polled until it expires ends
 * in at most 60 polls; an interval under a second or missing is taken as 1 s or 5 s.
 */
export const goodDeviceBody: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    device_code: fc.oneof(fc.constant(DEVICE_CODE), fc.string({ minLength: 1, maxLength: 40 })),
    user_code: fc.constantFrom('WDJB-MJHT', 'WDJBMJHT', 'ab12 CD34', 'X'),
    verification_uri: fc.constantFrom(`${ORIGIN}/activate`, `${ORIGIN}/activate?lang=en`),
    verification_uri_complete: fc.constant(`${ORIGIN}/activate?user_code=WDJB-MJHT`),
    // Mostly past the interval, so most polls come; some expire before the first.
    expires_in: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 11, max: 60 }) }, fc.integer({ min: 1, max: 10 }), fc.double({ min: 0.001, max: 60, noNaN: true })),
    interval: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.double({ min: 0, max: 10, noNaN: true })),
  },
  { requiredKeys: ['device_code', 'user_code', 'verification_uri', 'expires_in'] },
);

/** A bad value for one member: wrong types, numbers out of range, URIs off the org, a line-rewriting escape. */
const badMember = fc.oneof(
  fc.string(),
  fc.integer({ min: -5, max: 1000 }),
  fc.double(),
  member,
  fc.constantFrom(0, -1, 601, 86_401, Number.MAX_VALUE, '', 'https://evil.example.com/activate', `${ORIGIN}.evil.com/activate`, `https://user:pw@${ORIGIN.slice(8)}/activate`, `${ORIGIN}/activate\u001b[2K`, 'WDJB-MJHT. Or open https://evil.example'),
);

/** {@link goodDeviceBody} with one member changed to a bad value, or removed (some are still accepted: an interval or a complete URI left out). */
export const oneBadDeviceBody: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(goodDeviceBody, fc.constantFrom('device_code', 'user_code', 'verification_uri', 'verification_uri_complete', 'expires_in', 'interval'), fc.option(badMember))
  .map(([body, key, value]) => {
    const copy = { ...body };
    if (value === null) Reflect.deleteProperty(copy, key);
    else copy[key] = value;
    return copy;
  });

/** A signed ID token for a device sign-in: no nonce (RFC 8628 has none), the sign-in client's audience. */
const deviceIdToken = signJwt({ alg: 'RS256', kid: 'k1', typ: 'JWT' }, { ...idTokenClaims('0oaWeb', ''), nonce: undefined });
const [accessToken, refreshToken] = DEVICE_TOKENS;

/** The answer Okta gives a poll with `error` (RFC 8628 §3.5), a 400 unless `status` says otherwise. */
export const pollRefusal = (error: string, status = 400): Route => () => json(status, { error, error_description: `Device poll: ${error}.` });

/**
 * A device poll's answer: Okta's answers about the user (`authorization_pending`, `slow_down`,
 * `access_denied`, `expired_token`, others), in a 400 or another status; a 429 with or without a
 * wait (`X-Rate-Limit-Reset`, `Retry-After`); a 5xx; a dropped connection; tokens (with a signed ID
 * token, none, or of another type); a refusal echoing the request's form and credentials; or any
 * `answer`.
 */
export const devicePollAnswer: fc.Arbitrary<Route> = fc.oneof(
  fc
    .tuple(fc.constantFrom('authorization_pending', 'authorization_pending', 'slow_down', 'access_denied', 'expired_token', 'invalid_grant', 'invalid_client'), fc.constantFrom(400, 400, 400, 400, 401, 429, 500, 503))
    .map(([error, status]) => pollRefusal(error, status)),
  fc.tuple(fc.option(fc.integer({ min: -5, max: 700 })), fc.option(fc.oneof(fc.integer({ min: -1, max: 700 }).map(String), fc.string({ maxLength: 8 })))).map(
    ([reset, retryAfter]): Route =>
      () => {
        const headers: Record<string, string> = { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0' };
        if (reset !== null) headers['x-rate-limit-reset'] = String(Math.floor(Date.now() / 1000) + reset);
        if (retryAfter !== null && /^[\x20-\x7e]*$/.test(retryAfter)) headers['retry-after'] = retryAfter;
        return json(429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' }, headers);
      },
  ),
  fc.constantFrom(500, 502, 503, 504).map((status): Route => () => new Response('<html>upstream unavailable</html>', { status, headers: { 'content-type': 'text/html' } })),
  fc.constant((): Response => {
    throw new TypeError('fetch failed');
  }),
  fc.tuple(fc.constantFrom('Bearer', 'Bearer', 'bearer', 'DPoP', 'N_A'), fc.constantFrom('signed', 'signed', 'none', 'garbage')).map(
    ([tokenType, idToken]): Route =>
      () =>
        json(200, {
          access_token: accessToken,
          token_type: tokenType,
          expires_in: 3600,
          scope: 'openid offline_access okta.users.read',
          refresh_token: refreshToken,
          ...(idToken === 'none' ? {} : { id_token: idToken === 'signed' ? deviceIdToken : 'eyJ.not.a-token' }),
        }),
  ),
  // Okta never echoes a request, a hostile proxy may: the form (device code), client secret and proof go back.
  fc.constantFrom(400, 401, 500).map(
    (status): Route =>
      async (request) =>
        json(status, { error: 'invalid_grant', error_description: `${await request.text()} ${request.headers.get('authorization') ?? ''} ${request.headers.get('dpop') ?? ''}` }),
  ),
  answer,
);
