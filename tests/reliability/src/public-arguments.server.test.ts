/**
 * Every exported function of every entry point, called as a JavaScript caller (no types) may
 * call it: with nothing, `null`, a number, a string or an array where its first argument goes,
 * and the sign-in client's and the walks' second arguments likewise. Each either works (an
 * argument that is optional) or refuses with one of our typed errors (`isOktaAuthError`: a
 * `code` to switch on, a message saying what to pass), never a runtime `TypeError` such as
 * "Cannot read properties of undefined". New exports are swept as they appear. Then every later
 * optional options argument (of the exports, the sign-in clients' methods, a device sign-in's `poll` and the Okta fetch's
 * `init`) with `null` (ends as nothing does) and a string (`INVALID_CONFIG`), from a table that
 * fails when an export or a client method has no row.
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
import * as durableObject from '@org/okta-token-store-durable-object';
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
  '@org/okta-token-store-durable-object': durableObject,
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
let webApp: { clientId: string; clientSecret?: string | undefined };
let apiToken: string;
let key: CryptoKey;
let jwk: JsonWebKey;
const redirectUri = 'http://127.0.0.1:5173/callback';
beforeAll(async () => {
  emulator = await startEmulator();
  app = emulator.createSignInApp({ type: 'native', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  webApp = emulator.createSignInApp({ type: 'web', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  apiToken = emulator.createApiToken().token;
  key = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])).privateKey;
  jwk = await crypto.subtle.exportKey('jwk', key);
});
afterAll(async () => {
  await emulator.close();
});

describe('every exported function, called with a wrong first argument', () => {
  const calls = Object.entries(entries).flatMap(([entry, exports]) => sweptNames(exports).map((name) => [entry, name] as const));

  it('sweeps the factories users start from', () => {
    const names = new Set(calls.map(([, name]) => name));
    for (const name of ['createOktaFetch', 'createOktaKy', 'oktaKyHooks', 'coordinateRateLimits', 'paginate', 'pollSystemLog', 'createSswsCredential', 'sswsCredentialFromEnv', 'createServiceAppCredential', 'createSignInClient', 'signInClientFromEnv', 'importDpopKeyPair', 'createRedisTokenStorage', 'createRedisRateLimitCoordinator', 'createDurableObjectTokenStorage']) {
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

  it("the client's methods, signOut, restoreCredential and userInfo", async () => {
    const signInClient = client();
    for (const [label, value] of wrongArguments) {
      expectTypedOrNothing(`finishSignIn(${label})`, await outcomeOf(() => signInClient.finishSignIn(value as string)));
      expectTypedOrNothing(`startSignIn(${label})`, await outcomeOf(() => signInClient.startSignIn(value as oauth.StartSignInOptions)));
      expectTypedOrNothing(`startDeviceSignIn(${label})`, await outcomeOf(() => signInClient.startDeviceSignIn(value as oauth.StartDeviceSignInOptions)));
      expectTypedOrNothing(`credential(${label})`, await outcomeOf(() => signInClient.credential(value as oauth.UserTokens)));
      expectTypedOrNothing(`signOut(client, ${label})`, await outcomeOf(() => oauth.signOut(signInClient, value as never)));
      expectTypedOrNothing(`restoreCredential(client, ${label})`, await outcomeOf(() => oauth.restoreCredential(signInClient, value as never)));
      expectTypedOrNothing(`userInfo(client, ${label})`, await outcomeOf(() => oauth.userInfo(signInClient, value as never)));
    }
  });

  it('a callback that is not a URL is INVALID_CONFIG naming what to pass', async () => {
    const outcome = await outcomeOf(() => client().finishSignIn(undefined as unknown as string));
    expect(outcome.error).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/^finishSignIn takes the callback first/) as unknown });
  });
});

/** A call that puts `options` where the export's later options argument goes, given valid earlier arguments. */
type Later = (run: (...args: unknown[]) => unknown) => (options: unknown) => unknown;
const orgUrl = 'https://acme.okta.com';
/** A confidential client (introspect needs one). */
const emulatorClient = () =>
  oauth.createSignInClient({ orgUrl: emulator.url, clientId: webApp.clientId, clientSecret: webApp.clientSecret, redirectUri, scopes: ['openid', 'okta.users.read'], allowInsecureLoopback: true });
const userTokens = () => new oauth.UserTokens({ accessToken: `access-${crypto.randomUUID()}`, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, scope: 'okta.users.read' });
/** A fetcher that answers one page of one event without the network: the walks' options are read before and after it. */
const onePage = () =>
  core.createOktaFetch({
    credential: ssws.createSswsCredential({ orgUrl, token: `00${'a'.repeat(40)}` }),
    fetch: () => Promise.resolve(new Response(JSON.stringify([{ uuid: 'e1' }]), { headers: { 'content-type': 'application/json' } })),
  });

/**
 * Every swept export, by name (the same name in several entries is run for each entry's function):
 * how to reach its later optional options argument, or why it has none. A new export without a row
 * fails the first test below, so none is forgotten.
 */
const laterOptions: Record<string, Later | string> = {
  coordinateRateLimits: 'one argument (the coordinator)',
  createInFlightLimit: 'one argument (the number of slots)',
  createMemoryRateLimitCoordinator: 'one argument (its options, swept above)',
  createOktaFetch: 'one argument (its options, swept above)',
  nextLink: 'no options (a header and a base URL)',
  objectPages: 'one argument (the property holding the items)',
  paginate: (run) => (options) => run(onePage(), '/api/v1/users', options),
  paginatePages: (run) => (options) => run(onePage(), '/api/v1/users', options),
  parseOrgUrl: (run) => (options) => run(orgUrl, options),
  pollSystemLog: (run) => (options) => run(onePage(), '/api/v1/logs?since=2026-01-01T00:00:00Z', options),
  createOktaKy: 'one argument (its options, swept above)',
  oktaKyHooks: 'one argument (its options, swept above)',
  createSswsCredential: 'one argument (its options, swept above)',
  sswsCredentialFromEnv: (run) => (options) => run({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_TOKEN: `00${'a'.repeat(40)}` }, options),
  clientSecretBasic: 'one argument (the secret)',
  clientSecretJwt: (run) => (options) => run('s'.repeat(40), options),
  clientSecretPost: 'one argument (the secret)',
  createJwksIdTokenVerifier: 'one argument (its options, swept above)',
  createMemoryStorage: 'one argument (its options, swept above)',
  createMemoryTokenStore: 'one argument (its options, swept above)',
  createMultiOrgCredentials: 'one argument (its options, swept above)',
  createOinAppCredential: 'one argument (its options, swept above)',
  createServiceAppCredential: 'one argument (its options, swept above)',
  createSessionStorage: 'no argument',
  createSignInClient: 'one argument (its options, swept above); its methods below',
  createWebStorage: 'one argument (the Web Storage)',
  generateDpopKeyPair: (run) => (options) => run('ES256', options),
  importDpopKeyPair: 'no options (a JWK and an algorithm name)',
  importPrivateKey: (run) => (options) => run(jwk, options),
  jwksIdTokenVerifier: 'a verifier the client calls (an ID token and its required context)',
  memoryStorage: 'one argument (its options, swept above)',
  metadata: (run) => (options) => run(emulatorClient(), options),
  noClientAuth: 'no argument',
  privateKeyJwt: (run) => (options) => run(key, options),
  restoreCredential: 'its options are required (storage): swept above',
  // A service app credential holding no token: nothing sent.
  revoke: (run) => (options) => run(serviceApp.createServiceAppCredential({ orgUrl, clientId: '0oa1bcd2efGHIJ3kl4m5', privateKey: key, keyId: 'key-1', scopes: ['okta.users.read'] }), options),
  serviceAppCredentialFromEnv: (run) => (options) =>
    run({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_CLIENTID: '0oa1bcd2efGHIJ3kl4m5', OKTA_CLIENT_PRIVATEKEY: JSON.stringify(jwk), OKTA_CLIENT_KEYID: 'key-1', OKTA_CLIENT_SCOPES: 'okta.users.read' }, options),
  sessionStorageStore: 'no argument',
  signInClientFromEnv: (run) => (options) => run({ OKTA_CLIENT_ORGURL: orgUrl, OKTA_CLIENT_CLIENTID: '0oa1bcd2efGHIJ3kl4m5', OKTA_CLIENT_REDIRECTURI: redirectUri, OKTA_CLIENT_SCOPES: 'openid' }, options),
  signOut: (run) => (options) => run(emulatorClient(), userTokens(), options),
  // Tokens without an ID token: INVALID_CONFIG (ask for openid) after the options are read, nothing sent.
  userInfo: (run) => (options) => {
    const client = emulatorClient();
    return run(client, client.credential(userTokens()), options);
  },
  webStorageStore: 'one argument (the Web Storage)',
  createRedisRateLimitCoordinator: 'one argument (its options, swept above)',
  createRedisTokenStorage: 'one argument (its options, swept above)',
  createDurableObjectTokenStorage: 'one argument (its options, swept above)',
  createDurableObjectRateLimitCoordinator: 'one argument (its options, swept above)',
  loadSharedDpopKeyPair: 'one argument (its options, swept above)',
  loadBrowserDpopKeyPair: 'one argument (its options, swept above)',
  deleteBrowserDpopKeyPair: 'one argument (its options, swept above)',
};

/** The sign-in client's methods (both entries' clients), likewise: where each takes options. */
type Client = ReturnType<typeof emulatorClient>;
const clientOptions: Record<string, ((client: Client) => (options: unknown) => unknown) | string> = {
  startSignIn: (client) => (options) => client.startSignIn(options as never),
  startDeviceSignIn: (client) => (options) => client.startDeviceSignIn(options as never),
  finishSignIn: (client) => (options) => client.finishSignIn(`${redirectUri}?code=c&state=s`, undefined, options as never),
  credential: (client) => (options) => client.credential(userTokens(), options as never),
  introspect: (client) => (options) => client.introspect('token-value', options as never),
  metadata: (client) => (options) => client.metadata(options as never),
  signOut: (client) => (options) => client.signOut(userTokens(), options as never),
  restoreCredential: 'its options are required (storage): swept above',
  toJSON: 'no argument',
};
const methodsOf = (value: object): string[] => {
  const names = new Set<string>();
  for (let o: object | null = value; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) if (name !== 'constructor' && typeof (value as Record<string, unknown>)[name] === 'function') names.add(name);
  }
  return [...names];
};

/** `ok`, our typed error's code and message, or `raw …` for anything else thrown. */
async function ending(run: () => unknown): Promise<string> {
  const { threw, error } = await outcomeOf(run);
  if (!threw) return 'ok';
  // Each answer's own request id (every OAuth endpoint's message ends with it) is no difference between the calls.
  return core.isOktaAuthError(error) ? `${error.code}: ${error.message.replace(/([ (]|, )request [^)]*\)/g, '$1request …)')}` : `raw ${String(error)}`;
}

/** `null` ends as nothing does; a string is INVALID_CONFIG (never a raw TypeError, nor read as options). */
async function expectOptionsRead(call: string, make: () => (options: unknown) => unknown): Promise<void> {
  expect(await ending(() => make()(null)), `${call}: null as none`).toBe(await ending(() => make()(undefined)));
  expect(await ending(() => make()('text')), `${call}: a string`).toMatch(/^INVALID_CONFIG: /);
}

describe('later options arguments: null is none, a string is INVALID_CONFIG', () => {
  const calls = Object.entries(entries).flatMap(([entry, exports]) => sweptNames(exports).map((name) => [entry, name] as const));

  it('has a row for every export and every method of the sign-in clients', () => {
    expect(calls.map(([, name]) => name).filter((name) => !(name in laterOptions))).toEqual([]);
    const clients = [emulatorClient(), signIn.createSignInClient({ orgUrl, clientId: app.clientId, redirectUri, scopes: ['openid'] })];
    expect(clients.flatMap(methodsOf).filter((name) => !(name in clientOptions))).toEqual([]);
  });

  it.each(calls.filter(([, name]) => typeof laterOptions[name] === 'function'))('%s %s', async (entry, name) => {
    const run = entries[entry]?.[name] as (...args: unknown[]) => unknown;
    await expectOptionsRead(name, () => (laterOptions[name] as Later)(run));
  });

  it.each(Object.keys(clientOptions).filter((name) => typeof clientOptions[name] === 'function'))('client.%s', async (name) => {
    const reach = clientOptions[name] as (client: Client) => (options: unknown) => unknown;
    await expectOptionsRead(`client.${name}`, () => reach(emulatorClient()));
    const lean = () => signIn.createSignInClient({ orgUrl: emulator.url, clientId: app.clientId, redirectUri, scopes: ['openid', 'okta.users.read'], allowInsecureLoopback: true });
    if (name in lean()) await expectOptionsRead(`/sign-in client.${name}`, () => reach(lean() as unknown as Client));
  });

  // A DeviceSignIn's poll(options) (no export nor client method: the table above cannot list it). Its
  // client's sleep moves its clock past the code's expiry, so each poll ends DEVICE_CODE_EXPIRED at
  // once, asking nothing: null must end so too, a string INVALID_CONFIG.
  it('device.poll(options)', async () => {
    const device = async () => {
      let now = Date.now();
      const client = oauth.createSignInClient({
        orgUrl: emulator.url,
        clientId: app.clientId,
        scopes: ['okta.users.read'],
        allowInsecureLoopback: true,
        now: () => now,
        sleep: (ms) => ((now += ms + 3_600_000), Promise.resolve()),
      });
      return client.startDeviceSignIn();
    };
    expect(await ending(async () => (await device()).poll())).toMatch(/^DEVICE_CODE_EXPIRED: /);
    await expectOptionsRead('device.poll(options)', () => async (options) => (await device()).poll(options as never));
  });

  it('okta(input, init)', async () => {
    await expectOptionsRead('okta(input, init)', () => (init) => onePage()('/api/v1/users', init as RequestInit));
  });
});
