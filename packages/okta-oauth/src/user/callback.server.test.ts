/**
 * Starting and finishing a sign-in, and discovery, against @org/okta-emulator over HTTP: the
 * authorize request, where the transaction comes from, what a callback must carry, the ID token's
 * clock checks, and the discovery document's checks.
 */
import { inspect } from 'node:util';
import type { OktaEmulator } from '@org/okta-emulator';
import { abortListeners, fillSignInForm } from '@org/okta-test-utils';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordingFetch } from '../test-helpers/wire.js';
import { createMemoryStorage } from './storage.js';
import { createSignInClient, type SignInClientOptions } from './sign-in-client.js';
import { login, password, redirectUri, signIn, signInFailure as failure, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
let org: OktaEmulator;
beforeEach(() => {
  ({ org } = env);
});
const spa = (options: Partial<SignInClientOptions> = {}) => spaOf(org, options);

describe('startSignIn', () => {
  it('builds an authorization code + PKCE S256 request and a plain-JSON transaction', async () => {
    const client = spa();
    const { url, transaction } = await client.startSignIn({ loginHint: login });
    expect(url.origin + url.pathname).toBe(`${org.url}/oauth2/v1/authorize`);
    const p = url.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(client.clientId);
    expect(p.get('redirect_uri')).toBe(redirectUri);
    expect(p.get('scope')).toBe('openid profile offline_access okta.users.read');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('state')).toBe(transaction.state);
    expect(p.get('nonce')).toBe(transaction.nonce);
    expect(p.get('login_hint')).toBe(login);
    expect(p.has('code_verifier')).toBe(false);
    expect(JSON.parse(JSON.stringify(transaction))).toEqual(transaction);
    expect(transaction.codeVerifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });

  it('refuses extra parameters that would override the protocol ones', async () => {
    expect((await failure(spa().startSignIn({ extraParams: { state: 'x' } }))).code).toBe('INVALID_CONFIG');
  });
});

describe('finishSignIn', () => {
  it('exchanges the code with the verifier and returns masked tokens and validated claims', async () => {
    const wire = recordingFetch();
    const client = spa({ fetch: wire.fetch });
    const { tokens, claims } = await signIn(client);
    expect(claims?.preferred_username).toBe(login);
    expect(tokens.tokenType).toBe('Bearer');
    expect(tokens.scopes).toEqual(['openid', 'profile', 'offline_access', 'okta.users.read']);
    const at = tokens.accessToken.reveal();
    expect(JSON.stringify(tokens)).not.toContain(at);
    expect(inspect(tokens)).not.toContain(at);
    expect(String(tokens.accessToken)).not.toContain(at);
    const [exchange] = wire.tokenRequests();
    expect(exchange?.form?.get('grant_type')).toBe('authorization_code');
    expect(exchange?.form?.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(exchange?.form?.get('client_id')).toBe(client.clientId);
  });

  it('finds the transaction in storage by state when none is passed, and only once', async () => {
    const client = spa();
    const { url } = await client.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    expect((await client.finishSignIn(callback)).claims?.preferred_username).toBe(login);
    const again = await failure(client.finishSignIn(callback));
    expect(again.code).toBe('STATE_MISMATCH');
    // This client started the sign-in: its memory held the transaction (a server keeping one client), so no storage advice.
    expect(again.message).not.toContain('createSessionStorage');
  });

  it("says the default memory storage lost the transaction when a new page's client finishes the callback (a SPA given no storage)", async () => {
    const started = spa();
    const { url } = await started.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    // The page Okta redirects back to makes its client afresh: a new memory storage, without the transaction.
    const options = { orgUrl: org.url, clientId: started.clientId, redirectUri, scopes: ['openid'], allowInsecureLoopback: true };
    const lost = await failure(createSignInClient(options).finishSignIn(callback));
    expect(lost.code).toBe('STATE_MISMATCH');
    expect(lost.message).toContain('storage: createSessionStorage()');
    // storage: null (a JavaScript caller's) is the default storage too.
    const nulled = await failure(createSignInClient({ ...options, storage: null as never }).finishSignIn(callback));
    expect(nulled.message).toContain('storage: createSessionStorage()');
    // A storage the app chose is not the default: no such advice.
    const given = await failure(createSignInClient({ ...options, storage: createMemoryStorage() }).finishSignIn(callback));
    expect(given.code).toBe('STATE_MISMATCH');
    expect(given.message).not.toContain('createSessionStorage');
  });

  it('gives no storage advice to a client without storage that started a sign-in itself (a server keeping one client): its memory is right', async () => {
    const client = spa();
    const { url } = await client.startSignIn();
    const callback = new URL(await fillSignInForm(url, login, password));
    // A state this client's memory never held: a callback crossed with another sign-in, or forged.
    callback.searchParams.set('state', 'a-state-this-client-never-made');
    const crossed = await failure(client.finishSignIn(callback));
    expect(crossed.code).toBe('STATE_MISMATCH');
    expect(crossed.message).toMatch(/^The callback's state matches no sign-in in progress \(already finished, started in another browser or tab, or forged\)\.$/);
  });

  it('shares one code exchange when the same callback is finished twice at once, even if one caller gives up', async () => {
    const client = spa();
    const { url } = await client.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    const cancelled = new AbortController();
    const first = client.finishSignIn(callback, undefined, { signal: cancelled.signal });
    const second = client.finishSignIn(callback);
    cancelled.abort(); // a UI framework's effect cleanup: the other caller still gets the result
    const [a, b] = await Promise.allSettled([first, second]);
    expect(a.status).toBe('rejected');
    expect(b.status === 'fulfilled' && b.value.claims?.preferred_username).toBe(login);
    expect(org.counters().tokenRequests.authorization_code).toEqual({ success: 1 });
  });

  it("stops the token request when its caller gives up, unless the same callback's other caller still waits", async () => {
    const tokenRequests: AbortSignal[] = [];
    let sent: () => void = () => undefined;
    const client = spa({
      fetch: (input, init) => {
        const request = new Request(input, init);
        if (new URL(request.url).pathname === '/oauth2/v1/token') {
          tokenRequests.push(request.signal);
          sent();
        }
        return fetch(request);
      },
    });
    const firstSent = new Promise<void>((resolve) => (sent = resolve));
    const codeOf = (work: Promise<unknown>) => work.then(() => 'ok', (error: unknown) => (error as { code?: string }).code);
    // Waits for the abort itself, however long a loaded machine takes (a request never stopped fails the test by its timeout).
    const stopped = (signal: AbortSignal) => new Promise<boolean>((resolve) => (signal.aborted ? resolve(true) : signal.addEventListener('abort', () => resolve(true), { once: true })));
    // Okta takes its time to answer (the org never answers within the test).
    org.injectFault({ path: '/oauth2/v1/token', kind: 'latency', latencyMs: 60_000, count: 1 });
    const first = await client.startSignIn();
    const caller = new AbortController();
    const finishing = client.finishSignIn(await fillSignInForm(first.url, login, password), first.transaction, { signal: caller.signal });
    await firstSent;
    caller.abort();
    expect(await codeOf(finishing)).toBe('ABORTED');
    // Before, the exchange ran on without any signal: the code was redeemed for tokens nobody got.
    expect(await stopped(tokenRequests[0] ?? new AbortController().signal)).toBe(true);

    // A UI framework's effect run twice: the first run's cleanup aborts, the second run finishes the same callback at once.
    const second = await client.startSignIn();
    const callback = await fillSignInForm(second.url, login, password);
    const cleanedUp = new AbortController();
    const firstRun = client.finishSignIn(callback, second.transaction, { signal: cleanedUp.signal });
    cleanedUp.abort();
    const secondRun = client.finishSignIn(callback, second.transaction);
    expect(await codeOf(firstRun)).toBe('ABORTED');
    expect((await secondRun).claims?.preferred_username).toBe(login);
    // The flight settled: nothing is left that could stop its request any more.
    expect(tokenRequests[1]?.aborted).toBe(false);
  });

  it('leaves nothing on a long-lived signal once finished (a server passing its shutdown signal to every call)', async () => {
    const client = spa();
    const shutdown = new AbortController();
    for (let round = 0; round < 2; round++) {
      const { url, transaction } = await client.startSignIn();
      const { claims } = await client.finishSignIn(await fillSignInForm(url, login, password), transaction, { signal: shutdown.signal });
      expect(claims?.preferred_username).toBe(login);
    }
    // A listener left per call would keep its sign-in's result (the user's tokens) for the signal's life.
    expect(abortListeners(shutdown.signal)).toBe(0);
  });

  it('accepts the path and query a server received', async () => {
    const client = spa();
    const { url, transaction } = await client.startSignIn();
    const callback = new URL(await fillSignInForm(url, login, password));
    const { claims } = await client.finishSignIn(`${callback.pathname}${callback.search}`, transaction);
    expect(claims?.preferred_username).toBe(login);
  });

  it('turns any other error in the callback into AUTHORIZATION_ERROR', async () => {
    const client = spa();
    const { transaction } = await client.startSignIn();
    const failed = new URL(redirectUri);
    failed.search = new URLSearchParams({ error: 'server_error', error_description: 'Try again later', state: transaction.state, iss: org.url }).toString();
    const error = await failure(client.finishSignIn(failed, transaction));
    expect(error.code).toBe('AUTHORIZATION_ERROR');
    expect(error.error).toBe('server_error');
  });

  it('refuses a callback without code, an expired transaction and a malformed one', async () => {
    const clock = { now: Date.now() };
    const client = spa({ now: () => clock.now, transactionMaxAgeSeconds: 600 });
    let { url, transaction } = await client.startSignIn();
    expect((await failure(client.finishSignIn(`${redirectUri}?state=${transaction.state}&iss=${org.url}`, transaction))).code).toBe('INVALID_CALLBACK');
    ({ url, transaction } = await client.startSignIn());
    const callback = await fillSignInForm(url, login, password);
    clock.now += 601_000;
    expect((await failure(client.finishSignIn(callback, transaction))).code).toBe('INVALID_TRANSACTION');
    expect((await failure(client.finishSignIn(callback, { ...transaction, state: 1 } as never))).code).toBe('INVALID_TRANSACTION');
  });

  it('refuses a transaction whose createdAt lies in the future beyond clockSkewSeconds (tampered: it would never expire)', async () => {
    const clock = { now: Date.now() };
    const client = spa({ now: () => clock.now, transactionMaxAgeSeconds: 600, clockSkewSeconds: 60 });
    const { url, transaction } = await client.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    const tampered = { ...transaction, createdAt: clock.now + 365 * 86_400_000 };
    const error = await failure(client.finishSignIn(callback, tampered));
    expect(error.code).toBe('INVALID_TRANSACTION');
    expect(error.message).toContain('future');
    // Within the skew (another process of the fleet a little ahead), the same callback still works.
    const again = await client.startSignIn();
    const ok = await fillSignInForm(again.url, login, password);
    await expect(client.finishSignIn(ok, { ...again.transaction, createdAt: clock.now + 30_000 })).resolves.toMatchObject({ claims: { preferred_username: login } });
  });

  it('checks auth_time when maxAgeSeconds was asked for', async () => {
    // The app's clock and the org's run with real time (no skew is allowed, and the org stamps iat as it answers), plus what the test adds.
    let ahead = 0;
    const client = spa({ clockSkewSeconds: 0, now: () => Date.now() + ahead });
    let { url, transaction } = await client.startSignIn({ maxAgeSeconds: 3600 });
    expect(url.searchParams.get('max_age')).toBe('3600');
    expect((await client.finishSignIn(await fillSignInForm(url, login, password), transaction)).claims?.auth_time).toBeTypeOf('number');
    ({ url, transaction } = await client.startSignIn({ maxAgeSeconds: 1 }));
    const callback = await fillSignInForm(url, login, password);
    // The user signed in more than max_age ago by the time the app checks (the claims are checked on the org's clock).
    ahead += 5_000;
    org.setClockOffset(ahead / 1000);
    expect((await failure(client.finishSignIn(callback, transaction))).reason).toBe('auth-time');
  });
});

describe('discovery', () => {
  it('refuses a document whose issuer is not the org URL, and does not cache the failure', async () => {
    const client = spa();
    org.overrideDiscovery({ issuer: 'https://other.okta.com' });
    expect((await failure(client.startSignIn())).code).toBe('DISCOVERY_FAILED');
    org.overrideDiscovery({});
    await expect(client.startSignIn()).resolves.toMatchObject({ url: expect.any(URL) });
  });

  it('refuses an endpoint whose query names a parameter the client sets, and keeps any other query (RFC 6749 §3.1)', async () => {
    const authorize = `${org.url}/oauth2/v1/authorize`;
    for (const query of ['client_id=evil', 'response_mode=form_post', 'prompt=none', 'request_uri=urn:x']) {
      const client = spa();
      org.overrideDiscovery({ authorization_endpoint: `${authorize}?${query}` });
      const error = await failure(client.startSignIn());
      expect(error.code).toBe('DISCOVERY_FAILED');
      expect(error.message).toContain(`authorization_endpoint has ${query.split('=')[0]} in its query`);
    }
    org.overrideDiscovery({ end_session_endpoint: `${org.url}/oauth2/v1/logout?post_logout_redirect_uri=https://evil.example.com/` });
    expect((await failure(spa().metadata())).code).toBe('DISCOVERY_FAILED');
    org.overrideDiscovery({ authorization_endpoint: `${authorize}?tenant=a&b=1` });
    const { url, transaction } = await spa().startSignIn();
    expect(url.searchParams.get('tenant')).toBe('a');
    expect(url.searchParams.get('b')).toBe('1');
    expect(url.searchParams.getAll('state')).toEqual([transaction.state]);
  });

  it('refuses endpoints on another origin, and blob:, data: or javascript: ones (compared by scheme and host, not url.origin)', async () => {
    // A blob: URL's url.origin is the org's (the URL it wraps); data: and javascript: have the opaque origin "null".
    for (const endpoint of [`blob:${org.url}/oauth2/v1/authorize`, 'https://evil.example.com/token', 'data:text/html,sign-in', 'javascript:alert(1)//']) {
      org.overrideDiscovery({ authorization_endpoint: endpoint });
      const error = await failure(spa().startSignIn());
      expect(error.code, endpoint).toBe('DISCOVERY_FAILED');
      expect(error.message).toBe(`The discovery document's authorization_endpoint is not a URL on the org origin ${org.url}.`);
    }
    org.overrideDiscovery({});
  });

  // `new URL('blob:<org>/…').origin` is the org's: such an endpoint passed, and the authorize URL handed to the browser was a blob: URL.
  it("refuses an endpoint that only wraps the org's origin (blob:), or has an opaque one (data:, a scheme of its own)", async () => {
    for (const [name, url] of [['token_endpoint', `blob:${org.url}/oauth2/v1/token`], ['authorization_endpoint', `blob:${org.url}/oauth2/v1/authorize`], ['token_endpoint', 'data:,x'], ['token_endpoint', 'okta://acme/token']] as const) {
      org.overrideDiscovery({ [name]: url });
      const error = await failure(spa().metadata());
      expect([error.code, error.message], url).toEqual(['DISCOVERY_FAILED', `The discovery document's ${name} is not a URL on the org origin ${org.url}.`]);
    }
  });
});
