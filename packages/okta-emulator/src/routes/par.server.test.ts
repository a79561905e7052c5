/**
 * Pushed authorization requests (RFC 9126) at `POST /oauth2/v1/par`: the client authenticated as
 * at /token, the authorize endpoint's checks made up front (as JSON errors), a one-time
 * `request_uri` of 3600 s (Okta's example) that /authorize then reads, refusing any other parameter
 * beside it. Refusals in the words of Okta's OAuth error catalogue (FIDELITY PAR2–PAR4).
 */
import { describe, expect, it } from 'vitest';
import { Browser, hiddenInputs, pkce } from '../test-helpers/browser.js';
import { basic, form } from '../test-helpers/oauth.js';
import { exchangeCode, REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

const env = useSignInApps();

/** The authorize request's parameters (a SPA's unless `extra` changes them). */
const request = (clientId: string, challenge: string, extra: Record<string, string> = {}): Record<string, string> => ({
  client_id: clientId,
  redirect_uri: REDIRECT,
  response_type: 'code',
  scope: 'openid profile',
  state: 'st-par',
  nonce: 'n-par',
  code_challenge: challenge,
  code_challenge_method: 'S256',
  ...extra,
});

function push(params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  const init = form(params);
  return fetch(`${env.org.url}/oauth2/v1/par`, { ...init, headers: { ...init.headers, ...headers } });
}

/** A refusal's words as the error page shows them (HTML-escaped apostrophes). */
const onPage = (text: string): string => text.replaceAll("'", '&#39;');

/** Okta's catalogue, `invalid_request_uri`: an unknown, used or expired `request_uri` at /authorize. */
const INVALID_REQUEST_URI = onPage('The authorize request_uri is invalid.');

const authorizeWith = (query: Record<string, string>): string => `${env.org.url}/oauth2/v1/authorize?${new URLSearchParams(query).toString()}`;

describe('POST /oauth2/v1/par', () => {
  it('is in the discovery document, on the org', async () => {
    const doc = (await (await fetch(`${env.org.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(doc.pushed_authorization_request_endpoint).toBe(`${env.org.url}/oauth2/v1/par`);
    expect(doc).not.toHaveProperty('require_pushed_authorization_requests');
  });

  it('answers 201 with a one-time request_uri of 3600 s that signs the person in with the pushed parameters', async () => {
    const { verifier, challenge } = pkce();
    const res = await push(request(env.spa.clientId, challenge));
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { request_uri: string; expires_in: number };
    expect(body.expires_in).toBe(3600);
    expect(body.request_uri).toMatch(/^urn:okta:[A-Za-z0-9_-]{20,}$/);
    const browser = new Browser();
    const page = await browser.get(authorizeWith({ client_id: env.spa.clientId, request_uri: body.request_uri }));
    expect(page.status).toBe(200);
    const signedIn = await browser.post(`${env.org.url}/login/sign-in`, { ...hiddenInputs(await page.text()), username: 'ada@example.com', password: 'Correct-Horse1' });
    const location = new URL(signedIn.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('st-par');
    const code = location.searchParams.get('code') ?? '';
    const tokens = await exchangeCode(env.org, env.spa.clientId, code, verifier);
    expect(tokens.status).toBe(200);
    // Used once: the same request_uri again is refused.
    const again = await new Browser().get(authorizeWith({ client_id: env.spa.clientId, request_uri: body.request_uri }));
    expect(again.status).toBe(400);
    expect(await again.text()).toContain(INVALID_REQUEST_URI);
  });

  it('authenticates a confidential client as /token does: a wrong secret is invalid_client, the right one is accepted', async () => {
    const { challenge } = pkce();
    const wrong = await push(request(env.web.clientId, challenge), { Authorization: basic(env.web.clientId, 'not-the-secret') });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
    const bare = await push(request(env.web.clientId, challenge));
    expect(bare.status).toBe(401);
    const right = await push(request(env.web.clientId, challenge), { Authorization: basic(env.web.clientId, env.web.clientSecret ?? '') });
    expect(right.status).toBe(201);
  });

  it('makes the authorize checks up front, as JSON errors: redirect_uri, response_type, state, scope, PKCE, request_uri inside', async () => {
    const { challenge } = pkce();
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ redirect_uri: 'https://evil.example/cb' }, 'invalid_request', /redirect_uri/],
      [{ response_type: 'token' }, 'unsupported_response_type', /response type/],
      [{ state: 'a b' }, 'invalid_request', /state/],
      [{ scope: 'openid okta.user.read' }, 'invalid_scope', /scope/i],
      [{ scope: 'okta.apps.manage' }, 'consent_required', /^You are not allowed any of the requested scopes\.$/],
      [{ code_challenge_method: 'plain' }, 'invalid_request', /PKCE/],
      [{ request_uri: 'urn:okta:nested' }, 'invalid_request', /^The 'request_uri' parameter must not be present in the request\.$/],
    ];
    for (const [extra, error, description] of cases) {
      const res = await push(request(env.spa.clientId, challenge, extra));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error, error_description: expect.stringMatching(description) });
    }
  });

  it('answers 201 uncached, and names the parameters beside request_uri, sorted, in the pushed response_mode', async () => {
    const { challenge } = pkce();
    const pushed = await push(request(env.spa.clientId, challenge, { response_mode: 'fragment' }));
    expect([pushed.status, pushed.headers.get('cache-control'), pushed.headers.get('pragma')]).toEqual([201, 'no-store', 'no-cache']);
    const { request_uri: uri } = (await pushed.json()) as { request_uri: string };
    const beside = await new Browser().get(authorizeWith({ scope: 'openid', client_id: env.spa.clientId, request_uri: uri, nonce: 'x' }));
    const refused = new URL(beside.headers.get('location') ?? '');
    expect(refused.search).toBe('');
    const answer = new URLSearchParams(refused.hash.slice(1));
    expect([answer.get('error'), answer.get('error_description'), answer.get('state')]).toEqual([
      'invalid_request',
      "Parameters other than 'client_id' must not be sent beside 'request_uri': nonce, scope.",
      'st-par',
    ]);
    // Without a pushed response_mode: the query.
    const plain = ((await (await push(request(env.spa.clientId, challenge))).json()) as { request_uri: string }).request_uri;
    const query = new URL((await new Browser().get(authorizeWith({ client_id: env.spa.clientId, request_uri: plain, state: 'x' }))).headers.get('location') ?? '');
    expect([`${query.origin}${query.pathname}`, query.searchParams.get('error'), query.hash]).toEqual([REDIRECT, 'invalid_request', '']);
  });

  it('refuses /authorize parameters beside request_uri, and a request_uri of another client or past its 3600 s', async () => {
    const { challenge } = pkce();
    const uri = async (): Promise<string> => ((await (await push(request(env.spa.clientId, challenge))).json()) as { request_uri: string }).request_uri;
    const beside = await new Browser().get(authorizeWith({ client_id: env.spa.clientId, request_uri: await uri(), scope: 'openid okta.users.read' }));
    expect(beside.status).toBe(302);
    const refused = new URL(beside.headers.get('location') ?? '');
    expect(refused.searchParams.get('error')).toBe('invalid_request');
    expect(refused.searchParams.get('state')).toBe('st-par');
    const otherClient = await new Browser().get(authorizeWith({ client_id: env.web.clientId, request_uri: await uri() }));
    expect(otherClient.status).toBe(400);
    expect(await otherClient.text()).toContain(onPage("The 'client_id' parameter does not match the expected value for the provided request_uri."));
    const inTime = await uri();
    const late = await uri();
    // 10 s inside its lifetime, not 1: the org's clock counts whole seconds, and a second may turn between the push and this read.
    env.org.setClockOffset(3590);
    try {
      expect((await new Browser().get(authorizeWith({ client_id: env.spa.clientId, request_uri: inTime }))).status).toBe(200);
      env.org.setClockOffset(3601);
      const expired = await new Browser().get(authorizeWith({ client_id: env.spa.clientId, request_uri: late }));
      expect(expired.status).toBe(400);
      expect(await expired.text()).toContain(INVALID_REQUEST_URI);
    } finally {
      env.org.setClockOffset(0);
    }
  });
});
