/**
 * RFC 9207 (`iss` in the authorization response) as Okta does it: not at all by default (Okta's
 * documents do not advertise it and its redirects carry `code` and `state` only: FIDELITY P13, W5),
 * and on both discovery documents and every response mode, success and error, with
 * `startEmulator({ authorizationResponseIss: true })`, for a client's RFC 9207 path.
 */
import { describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../index.js';
import { authorizeUrl, Browser, hiddenInputs, pkce, signIn } from '../test-helpers/browser.js';
import { REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

const DOCUMENTS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];
const ADA = ['ada@example.com', 'Correct-Horse1'] as const;

/** The parameters of each kind of authorization response the org sends: a success in each response mode, and an error redirect. */
async function responses(env: ReturnType<typeof useSignInApps>): Promise<Record<string, URLSearchParams>> {
  const { org, spa } = env;
  const browser = new Browser();
  const query = await signIn(org, browser, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }, ...ADA);
  const fragment = await browser.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { response_mode: 'fragment' } }));
  const formPost = await browser.get(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { response_mode: 'form_post' } }));
  const error = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { prompt: 'none' } }), { redirect: 'manual' });
  const errorPost = await fetch(authorizeUrl(org, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, extra: { prompt: 'none', response_mode: 'form_post' } }));
  return {
    query: query.searchParams,
    fragment: new URLSearchParams(new URL(fragment.headers.get('location')!).hash.slice(1)),
    form_post: new URLSearchParams(hiddenInputs(await formPost.text())),
    error: new URL(error.headers.get('location')!).searchParams,
    'error (form_post)': new URLSearchParams(hiddenInputs(await errorPost.text())),
  };
}

describe.each([
  ['by default, as Okta', {}, undefined],
  ['with authorizationResponseIss: true', { authorizationResponseIss: true }, true],
] as [string, EmulatorOptions, true | undefined][])('RFC 9207 %s', (_name, options, advertised) => {
  const env = useSignInApps(options);

  it.each(DOCUMENTS)(`%s ${advertised ? 'advertises' : 'does not advertise'} authorization_response_iss_parameter_supported`, async (path) => {
    const doc = (await (await fetch(`${env.org.url}${path}`)).json()) as Record<string, unknown>;
    expect(doc.authorization_response_iss_parameter_supported).toBe(advertised);
    expect(Object.hasOwn(doc, 'authorization_response_iss_parameter_supported')).toBe(advertised === true);
  });

  it(`${advertised ? 'puts the issuer' : 'puts no iss'} in every authorization response: each response mode, success and error`, async () => {
    const sent = await responses(env);
    for (const [kind, params] of Object.entries(sent)) {
      expect([kind, params.get('code') ?? params.get('error')]).toEqual([kind, expect.any(String)]);
      expect([kind, params.get('state')]).toEqual([kind, 'st-123']);
      expect([kind, params.getAll('iss')]).toEqual([kind, advertised ? [env.org.url] : []]);
    }
  });
});

describe('overrideDiscovery() changes the documents only', () => {
  const env = useSignInApps();

  it('advertising the parameter does not make the org send it (a server whose document is wrong: the client must refuse its callbacks)', async () => {
    env.org.overrideDiscovery({ authorization_response_iss_parameter_supported: true });
    try {
      const doc = (await (await fetch(`${env.org.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(doc.authorization_response_iss_parameter_supported).toBe(true);
      const location = await signIn(env.org, new Browser(), { clientId: env.spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge }, ...ADA);
      expect(location.searchParams.has('iss')).toBe(false);
    } finally {
      env.org.overrideDiscovery({});
    }
  });
});
