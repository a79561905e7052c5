/**
 * `POST /oauth2/v1/par` at its edges (RFC 9126): a `private_key_jwt` client's assertion for the
 * PAR endpoint, a confidential client naming itself in the `Authorization` header only, two
 * `request_uri`s, the last second of a `request_uri`'s lifetime (`PAR_LIFETIME_SECONDS`), and a refusal beside it in `form_post`.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServiceAppCredentials } from '../index.js';
import { Browser, hiddenInputs, pkce } from '../test-helpers/browser.js';
import { basic, clientAssertion, form, JWT_BEARER } from '../test-helpers/oauth.js';
import { REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';
import { PAR_LIFETIME_SECONDS } from './par.js';

const env = useSignInApps();

/** A code flow's authorize parameters, without `client_id` (each test names its client). */
const request = (extra: Record<string, string> = {}): Record<string, string> => ({
  redirect_uri: REDIRECT,
  response_type: 'code',
  scope: 'openid profile',
  state: 'st-edge',
  code_challenge: pkce().challenge,
  code_challenge_method: 'S256',
  ...extra,
});

async function push(params: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  const init = form(params);
  return fetch(`${env.org.url}/oauth2/v1/par`, { ...init, headers: { ...init.headers, ...headers } });
}

/** Push a SPA's request and answer its `request_uri`. */
async function pushedUri(extra: Record<string, string> = {}): Promise<string> {
  const res = await push({ client_id: env.spa.clientId, ...request(extra) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { request_uri: string }).request_uri;
}

const authorize = (query: [string, string][]): Promise<Response> => new Browser().get(`${env.org.url}/oauth2/v1/authorize?${new URLSearchParams(query).toString()}`);
const INVALID_URI = 'The authorize request_uri is invalid.';

afterEach(() => {
  vi.useRealTimers();
  env.org.setClockOffset(0);
});

describe('POST /oauth2/v1/par, client authentication', () => {
  it("takes a private_key_jwt client's assertion whose audience is the PAR endpoint, and refuses one for /token", async () => {
    const app = env.org.createSignInApp({ type: 'web', redirectUris: [REDIRECT], tokenEndpointAuthMethod: 'private_key_jwt' }) as unknown as ServiceAppCredentials;
    const withAssertion = async (aud: string) =>
      push({ ...request(), client_id: app.clientId, client_assertion_type: JWT_BEARER, client_assertion: await clientAssertion(env.org, app, { aud }) });
    const right = await withAssertion(`${env.org.url}/oauth2/v1/par`);
    expect(right.status).toBe(201);
    const wrong = await withAssertion(`${env.org.url}/oauth2/v1/token`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: 'invalid_client', error_description: 'The audience claim for client_assertion must be the endpoint invoked for the request.' });
  });

  it('takes a confidential client named by its Authorization header alone (no client_id in the form), whose request_uri then signs in', async () => {
    const res = await push(request(), { Authorization: basic(env.web.clientId, env.web.clientSecret ?? '') });
    expect(res.status).toBe(201);
    const { request_uri: uri } = (await res.json()) as { request_uri: string };
    const page = await authorize([['client_id', env.web.clientId], ['request_uri', uri]]);
    expect(page.status).toBe(200);
    expect(hiddenInputs(await page.text())).toHaveProperty('txn');
  });
});

describe('/oauth2/v1/authorize with a pushed request_uri, at its edges', () => {
  it('refuses two request_uris (neither is taken: the first still signs in alone)', async () => {
    const first = await pushedUri();
    const second = await pushedUri();
    const both = await authorize([['client_id', env.spa.clientId], ['request_uri', first], ['request_uri', second]]);
    expect(both.status).toBe(400);
    expect(await both.text()).toContain(INVALID_URI);
    expect((await authorize([['client_id', env.spa.clientId], ['request_uri', first]])).status).toBe(200);
  });

  it('takes a request_uri in its last second and refuses it at its lifetime exactly', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 0, 1, 12, 0, 0));
    const last = await pushedUri();
    const late = await pushedUri();
    env.org.setClockOffset(PAR_LIFETIME_SECONDS - 1);
    expect((await authorize([['client_id', env.spa.clientId], ['request_uri', last]])).status).toBe(200);
    env.org.setClockOffset(PAR_LIFETIME_SECONDS);
    const expired = await authorize([['client_id', env.spa.clientId], ['request_uri', late]]);
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain(INVALID_URI);
  });

  it('answers a parameter beside the request_uri in the pushed form_post: a page posting the error to the redirect URI', async () => {
    const uri = await pushedUri({ response_mode: 'form_post' });
    const res = await authorize([['client_id', env.spa.clientId], ['request_uri', uri], ['prompt', 'login']]);
    expect([res.status, res.headers.get('location')]).toEqual([200, null]);
    const html = await res.text();
    expect(html).toContain(`<form method="post" action="${REDIRECT}"`);
    expect(hiddenInputs(html)).toEqual({
      error: 'invalid_request',
      error_description: 'Parameters other than &#39;client_id&#39; must not be sent beside &#39;request_uri&#39;: prompt.',
      state: 'st-edge',
    });
  });
});
