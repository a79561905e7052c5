/**
 * The one page of the browser credential tests (two tabs, a tab and its copy, a page and its
 * frame): `tokenApp`, a global of the page, restores a credential from Web Storage as an app does
 * on load and asks it for an access token, in headless Chromium against the emulator.
 */
import type { OktaEmulator } from '@org/okta-emulator';
import { until } from '@org/okta-test-utils';
import type { Frame, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { BrowserApp } from './browser-page.js';
import { useBrowserApp, useSharedBrowserApp } from './browser-page.js';
import { scopes, signIn, spaOf, tokensKeyOf, useSignInOrg, type SignInOrg } from './sign-in-org.js';
import type { UserTokens } from '../tokens.js';

const script = `
import { createOktaFetch } from '@org/okta-auth-core';
import * as full from './src/index.ts';
import * as lean from './src/sign-in-entry.ts';
import { jwksIdTokenVerifier } from './src/id-token-jwks-entry.ts';
let credential;
let client;
let signOutOf;
let hold;
// The revocation events of the page's client's logger (JSON): what a tab reports of tokens it revoked and nobody keeps.
const revocations = [];
// What onTokens heard, with told: 'tokens' or null.
const told = [];
globalThis.tokenApp = {
  restore: async (o) => {
    const { createSignInClient, createSessionStorage, createWebStorage, UserTokens } = o.entry === 'index' ? full : lean;
    // aheadMs moves this page's clock on, so its tokens are due for renewal. With jwks, the signature check
    // fetches the org's keys after the refresh answer, before the renewed tokens are stored.
    client = createSignInClient({
      orgUrl: o.orgUrl, clientId: o.clientId, scopes: o.scopes, allowInsecureLoopback: true, timeoutMs: o.timeoutMs,
      logger: (event) => { if (event.type === 'revocation') revocations.push(JSON.stringify(event)); },
      ...(o.aheadMs === undefined ? {} : { now: () => Date.now() + o.aheadMs }),
      ...(o.jwks ? { idTokenVerifier: jwksIdTokenVerifier } : {}),
    });
    const storage = o.storage === 'local' ? createWebStorage(localStorage) : createSessionStorage();
    if (o.holdable) {
      const get = storage.get;
      // The next read after hold(name) returns what storage holds at once, after the channel's next message (heard
      // after the credential's): this page read the tokens just before another one renewed them.
      storage.get = (key) => {
        const held = hold;
        hold = undefined;
        const text = get(key);
        return held === undefined ? text : held.then(() => text);
      };
    }
    // hang: an onTokens that never settles, so the renewal holds its lock from then on (telling says it got there).
    const onTokens = o.hang ? () => ((globalThis.telling = true), new Promise(() => undefined)) : o.told ? (next) => { told.push(next && 'tokens'); } : undefined;
    const options = { storage, ...(onTokens ? { onTokens } : {}) };
    signOutOf = o.entry === 'index' ? full.signOut : lean.signOut;
    // tokens: a sign-in's (client.credential: its first write, on the first call, replaces what storage holds), not restored.
    credential = o.tokens ? client.credential(UserTokens.fromStorable(o.tokens), options) : o.entry === 'index' ? await client.restoreCredential(options) : await lean.restoreCredential(client, options);
    return credential !== undefined;
  },
  hold: (name) => {
    hold = new Promise((resolve) => { new BroadcastChannel(name).onmessage = resolve; });
  },
  // A test's own listener on the channel, made after the credential's: it hears a message after the credential has.
  heard: (name) => new Promise((resolve) => { new BroadcastChannel(name).onmessage = (event) => resolve(event.data); }),
  revocations: () => revocations,
  told: () => told,
  // The codes of what the sign-out did not revoke.
  signOut: async () => (await signOutOf(client, credential)).notRevoked.map((n) => n.error.code),
  // An Okta API call through the credential: the answer's status, or what it threw.
  call: async (path) => {
    try {
      const response = await createOktaFetch({ credential })(path);
      await response.body?.cancel();
      return String(response.status);
    } catch (error) {
      return 'failed: ' + error.code + ': ' + error.message;
    }
  },
  token: async (forceRefresh) => {
    if (credential === undefined) return 'no credential';
    try {
      return (await credential.getAccessToken(forceRefresh === undefined ? undefined : { forceRefresh })).reveal();
    } catch (error) {
      return 'failed: ' + error.code + ': ' + error.message;
    }
  },
};`;

/** How the page makes its client and credential. */
export interface Restore {
  readonly orgUrl: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** `sessionStorage` (`createSessionStorage()`, the default) or `localStorage` (`createWebStorage`). */
  readonly storage?: 'session' | 'local';
  /** `index`: `@org/okta-oauth` and its client's `restoreCredential` (signatures checked); else `@org/okta-oauth/sign-in`. */
  readonly entry?: 'index' | 'sign-in';
  readonly timeoutMs: number;
  /** How far this page's clock is ahead. */
  readonly aheadMs?: number;
  /** Checks ID token signatures with `jwksIdTokenVerifier`. */
  readonly jwks?: boolean;
  /** Lets {@link holdIn} delay the storage's next read. */
  readonly holdable?: boolean;
  /** An `onTokens` that never settles (it sets `globalThis.telling` first). */
  readonly hang?: boolean;
  /** An `onTokens` that records what it hears ({@link toldIn}). */
  readonly told?: boolean;
  /** Tokens just signed in (stored form): the credential `client.credential` makes of them, storage not read. */
  readonly tokens?: string;
}

interface TokenAppGlobal {
  tokenApp: {
    restore(o: Restore): Promise<boolean>;
    hold(name: string): void;
    heard(name: string): Promise<string>;
    token(forceRefresh?: boolean): Promise<string>;
    call(path: string): Promise<string>;
    signOut(): Promise<string[]>;
    revocations(): string[];
    told(): ('tokens' | null)[];
  };
}
/** A tab of the token page, or a frame of one. */
export type Tab = Page | Frame;

/** Restores the page's credential; whether storage held one. */
export const restoreIn = (tab: Tab, options: Restore): Promise<boolean> => tab.evaluate((o) => (globalThis as unknown as TokenAppGlobal).tokenApp.restore(o), options);

/** The credential's access token (`forceRefresh` if given), `failed: CODE: message` or `no credential`. */
export const tokenIn = (tab: Tab, forceRefresh?: boolean): Promise<string> => tab.evaluate((force) => (globalThis as unknown as TokenAppGlobal).tokenApp.token(force ?? undefined), forceRefresh ?? null);

/** An Okta API call (`createOktaFetch`) with the page's credential: the answer's status, or `failed: CODE: message`. */
export const callIn = (tab: Tab, path: string): Promise<string> => tab.evaluate((p) => (globalThis as unknown as TokenAppGlobal).tokenApp.call(p), path);

/** What the page's `onTokens` heard (restored with `told`): `'tokens'` for tokens, `null` for the session's end. */
export const toldIn = (tab: Tab): Promise<('tokens' | null)[]> => tab.evaluate(() => (globalThis as unknown as TokenAppGlobal).tokenApp.told());

/** Signs the page's credential out (`signOut(client, credential)`); the codes of what it did not revoke. */
export const signOutIn = (tab: Tab): Promise<string[]> => tab.evaluate(() => (globalThis as unknown as TokenAppGlobal).tokenApp.signOut());

/** The first message the page then hears on the channel `name`, after the credential's own listener. */
export const heardIn = (tab: Tab, name: string): Promise<string> => tab.evaluate((n) => (globalThis as unknown as TokenAppGlobal).tokenApp.heard(n), name);

/** The page's client's `revocation` log events so far, as JSON. */
export const revocationsIn = (tab: Tab): Promise<string[]> => tab.evaluate(() => (globalThis as unknown as TokenAppGlobal).tokenApp.revocations());

/** Delays the page's next storage read (a `holdable` restore) until its next message on the channel `name`. */
export const holdIn = (tab: Tab, name: string): Promise<void> => tab.evaluate((n) => (globalThis as unknown as TokenAppGlobal).tokenApp.hold(n), name);

/** Writes `text` under `key` in the tab's `sessionStorage` or `localStorage`. */
export const putIn = (tab: Tab, storage: 'session' | 'local', key: string, text: string): Promise<void> =>
  tab.evaluate(([s, k, v]) => (s === 'local' ? localStorage : sessionStorage).setItem(k, v), [storage, key, text] as const);

/** What the tab's `sessionStorage` or `localStorage` holds under `key`. */
export const readIn = (tab: Tab, storage: 'session' | 'local', key: string): Promise<string | null> =>
  tab.evaluate(([s, k]) => (s === 'local' ? localStorage : sessionStorage).getItem(k), [storage, key] as const);

/**
 * The first tab's renewal (`renewing`, its {@link tokenIn}) answered by Okta, then held at `org` on its way to storage
 * (`hold`: the key set a `jwks` restore fetches after the answer, before storing), while the second tab signs out,
 * which the first tab's `heard` ({@link heardIn} on the spent-token channel) hears.
 */
export async function signedOutWhileRenewing(org: OktaEmulator, tabs: readonly [Tab, Tab], heard: Promise<string>): Promise<{ hold: string; renewing: Promise<string> }> {
  const hold = org.injectFault({ path: '/oauth2/v1/keys', kind: 'hold', holdMs: 60_000, count: 1 });
  const renewing = tokenIn(tabs[0]);
  await until(() => org.heldAnswers(hold) === 1, 'the renewal answered, its key set held at the org');
  expect(org.counters().tokenRequests.refresh_token).toEqual({ success: 1 });
  expect(await signOutIn(tabs[1])).toEqual([]);
  expect(await heard).toMatch(/^[\w-]{43}$/);
  return { hold, renewing };
}

/** A user signed in on a new SPA of the org (refresh tokens rotated). */
export interface SignedIn {
  readonly clientId: string;
  readonly tokens: UserTokens;
  /** The storage key of its tokens. */
  readonly key: string;
  /** The tokens as a credential stores them; `expired` moves their `expiresAt` a second into the past. */
  stored(expired?: boolean): string;
  /** The page's restore options for this app (`restore` adds to them). */
  restore(restore: Omit<Restore, 'orgUrl' | 'clientId' | 'scopes'>): Restore;
  /** Another sign-in of the same user on the same app: new tokens. */
  again(): Promise<UserTokens>;
}

/**
 * One emulated org per test ({@link useSignInOrg}); `signedIn` signs its user in on a new SPA, and
 * `start` serves the token page and launches Chromium (closed after the test). With `chromium:
 * 'shared'`, for tests that run one after another: `start` opens a new profile of one Chromium
 * for the file ({@link useSharedChromium}), closed after the test, rather than a Chromium each.
 */
export function useTokenPage(chromium: 'own' | 'shared' = 'own'): {
  readonly env: SignInOrg;
  /** Signs the user in on a new SPA; `asked`: the scopes asked for (without `offline_access`: no refresh token). */
  readonly signedIn: (asked?: readonly string[]) => Promise<SignedIn>;
  readonly start: () => Promise<BrowserApp>;
} {
  // The page's origin (a free port, known only once served) is none of the SPA's redirect URIs': Okta's rule for a
  // browser's token request (emulator FIDELITY BR, tested in token-endpoint/browser-request-chromium.server.test.ts) is
  // off here, where the tabs' storage and locks are under test.
  const env = useSignInOrg({ browserRules: false });
  const startApp = chromium === 'own' ? useBrowserApp() : useSharedBrowserApp();
  return {
    env,
    start: () => startApp(script),
    signedIn: async (asked = scopes) => {
      const client = spaOf(env.org, { scopes: [...asked] });
      const { tokens } = await signIn(client);
      return {
        clientId: client.clientId,
        tokens,
        key: tokensKeyOf(client.clientId),
        stored: (expired = false) => storedOf(tokens, expired),
        restore: (restore) => ({ orgUrl: env.org.url, clientId: client.clientId, scopes: asked, ...restore }),
        again: async () => (await signIn(client)).tokens,
      };
    },
  };
}

/** `tokens` as a credential stores them; `expired`: a second past their expiry. */
export const storedOf = (tokens: UserTokens, expired = false): string => JSON.stringify({ ...tokens.toStorable(), ...(expired ? { expiresAt: Date.now() - 1000 } : {}) });
