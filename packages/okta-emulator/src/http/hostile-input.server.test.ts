import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SEED_ADMIN_LOGIN } from '../index.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { ssws } from '../test-helpers/http.js';
import { rawExchange } from '../test-helpers/raw-http.js';

const MIB = 1024 * 1024;

describe('hostile HTTP input', () => {
  const env = useApiTokenOrg();

  const stillServing = async (): Promise<void> => {
    const res = await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
    expect(res.status).toBe(200);
  };

  it('answers a form body over 1 MiB at an OAuth endpoint with 413 invalid_request and closes', async () => {
    const body = `grant_type=client_credentials&pad=${'x'.repeat(MIB)}`;
    const res = await rawExchange(env.org, (send) => {
      send(`POST /oauth2/v1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`);
      send(body);
    });
    expect(res.status).toBe(413);
    expect(res.head).toContain('\r\nconnection: close');
    expect(JSON.parse(res.body)).toEqual({ error: 'invalid_request', error_description: 'The request body is larger than 1 MiB.' });
    expect(res.closed).toBe(true);
    await stillServing();
  });

  it('answers a chunked JSON body over 1 MiB at /api/v1 with 413 in Okta\'s error shape and stops reading it', async () => {
    const chunk = 'x'.repeat(256 * 1024);
    const res = await rawExchange(env.org, (send) => {
      send(`POST /api/v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: SSWS ${env.token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      // Five chunks pass the limit; the rest of the endless body is never sent, and the emulator must not wait for it.
      for (let i = 0; i < 5; i++) send(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ errorCode: 'E0000003', errorSummary: 'The request body is larger than 1 MiB.', errorCauses: [] });
    // Counted like any other /api/v1 answer: the same X-Rate-Limit-* headers (PROTO §6, R1).
    expect(res.head).toMatch(/\r\nx-rate-limit-limit: 600\r\n/);
    expect(res.head).toMatch(/\r\nx-rate-limit-remaining: \d+\r\n/);
    expect(res.head).toMatch(/\r\nx-rate-limit-reset: \d+\r\n/);
    expect(res.closed).toBe(true);
    await stillServing();
  });

  it('takes a body of exactly 1 MiB', async () => {
    const body = `token=t&client_id=nobody&pad=${'x'.repeat(MIB - 29)}`;
    expect(body.length).toBe(MIB);
    const res = await fetch(`${env.org.url}/oauth2/v1/revoke`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('answers malformed JSON, non-UTF-8 bytes and a wrong content type in the endpoint\'s error shape', async () => {
    const users = await fetch(`${env.org.url}/api/v1/users`, { method: 'POST', headers: { ...ssws(env.token), 'Content-Type': 'application/json' }, body: '{"profile": ' });
    expect(users.status).toBe(400);
    expect((await users.json()).errorCode).toBe('E0000003');

    const bytes = Buffer.concat([Buffer.from('grant_type='), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('&client_id=%ff%fe')]);
    const token400 = await rawExchange(env.org, (send) => {
      send(`POST /oauth2/v1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${bytes.length}\r\n\r\n`);
      send(bytes);
    });
    expect(token400.status).toBe(400);
    expect(JSON.parse(token400.body)).toMatchObject({ error: 'unsupported_grant_type' });

    const json = await fetch(`${env.org.url}/oauth2/v1/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    await stillServing();
  });

  it('refuses JSON nested deeper than 1000 with 400 E0000003, so no value the org cannot answer is stored', async () => {
    const create = (login: string, depth: number) =>
      fetch(`${env.org.url}/api/v1/users`, {
        method: 'POST',
        headers: { ...ssws(env.token), 'Content-Type': 'application/json' },
        // Brackets inside a string are text, not nesting.
        body: `{"profile":{"login":"${login}","email":"${login}","firstName":"D","lastName":"E","note":"]]]{{[[","deep":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
      });
    for (const depth of [100_000, 999]) {
      const res = await create(`deep${depth}@example.com`, depth);
      expect(res.status).toBe(400);
      expect((await res.json()).errorCode).toBe('E0000003');
    }
    // 1000 in all: the body's object and the profile are two of them.
    const ok = await create('deep998@example.com', 998);
    expect(ok.status).toBe(200);
    const list = await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
    expect(list.status).toBe(200);
    expect((await list.json()).map((u: { profile: { login: string } }) => u.profile.login)).toEqual([SEED_ADMIN_LOGIN, 'deep998@example.com']);
  });

  it('refuses header values and URLs over Node\'s limit without reaching a route', async () => {
    const long = await rawExchange(env.org, (send) => send(`GET /oauth2/v1/userinfo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(long.status).toBe(431);
    const url = await rawExchange(env.org, (send) => send(`GET /oauth2/v1/authorize?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
    expect(url.status).toBe(431);
    await stillServing();
  });

  it('takes a request path as a path: `//host/…` names no other host, `//[` is a 404, not a 500', async () => {
    const send = (target: string) => rawExchange(env.org, (write) => write(`GET ${target} HTTP/1.1\r\nHost: x\r\nAuthorization: SSWS ${env.token}\r\n\r\n`));
    for (const target of ['//[', '//evil.example/api/v1/users', '//api/v1/users']) {
      const res = await send(target);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.body)).toMatchObject({ errorCode: 'E0000007', errorSummary: `Not found: Resource not found: ${target} (Resource)` });
    }
    // An absolute-form target is served by its path, as before.
    expect((await send(`${env.org.url}/api/v1/users`)).status).toBe(200);
    await stillServing();
  });

  it('keeps serving while a client trickles a body it never finishes, and closes with it', async () => {
    const { hostname, port } = new URL(env.org.url);
    const slow = connect(Number(port), hostname);
    await new Promise<void>((resolve) => slow.on('connect', resolve));
    slow.write('POST /oauth2/v1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ngrant_type=');
    await stillServing();
    const closedSlow = new Promise<void>((resolve) => slow.on('close', () => resolve()));
    slow.on('error', () => undefined);
    // The file's org, so this test is the file's last: its after hook's close then waits for this one.
    await env.org.close();
    await closedSlow;
  });
});
