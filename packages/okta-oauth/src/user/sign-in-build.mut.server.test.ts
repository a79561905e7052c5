/**
 * What `buildSignInClient` wires from the options that only a sign-in against an org shows
 * (mutation testing, thirty-fifth round), against @org/okta-emulator over HTTP: a used transaction
 * is remembered for `transactionMaxAgeSeconds` of the client's clock (RFC 9700 §4.7.1: each sign-in
 * finished once), and `@org/okta-oauth/sign-in`'s client answers a pushed sign-in (RFC 9126) with
 * `INVALID_CONFIG` naming it, after discovery.
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { leanSignInClient as createSignInClient } from './test-helpers/sign-in-org.js';
import { login, password, signInFailure as failure, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const signInOrg = useSignInOrg();

describe("the sign-in client's options, against an org", () => {
  it('refuses a used transaction finished again a minute later (remembered for transactionMaxAgeSeconds, not its milliseconds)', async () => {
    let now = Date.now();
    const client = spaOf(signInOrg.org, { now: () => now }, undefined, createSignInClient);
    const { url, transaction } = await client.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    await client.finishSignIn(callback, transaction);
    now += 60_000;
    const replay = await failure(client.finishSignIn(callback, transaction));
    expect(replay.code).toBe('STATE_MISMATCH');
    expect(replay.message).toBe('This sign-in transaction was already used: each sign-in can be finished once; start a new sign-in.');
  });

  it("answers a pushed sign-in from @org/okta-oauth/sign-in's client with INVALID_CONFIG naming PAR", async () => {
    const client = spaOf(signInOrg.org, {}, undefined, createSignInClient);
    const error = await failure(client.startSignIn({ pushed: true }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toBe('PAR (startSignIn pushed) is not part of createSignInClient from @org/okta-oauth/sign-in: use createSignInClient from @org/okta-oauth.');
  });
});
