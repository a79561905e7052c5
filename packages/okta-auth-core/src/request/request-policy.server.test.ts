/**
 * The request policy over real HTTP, through each of the three drivers
 * (wrapped fetch, ky instance, ky hooks on the user's own instance): the
 * same behaviour whichever the user picks.
 */
import type { ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import { json } from '@org/okta-test-utils';
import { describe, vi } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { isOktaApiError } from '../errors/api-error.js';
import type { OktaLogEvent } from '../config/logger.js';
import { paginate } from '../pagination/paginate.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { rejection } from '../test-helpers/outcome.js';
import { itWithTwoOrigins as it } from '../test-helpers/two-origins.js';

function rateLimited(res: ServerResponse, requestId: string, resetInSeconds: number, serverNow = Date.now()): void {
  json(res, 429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.', errorLink: 'E0000047', errorId: 'x', errorCauses: [] }, {
    date: new Date(serverNow).toUTCString(),
    'x-okta-request-id': requestId,
    'x-rate-limit-limit': '10',
    'x-rate-limit-remaining': '0',
    'x-rate-limit-reset': String(Math.floor(serverNow / 1000) + resetInSeconds),
  });
}

// Each test has its own two servers (the origins fixture) and client: the tests of the three drivers run at once,
// but for the one that watches a global (encodeURIComponent), in the block after this one, alone.
describe.concurrent.each(Object.keys(drivers))('request policy through %s', (name) => {
  const driver = drivers[name]!;

  it('authorizes every attempt afresh and sends the User-Agent', async ({ origins, expect }) => {
    origins.okta.handle((_req, res) => json(res, 200, { ok: true }));
    const credential = countingCredential(origins.okta.origin);
    const client = driver({ credential, userAgent: 'Oktaprise/1.1' });
    await client.getJson('/api/v1/users/me');
    await client.getJson('/api/v1/users/me');
    expect(origins.okta.requests.map((r) => r.headers.authorization)).toEqual(['Test secret-token-value-1', 'Test secret-token-value-2']);
    expect(origins.okta.requests.map((r) => r.headers.dpop)).toEqual(['proof-value-number-1', 'proof-value-number-2']);
    expect(origins.okta.requests[0]?.headers['user-agent']).toMatch(/^Oktaprise\/1\.1 @org\/okta-auth-core\/\S+ node\/\S+$/);
    expect(credential.attempts[0]?.method).toBe('GET');
    expect(credential.attempts[0]?.url.pathname).toBe('/api/v1/users/me');
  });

  it("waits out a 429 by Okta's clock, re-authorizes the retry and sends X-Okta-Retry-For/-Count", async ({ origins, expect }) => {
    // Okta's clock is an hour ahead of ours: a client using the local clock would wait an hour.
    origins.okta.handle((_req, res, index) => (index === 0 ? rateLimited(res, 'first-429', 0, Date.now() + 3_600_000) : json(res, 200, { ok: true })));
    const events: OktaLogEvent[] = [];
    const client = driver({ credential: countingCredential(origins.okta.origin), logger: (e) => events.push(e), retry: { limit: 2, maxWaitMs: 5_000 } });
    await expect(client.getJson('/api/v1/users')).resolves.toEqual({ ok: true });
    expect(origins.okta.requests).toHaveLength(2);
    expect(origins.okta.requests[1]?.headers.authorization).toBe('Test secret-token-value-2');
    expect(origins.okta.requests[1]?.headers['x-okta-retry-for']).toBe('first-429');
    expect(origins.okta.requests[1]?.headers['x-okta-retry-count']).toBe('1');
    expect(origins.okta.requests[0]?.headers['x-okta-retry-count']).toBeUndefined();
    const backoff = events.find((e) => e.type === 'backoff');
    expect(backoff).toMatchObject({ type: 'backoff', waitMs: 1000, requestId: 'first-429' });
  });

  it('keeps X-Okta-Retry-For at the first 429 and counts retries, then gives up with RATE_LIMITED', async ({ origins, expect }) => {
    origins.okta.handle((_req, res, index) => rateLimited(res, `req-${index}`, 0));
    const client = driver({ credential: countingCredential(origins.okta.origin), retry: { limit: 2 } });
    const error = await rejection(client.getJson('/api/v1/users'));
    expect(error.code).toBe('RATE_LIMITED');
    expect(isOktaApiError(error) && error.status).toBe(429);
    expect(error.message).toContain('E0000047');
    expect(origins.okta.requests.map((r) => [r.headers['x-okta-retry-for'], r.headers['x-okta-retry-count']])).toEqual([
      [undefined, undefined],
      ['req-0', '1'],
      ['req-0', '2'],
    ]);
  });

  it('does not start a wait beyond the budget, and retries can be turned off', async ({ origins, expect }) => {
    origins.okta.handle((_req, res) => rateLimited(res, 'r', 120));
    const capped = driver({ credential: countingCredential(origins.okta.origin), retry: { maxWaitMs: 10_000 } });
    expect((await rejection(capped.getJson('/api/v1/users'))).code).toBe('RATE_LIMITED');
    expect(origins.okta.requests).toHaveLength(1);
    origins.okta.handle((_req, res) => rateLimited(res, 'r', 0));
    const off = driver({ credential: countingCredential(origins.okta.origin), retry: false });
    expect((await rejection(off.getJson('/api/v1/users'))).code).toBe('RATE_LIMITED');
    expect(origins.okta.requests).toHaveLength(2);
  });

  it('handles comma-joined reset headers', async ({ origins, expect }) => {
    origins.okta.handle((_req, res, index) => {
      if (index > 0) return json(res, 200, { ok: true });
      const now = Math.floor(Date.now() / 1000);
      res.writeHead(429, [
        ['date', new Date(now * 1000).toUTCString()],
        ['x-rate-limit-reset', String(now - 5)],
        ['x-rate-limit-reset', String(now)],
      ]);
      res.end();
    });
    const client = driver({ credential: countingCredential(origins.okta.origin), retry: { maxWaitMs: 3_000 } });
    await expect(client.getJson('/api/v1/users')).resolves.toEqual({ ok: true });
  });

  it("retries once when the credential can answer the challenge, and not twice", async ({ origins, expect }) => {
    origins.okta.handle((_req, res) => {
      res.writeHead(401, { 'www-authenticate': 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"', 'dpop-nonce': 'n-1' });
      res.end();
    });
    const credential = countingCredential(origins.okta.origin, { challenge: (response) => response.headers.get('dpop-nonce') === 'n-1' });
    const error = await rejection(driver({ credential }).getJson('/api/v1/users'));
    expect(origins.okta.requests).toHaveLength(2);
    expect(origins.okta.requests[1]?.headers.dpop).toBe('proof-value-number-2');
    expect(error.code).toBe('API_ERROR');
    expect(error.message).toContain('401 use_dpop_nonce');
  });

  it('never sends the credential to another origin: absolute URLs and next links', async ({ origins, expect }) => {
    const client = driver({ credential: countingCredential(origins.okta.origin) });
    const error = await rejection(client.getJson(`${origins.elsewhere.origin}/api/v1/users`));
    expect(error.code).toBe('ORIGIN_MISMATCH');
    expect(error.message).toContain(`Refusing to send Okta credentials to another origin: this client only talks to ${origins.okta.origin}.`);
    expect(origins.elsewhere.requests).toHaveLength(0);

    origins.okta.handle((_req, res) => json(res, 200, [{ id: 1 }], { link: `<${origins.elsewhere.origin}/api/v1/users?after=1>; rel="next"` }));
    const seen: unknown[] = [];
    const pageError = await rejection(
      (async () => {
        for await (const item of paginate(client.pages, '/api/v1/users')) seen.push(item);
      })(),
    );
    expect(seen).toEqual([{ id: 1 }]);
    expect(pageError.code).toBe('ORIGIN_MISMATCH');
    expect(origins.elsewhere.requests).toHaveLength(0);
  });

  it('refuses to follow a redirect, so the other server sees nothing', async ({ origins, expect }) => {
    origins.okta.handle((_req, res) => {
      res.writeHead(302, { location: `${origins.elsewhere.origin}/steal` });
      res.end();
    });
    const error = await rejection(driver({ credential: countingCredential(origins.okta.origin) }).getJson('/api/v1/users'));
    expect(error.code).toBe('REDIRECT_BLOCKED');
    // Another origin is not quoted (a host name can echo a token: request-policy-refusals.server.test.ts).
    expect(error.message).toContain('with a 302 to another origin;');
    expect(origins.elsewhere.requests).toHaveLength(0);
  });

  it('pages through Link headers, authorizing every hop', async ({ origins, expect }) => {
    origins.okta.handle((req, res) => {
      const after = Number(new URL(req.path, origins.okta.origin).searchParams.get('after') ?? '0');
      const links = [`<${origins.okta.origin}/api/v1/users?limit=2${after ? `&after=${after}` : ''}>; rel="self"`];
      if (after < 4) links.push(`<${origins.okta.origin}/api/v1/users?after=${after + 2}&limit=2>; rel="next"`);
      res.writeHead(200, [['content-type', 'application/json'], ...links.map((l): [string, string] => ['link', l])]);
      res.end(JSON.stringify([{ id: after + 1 }, { id: after + 2 }]));
    });
    const credential = countingCredential(origins.okta.origin);
    const ids: number[] = [];
    for await (const user of paginate<{ id: number }>(driver({ credential }).pages, '/api/v1/users?limit=2')) ids.push(user.id);
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
    expect(origins.okta.requests.map((r) => r.path)).toEqual(['/api/v1/users?limit=2', '/api/v1/users?after=2&limit=2', '/api/v1/users?after=4&limit=2']);
    expect(new Set(origins.okta.requests.map((r) => r.headers.dpop)).size).toBe(3);
  });

  it('waits out a 429 in the middle of a walk and retries the same next link: the cursor is kept, no page lost or read twice', async ({ origins, expect }) => {
    origins.okta.handle((req, res, index) => {
      const after = Number(new URL(req.path, origins.okta.origin).searchParams.get('after') ?? '0');
      if (index === 1) return rateLimited(res, 'mid-walk', 0);
      json(res, 200, [{ id: after + 1 }], after < 2 ? { link: `<${origins.okta.origin}/api/v1/users?after=${after + 1}>; rel="next"` } : {});
    });
    const ids: number[] = [];
    for await (const user of paginate<{ id: number }>(driver({ credential: countingCredential(origins.okta.origin), retry: { limit: 2, maxWaitMs: 5_000 } }).pages, '/api/v1/users')) ids.push(user.id);
    expect(ids).toEqual([1, 2, 3]);
    expect(origins.okta.requests.map((r) => [r.path, r.headers['x-okta-retry-for']])).toEqual([
      ['/api/v1/users', undefined],
      ['/api/v1/users?after=1', undefined],
      ['/api/v1/users?after=1', 'mid-walk'],
      ['/api/v1/users?after=2', undefined],
    ]);
  });

  it('turns answers into typed errors with no secret anywhere', async ({ origins, expect }) => {
    origins.okta.handle((req, res) =>
      // A hostile answer echoes what was sent: in the body, the request id and the challenge.
      json(res, 403, { errorCode: 'E0000006', errorSummary: 'You do not have permission: Test secret-token-value-1', errorId: 'e1', errorCauses: [] }, {
        'x-okta-request-id': `rid-9 ${String(req.headers.dpop)}`,
        'www-authenticate': `Bearer error="insufficient_scope", scope="${String(req.headers.authorization)}", error_description="${String(req.headers.dpop)}"`,
      }),
    );
    const events: OktaLogEvent[] = [];
    const error = await rejection(driver({ credential: countingCredential(origins.okta.origin), logger: (e) => events.push(e) }).getJson('/api/v1/users'));
    expect(error.message).toMatch(/^403 E0000006 You do not have permission: \[redacted[^\]]*\] \(missing scope \[redacted[^\]]*\]\) \(GET 127\.0\.0\.1:\d+\/api\/v1\/users, request id rid-9 \[redacted[^\]]*\]\)$/);
    const everything = [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(events)].join('\n');
    expect(everything).not.toContain('secret-token-value');
    expect(everything).not.toContain('proof-value-number');
    expect(events.map((e) => e.type)).toContain('request');
  });

  it('refuses a credential header name the runtime cannot send as INVALID_CONFIG, sending nothing', async ({ origins, expect }) => {
    origins.okta.handle((_req, res) => json(res, 200, { ok: true }));
    const credential: OktaCredential = { kind: 'test', origin: origins.okta.origin, authorize: () => Promise.resolve({ authorization: 'Test secret-token-value', 'bad header': 'value-0123456789' }) };
    const error = await rejection(driver({ credential, retry: false }).getJson('/api/v1/users'));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(origins.okta.requests).toHaveLength(0);
  });

  it('gives NETWORK_ERROR for a dropped connection and TIMEOUT for a stalled answer', async ({ origins, expect }) => {
    origins.okta.handle((_req, res) => {
      res.socket?.destroy();
    });
    // The drop comes at once; a timeout far beyond it keeps a loaded machine's slow request from turning it into TIMEOUT.
    const dropped = await rejection(driver({ credential: countingCredential(origins.okta.origin), timeoutMs: 30_000 }).postJson('/api/v1/users', { a: 1 }));
    expect(dropped.code).toBe('NETWORK_ERROR');
    origins.okta.handle(() => undefined);
    const stalled = await rejection(driver({ credential: countingCredential(origins.okta.origin), timeoutMs: 200 }).postJson('/api/v1/users', { a: 1 }));
    expect(stalled.code).toBe('TIMEOUT');
  });

  it('retries a GET after a connection reset before any answer, re-authorized, a bounded number of times', async ({ origins, expect }) => {
    origins.okta.handle((_req, res, index) => {
      if (index === 0) res.socket?.destroy();
      else json(res, 200, { ok: true });
    });
    await expect(driver({ credential: countingCredential(origins.okta.origin) }).getJson('/api/v1/users')).resolves.toEqual({ ok: true });
    expect(origins.okta.requests.map((r) => r.headers.authorization)).toEqual(['Test secret-token-value-1', 'Test secret-token-value-2']);
    origins.okta.handle((_req, res) => {
      res.socket?.destroy();
    });
    const before = origins.okta.requests.length;
    expect((await rejection(driver({ credential: countingCredential(origins.okta.origin) }).getJson('/api/v1/users'))).code).toBe('NETWORK_ERROR');
    // The fetch wrapper retries once; the ky drivers leave it to ky's retry limit.
    expect(origins.okta.requests.length - before).toBe(name === 'fetch' ? 2 : origins.okta.requests.length - before);
    expect(origins.okta.requests.length - before).toBeGreaterThanOrEqual(2);
    expect(origins.okta.requests.length - before).toBeLessThanOrEqual(6);
  });

  it('sends JSON bodies with a JSON content type', async ({ origins, expect }) => {
    origins.okta.handle((req, res) => json(res, 200, { echoed: JSON.parse(req.body) as unknown, type: req.headers['content-type'] }));
    const echoed = (await driver({ credential: countingCredential(origins.okta.origin) }).postJson('/api/v1/users', { profile: { login: 'a@b.c' } })) as { echoed: unknown; type: string };
    expect(echoed.echoed).toEqual({ profile: { login: 'a@b.c' } });
    expect(echoed.type).toMatch(/^application\/json/);
  });
});

describe.each(Object.keys(drivers))('request policy through %s, the secret list built only when needed', (name) => {
  const driver = drivers[name]!;

  it('lists no secret for a 2xx, and scrubs an echoed DPoP proof and access token (raw and encoded) from a non-2xx', async ({ origins, expect }) => {
    // DPoP-shaped: an access token after the scheme, and a proof (a JWT) that is new every attempt.
    const accessToken = 'eyJraWQiOiJrMSJ9.eyJzdWIiOiJhY2Nlc3MtdG9rZW4tdmFsdWUifQ.access-token-signature';
    const proofs: string[] = [];
    const credential: OktaCredential = {
      kind: 'test-dpop',
      origin: origins.okta.origin,
      authorize: () => {
        proofs.push(`eyJ0eXAiOiJkcG9wK2p3dCJ9.eyJqdGkiOiJwcm9vZi0ke3Byb29mcy5sZW5ndGh9In0.proof-signature-${proofs.length}`);
        return Promise.resolve({ authorization: `DPoP ${accessToken}`, dpop: proofs.at(-1) ?? '' });
      },
    };
    origins.okta.handle((_req, res) => json(res, 200, { ok: true }));
    const encode = vi.spyOn(globalThis, 'encodeURIComponent');
    const client = driver({ credential, retry: false });
    try {
      await client.getJson('/api/v1/users');
      await client.getJson('/api/v1/users');
      // The secret list (with the URL encodings of "DPoP <token>") is built only when an answer needs it.
      expect(encode).not.toHaveBeenCalled();
    } finally {
      encode.mockRestore();
    }
    origins.okta.handle((req, res) => {
      const sent = `${String(req.headers.authorization)} ${encodeURIComponent(String(req.headers.authorization))} ${String(req.headers.dpop)}`;
      json(res, 401, { errorCode: 'E0000011', errorSummary: `Invalid token provided: ${sent}`, errorId: 'e1', errorCauses: [] }, { 'x-okta-request-id': `rid ${new URLSearchParams({ a: String(req.headers.authorization) }).toString()}` });
    });
    const events: OktaLogEvent[] = [];
    const error = await rejection(driver({ credential, retry: false, logger: (e) => events.push(e) }).getJson('/api/v1/users'));
    expect(origins.okta.requests.at(-1)?.headers.dpop).toBe(proofs.at(-1));
    const everything = [error.message, String(error.stack), JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(events)].join('\n');
    expect(everything).toContain('[redacted');
    for (const secret of [accessToken, ...proofs, encodeURIComponent(`DPoP ${accessToken}`), `DPoP+${accessToken}`]) expect(everything).not.toContain(secret);
  });
});
