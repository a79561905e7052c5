/**
 * The sign-in client's option checks (`buildSignInClient`, both `createSignInClient` entries) at
 * their edges (mutation testing, thirty-fifth round): each bad option refused with `INVALID_CONFIG`
 * whose message names it and the fix, what `@org/okta-oauth/sign-in` leaves out (the shorthands,
 * DPoP, device sign-in, introspection) named with the entry to use, and the parts the options
 * wire in (a caller's `sleep`, the OAuth hints, `toJSON`, whether a storage was given). Unit level:
 * nothing is sent.
 */
import { abortableSleep } from '@org/okta-auth-core/internal';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { testKey } from '../test-helpers/keys.js';
import { signInHints } from '../token-endpoint/token-error.js';
import { contextOf } from './context.js';
import { createSignInClient as createRootSignInClient } from './sign-in-client.js';
import { createSignInClient } from './sign-in-lean.js';
import type { SignInClient, SignInClientOptions } from './sign-in-options.js';
import { leanSignInClient } from './test-helpers/sign-in-org.js';

const base = { orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', scopes: ['openid'] };
const entries = [
  ['@org/okta-oauth', createRootSignInClient],
  ['@org/okta-oauth/sign-in', leanSignInClient],
] as const;
const leftOut = (what: string) => `${what} is not part of createSignInClient from @org/okta-oauth/sign-in: use createSignInClient from @org/okta-oauth.`;

/** The message of the `INVALID_CONFIG` that `run` throws. */
function refused(run: () => unknown): string {
  const error = failure.sync(run, isOktaOAuthError);
  expect(error.code).toBe('INVALID_CONFIG');
  return error.message;
}

describe.each(entries)('createSignInClient from %s', (_entry, create) => {
  it.each([null, undefined, 42, 'https://acme.okta.com', () => base])('refuses options %o that are no object, naming what it needs', (options) => {
    expect(refused(() => create(options as never))).toBe('createSignInClient needs an options object.');
  });

  it('refuses a now that is not a function, and a keyId without privateKey, saying what to do', () => {
    expect(refused(() => create({ ...base, now: 42 as never }))).toBe('now must be a function returning epoch milliseconds.');
    expect(refused(() => create({ ...base, keyId: 'key-1' }))).toBe('keyId is only for privateKey (a signer carries its own kid).');
  });

  it.each(['clockSkewSeconds', 'transactionMaxAgeSeconds'] as const)('refuses a negative %s, naming it', (name) => {
    expect(refused(() => create({ ...base, [name]: -1 }))).toBe(`${name} must be a non-negative number.`);
  });

  it("refuses a redirectUri whose query holds a parameter of Okta's answer; a postLogoutRedirectUri may hold one", () => {
    expect(refused(() => create({ ...base, redirectUri: 'https://app.example.com/callback?state=1' }))).toMatch(/^redirectUri has a query parameter "state"/);
    expect(create({ ...base, postLogoutRedirectUri: 'https://app.example.com/?state=1' }).clientId).toBe(base.clientId);
  });

  it('shows its origin and client id as JSON, nothing else', () => {
    expect(JSON.parse(JSON.stringify(create(base)))).toEqual({ origin: 'https://acme.okta.com', clientId: base.clientId });
  });

  it('says a callback of no sign-in in progress may be lost for want of a storage only when none was given', async () => {
    const fetch = (): Promise<Response> => Promise.reject(new Error('nothing is sent'));
    const storage = { get: () => undefined, set: () => undefined, remove: () => undefined };
    const callback = 'https://app.example.com/callback?code=a-code&state=a-state';
    const options = { ...base, redirectUri: 'https://app.example.com/callback', fetch };
    // Which two clients to give it (fifty-second session, spa143: "Give both" named neither).
    const lost = ' This client has no storage and started no sign-in: the one that did kept it in memory. Give that client and this one storage: createSessionStorage() in a browser.';
    const matchesNone = "The callback's state matches no sign-in in progress (already finished, started in another browser or tab, or forged).";
    for (const [given, message] of [
      [{}, `${matchesNone}${lost}`],
      [{ storage }, matchesNone],
    ] as const) {
      const error = await failure(create({ ...options, ...given }).finishSignIn(callback), isOktaOAuthError);
      expect(error.code).toBe('STATE_MISMATCH');
      expect(error.message).toBe(message);
    }
  });

  it("sleeps with the caller's sleep, else the abortable one", () => {
    const sleep = (): Promise<void> => Promise.resolve();
    expect(contextOf(create({ ...base, sleep }), 'test').sleep).toBe(sleep);
    expect(contextOf(create(base), 'test').sleep).toBe(abortableSleep);
  });
});

describe('createSignInClient from @org/okta-oauth/sign-in', () => {
  it('refuses the clientSecret and privateKey shorthands, naming the clientAuth to pass instead', () => {
    // @ts-expect-error -- not in /sign-in's types: a JavaScript caller's
    expect(refused(() => createSignInClient({ ...base, clientSecret: 'a-client-secret-of-forty-characters-0123' }))).toBe(
      leftOut('The clientSecret shorthand (pass clientAuth: clientSecretBasic(secret) instead)'),
    );
    // @ts-expect-error -- not in /sign-in's types: a JavaScript caller's
    expect(refused(() => createSignInClient({ ...base, privateKey: testKey('p256').pem }))).toBe(leftOut('The privateKey shorthand (pass clientAuth: privateKeyJwt(key) instead)'));
  });

  it("takes DPoP off ('off', false, unset) and refuses every other DPoP option, naming the entry that has it", () => {
    // In /sign-in's types too ('off', false, undefined: rev167d M2).
    for (const dpop of ['off', false, undefined] as const) expect(createSignInClient({ ...base, dpop }).clientId).toBe(base.clientId);
    const asked: Partial<SignInClientOptions>[] = [{ dpop: true }, { dpop: 'required' }, { dpop: 'auto' }, { dpop: {} }, { dpopKeyPair: {} as never }, { dpopAlgorithm: 'ES256' }];
    for (const options of asked) expect(refused(() => leanSignInClient({ ...base, ...options }))).toBe(leftOut('DPoP'));
  });

  it('answers device sign-in and introspection with INVALID_CONFIG naming them', async () => {
    const client = createSignInClient(base);
    for (const [what, call] of [
      // Not in the /sign-in client's type: a JavaScript caller's calls.
      ['Device sign-in', () => (client as unknown as SignInClient).startDeviceSignIn()],
      ['Introspection', () => (client as unknown as SignInClient).introspect('a-token')],
    ] as const) {
      const error = await failure(call(), isOktaOAuthError);
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.message).toBe(leftOut(what));
    }
  });

  it("words an OAuth endpoint's refusals with the hints every client has", () => {
    expect(contextOf(createSignInClient(base), 'test').hints).toBe(signInHints);
  });
});
