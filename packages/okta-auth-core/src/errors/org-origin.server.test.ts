/**
 * Many orgs called at once (an OIN integration's tenants, `Promise.all`): each error names the org
 * whose request failed. `OktaApiError.origin` is the request's scheme and host (never its query, nor
 * anything the answer said), printed by `JSON.stringify` and `util.inspect` like the other fields,
 * and every message naming an attempt (`attemptName`: an API error, a `NETWORK_ERROR`) names its host.
 * A request that got no answer, or one that is no HTTP (`NETWORK_ERROR`, `TIMEOUT`, `INVALID_RESPONSE`), has the
 * same `origin` field (orgurl156: it had none, and 800 orgs behind one logger were grouped by parsing messages).
 */
import { createServer, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { isOktaApiError } from './api-error.js';
import { isOktaAuthError } from './errors.js';

/** An org of the test's own (closed when it ends), and its API token as a credential. */
async function tokenOrg(): Promise<{ readonly org: OktaEmulator; readonly credential: OktaCredential }> {
  const org = await startEmulator();
  onTestFinished(() => org.close());
  const { token } = org.createApiToken();
  return { org, credential: { kind: 'ssws', origin: org.url, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) } };
}

/** A server of the test's own on 127.0.0.1 that answers each connection with `reply` (bytes that are no HTTP), or holds it open; closed when the test ends. */
async function rawOrg(reply: string | undefined): Promise<OktaCredential> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (reply !== undefined) socket.end(reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as { port: number };
  return { kind: 'ssws', origin: `http://127.0.0.1:${port}`, authorize: () => Promise.resolve({ authorization: 'SSWS 00rawOrgToken' }) };
}

describe.each(Object.keys(drivers))('%s', (name) => {
  it('two orgs answer 404 at once: each OktaApiError names its own org (origin, message, JSON, inspect), never the query', async () => {
    const orgs = [await tokenOrg(), await tokenOrg()];
    const settled = await Promise.allSettled(orgs.map(({ credential }) => drivers[name]!({ credential, retry: false }).getJson('/api/v1/users/nobody?search=tenant')));
    settled.forEach((outcome, index) => {
      const { origin, host } = new URL(orgs[index]!.org.url);
      const other = new URL(orgs[1 - index]!.org.url).host;
      const error = outcome.status === 'rejected' ? (outcome.reason as unknown) : undefined;
      if (!isOktaApiError(error)) throw new Error(`expected an OktaApiError, got ${String(error)}`);
      expect(error.status).toBe(404);
      expect(error.origin).toBe(origin);
      expect(error.message).toContain(`(GET ${host}/api/v1/users/nobody`);
      expect(error.message).not.toContain(other);
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ origin, path: '/api/v1/users/nobody' });
      expect(inspect(error)).toContain(`origin: '${origin}'`);
      for (const text of [error.message, JSON.stringify(error), inspect(error)]) expect(text).not.toContain('tenant');
    });
  });

  it("an org that is gone: the NETWORK_ERROR names its host, not the other org's", async () => {
    const orgs = [await tokenOrg(), await tokenOrg()];
    await orgs[0]!.org.close();
    const settled = await Promise.allSettled(orgs.map(({ credential }) => drivers[name]!({ credential, retry: false }).getJson('/api/v1/users')));
    const error = settled[0]!.status === 'rejected' ? (settled[0]!.reason as unknown) : undefined;
    if (!isOktaAuthError(error)) throw new Error(`expected an OktaAuthError, got ${String(error)}`);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.origin).toBe(new URL(orgs[0]!.org.url).origin);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code: 'NETWORK_ERROR', origin: new URL(orgs[0]!.org.url).origin });
    expect(error.message).toContain(`GET ${new URL(orgs[0]!.org.url).host}/api/v1/users `);
    expect(error.message).not.toContain(new URL(orgs[1]!.org.url).host);
    expect(settled[1]!.status).toBe('fulfilled');
  });

  it.each([
    ['TIMEOUT', undefined],
    ['INVALID_RESPONSE', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nno colon in this header line\r\n\r\n{}'],
  ])('an org that answers %s: the error has its origin, as a field', async (code, reply) => {
    const credential = await rawOrg(reply);
    // A short bound only where it must fire (no answer): one that comes must not meet it on a loaded machine.
    const error = await drivers[name]!({ credential, retry: false, timeoutMs: reply === undefined ? 500 : 30_000 }).getJson('/api/v1/users').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isOktaAuthError(error)) throw new Error(`expected an OktaAuthError, got ${String(error)}`);
    expect(error.code).toBe(code);
    expect(error.origin).toBe(credential.origin);
    expect(inspect(error)).toContain(`origin: '${credential.origin}'`);
    expect(error.message).toContain(`GET ${new URL(credential.origin).host}/api/v1/users`);
  });

  it("a credential's authorize that never settles: the TIMEOUT has the attempt's origin, nothing sent", async () => {
    const { org } = await tokenOrg();
    const credential: OktaCredential = { kind: 'ssws', origin: org.url, authorize: () => new Promise(() => undefined) };
    const error = await drivers[name]!({ credential, retry: false, timeoutMs: 300 }).getJson('/api/v1/users').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    if (!isOktaAuthError(error)) throw new Error(`expected an OktaAuthError, got ${String(error)}`);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain("the credential's authorize did not settle");
    expect(error.origin).toBe(new URL(org.url).origin);
    expect(org.requests()).toEqual([]);
  });
});
