// What each runtime's own ways of showing or copying an object reveal of the objects that hold
// a secret: Deno.inspect and Bun.inspect (here), the console (logged here with a marker; the
// runner scans what the console got: the process's output, workerd's, in Chromium the
// DevTools protocol's preview of each object and its first expansion, in Firefox what WebDriver
// BiDi serializes of each argument; WebKit's console is not scanned: WebDriver classic carries
// none), structuredClone,
// postMessage, Object.entries and spread, and error stacks.
import { Secret, createOktaFetch, isOktaAuthError } from '@org/okta-auth-core';
import { UserTokens, createMemoryTokenStore, createServiceAppCredential, createSignInClient, isOktaOAuthError } from '@org/okta-oauth';
import { createSswsCredential } from '@org/okta-ssws';
import { equal, errorTexts, notContains, ok, rejects } from '../assert.js';

/** The marker the runner looks for in what the console got (a case that logged nothing fails there). */
export const CONSOLE_MARKER = 'okta-inspect-case';
/** The objects the case logs, by name (the runner expects a console line for each). */
export const HOLDER_NAMES = ['secret', 'userTokens', 'userCredential', 'signInClient', 'sswsCredential', 'serviceAppCredential', 'tokenStore', 'apiError', 'oauthError', 'logEvents'];

/** Every string reachable through own keys (enumerable or not, symbols too): what a generic inspector or a clone can read. */
function ownStrings(value, depth = 0, seen = new Set()) {
  if (typeof value === 'string') return [value];
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || depth > 6 || seen.has(value)) return [];
  seen.add(value);
  const out = [];
  for (const key of Reflect.ownKeys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor !== undefined && 'value' in descriptor) out.push(...ownStrings(descriptor.value, depth + 1, seen));
  }
  if (value instanceof Map) for (const [k, v] of value) out.push(...ownStrings(k, depth + 1, seen), ...ownStrings(v, depth + 1, seen));
  return out;
}

/** A JSON value as base64url (a JWT's header or payload), with what every runtime of the matrix has. */
function base64url(value) {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '');
}

/** A structured clone, or `undefined` when the object cannot be cloned (a credential's functions: a DataCloneError). */
function cloned(value) {
  try {
    return structuredClone(value);
  } catch (error) {
    equal(error?.name, 'DataCloneError', 'structuredClone refused with another error');
    return undefined;
  }
}

/** What a `postMessage` hands the other side (a MessageChannel), or `undefined` when it cannot be cloned. */
async function posted(value) {
  if (typeof MessageChannel !== 'function') return undefined;
  const { port1, port2 } = new MessageChannel();
  try {
    const received = new Promise((resolve) => { port2.onmessage = (event) => resolve(event.data); });
    try {
      port1.postMessage(value);
    } catch (error) {
      equal(error?.name, 'DataCloneError', 'postMessage refused with another error');
      return undefined;
    }
    return await received;
  } finally {
    port1.close();
    port2.close();
  }
}

/** Every way this runtime shows or copies `value`, as texts. */
async function shownTexts(value) {
  const texts = [];
  const inspect = globalThis.Deno?.inspect ?? globalThis.Bun?.inspect;
  if (typeof inspect === 'function') {
    texts.push(inspect(value, { depth: 8, showHidden: true, getters: true }), inspect({ value }, { depth: 8 }));
  }
  for (const show of [() => JSON.stringify(value), () => String(value), () => `${value?.stack}`]) {
    try {
      texts.push(show());
    } catch {
      // a value without a string form shows nothing
    }
  }
  texts.push(...ownStrings(value), ...ownStrings({ ...value }), ...ownStrings(Object.entries(value)));
  texts.push(...ownStrings(cloned(value)), ...ownStrings(await posted(value)));
  return texts;
}

/** The objects that hold a secret, made the way an application makes them; `secrets` are the values none may show. */
async function secretHolders(fixture) {
  const base = fixture.inspectSecret;
  const { ec, rsa, scopes } = fixture.oauth.serviceApp;
  const serviceApp = { orgUrl: fixture.orgUrl, keyId: ec.keyId, scopes, dpop: 'required', allowInsecureLoopback: true };
  const credential = createServiceAppCredential({ ...serviceApp, clientId: ec.clientId, privateKey: ec.privateJwk });
  const headers = await credential.authorize({ method: 'GET', url: new URL('/api/v1/users', fixture.orgUrl) });
  const tokenStore = createMemoryTokenStore();
  await tokenStore.set('app', { accessToken: `${base}Store`, tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000, lifetimeMs: 3_600_000, refreshToken: `${base}StoreRefresh` });
  const events = [];
  const revoked = createSswsCredential({ orgUrl: fixture.orgUrl, token: fixture.ssws.revokedToken, allowInsecureLoopback: true });
  const apiError = await rejects(createOktaFetch({ credential: revoked, logger: (e) => events.push(e) })('/api/v1/users?limit=1'), 'a revoked token was accepted');
  ok(isOktaAuthError(apiError), 'the revoked token: an OktaAuthError');
  // The RSA app's client id with the EC app's key: Okta refuses the client assertion.
  const wrongKey = createServiceAppCredential({ ...serviceApp, clientId: rsa.clientId, privateKey: ec.privateJwk, logger: (e) => events.push(e) });
  const oauthError = await rejects(createOktaFetch({ credential: wrongKey })('/api/v1/users?limit=1'), 'a wrong key was accepted');
  ok(isOktaOAuthError(oauthError), 'the wrong key: an OktaOAuthError');
  // A signed-in user's credential (as the app's onTokens gets its tokens), unused: no refresh token is spent.
  // Its ID token names this org and client (a credential refuses another's tokens), its signature part the secret:
  // base64url of whole bytes (44 characters; a JWS whose signature is not base64url is refused as unreadable).
  const idToken = [{ alg: 'RS256' }, { iss: fixture.orgUrl.replace(/\/$/, ''), aud: fixture.oauth.user.clientId, sub: '00uInspect' }].map(base64url).concat(`${base}IdSig`).join('.');
  const userTokens = new UserTokens({ accessToken: `${base}Access`, tokenType: 'Bearer', refreshToken: `${base}Refresh`, idToken, scope: 'openid' });
  const signInClient = createSignInClient({ orgUrl: fixture.orgUrl, clientId: fixture.oauth.user.clientId, scopes: fixture.oauth.user.scopes, allowInsecureLoopback: true });
  const userCredential = signInClient.credential(userTokens, { onTokens: () => undefined });
  return {
    secrets: [base, fixture.ssws.token, fixture.ssws.revokedToken, ec.privateJwk.d, headers.authorization.slice('DPoP '.length), headers.dpop],
    holders: {
      secret: new Secret(`${base}Secret`),
      userTokens,
      userCredential,
      signInClient,
      sswsCredential: createSswsCredential({ orgUrl: fixture.orgUrl, token: fixture.ssws.token, allowInsecureLoopback: true }),
      serviceAppCredential: credential,
      tokenStore,
      apiError,
      oauthError,
      logEvents: events,
    },
  };
}

export const inspectCases = [
  {
    name: 'inspect: no secret shows through this runtime\'s inspector, console, structuredClone, postMessage, entries, spread or an error stack',
    async run(fixture) {
      const { secrets, holders } = await secretHolders(fixture);
      ok(holders.logEvents.length > 0, 'the failed calls logged events');
      equal(Object.keys(holders).join(), HOLDER_NAMES.join(), 'the objects the runner expects on the console');
      for (const [name, value] of Object.entries(holders)) {
        const texts = await shownTexts(value);
        if (value instanceof Error) texts.push(...errorTexts(value));
        for (const secret of secrets) notContains(texts, secret, `${name} shows a secret`);
        // The runner reads what the console got of each (stdout, workerd's log, Chromium's DevTools protocol, Firefox's BiDi log entries; not WebKit's).
        console.log(CONSOLE_MARKER, name, value);
      }
    },
  },
];
