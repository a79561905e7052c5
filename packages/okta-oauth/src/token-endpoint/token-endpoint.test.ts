import { describe, expect, it } from 'vitest';
import { bindClientAuth, serviceAppAuth } from '../client-auth/client-auth.js';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { DpopSession } from '../dpop/dpop-session.js';
import { localClock } from '../internal/clock.js';
import { ServerClock } from '../internal/server-clock.js';
import { testKey } from '../test-helpers/keys.js';
import { requestToken, type DpopMode } from './token-endpoint.js';

const origin = 'https://acme.okta.com';
const tokenEndpoint = new URL('/oauth2/v1/token', origin);

function endpoint(answers: (() => Response)[], dpop: DpopMode = 'auto') {
  const sent: Request[] = [];
  const fetch = ((input: Request) => {
    sent.push(input);
    const next = answers.shift();
    if (next === undefined) throw new Error('unexpected request');
    return Promise.resolve(next());
  }) as unknown as typeof globalThis.fetch;
  const options = {
    origin,
    tokenEndpoint,
    clientAuth: bindClientAuth('0oa1', privateKeyJwt(testKey('p256').pem), serviceAppAuth),
    dpop: dpop === 'off' ? undefined : new DpopSession(origin, { mode: dpop }),
    clock: new ServerClock(),
    transport: { fetch, retry: false as const },
  };
  return { options, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const token = json(200, { token_type: 'DPoP', expires_in: 3600, access_token: 'at-1' });
const nonce = (n: string) => json(400, { error: 'use_dpop_nonce', error_description: 'Authorization server requires nonce in DPoP proof.' }, { 'dpop-nonce': n });

describe('requestToken', () => {
  it('retries use_dpop_nonce once, then reports a second one', async () => {
    const { options, sent } = endpoint([nonce('n1'), nonce('n2')]);
    const error: unknown = await requestToken(options, { grant_type: 'client_credentials', scope: 's' }).catch((e: unknown) => e);
    expect(sent).toHaveLength(2);
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'use_dpop_nonce', status: 400 });
    expect((error as Error).message).toMatch(/DPoP nonce again after one was supplied/);
  });

  it('does not retry use_dpop_nonce without a new nonce', async () => {
    const { options, sent } = endpoint([json(400, { error: 'use_dpop_nonce' })]);
    await expect(requestToken(options, { grant_type: 'client_credentials' })).rejects.toMatchObject({ error: 'use_dpop_nonce' });
    expect(sent).toHaveLength(1);
  });

  it('turns a DPoP token into an error when DPoP is off', async () => {
    const { options } = endpoint([token], 'off');
    await expect(requestToken(options, { grant_type: 'client_credentials' })).rejects.toMatchObject({ code: 'INVALID_TOKEN_RESPONSE' });
  });

  it('reads an Okta error body on a 429 as RATE_LIMITED', async () => {
    const { options } = endpoint([json(429, { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' }, { 'x-okta-request-id': 'r1' })]);
    await expect(requestToken(options, { grant_type: 'client_credentials' })).rejects.toMatchObject({ code: 'RATE_LIMITED', error: 'E0000047', requestId: 'r1' });
  });

  it('reports a 500 with no body by its status', async () => {
    const { options } = endpoint([() => new Response('', { status: 500 })]);
    await expect(requestToken(options, { grant_type: 'client_credentials' })).rejects.toMatchObject({ code: 'TOKEN_REQUEST_FAILED', status: 500, error: undefined });
  });

  it('scrubs the assertion from an error description that echoes it', async () => {
    let echoed = '';
    const fetch = (async (request: Request) => {
      echoed = new URLSearchParams(await request.text()).get('client_assertion') ?? '';
      return json(401, { error: 'invalid_client', error_description: `bad assertion ${echoed}` })();
    }) as unknown as typeof globalThis.fetch;
    const { options } = endpoint([]);
    const error: unknown = await requestToken({ ...options, transport: { fetch } }, { grant_type: 'client_credentials' }).catch((e: unknown) => e);
    expect(echoed.length).toBeGreaterThan(50);
    expect((error as Error).message).not.toContain(echoed);
    expect((error as { error_description: string }).error_description).toMatch(/bad assertion \[redacted/);
  });

  it('re-signs once, and only once, when the Date header shows a skewed clock', async () => {
    const skewed = (status: number) => () =>
      new Response(JSON.stringify({ error: 'invalid_client', error_description: 'The client_assertion token is expired.' }), {
        status,
        headers: { date: new Date(Date.now() + 3_600_000).toUTCString() },
      });
    const { options, sent } = endpoint([skewed(401), skewed(401)]);
    await expect(requestToken(options, { grant_type: 'client_credentials' })).rejects.toMatchObject({ error: 'invalid_client' });
    expect(sent).toHaveLength(2);
    // The local clock (a /sign-in client that signs nothing with the time): nothing to re-sign, one request.
    const local = endpoint([skewed(401), skewed(401)], 'off');
    await expect(requestToken({ ...local.options, clock: localClock(Date.now) }, { grant_type: 'client_credentials' })).rejects.toMatchObject({ error: 'invalid_client' });
    expect(local.sent).toHaveLength(1);
  });

  it('takes the token type the DPoP part allows: required refuses Bearer, auto takes it, none refuses DPoP', async () => {
    const bearer = json(200, { token_type: 'Bearer', expires_in: 3600, access_token: 'at-1' });
    await expect(requestToken(endpoint([bearer], 'required').options, { grant_type: 'client_credentials' })).rejects.toMatchObject({ code: 'DPOP_NOT_BOUND' });
    await expect(requestToken(endpoint([bearer], 'auto').options, { grant_type: 'client_credentials' })).resolves.toMatchObject({ tokenType: 'Bearer' });
    await expect(requestToken(endpoint([token], 'required').options, { grant_type: 'client_credentials' })).resolves.toMatchObject({ tokenType: 'DPoP' });
    await expect(requestToken(endpoint([token], 'off').options, { grant_type: 'client_credentials' })).rejects.toMatchObject({ code: 'INVALID_TOKEN_RESPONSE' });
  });

  it("scrubs the answer's own access token from the request id of a token type it refuses", async () => {
    const accessToken = `eyJhbGciOiJFUzI1NiJ9.${'a'.repeat(40)}.sig`;
    const answer = (token_type: string) => json(200, { token_type, expires_in: 3600, access_token: accessToken }, { 'x-okta-request-id': accessToken });
    for (const [type, mode] of [['Bearer', 'required'], ['DPoP', 'off']] as const) {
      const error: unknown = await requestToken(endpoint([answer(type)], mode).options, { grant_type: 'client_credentials' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: mode === 'off' ? 'INVALID_TOKEN_RESPONSE' : 'DPOP_NOT_BOUND', requestId: expect.stringMatching(/^\[redacted/) });
      expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(accessToken.slice(0, 20));
    }
  });
});
