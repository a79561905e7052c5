// Failure paths of @org/okta-oauth against the emulator's fault hooks: a
// service app whose token request is refused (400 invalid_client with Okta's
// body) or not answered (a 503: Okta's server_error), and a resource server
// that asks for a DPoP nonce. The same typed outcome on every runtime, and no
// assertion, proof, token or key in the error or the log events.
import { createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { createServiceAppCredential, isOktaOAuthError } from '@org/okta-oauth';
import { equal, errorTexts, match, notContains, ok, rejects } from '../assert.js';
import { emulator, eventKinds, orgSeconds, withFaults } from './faults.js';

/** A fresh credential of the fixture's EC service app (its own token cache, DPoP key and nonces), and its log. */
function serviceApp(fixture) {
  const { ec, scopes } = fixture.oauth.serviceApp;
  const events = [];
  const logger = (e) => events.push(e);
  const credential = createServiceAppCredential({ orgUrl: fixture.orgUrl, clientId: ec.clientId, privateKey: ec.privateJwk, keyId: ec.keyId, scopes, dpop: 'required', allowInsecureLoopback: true, logger });
  return { events, credential, okta: createOktaFetch({ credential, logger }) };
}

/** No JWS (a client assertion, a DPoP proof, an access token) and no private key in what the error or the log shows. */
function expectNoSecrets(fixture, texts) {
  for (const text of texts) ok(!/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/.test(String(text)), `a JWS (assertion, proof or token) leaked into ${String(text).length} characters of text`);
  notContains(texts, fixture.oauth.serviceApp.ec.privateJwk.d, 'the private key leaked');
}

export const oauthFaultCases = [
  {
    name: 'oauth faults: a token request refused with 400 invalid_client or a 503 is TOKEN_REQUEST_FAILED, without the assertion',
    async run(fixture) {
      const refusal = { error: 'invalid_client', error_description: 'The client_assertion signature is invalid.' };
      for (const [label, fault, status, oauthError] of [
        ['400 invalid_client', { status: 400, body: refusal, headers: { 'Cache-Control': 'no-store' } }, 400, 'invalid_client'],
        ['503', { status: 503 }, 503, 'server_error'],
      ]) {
        const { okta, events } = serviceApp(fixture);
        // The runner moved the org's clock ahead (device sign-ins): a refused assertion whose answer's Date shows
        // the local clock more than 30 s off is re-signed once (README, "Clock"; not a 5xx), so the fault lasts two requests.
        const resent = Math.abs((await orgSeconds(fixture)) * 1000 - Date.now()) > 31_000;
        const error = await withFaults(fixture, [{ path: '/oauth2/v1/token', kind: 'status', ...fault, count: 2 }], () => rejects(okta('/api/v1/users?limit=1'), `${label}: resolved`));
        ok(isOktaAuthError(error) && isOktaOAuthError(error), `${label}: isOktaOAuthError, got ${String(error)}`);
        equal(error.code, 'TOKEN_REQUEST_FAILED', `${label}: code (${error.message})`);
        equal(error.status, status, `${label}: status`);
        equal(error.error, oauthError, `${label}: error`);
        match(error.requestId, /\S+/, `${label}: requestId`);
        match(error.message, new RegExp(`^Okta's token endpoint ${status === 400 ? 'refused' : 'could not answer'} the token request \\(${status} ${oauthError}\\)`), `${label}: message`);
        if (status === 400) match(error.message, /The client_assertion signature is invalid\. The private key does not match the app's public key with kid /, `${label}: Okta's description and the hint`);
        // Okta's own failure (the emulator answers its 5xx as the OAuth catalogue's server_error): said to be sent once.
        else match(error.message, /: The authorization server encountered an unexpected condition [^]*\. It was sent once, not again: try again later\. \([\w.:-]+, request \S+\)$/, `${label}: server_error's description, not sent again`);
        expectNoSecrets(fixture, [...errorTexts(error), JSON.stringify(events)]);
        // The token request is sent once (no retry of a POST), its answer logged and its log ended with the
        // error okta-oauth made of it (as the drivers end theirs); the API call is never sent. A clock retry is
        // the call's next attempt, logged as a challenge retry is.
        equal(eventKinds(events), `request response:${status}${resent && status === 400 ? ` retry:challenge request response:${status}` : ''} error:TOKEN_REQUEST_FAILED`, `${label}: log events`);
      }
    },
  },
  {
    name: 'oauth faults: resource calls carry the org\'s DPoP nonce; a resource use_dpop_nonce challenge (a fault\'s, then the org\'s own) is answered with one retry',
    async run(fixture) {
      const { okta, events } = serviceApp(fixture);
      const call = async (limit) => {
        events.length = 0;
        const users = await (await okta(`/api/v1/users?limit=${limit}`)).json();
        equal(users.length, limit, `users (limit ${limit})`);
        return eventKinds(events);
      };
      const challenged = 'request response:401 retry:challenge request response:200';
      try {
        // A token first: its nonce (the token endpoint's) is the org's, so a resource server that requires one takes it.
        await call(1);
        await emulator(fixture.orgUrl, 'POST', 'resource-nonce', { required: true });
        equal(await call(2), 'request response:200', 'log events: the org\'s nonce, sent on the resource call');
        // A challenge with a nonce the org does not know (a fault, nonces not required): retried once with it.
        await emulator(fixture.orgUrl, 'POST', 'resource-nonce', { required: false });
        const challenge = { 'WWW-Authenticate': 'DPoP algs="ES256", error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof."', 'DPoP-Nonce': 'a-nonce-from-a-fault' };
        equal(await withFaults(fixture, [{ path: '/api/v1/users', kind: 'status', status: 401, headers: challenge, count: 1 }], () => call(3)), challenged, 'log events of the fault\'s challenge');
        // Nonces required again: the remembered nonce is the fault's, so the org challenges with its own, answered once.
        await emulator(fixture.orgUrl, 'POST', 'resource-nonce', { required: true });
        equal(await call(4), challenged, 'log events of the org\'s challenge');
        equal(await call(5), 'request response:200', 'log events with the nonce remembered');
      } finally {
        await emulator(fixture.orgUrl, 'POST', 'resource-nonce', { required: false });
      }
      expectNoSecrets(fixture, [JSON.stringify(events)]);
    },
  },
];
