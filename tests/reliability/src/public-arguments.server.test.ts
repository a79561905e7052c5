/**
 * Every exported function of every entry point, called as a JavaScript caller (no types) may
 * call it: with nothing, `null`, a number, a string or an array where its first argument goes,
 * and the sign-in client's and the walks' second arguments likewise. Each either works (an
 * argument that is optional) or refuses with one of our typed errors (`isOktaAuthError`: a
 * `code` to switch on, a message saying what to pass), never a runtime `TypeError` such as
 * "Cannot read properties of undefined". New exports are swept as they appear.
 * Calls that go over the wire reach the emulator on 127.0.0.1.
 */
import * as core from '@org/okta-auth-core';
import * as coreKy from '@org/okta-auth-core/ky';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import * as oauth from '@org/okta-oauth';
import * as idTokenJwks from '@org/okta-oauth/id-token-jwks';
import * as serviceApp from '@org/okta-oauth/service-app';
import * as signIn from '@org/okta-oauth/sign-in';
import * as ssws from '@org/okta-ssws';
import * as redis from '@org/okta-token-store-redis';
import { wrongArguments } from '@org/okta-test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entries: Record<string, Record<string, unknown>> = {
  '@org/okta-auth-core': core,
  '@org/okta-auth-core/ky': coreKy,
  '@org/okta-ssws': ssws,
  '@org/okta-oauth': oauth,
  '@org/okta-oauth/service-app': serviceApp,
  '@org/okta-oauth/sign-in': signIn,
  '@org/okta-oauth/id-token-jwks': idTokenJwks,
  '@org/okta-token-store-redis': redis,
};

/**
 * Left out, and why: the error classes (constructors, not functions to call), the `is…` guards
 * (they answer false), and the readers of what `fetch` gave (`Headers`, like the platform's own
 * `Headers` methods: not configuration, never written by hand).
 */
const notSwept = new Set(['parseRateLimit', 'redactHeaders']);
const sweptNames = (entry: Record<string, unknown>) => Object.keys(entry).filter((name) => typeof entry[name] === 'function' && /^[a-z]/.test(name) && !name.startsWith('is') && !notSwept.has(name));


/** How a call ended: its value, or what it threw or rejected with (an async generator is run to its first step). */
async function outcomeOf(run: () => unknown): Promise<{ threw: boolean; error?: unknown }> {
  try {
    const value = run();
    if (value !== null && typeof value === 'object' && Symbol.asyncIterator in value) {
      await (value as unknown as AsyncIterator<unknown>).next();
    } else {
      await value;
    }
    return { threw: false };
  } catch (error) {
    return { threw: true, error };
  }
}

/** Fails naming the call when it threw anything but one of our typed errors. */
function expectTypedOrNothing(call: string, outcome: { threw: boolean; error?: unknown }): void {
  if (!outcome.threw) return;
  const { error } = outcome;
  const shown = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  expect(core.isOktaAuthError(error), `${call} threw ${shown}`).toBe(true);
  expect((error as core.OktaAuthError).message.length, call).toBeGreaterThan(20);
}

let emulator: OktaEmulator;
let app: { clientId: string };
let apiToken: string;
const redirectUri = 'http://127.0.0.1:5173/callback';
beforeAll(async () => {
  emulator = await startEmulator();
  app = emulator.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  apiToken = emulator.createApiToken().token;
});
afterAll(async () => {
  await emulator.close();
});

describe('every exported function, called with a wrong first argument', () => {
  const calls = Object.entries(entries).flatMap(([entry, exports]) => sweptNames(exports).map((name) => [entry, name] as const));

  it('sweeps the factories users start from', () => {
    const names = new Set(calls.map(([, name]) => name));
    for (const name of ['createOktaFetch', 'createOktaKy', 'oktaKyHooks', 'coordinateRateLimits', 'paginate', 'pollSystemLog', 'createSswsCredential', 'sswsCredentialFromEnv', 'createServiceAppCredential', 'createSignInClient', 'signInClientFromEnv', 'importDpopKeyPair', 'createRedisTokenStorage', 'createRedisRateLimitCoordinator']) {
      expect(names.has(name), name).toBe(true);
    }
  });

  it.each(calls)('%s %s', async (entry, name) => {
    const run = entries[entry]?.[name] as (...args: unknown[]) => unknown;
    for (const [label, value] of wrongArguments) expectTypedOrNothing(`${name}(${label})`, await outcomeOf(() => run(value)));
  });
});

describe('second arguments and the sign-in client', () => {
  const client = () =>
    oauth.createSignInClient({ orgUrl: emulator.url, clientId: app.clientId, redirectUri, scopes: ['openid', 'okta.users.read'], allowInsecureLoopback: true });

  it('the walks given no list', async () => {
    const okta = core.createOktaFetch({ credential: ssws.createSswsCredential({ orgUrl: emulator.url, token: apiToken, allowInsecureLoopback: true }) });
    for (const [label, value] of wrongArguments.filter(([, bad]) => bad !== undefined)) {
      for (const walk of [core.paginate, core.paginatePages, core.pollSystemLog]) {
        const outcome = await outcomeOf(() => walk(okta, value as string));
        expect(outcome.threw, `${walk.name}(okta, ${label})`).toBe(true);
        expectTypedOrNothing(`${walk.name}(okta, ${label})`, outcome);
      }
    }
  });

  it("the drivers' calls given no URL or options that are not an object: INVALID_CONFIG, nothing sent", async () => {
    const credential = ssws.createSswsCredential({ orgUrl: emulator.url, token: apiToken, allowInsecureLoopback: true });
    const okta = core.createOktaFetch({ credential });
    const api = coreKy.createOktaKy({ credential });
    emulator.resetCounters();
    for (const [label, value] of wrongArguments.filter(([, bad]) => typeof bad !== 'string' && !Array.isArray(bad))) {
      for (const [call, run] of [
        [`okta(${label})`, () => okta(value as string)],
        [`ky.get(${label})`, () => api.get(value as string)],
      ] as const) {
        const outcome = await outcomeOf(run);
        expect(outcome.error, call).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/is not a (valid )?URL: pass a path/) as unknown });
      }
    }
    for (const [label, value] of wrongArguments.filter(([, bad]) => bad !== undefined)) {
      for (const [call, run] of [
        [`ky.get(path, ${label})`, () => api.get('api/v1/users', value as never)],
        [`ky.extend(${label})`, () => api.extend(value as never)],
        [`ky.extend(() => ${label})`, () => api.extend(() => value as never)],
      ] as const) {
        const outcome = await outcomeOf(run);
        expect(outcome.error, call).toMatchObject({ code: 'INVALID_CONFIG', message: "The options passed to the Okta ky instance must be an object of ky's options, or nothing." });
      }
    }
    expect(emulator.counters().requests).toEqual({});
  });

  it("the client's methods, signOut and restoreCredential", async () => {
    const signInClient = client();
    for (const [label, value] of wrongArguments) {
      expectTypedOrNothing(`finishSignIn(${label})`, await outcomeOf(() => signInClient.finishSignIn(value as string)));
      expectTypedOrNothing(`startSignIn(${label})`, await outcomeOf(() => signInClient.startSignIn(value as oauth.StartSignInOptions)));
      expectTypedOrNothing(`startDeviceSignIn(${label})`, await outcomeOf(() => signInClient.startDeviceSignIn(value as oauth.StartDeviceSignInOptions)));
      expectTypedOrNothing(`credential(${label})`, await outcomeOf(() => signInClient.credential(value as oauth.UserTokens)));
      expectTypedOrNothing(`signOut(client, ${label})`, await outcomeOf(() => oauth.signOut(signInClient, value as never)));
      expectTypedOrNothing(`restoreCredential(client, ${label})`, await outcomeOf(() => oauth.restoreCredential(signInClient, value as never)));
    }
  });

  it('a callback that is not a URL is INVALID_CONFIG naming what to pass', async () => {
    const outcome = await outcomeOf(() => client().finishSignIn(undefined as unknown as string));
    expect(outcome.error).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/^finishSignIn takes the callback first/) as unknown });
  });
});
