/**
 * Security round 2 (issue 12), echoes: a hostile org on 127.0.0.1 echoes what each request
 * carried (API token, access/refresh token, `Authorization: Basic` and the decoded `id:secret`,
 * client assertion, DPoP proof) into error bodies, `X-Okta-Request-Id`, `Location`,
 * `WWW-Authenticate` and `Content-Type`. No secret may reach any error (message, fields, cause,
 * JSON, inspect), any log event, or anything the caller gets back.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createOktaFetch, isOktaAuthError, paginate, type OktaLogger } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { createOinAppCredential, createServiceAppCredential, createSignInClient, UserTokens } from '@org/okta-oauth';
import { createSswsCredential } from '@org/okta-ssws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { outcome } from './test-helpers/calls.js';
import { clientKeyPem, json, receivedSecrets, startHostileOrg, type HostileOrg } from './test-helpers/hostile.js';
import { LeakHarness } from './test-helpers/leaks.js';

let org: HostileOrg;
let harness: LeakHarness;
const known: string[] = [];
const totals = { cases: 0, found: 0 };

beforeEach(async () => {
  org = await startHostileOrg();
  harness = new LeakHarness();
  known.length = 0;
});
afterEach(async () => {
  await org.close();
});

const rand = (prefix: string): string => `${prefix}${randomBytes(24).toString('base64url')}`;
const logger = (): OktaLogger => harness.logger('log');

/** Searches everything collected for every secret the org received and the test knows. */
function noLeaks(label: string, ...artefacts: unknown[]): void {
  for (const artefact of artefacts) harness.collect(label, artefact);
  harness.addSecrets(receivedSecrets(org));
  harness.addSecrets(known);
  const findings = harness.scan();
  totals.cases++;
  totals.found += findings.length;
  expect(findings.map((f) => `${f.artefact} ${f.form}: ${f.secret}`)).toEqual([]);
}

/** An OAuth error answer echoing the request's credentials in every field and the request id. */
function echoingOAuthError(status: number) {
  return (request: { echo: string }, res: Parameters<typeof json>[0]): void => {
    json(res, status, { error: `invalid_request ${request.echo}`, error_description: `bad: ${request.echo}` }, { 'x-okta-request-id': request.echo.slice(0, 4000) });
  };
}

function signInClient(extra: { clientSecret?: string; privateKey?: string } = {}) {
  const clientSecret = extra.privateKey === undefined ? (extra.clientSecret ?? rand('secret-')) : undefined;
  if (clientSecret !== undefined) known.push(clientSecret);
  return createSignInClient({
    orgUrl: org.url,
    clientId: '0oa-hostile',
    ...(clientSecret === undefined ? {} : { clientSecret }),
    ...(extra.privateKey === undefined ? {} : { privateKey: extra.privateKey }),
    redirectUri: 'http://127.0.0.1:5173/callback',
    scopes: ['openid', 'offline_access', 'okta.users.read'],
    allowInsecureLoopback: true,
    logger: logger(),
    retry: false,
  });
}

function userTokens(expired = false): UserTokens {
  const accessToken = rand('at-');
  const refreshToken = rand('rt-');
  known.push(accessToken, refreshToken);
  return UserTokens.fromStorable({ version: 1, accessToken, tokenType: 'Bearer', refreshToken, expiresAt: Date.now() + (expired ? -1000 : 3_600_000), scope: 'okta.users.read' });
}

describe('revocation, introspection and device authorization (item 2)', () => {
  it('a revocation 400 echoing the token, Basic and decoded id:secret in error, error_description and X-Okta-Request-Id leaks none of them', async () => {
    org.route('/oauth2/v1/revoke', echoingOAuthError(400));
    const result = await outcome(signInClient().signOut(userTokens()));
    noLeaks('revoke 400', result);
  });

  it('a revocation 200 echoing the token in X-Okta-Request-Id leaks it into no log event', async () => {
    org.route('/oauth2/v1/revoke', (request, res) => {
      res.writeHead(200, { 'x-okta-request-id': request.echo }).end();
    });
    const result = await outcome(signInClient().signOut(userTokens()));
    expect(result.ok).toBe(true);
    noLeaks('revoke 200', result);
  });

  it('an introspection 400 echoing the token and client credentials is a typed error that leaks none of them', async () => {
    org.route('/oauth2/v1/introspect', echoingOAuthError(400));
    const token = rand('at-');
    known.push(token);
    const result = await outcome(signInClient().introspect(token));
    expect(!result.ok && isOktaAuthError(result.error) && result.error.code).toBe('OAUTH_ERROR');
    noLeaks('introspect 400', result);
  });

  it('a device authorization 400 echoing Basic and the decoded id:secret is a typed error that leaks neither', async () => {
    org.route('/oauth2/v1/device/authorize', echoingOAuthError(400));
    const result = await outcome(signInClient().startDeviceSignIn());
    expect(!result.ok && isOktaAuthError(result.error) && result.error.code).toBe('OAUTH_ERROR');
    noLeaks('device 400', result);
  });
});

describe('client assertions of concurrent attempts (item 10)', () => {
  it("two concurrent introspections whose errors echo each attempt's own assertion leak neither assertion", async () => {
    const waiting: (() => void)[] = [];
    org.route('/oauth2/v1/introspect', (request, res) => {
      // Answer only once both attempts have signed their assertions.
      waiting.push(() => {
        echoingOAuthError(400)(request, res);
      });
      if (waiting.length === 2) for (const answer of waiting.splice(0)) answer();
    });
    const client = signInClient({ privateKey: clientKeyPem() });
    const results = await Promise.all([outcome(client.introspect(rand('at-a-'))), outcome(client.introspect(rand('at-b-')))]);
    expect(results.map((r) => !r.ok)).toEqual([true, true]);
    expect(org.requests.filter((r) => r.form.get('client_assertion') !== null)).toHaveLength(2);
    noLeaks('concurrent assertions', ...results);
  });
});

describe('redirects whose Location echoes the credential (item 3)', () => {
  it('an API token echoed in a same-origin Location leaks from no REDIRECT_BLOCKED error (fetch and ky)', async () => {
    const token = `00${randomBytes(30).toString('base64url')}`;
    known.push(token);
    org.route('/api/v1/users', (request, res) => {
      res.writeHead(302, { location: `/moved/${(request.headers.authorization ?? '').replace('SSWS ', '')}`, 'x-okta-request-id': request.echo }).end();
    });
    const credential = createSswsCredential({ orgUrl: org.url, token, allowInsecureLoopback: true });
    const viaFetch = await outcome(createOktaFetch({ credential, logger: logger() })('/api/v1/users'));
    const viaKy = await outcome(createOktaKy({ credential, logger: logger() }).get('api/v1/users').json());
    for (const result of [viaFetch, viaKy]) expect(!result.ok && isOktaAuthError(result.error) && result.error.code).toBe('REDIRECT_BLOCKED');
    noLeaks('redirect ssws', viaFetch, viaKy);
  });

  it('a refresh token echoed in the Location of a token endpoint redirect leaks from no error', async () => {
    org.route('/oauth2/v1/token', (request, res) => {
      res.writeHead(307, { location: `/oauth2/v1/moved/${request.form.get('refresh_token') ?? ''}` }).end();
    });
    const credential = signInClient().credential(userTokens(true));
    const result = await outcome(createOktaFetch({ credential, logger: logger() })('/api/v1/users'));
    expect(result.ok).toBe(false);
    noLeaks('redirect refresh', result);
  });
});

/** A token endpoint for client-credentials credentials, issuing a fresh random access token. */
function issueTokens(tokenType: 'Bearer' | 'DPoP' = 'Bearer'): void {
  org.route('/oauth2/v1/token', (_request, res) => {
    json(res, 200, { access_token: rand('at-'), token_type: tokenType, expires_in: 3600, scope: 'okta.users.read' });
  });
}

describe('insufficient_scope challenges echoing Authorization (item 4)', () => {
  it('a 403 whose WWW-Authenticate scope echoes the access token leaks it through no hint, message or field', async () => {
    issueTokens();
    org.route('/api/v1/users', (request, res) => {
      json(res, 403, { errorCode: 'E0000006', errorSummary: 'You do not have permission' }, {
        'www-authenticate': `Bearer error="insufficient_scope", scope="okta.groups.read ${request.echo}"`,
      });
    });
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: '0oa-svc', privateKey: clientKeyPem(), scopes: ['okta.users.read'], dpop: 'off', allowInsecureLoopback: true, logger: logger() });
    const viaFetch = await outcome(createOktaFetch({ credential, logger: logger() })('/api/v1/users'));
    const viaKy = await outcome(createOktaKy({ credential, logger: logger(), retry: false }).get('api/v1/users').json());
    for (const result of [viaFetch, viaKy]) expect(!result.ok && isOktaAuthError(result.error) && result.error.code).toBe('API_ERROR');
    noLeaks('insufficient_scope', viaFetch, viaKy);
  });
});

describe('a granted scope echoing the token request (same class as items 4 and 5)', () => {
  it('a token answer whose scope echoes the client assertion leaks it through no later insufficient_scope hint', async () => {
    org.route('/oauth2/v1/token', (request, res) => {
      json(res, 200, { access_token: rand('at-'), token_type: 'Bearer', expires_in: 3600, scope: `okta.users.read ${request.echo}` });
    });
    org.route('/api/v1/users', (_request, res) => {
      json(res, 403, { errorCode: 'E0000006', errorSummary: 'You do not have permission' }, { 'www-authenticate': 'Bearer error="insufficient_scope", scope="okta.groups.read"' });
    });
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: '0oa-svc', privateKey: clientKeyPem(), scopes: ['okta.users.read'], dpop: 'off', allowInsecureLoopback: true, logger: logger() });
    const result = await outcome(createOktaFetch({ credential, logger: logger() })('/api/v1/users'));
    expect(!result.ok && isOktaAuthError(result.error) && result.error.code).toBe('API_ERROR');
    noLeaks('granted scope echo', result);
  });
});

describe('unusable 200s from the token endpoint (item 5)', () => {
  it('a non-JSON 200 whose Content-Type echoes Basic and the decoded id:secret leaks neither (INVALID_TOKEN_RESPONSE)', async () => {
    org.route('/oauth2/v1/token', (request, res) => {
      res.writeHead(200, { 'content-type': request.echo, 'x-okta-request-id': request.echo }).end('not json');
    });
    const clientSecret = rand('oin-secret-');
    known.push(clientSecret);
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: '0oa-oin', clientSecret, scopes: ['okta.users.read'], allowInsecureLoopback: true, logger: logger() });
    const result = await outcome(createOktaFetch({ credential, logger: logger() })('/api/v1/users'));
    expect(!result.ok && isOktaAuthError(result.error) && result.error.code).toBe('INVALID_TOKEN_RESPONSE');
    noLeaks('200 non-JSON', result);
  });

  it('a refresh answered 200 with a bad expires_in and an echoing request id leaks no refresh token', async () => {
    org.route('/oauth2/v1/token', (request, res) => {
      json(res, 200, { access_token: rand('at-'), token_type: 'Bearer', expires_in: -5 }, { 'x-okta-request-id': request.echo, 'content-type': `application/json; ${request.echo}` });
    });
    const credential = signInClient().credential(userTokens(true));
    const result = await outcome(createOktaFetch({ credential, logger: logger() })('/api/v1/users'));
    expect(result.ok).toBe(false);
    noLeaks('200 bad expires_in', result);
  });

  it('a Bearer 200 where DPoP is required, with an echoing request id, leaks no DPoP proof or assertion (DPOP_NOT_BOUND)', async () => {
    org.route('/oauth2/v1/token', (request, res) => {
      json(res, 200, { access_token: rand('at-'), token_type: 'Bearer', expires_in: 3600 }, { 'x-okta-request-id': request.echo });
    });
    const credential = createServiceAppCredential({ orgUrl: org.url, clientId: '0oa-svc', privateKey: clientKeyPem(), scopes: ['okta.users.read'], dpop: 'required', allowInsecureLoopback: true, logger: logger() });
    const result = await outcome(createOktaFetch({ credential, logger: logger() })('/api/v1/users'));
    expect(!result.ok && isOktaAuthError(result.error) && result.error.code).toBe('DPOP_NOT_BOUND');
    noLeaks('DPOP_NOT_BOUND', result);
  });
});

/**
 * Writes a raw answer that is not HTTP/1.1 on the request's socket (node:http would refuse to
 * build it): the bytes after the fault echo what the request carried. undici's parser error keeps
 * those bytes (`data`), and fetch gives it as the `cause` of its `TypeError`.
 */
function malformed(raw: (echo: string) => string) {
  return (request: { echo: string }, res: ServerResponse): void => {
    res.socket?.end(raw(request.echo));
  };
}

/** Every item of a walk (Node.js 20 has no Array.fromAsync). */
async function walk(items: AsyncIterable<unknown>): Promise<unknown[]> {
  const all: unknown[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('answers that break HTTP/1.1 after echoing the request (same class as items 2 and 5)', () => {
  it('an invalid header character, then the API token echoed in a header: INVALID_RESPONSE leaking nothing (fetch, ky, pagination)', async () => {
    const token = `00${randomBytes(30).toString('base64url')}`;
    known.push(token);
    org.route('/api/v1/users', malformed((echo) => `HTTP/1.1 400 Bad Request\r\nx-broken: \x01\r\nx-echo: ${echo}\r\ncontent-length: 0\r\n\r\n`));
    const credential = createSswsCredential({ orgUrl: org.url, token, allowInsecureLoopback: true });
    const viaFetch = await outcome(createOktaFetch({ credential, logger: logger() })('/api/v1/users'));
    // Sent once: a malformed answer is not a connection reset, which the drivers retry.
    expect(org.requests).toHaveLength(1);
    const viaKy = await outcome(createOktaKy({ credential, logger: logger(), retry: false }).get('api/v1/users').json());
    // createOktaKy agrees (ky would retry what looks like a reset connection twice more).
    expect(org.requests).toHaveLength(2);
    const viaPages = await outcome(walk(paginate(createOktaFetch({ credential }), '/api/v1/users')));
    for (const result of [viaFetch, viaKy, viaPages]) {
      expect(!result.ok && isOktaAuthError(result.error) && result.error.code).toBe('INVALID_RESPONSE');
      expect((result as { error: Error }).error.message).toMatch(/did not follow HTTP\/1\.1 \(HPE_[A-Z_]+\)/);
    }
    noLeaks('malformed header ssws', viaFetch, viaKy, viaPages);
  });

  it('a page whose chunked body breaks, then echoes the API token: INVALID_RESPONSE leaking nothing', async () => {
    const token = `00${randomBytes(30).toString('base64url')}`;
    known.push(token);
    org.route('/api/v1/users', malformed((echo) => `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n1\r\n[\r\nzz\r\n${echo}\r\n0\r\n\r\n`));
    const credential = createSswsCredential({ orgUrl: org.url, token, allowInsecureLoopback: true });
    const result = await outcome(walk(paginate(createOktaFetch({ credential }), '/api/v1/users')));
    expect(!result.ok && isOktaAuthError(result.error) && result.error.code).toBe('INVALID_RESPONSE');
    noLeaks('malformed page ssws', result);
  });

  it('a token endpoint answer that breaks after echoing Basic, the decoded id:secret and the form leaks none of them', async () => {
    org.route('/oauth2/v1/token', malformed((echo) => `HTTP/1.1 401 Unauthorized\r\nx-broken: \x01\r\nx-echo: ${echo}\r\ncontent-length: 0\r\n\r\n`));
    const clientSecret = rand('oin-secret-');
    known.push(clientSecret);
    const credential = createOinAppCredential({ orgUrl: org.url, clientId: '0oa-oin', clientSecret, scopes: ['okta.users.read'], allowInsecureLoopback: true, logger: logger() });
    const result = await outcome(createOktaFetch({ credential, logger: logger() })('/api/v1/users'));
    expect(result.ok).toBe(false);
    noLeaks('malformed token answer', result);
  });
});

describe('counts', () => {
  it('every echo case above was searched and found no secret', () => {
    console.log(`hostile-core-echo: ${totals.cases} hostile cases; secrets found: ${totals.found}`);
    expect(totals.found).toBe(0);
  });
});
