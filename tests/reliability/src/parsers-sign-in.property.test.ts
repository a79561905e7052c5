/**
 * Bad input, user sign-in: fast-check properties for what @org/okta-oauth's sign-in client parses
 * (discovery documents, callback URLs, ID tokens and JWKS answers, device-flow answers,
 * introspection answers, stored tokens and stored sign-in transactions), from a scripted org
 * (harness: test-helpers/properties.ts).
 */
import { isOktaAuthError } from '@org/okta-auth-core';
import { UserTokens, type DeviceSignIn, type DevicePollWaitReason, type SignInTransaction } from '@org/okta-oauth';
import { failure } from '@org/okta-test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answer, b64u, jwkInput, member, mutated } from './test-helpers/arbitraries.js';
import { DEVICE_CODE, DEVICE_TOKENS, devicePollAnswer, goodDeviceBody, oneBadDeviceBody, pollRefusal } from './test-helpers/device-arbitraries.js';
import { printedForms } from './test-helpers/leaks.js';
import { outcomes, propertyCases, RUNS, SIGNED_RUNS, valueOrTyped } from './test-helpers/properties.js';
import { discoveryDocument, idTokenClaims, json, ORIGIN, REDIRECT, signJwt, signingKey } from './test-helpers/scripted.js';
import { codeAnswer, goodCallback, signedIdToken, transaction, userClient } from './test-helpers/scripted-sign-in.js';

const { counted } = propertyCases();

describe('user sign-in', () => {
  it('discovery documents: metadata, or DISCOVERY_FAILED (INVALID_RESPONSE for a body that is not a JSON object)', async () => {
    const field = fc.constantFrom(...Object.keys(discoveryDocument()));
    const docArb = fc.oneof(
      fc.tuple(fc.array(fc.tuple(field, fc.option(fc.oneof(fc.anything(), fc.webUrl(), fc.constantFrom('https://evil.example.com/token', `${ORIGIN}.evil.com/x`, 'javascript:alert(1)', `${ORIGIN}/`))))), fc.constant(0)).map(([edits]) => {
        const doc = discoveryDocument();
        for (const [key, value] of edits) {
          if (value === null) Reflect.deleteProperty(doc, key);
          else doc[key] = value;
        }
        return JSON.stringify(doc);
      }),
      fc.string(),
      fc.anything().map((v) => JSON.stringify(v) as string | undefined ?? ''),
    );
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('discovery document', fc.tuple(docArb, fc.constantFrom(200, 200, 404, 500))), async ([doc, status]) => {
        const { value } = seen.note(await valueOrTyped(() => userClient({ discovery: () => new Response(doc, { status, headers: { 'content-type': 'application/json' } }) }).metadata(), ['DISCOVERY_FAILED', 'INVALID_RESPONSE']));
        if (value !== undefined) {
          for (const endpoint of [value.tokenEndpoint, value.jwksUri, value.authorizationEndpoint]) expect(endpoint.origin).toBe(ORIGIN);
        }
      }),
      { numRuns: RUNS },
    );
    seen.expectBoth();
  });

  it('callback URLs: tokens, or a typed error (state, issuer, error, code)', async () => {
    const param = fc.tuple(
      fc.constantFrom('code', 'state', 'iss', 'error', 'error_description', 'session_state', 'state', 'code'),
      fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom(transaction.state, ORIGIN, 'access_denied', 'login_required', 'abc', '')),
    );
    const callbackArb = fc.oneof(
      fc.string(),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.tuple(fc.array(param, { maxLength: 6 }), fc.constantFrom('?', '#', '?x#'), fc.constantFrom(REDIRECT, '/callback', '', 'https://other.example/cb')).map(
        ([params, sep, base]) => `${base}${sep}${params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`,
      ),
      mutated([goodCallback]),
      // The good callback with more parameters: without these, no case reached a sign-in that finishes.
      fc.array(param, { maxLength: 3 }).map((params) => [goodCallback, ...params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`)].join('&')),
    );
    // A client per case: a client finishes each transaction once, so a shared one refused every good callback after the first.
    const idToken = signedIdToken();
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('callback URL', callbackArb), async (callback) => {
        seen.note(await valueOrTyped(() => userClient({ token: codeAnswer(idToken) }).finishSignIn(callback, transaction), ['STATE_MISMATCH', 'ISSUER_MISMATCH', 'INVALID_CALLBACK', 'ACCESS_DENIED', 'LOGIN_REQUIRED', 'AUTHORIZATION_ERROR']));
      }),
      { numRuns: RUNS },
    );
    seen.expectBoth();
  });

  it('ID tokens and JWKS answers: validated claims, or a typed error', async () => {
    const claimValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.boolean());
    const claimsArb = fc.tuple(fc.array(fc.tuple(fc.constantFrom('iss', 'aud', 'sub', 'iat', 'exp', 'nonce', 'azp', 'auth_time', 'nbf'), fc.option(claimValue)), { maxLength: 4 })).map(([edits]) => {
      const claims = idTokenClaims('0oaWeb', transaction.nonce);
      for (const [key, value] of edits) {
        if (value === null) Reflect.deleteProperty(claims, key);
        else claims[key] = value;
      }
      return claims;
    });
    const headerArb = fc.record({ alg: fc.constantFrom('RS256', 'RS256', 'none', 'HS256', 'ES256', 'PS256'), kid: fc.constantFrom('k1', 'k1', 'k2', ''), typ: fc.constantFrom('JWT', 'at+jwt') }, { requiredKeys: ['alg'] });
    const idTokenArb = fc.oneof(
      fc.tuple(headerArb, claimsArb).map(([h, c]) => signJwt(h, c)),
      fc.string(),
      fc.tuple(b64u, b64u, b64u).map((parts) => parts.join('.')),
      fc.constant(signedIdToken()).chain((t) => mutated([t])),
    );
    const jwksArb = fc.oneof(
      fc.constant(JSON.stringify({ keys: [signingKey.jwk] })),
      fc.tuple(fc.constantFrom('kty', 'n', 'e', 'kid', 'alg', 'use'), fc.option(member)).map(([key, value]) => {
        const jwk: Record<string, unknown> = { ...signingKey.jwk };
        if (value === null) Reflect.deleteProperty(jwk, key);
        else jwk[key] = value;
        return JSON.stringify({ keys: [jwk] });
      }),
      jwkInput.map((j) => JSON.stringify({ keys: [j] })),
      fc.anything().map((v) => JSON.stringify(v) as string | undefined ?? ''),
      fc.string(),
    );
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('ID token + JWKS', fc.tuple(idTokenArb, jwksArb)), async ([idToken, jwks]) => {
        const client = userClient({ token: codeAnswer(idToken), keys: () => new Response(jwks, { status: 200, headers: { 'content-type': 'application/json' } }) });
        const { value } = seen.note(await valueOrTyped(() => client.finishSignIn(goodCallback, transaction), ['ID_TOKEN_INVALID', 'INVALID_RESPONSE', 'INVALID_TOKEN_RESPONSE']));
        if (value !== undefined) expect(value.claims?.nonce).toBe(transaction.nonce);
      }),
      { numRuns: SIGNED_RUNS },
    );
    seen.expectBoth();
  });

  it('device authorization and polling answers: tokens, or a typed error, with polling bounded', async () => {
    // Wholly random answers were almost never a device sign-in the client starts (1 case of 2,000 reached a poll):
    // answers it accepts, or with one member bad, make the poll answers read.
    const deviceAnswer = fc.oneof(
      fc
        .record(
          {
            device_code: fc.oneof(fc.string(), fc.integer()),
            user_code: fc.oneof(fc.string(), fc.constant('WDJB-MJHT')),
            verification_uri: fc.oneof(fc.webUrl(), fc.string(), fc.constant(`${ORIGIN}/activate`)),
            verification_uri_complete: fc.oneof(fc.webUrl(), fc.string()),
            expires_in: fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.double(), fc.string()),
            interval: fc.oneof(fc.integer({ min: -1, max: 30 }), fc.double(), fc.string()),
          },
          { requiredKeys: [] },
        )
        .map((body) => ({ reply: json(200, body), body: undefined })),
      answer.map((reply) => ({ reply: reply(new Request(ORIGIN)) as Response, body: undefined })),
      { weight: 3, arbitrary: goodDeviceBody.map((body) => ({ reply: json(200, body), body })) },
      { weight: 2, arbitrary: oneBadDeviceBody.map((body) => ({ reply: json(200, body), body })) },
    );
    // After the scripted answers: one answer again and again (authorization_pending, slow_down, a 429, a 503…), so
    // the code's expiry ends the polling; past `endless` polls (more than a code of a minute allows), Okta says it expired.
    const endless = 60;
    const after = fc.oneof(fc.constantFrom(pollRefusal('authorization_pending'), pollRefusal('slow_down')), devicePollAnswer);
    const pollCodes = ['TOKEN_REQUEST_FAILED', 'INVALID_TOKEN_RESPONSE', 'ID_TOKEN_INVALID', 'DEVICE_CODE_EXPIRED', 'ACCESS_DENIED'];
    const tally = { started: 0, polled: 0, expiredByClient: 0 };
    const waits: Record<DevicePollWaitReason, number> = { interval: 0, slow_down: 0, rate_limited: 0, unreachable: 0 };
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('device flow', fc.tuple(deviceAnswer, fc.array(devicePollAnswer, { maxLength: 6 }), after)), async ([device, polls, then]) => {
        const startedAt = Date.now();
        let now = startedAt;
        /** Each token request's time on the client's clock: a poll's requests (its clock-skew retry) share one. */
        const times: number[] = [];
        const client = userClient(
          {
            device: () => device.reply.clone(),
            token: (r) => {
              times.push(now);
              const n = times.length - 1;
              return n < polls.length ? polls[n]!(r) : n < polls.length + endless ? then(r) : pollRefusal('expired_token')(r);
            },
          },
          {
            now: () => now,
            sleep: (ms) => {
              now += ms;
              return Promise.resolve();
            },
          },
        );
        let started: DeviceSignIn | undefined;
        const { error } = seen.note(
          await valueOrTyped(
            async () => {
              started = await client.startDeviceSignIn();
              // Why each wait came, tallied: the poll answers were read (not yet, slow_down, a 429, an unreachable endpoint).
              return started.poll({ onWait: ({ reason }) => void (waits[reason] += 1) });
            },
            ['INVALID_RESPONSE', 'OAUTH_ERROR', 'RATE_LIMITED', ...pollCodes],
          ),
        );
        if (started === undefined) {
          expect(times).toEqual([]);
          return;
        }
        tally.started++;
        // A poll ends in tokens, the user's answer, or a refusal: a 429 or an unreachable endpoint polls on.
        const code = (error as { code?: string } | undefined)?.code;
        if (code !== undefined) expect(pollCodes).toContain(code);
        // The sign-in is the answer's: its expiry, and its interval (5 s when not said, at least 1 s).
        const { expiresAt, intervalSeconds } = started;
        if (device.body !== undefined) {
          expect([expiresAt, intervalSeconds]).toEqual([startedAt + (device.body.expires_in as number) * 1000, Math.max(1, (device.body.interval as number | undefined) ?? 5)]);
        }
        // Polling bounded: the k-th poll came after k intervals at least (slow_down, a 429 and the backoff wait
        // longer; 1 ms for the sums of fractional intervals on an epoch clock) and before the code expired, so
        // there are at most expires_in / interval of them; each is one request, sent again at most once (the clock-skew retry).
        const polled = [...new Set(times)];
        const offPace = polled.filter((at, k) => at - startedAt < (k + 1) * intervalSeconds * 1000 - 1 || at >= expiresAt || times.filter((t) => t === at).length > 2);
        expect(offPace.map((at) => at - startedAt), `polls ${JSON.stringify(times.map((t) => t - startedAt))}, every ${intervalSeconds} s, expiring after ${expiresAt - startedAt} ms`).toEqual([]);
        expect(polled.length).toBeLessThanOrEqual(Math.ceil((expiresAt - startedAt) / (intervalSeconds * 1000)));
        if (polled.length === 0) return;
        tally.polled++;
        if (code === 'DEVICE_CODE_EXPIRED' && now >= expiresAt) tally.expiredByClient++;
        // No secret of a poll in what the caller is shown: the client secret, the device code, the tokens (answers may echo them).
        const secrets = ['web-secret-123', ...DEVICE_TOKENS, ...(device.body?.device_code === DEVICE_CODE ? [DEVICE_CODE] : [])];
        expect(printedForms(error).filter(([, text]) => secrets.some((secret) => text.includes(secret))).map(([form]) => form)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
    seen.expectBoth();
    // About half the cases start a sign-in, two in five poll, and the client's own expiry ends some.
    expect(tally.started, JSON.stringify(tally)).toBeGreaterThanOrEqual(RUNS / 3);
    expect(tally.polled, JSON.stringify(tally)).toBeGreaterThanOrEqual(RUNS / 4);
    expect(tally.expiredByClient, JSON.stringify(tally)).toBeGreaterThan(0);
    expect(Object.values(waits).every((n) => n > 0), JSON.stringify(waits)).toBe(true);
  });

  it('introspection answers: a result, or a typed error', async () => {
    const introspectArb = fc.oneof(
      fc.record({ active: fc.oneof(fc.boolean(), fc.string(), fc.integer()), scope: fc.anything(), exp: fc.anything(), sub: fc.anything(), aud: fc.anything(), client_id: fc.anything() }, { requiredKeys: [] }).map((b) => () => json(200, b)),
      answer,
    );
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('introspection', introspectArb), async (reply) => {
        const { value } = seen.note(await valueOrTyped(() => userClient({ introspect: reply }).introspect('eyJ.some.token'), ['INVALID_RESPONSE', 'OAUTH_ERROR', 'RATE_LIMITED']));
        if (value !== undefined) expect(typeof value.active).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
    seen.expectBoth();
  });

  it('stored tokens (UserTokens.fromStorable): tokens, or INVALID_CONFIG', async () => {
    const stored = fc.oneof(
      fc.record({ version: fc.oneof(fc.constant(1), fc.anything()), accessToken: fc.anything(), tokenType: fc.oneof(fc.constantFrom('Bearer', 'DPoP'), fc.anything()), expiresAt: fc.anything(), refreshToken: fc.anything(), idToken: fc.anything(), scope: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
      // Stored tokens that are nearly right, each member good or not: without these, every case was refused.
      fc.record({
        version: fc.constant(1),
        accessToken: fc.oneof(fc.constant('eyJ.user.at'), fc.string()),
        tokenType: fc.constantFrom('Bearer', 'DPoP', 'bearer'),
        expiresAt: fc.oneof(fc.constant(Date.now() + 3_600_000), fc.integer(), fc.constant(undefined)),
        refreshToken: fc.oneof(fc.constant('rt-123456789'), fc.string(), fc.constant(undefined)),
        scope: fc.oneof(fc.constant('okta.users.read'), fc.string(), fc.constant(undefined)),
      }),
    );
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('stored tokens', fc.oneof(stored, stored.map((s) => JSON.stringify(s) as unknown), fc.string())), async (value) => {
        const { error } = seen.note(await valueOrTyped(() => UserTokens.fromStorable(value as never), ['INVALID_CONFIG']));
        if (error !== undefined) expect((error as { code: string }).code).toBe('INVALID_CONFIG');
      }),
      { numRuns: RUNS },
    );
    seen.expectBoth();
  });

  it('stored sign-in transactions: a finished sign-in, or a typed error', async () => {
    const idToken = signedIdToken();
    const transactionArb = fc.oneof(
      fc.record({ state: fc.oneof(fc.string(), fc.constant(transaction.state)), nonce: fc.oneof(fc.string(), fc.constant(transaction.nonce)), codeVerifier: fc.string(), redirectUri: fc.oneof(fc.string(), fc.constant(REDIRECT), fc.webUrl()), createdAt: fc.oneof(fc.integer(), fc.double(), fc.constant(Date.now())), scope: fc.string(), maxAge: fc.anything() }, { requiredKeys: [] }),
      fc.anything(),
      // The stored transaction with one member changed: without these, no case finished a sign-in.
      fc.tuple(fc.constantFrom(...Object.keys(transaction)), fc.oneof(fc.string(), fc.integer(), fc.constant(undefined))).map(([key, value]) => ({ ...transaction, [key]: value })),
      fc.constant(transaction),
    );
    const seen = outcomes();
    await fc.assert(
      fc.asyncProperty(counted('stored transaction', transactionArb), async (t) => {
        seen.note(await valueOrTyped(() => userClient({ token: codeAnswer(idToken) }).finishSignIn(goodCallback, t as SignInTransaction), ['INVALID_TRANSACTION', 'STATE_MISMATCH', 'INVALID_CALLBACK']));
      }),
      { numRuns: RUNS },
    );
    seen.expectBoth();
  });
});

describe('regressions (found by these properties, fixed)', () => {
  it("a JWKS answer with a key WebCrypto cannot import (RSA without n) ends in a typed error, not a DataError", async () => {
    const withoutN: Record<string, unknown> = { ...signingKey.jwk };
    Reflect.deleteProperty(withoutN, 'n');
    const client = userClient({ token: codeAnswer(signedIdToken()), keys: () => json(200, { keys: [withoutN] }) });
    const error: unknown = await failure(client.finishSignIn(goodCallback, transaction));
    expect(isOktaAuthError(error), String(error)).toBe(true);
  });
});
