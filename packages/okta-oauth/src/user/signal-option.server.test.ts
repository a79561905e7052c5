/**
 * A `signal` option that is no AbortSignal (a plain object, a string, an object with `aborted`
 * alone, an AbortController itself), from a JavaScript caller: every sign-in method that takes one
 * refuses it with `INVALID_CONFIG` in core's words, before anything is sent, through the one
 * reading of options (`readOptions`). Red-teamed in the thirty-third session: core's drivers and
 * walks checked it, but each of these threw the runtime's `TypeError` ("signal.addEventListener is
 * not a function") from its first wait.
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { signOut } from './client-functions.js';
import { clientFor, login, password, postLogoutRedirectUri, redirectUri, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const noSignals: unknown[] = [{}, 'abort', { aborted: false }, new AbortController()];
const refusal = "INVALID_CONFIG: The signal option must be an AbortSignal, such as an AbortController's signal or AbortSignal.timeout(ms).";

/** This package's typed error as code and message, or `raw …` for anything else; `done` if it went. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'done';
  } catch (error) {
    return isOktaOAuthError(error) ? `${error.code}: ${error.message}` : `raw ${String(error)}`;
  }
}

describe('a signal option that is no AbortSignal', () => {
  it('every sign-in method refuses it with INVALID_CONFIG, nothing sent', async () => {
    const app = env.org.createSignInApp({ type: 'native', redirectUris: [redirectUri], postLogoutRedirectUris: [postLogoutRedirectUri], scopes: ['okta.users.read'] });
    const client = clientFor(env.org, app, { retry: false });
    const { url, transaction } = await client.startSignIn();
    const { tokens } = await client.finishSignIn(await fillSignInForm(url, login, password), transaction);
    const credential = client.credential(tokens);
    const device = await client.startDeviceSignIn();
    env.org.resetCounters();
    const calls: Record<string, (signal: AbortSignal) => Promise<unknown>> = {
      startSignIn: (signal) => client.startSignIn({ signal }),
      startDeviceSignIn: (signal) => client.startDeviceSignIn({ signal }),
      'finishSignIn': (signal) => client.finishSignIn(`${redirectUri}?code=c&state=s`, undefined, { signal }),
      poll: (signal) => device.poll({ signal }),
      metadata: (signal) => client.metadata({ signal }),
      getAccessToken: (signal) => credential.getAccessToken({ signal, forceRefresh: true }),
      introspect: (signal) => client.introspect(tokens.accessToken, { signal }),
      'credential.signOut': (signal) => credential.signOut({ signal }),
      signOut: (signal) => signOut(client, tokens, { signal }),
    };
    for (const [name, call] of Object.entries(calls)) {
      for (const signal of noSignals) expect(await outcome(() => call(signal as AbortSignal)), `${name}: ${String(signal)}`).toBe(refusal);
    }
    expect(env.org.counters().requests).toEqual({});
    // An AbortSignal still goes.
    expect((await credential.getAccessToken({ signal: new AbortController().signal })).reveal()).toBe(tokens.accessToken.reveal());
  });
});
