/**
 * Bad input, long adversarial inputs: sixteen 200 kB inputs through every @org/okta-oauth parser
 * must finish under the hang bound (no super-linear regular expressions) and end in a value or our
 * typed error (harness: test-helpers/properties.ts).
 */
import { createOinAppCredential, createServiceAppCredential, serviceAppCredentialFromEnv, UserTokens } from '@org/okta-oauth';
import { describe, it } from 'vitest';
import { propertyCases, valueOrTyped } from './test-helpers/properties.js';
import { appRequest, ORIGIN, REDIRECT, scriptedFetch, type Route } from './test-helpers/scripted.js';
import { codeAnswer, goodCallback, signedIdToken, transaction, userClient } from './test-helpers/scripted-sign-in.js';

const { count } = propertyCases();

describe('long adversarial inputs finish (no super-linear regular expressions)', () => {
  const long = (unit: string, n = 200_000) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  const inputs = [
    long('a'),
    long(' '),
    long('\t\n'),
    long('-----BEGIN PRIVATE KEY-----'),
    `-----BEGIN PRIVATE KEY-----\n${long('A')}\n-----END PRIVATE KEY-----`,
    `-----BEGIN PRIVATE KEY-----${long('-')}`,
    long('%'),
    long('%2'),
    long('='),
    long('eyJ.'),
    long('"'),
    long('\\'),
    long('{'),
    long('[,'),
    `${REDIRECT}?${long('a=b&')}`,
    `${REDIRECT}#${long('#')}`,
  ];
  it.each(inputs.map((input, i) => [i, input] as const))('input %i through every parser', async (_i, input) => {
    count('long inputs');
    const reply: Route = () => new Response(input, { status: 200, headers: { 'content-type': 'application/json' } });
    await valueOrTyped(() => createServiceAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', privateKey: input, scopes: 'okta.users.read', retry: false, fetch: scriptedFetch({}) }), ['INVALID_KEY', 'INVALID_CONFIG']);
    await valueOrTyped(() => serviceAppCredentialFromEnv({ OKTA_CLIENT_ORGURL: input, OKTA_CLIENT_CLIENTID: input, OKTA_CLIENT_SCOPES: input, OKTA_CLIENT_PRIVATEKEY: input }), ['INVALID_CONFIG', 'INVALID_KEY', 'INVALID_ORG_URL']);
    await valueOrTyped(() => createOinAppCredential({ orgUrl: ORIGIN, clientId: '0oa1', clientSecret: 'secret-value-123', scopes: 'okta.users.read', retry: false, fetch: scriptedFetch({ '/oauth2/v1/token': reply }) }).authorize(appRequest), ['INVALID_TOKEN_RESPONSE', 'TOKEN_REQUEST_FAILED', 'INVALID_RESPONSE']);
    await valueOrTyped(() => userClient({ discovery: reply }).metadata(), ['DISCOVERY_FAILED', 'INVALID_RESPONSE']);
    await valueOrTyped(() => userClient({ token: codeAnswer(signedIdToken()) }).finishSignIn(input, transaction), ['STATE_MISMATCH', 'ISSUER_MISMATCH', 'INVALID_CALLBACK']);
    await valueOrTyped(() => userClient({ token: codeAnswer(input) }).finishSignIn(goodCallback, transaction), ['ID_TOKEN_INVALID', 'INVALID_RESPONSE', 'INVALID_TOKEN_RESPONSE']);
    await valueOrTyped(() => userClient({ token: codeAnswer(signedIdToken()), keys: reply }).finishSignIn(goodCallback, transaction), ['ID_TOKEN_INVALID', 'INVALID_RESPONSE']);
    await valueOrTyped(() => userClient({ introspect: reply }).introspect('eyJ.some.token'), ['INVALID_RESPONSE']);
    await valueOrTyped(() => UserTokens.fromStorable(input), ['INVALID_CONFIG']);
  });
});
