/**
 * A token request's `use_dpop_nonce` retry and clock-skew retry log as retries, as an API call's
 * challenge retry does (core's attempt loop): `request` attempt 1, `response`, `retry` with reason
 * `challenge`, `request` attempt 2, … in one call's numbering, never a new attempt 1. Counting
 * retries or attempts per call from the events (core README, "Logs, metrics and support cases")
 * then gives the same numbers for a token request as for an API call. Every DPoP client's first
 * token request is asked for a nonce (the emulator does as Okta does). Token requests at once (two
 * service apps) are told apart by each event's `call` number, one per call.
 */
import type { OktaLogEvent } from '@org/okta-auth-core';
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { generateDpopKeyPair } from '../dpop/dpop-key-pair.js';
import { emulator, serviceApp, useEmulators } from '../test-helpers/org.js';
import { createSignInClient } from '../user/sign-in-client.js';

useEmulators();

/** The token endpoint's events, each as `type attempt` (and the status or reason). */
const recorder = (tokenUrl: () => string) => {
  const events: OktaLogEvent[] = [];
  const tokenEvents = () => events.filter((e) => 'url' in e && e.url === tokenUrl());
  const shown = (e: OktaLogEvent) => `${e.type} ${'attempt' in e ? e.attempt : ''}${e.type === 'response' ? ` ${e.status}` : e.type === 'retry' ? ` ${e.reason}` : e.type === 'error' ? ` ${e.code}` : ''}`;
  const token = () => tokenEvents().map(shown);
  /** The token endpoint's events grouped by their `call` field. */
  const byCall = () => {
    const calls = new Map<unknown, string[]>();
    for (const e of tokenEvents()) {
      const key = (e as { call?: unknown }).call;
      calls.set(key, [...(calls.get(key) ?? []), shown(e)]);
    }
    return calls;
  };
  return { events, logger: (event: OktaLogEvent) => events.push(event), token, byCall };
};

const nonceRoundTrip = ['request 1', 'response 1 400', 'retry 1 challenge', 'request 2', 'response 2 200'];

describe("a token request's retries are logged as retries of one call", () => {
  it("a service app's first DPoP token request: the nonce round trip", async () => {
    const org = await emulator();
    const log = recorder(() => `${org.url}/oauth2/v1/token`);
    const { okta } = serviceApp(org, {}, { logger: log.logger });
    expect((await okta('/api/v1/users')).status).toBe(200);
    // Before: request 1, response 1 400, request 1, response 1 200 (a new attempt 1, no retry event).
    expect(log.token()).toEqual(nonceRoundTrip);
  });

  it("two service apps' token requests at once: each call's events share its own call number", async () => {
    const org = await emulator();
    const log = recorder(() => `${org.url}/oauth2/v1/token`);
    const apps = [serviceApp(org, {}, { logger: log.logger }), serviceApp(org, {}, { logger: log.logger })];
    expect(await Promise.all(apps.map(async ({ okta }) => (await okta('/api/v1/users')).status))).toEqual([200, 200]);
    // Before: no call field, so the two round trips' ten events were one group.
    const calls = log.byCall();
    expect([...calls.keys()].map((call) => typeof call)).toEqual(['number', 'number']);
    expect([...calls.values()]).toEqual([nonceRoundTrip, nonceRoundTrip]);
  });

  it("a service app's token request signed on a clock an hour off Okta's: the skew retry", async () => {
    const org = await emulator();
    const log = recorder(() => `${org.url}/oauth2/v1/token`);
    const { okta } = serviceApp(org, { requireDpop: false }, { dpop: 'off', logger: log.logger });
    // The assertion is signed by the client's clock, an hour behind Okta's: refused (401), then re-signed by Okta's time.
    org.setClockOffset(3600);
    expect((await okta('/api/v1/users')).status).toBe(200);
    expect(log.token()).toEqual(['request 1', 'response 1 401', 'retry 1 challenge', 'request 2', 'response 2 200']);
  });

  it('both retries in one token request: three attempts, two retries', async () => {
    const org = await emulator();
    const log = recorder(() => `${org.url}/oauth2/v1/token`);
    const { okta } = serviceApp(org, {}, { logger: log.logger });
    org.setClockOffset(3600);
    expect((await okta('/api/v1/users')).status).toBe(200);
    // The assertion is checked first (skew), then the proof's nonce; each retried once, as before.
    expect(log.token()).toEqual(['request 1', 'response 1 401', 'retry 1 challenge', 'request 2', 'response 2 400', 'retry 2 challenge', 'request 3', 'response 3 200']);
  });

  it("a user sign-in's code exchange and a refresh by a client that knows no nonce yet", async () => {
    const org = await emulator();
    org.createUser({ login: 'ada@example.com', password: 'Correct-Horse-9', admin: true });
    const log = recorder(() => `${org.url}/oauth2/v1/token`);
    const app = org.createSignInApp({ type: 'spa', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read', 'offline_access'], requireDpop: true });
    const dpopKeyPair = await generateDpopKeyPair();
    const client = () =>
      createSignInClient({ orgUrl: org.url, clientId: app.clientId, redirectUri: 'http://127.0.0.1:5173/callback', scopes: ['openid', 'offline_access'], allowInsecureLoopback: true, logger: log.logger, dpop: 'required', dpopKeyPair });
    const first = client();
    const { url, transaction } = await first.startSignIn();
    const callback = await fillSignInForm(url, 'ada@example.com', 'Correct-Horse-9');
    const { tokens } = await first.finishSignIn(callback, transaction);
    expect(log.token()).toEqual(nonceRoundTrip);

    // Another client (another process, say) with the same key refreshes: its first token request has no nonce.
    log.events.length = 0;
    await client().credential(tokens).getAccessToken({ forceRefresh: true });
    expect(log.token()).toEqual(nonceRoundTrip);
  });

  it('a nonce retry Okta refuses again ends the one call at attempt 2, with its error', async () => {
    const org = await emulator();
    const log = recorder(() => `${org.url}/oauth2/v1/token`);
    const { okta } = serviceApp(org, {}, { logger: log.logger, retry: false });
    // Each answer asks for a nonce, a new one each time: one retry only (the single-retry bound kept).
    for (const nonce of ['nonce-one', 'nonce-two']) {
      org.injectFault({ path: '/oauth2/v1/token', kind: 'status', status: 400, body: { error: 'use_dpop_nonce', error_description: 'Again.' }, headers: { 'DPoP-Nonce': nonce }, count: 1 });
    }
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED' });
    expect(log.token()).toEqual(['request 1', 'response 1 400', 'retry 1 challenge', 'request 2', 'response 2 400', 'error 2 TOKEN_REQUEST_FAILED']);
  });
});
