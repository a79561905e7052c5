/**
 * The discovery document's checks (`parseMetadata`, `orgEndpoints`, `DiscoveryCache`, user/discovery.ts)
 * at unit level, each refusal with its message: mutation testing, thirty-fourth round
 * (docs/security-history.md). The issuer must be the org URL (OIDC Discovery 1.0 §4.3, RFC 8414 §3.3),
 * every endpoint a URL on the org origin without credentials or a parameter the client sets, the
 * optional endpoints Okta's paths when absent, the ID token algorithms asymmetric ones only; the
 * document is fetched once per client and a failure is not kept.
 */
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { DiscoveryCache, orgEndpoints, parseMetadata, protocolParams } from './discovery.js';
import type { JsonObject } from './http.js';

const origin = 'https://acme.okta.com';
const at = (path: string) => `${origin}/oauth2/v1/${path}`;
/** The smallest document `parseMetadata` takes, with `extra` laid over it. */
const doc = (extra: Record<string, unknown> = {}): JsonObject => ({ issuer: origin, authorization_endpoint: at('authorize'), token_endpoint: at('token'), jwks_uri: at('keys'), ...extra });

/** What `run` ends in: `ok`, or the refusal's code and message. */
function said(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    return isOktaOAuthError(error) ? `${error.code}: ${error.message}` : `not ours: ${String(error)}`;
  }
}
const parsed = (extra: Record<string, unknown>) => said(() => parseMetadata(doc(extra), origin));

describe('parseMetadata: the issuer', () => {
  it('takes the org URL, bare or with one slash, and keeps it as given', () => {
    expect(parseMetadata(doc(), origin).issuer).toBe(origin);
    expect(parseMetadata(doc({ issuer: `${origin}/` }), origin).issuer).toBe(`${origin}/`);
  });

  it('refuses a document without a text issuer', () => {
    for (const issuer of [undefined, 42, null, [origin]]) {
      expect(parsed({ issuer }), String(issuer)).toBe('DISCOVERY_FAILED: The discovery document has no issuer.');
    }
  });

  it('refuses any other issuer, quoting it bounded at 200 characters', () => {
    for (const issuer of [`${origin}//`, `${origin}/oauth2/default`, 'https://acme.okta.com.evil.example', 'http://acme.okta.com', '']) {
      expect(parsed({ issuer }), issuer).toBe(
        `DISCOVERY_FAILED: The discovery document's issuer "${issuer}" is not the org URL ${origin}; the org URL may be wrong, or this is a custom authorization server.`,
      );
    }
    const long = `https://${'a'.repeat(300)}.example`;
    expect(parsed({ issuer: long })).toContain(`issuer "${long.slice(0, 200)}…" is not`);
  });
});

describe('parseMetadata: the endpoints', () => {
  it('resolves the three required ones and the optional ones, Okta paths when absent', () => {
    const metadata = parseMetadata(doc(), origin);
    expect(Object.isFrozen(metadata)).toBe(true);
    expect([metadata.authorizationEndpoint, metadata.tokenEndpoint, metadata.jwksUri].map(String)).toEqual([at('authorize'), at('token'), at('keys')]);
    expect([metadata.revocationEndpoint, metadata.introspectionEndpoint, metadata.deviceAuthorizationEndpoint].map(String)).toEqual([at('revoke'), at('introspect'), at('device/authorize')]);
    expect(metadata.endSessionEndpoint).toBeUndefined();
    const listed = parseMetadata(doc({ revocation_endpoint: at('r'), introspection_endpoint: at('i'), device_authorization_endpoint: at('d'), end_session_endpoint: at('logout') }), origin);
    expect([listed.revocationEndpoint, listed.introspectionEndpoint, listed.deviceAuthorizationEndpoint, listed.endSessionEndpoint].map(String)).toEqual([at('r'), at('i'), at('d'), at('logout')]);
  });

  it('refuses a required endpoint that is missing or not text, and an optional one given as null', () => {
    for (const name of ['authorization_endpoint', 'token_endpoint', 'jwks_uri']) {
      expect(parsed({ [name]: undefined }), name).toBe(`DISCOVERY_FAILED: The discovery document has no ${name}.`);
      expect(parsed({ [name]: 42 }), name).toBe(`DISCOVERY_FAILED: The discovery document has no ${name}.`);
    }
    for (const name of ['revocation_endpoint', 'introspection_endpoint', 'device_authorization_endpoint', 'end_session_endpoint']) {
      expect(parsed({ [name]: null }), name).toBe(`DISCOVERY_FAILED: The discovery document has no ${name}.`);
    }
  });

  it('refuses an endpoint that is not a URL, or not on the org origin (scheme, host and port)', () => {
    expect(parsed({ token_endpoint: '/oauth2/v1/token' })).toBe("DISCOVERY_FAILED: The discovery document's token_endpoint is not a URL.");
    expect(parsed({ end_session_endpoint: 'not a url' })).toBe("DISCOVERY_FAILED: The discovery document's end_session_endpoint is not a URL.");
    for (const url of ['http://acme.okta.com/oauth2/v1/keys', 'https://acme.okta.com:8443/oauth2/v1/keys', 'https://evil.example.com/keys', `blob:${origin}/keys`]) {
      expect(parsed({ jwks_uri: url }), url).toBe(`DISCOVERY_FAILED: The discovery document's jwks_uri is not a URL on the org origin ${origin}.`);
    }
    expect(parsed({ revocation_endpoint: 'https://evil.example.com/revoke' })).toBe(`DISCOVERY_FAILED: The discovery document's revocation_endpoint is not a URL on the org origin ${origin}.`);
  });

  it('refuses an endpoint with a user name or a password in it', () => {
    for (const url of ['https://user@acme.okta.com/token', 'https://:secret@acme.okta.com/token', 'https://user:secret@acme.okta.com/token']) {
      expect(parsed({ token_endpoint: url }), url).toBe("DISCOVERY_FAILED: The discovery document's token_endpoint has a user name or password in it.");
    }
  });

  it('refuses a query naming any parameter the client sets, and keeps any other query', () => {
    // Listed here, not read from `protocolParams`: a name dropped from the set must fail this test.
    const setByClient = ['client_id', 'redirect_uri', 'response_type', 'response_mode', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'max_age', 'acr_values', 'prompt', 'login_hint', 'idp', 'request', 'request_uri', 'id_token_hint', 'post_logout_redirect_uri'];
    expect([...protocolParams].sort()).toEqual([...setByClient].sort());
    for (const key of setByClient) {
      expect(parsed({ authorization_endpoint: `${at('authorize')}?tenant=a&${key}=x` }), key).toBe(`DISCOVERY_FAILED: The discovery document's authorization_endpoint has ${key} in its query.`);
    }
    expect(parseMetadata(doc({ token_endpoint: `${at('token')}?tenant=a&Client_Id=b` }), origin).tokenEndpoint.search).toBe('?tenant=a&Client_Id=b');
  });
});

describe('orgEndpoints', () => {
  it('resolves a fallback path on the origin only when the member is absent', () => {
    const endpoint = orgEndpoints({}, origin);
    expect(endpoint('userinfo_endpoint', '/oauth2/v1/userinfo').href).toBe(at('userinfo'));
    expect(said(() => endpoint('userinfo_endpoint'))).toBe('DISCOVERY_FAILED: The discovery document has no userinfo_endpoint.');
    expect(said(() => orgEndpoints({ userinfo_endpoint: '' }, origin)('userinfo_endpoint', '/x'))).toBe("DISCOVERY_FAILED: The discovery document's userinfo_endpoint is not a URL.");
  });
});

describe('parseMetadata: the other members', () => {
  it('refuses a list of PKCE methods without S256, and reads no other form of it', () => {
    expect(parsed({ code_challenge_methods_supported: ['plain'] })).toBe('DISCOVERY_FAILED: The org authorization server does not list PKCE S256 in code_challenge_methods_supported.');
    expect(parsed({ code_challenge_methods_supported: [] })).toBe('DISCOVERY_FAILED: The org authorization server does not list PKCE S256 in code_challenge_methods_supported.');
    for (const methods of [['plain', 'S256'], undefined, 'plain', { S256: true }]) expect(parsed({ code_challenge_methods_supported: methods }), JSON.stringify(methods)).toBe('ok');
  });

  it('keeps the asymmetric ID token algorithms only, RS256 when none is left', () => {
    const algs = (list: unknown) => parseMetadata(doc({ id_token_signing_alg_values_supported: list }), origin).idTokenSigningAlgs;
    const asymmetric = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
    expect(algs([...asymmetric, 'HS256', 'none', 'RS1024', 'xRS256', 'RS256x', 'EdDSAx', 'xEdDSA', 'Ed25519x', 'xEd25519', 'ES256K', 256, null, ['ES384']])).toEqual(asymmetric);
    expect(algs(['ES384'])).toEqual(['ES384']);
    for (const list of [undefined, [], ['HS256', 'none'], 'ES384', { 0: 'ES384', length: 1 }]) expect(algs(list), JSON.stringify(list)).toEqual(['RS256']);
  });

  it('reads RFC 9207 support only from true, and keeps the raw document', () => {
    const supported = (value: unknown) => parseMetadata(doc({ authorization_response_iss_parameter_supported: value }), origin).issParameterSupported;
    expect([supported(true), supported('true'), supported(1), supported(undefined)]).toEqual([true, false, false, false]);
    const body = doc({ custom: 'x' });
    expect(parseMetadata(body, origin).raw).toBe(body);
  });
});

describe('DiscoveryCache', () => {
  /** A cache whose fetch answers with `answers` in turn, and the URLs asked for. */
  function cache(...answers: (() => Response)[]) {
    const asked: string[] = [];
    const fetch = (input: RequestInfo | URL) => {
      asked.push(input instanceof Request ? input.url : String(input));
      const answer = answers.shift() ?? (() => Response.json(doc()));
      return Promise.resolve(answer());
    };
    return { discovery: new DiscoveryCache({ origin, fetch: fetch, retry: false }), asked };
  }

  it('fetches the well-known document once for concurrent and later calls', async () => {
    const { discovery, asked } = cache();
    const [a, b] = await Promise.all([discovery.get(), discovery.get()]);
    expect(a).toBe(b);
    expect(await discovery.get()).toBe(a);
    expect(asked).toEqual([`${origin}/.well-known/openid-configuration`]);
    expect(a.tokenEndpoint.href).toBe(at('token'));
  });

  it('does not keep a failure: the next call fetches again', async () => {
    const { discovery, asked } = cache(() => Response.json(doc({ issuer: 'https://other.okta.com' })));
    await expect(discovery.get()).rejects.toMatchObject({ code: 'DISCOVERY_FAILED' });
    await expect(discovery.get()).resolves.toMatchObject({ issuer: origin });
    expect(asked).toHaveLength(2);
  });

  it("an answer that is no document is DISCOVERY_FAILED naming the document's URL", async () => {
    const { discovery } = cache(() => new Response('gone', { status: 404 }));
    await expect(discovery.get()).rejects.toMatchObject({
      code: 'DISCOVERY_FAILED',
      status: 404,
      message: expect.stringMatching(/^Okta answered HTTP 404 for the discovery document \(https:\/\/acme\.okta\.com\/\.well-known\/openid-configuration\)/),
    });
  });

  it('stops waiting when the signal aborts, and keeps the flight for others', async () => {
    let answer!: (response: Response) => void;
    const asked: string[] = [];
    const fetch = (input: RequestInfo | URL) => {
      asked.push(String(input));
      return new Promise<Response>((resolve) => (answer = resolve));
    };
    const discovery = new DiscoveryCache({ origin, fetch: fetch, retry: false });
    const controller = new AbortController();
    const waiting = discovery.get(controller.signal);
    const other = discovery.get();
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('The operation was aborted by the caller.');
    await new Promise((resolve) => setTimeout(resolve, 0));
    answer(Response.json(doc()));
    await expect(other).resolves.toMatchObject({ issuer: origin });
    expect(asked).toHaveLength(1);
  });
});
