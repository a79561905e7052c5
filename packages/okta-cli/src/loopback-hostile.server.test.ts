/**
 * The loopback listener of `okta-auth login --browser` against what a page in the user's browser or
 * a program on the same machine can send it: requests written byte by byte, as no HTTP client does.
 */
import { connect, type Socket } from 'node:net';
import { startOnFreePort } from '@org/okta-test-utils/free-port';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoopbackRedirect } from './config/redirect-uri.js';
import { listenLoopback, type LoopbackListener } from './loopback.js';

const state = 'the-state-of-this-sign-in';
let open: LoopbackListener | undefined;
const sockets: Socket[] = [];
afterEach(() => {
  open?.close();
  for (const socket of sockets.splice(0)) socket.destroy();
});

async function listening(host: '127.0.0.1' | '::1' = '127.0.0.1'): Promise<{ listener: LoopbackListener; redirect: LoopbackRedirect }> {
  return startOnFreePort(async (port) => {
    const authority = host === '::1' ? `[::1]:${port}` : `127.0.0.1:${port}`;
    const redirect: LoopbackRedirect = { uri: `http://${authority}/callback`, host, port, path: '/callback', hostHeader: authority };
    open = await listenLoopback(redirect, '$OKTA_CLIENT_REDIRECTURI');
    return { listener: open, redirect };
  });
}

/** A connection that stays open, having sent `text` (nothing, a part of a request); resolves once connected. */
function held(redirect: LoopbackRedirect, text = ''): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: redirect.host, port: redirect.port }, () => {
      if (text !== '') socket.write(text);
      resolve(socket);
    });
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** The raw answer to `text`, read until the listener ends the connection (or the connection's error code). */
async function raw(redirect: LoopbackRedirect, text: string): Promise<string> {
  const socket = await held(redirect, text);
  return new Promise((resolve) => {
    let answer = '';
    socket.setEncoding('latin1').on('data', (d: string) => (answer += d));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

const request = (redirect: LoopbackRedirect, target: string, more = '') => `GET ${target} HTTP/1.1\r\nHost: ${redirect.hostHeader}\r\n${more}\r\n`;
const callbackQuery = `?code=the-code&state=${state}`;

/** The real callback, served after whatever came before: the listener was still waiting for it. */
async function stillServes(listener: LoopbackListener, redirect: LoopbackRedirect, next: ReturnType<LoopbackListener['next']>): Promise<void> {
  const answer = raw(redirect, request(redirect, `/callback${callbackQuery}`));
  const callback = await next;
  expect(callback.params.get('code')).toBe('the-code');
  await callback.reply(true);
  expect(await answer).toMatch(/^HTTP\/1\.1 200 /);
  listener.close();
}

describe('the loopback listener against hostile requests', () => {
  it('answers 404 to a request target other than its path exactly: absolute-form, //, a trailing /, another case, percent-encoded', async () => {
    const { listener, redirect } = await listening();
    const next = listener.next({ timeoutMs: 60_000, state });
    const targets = [
      `http://evil.example/callback${callbackQuery}`,
      `http://${redirect.hostHeader}/callback${callbackQuery}`,
      `//callback${callbackQuery}`,
      `/callback/${callbackQuery}`,
      `/Callback${callbackQuery}`,
      `/%63allback${callbackQuery}`,
      `/callback%3Fcode=the-code&state=${state}`,
      `/callback;x${callbackQuery}`,
      `/./callback${callbackQuery}`,
      `*`,
    ];
    for (const target of targets) {
      const answer = await raw(redirect, request(redirect, target));
      expect(answer, target).toMatch(/^HTTP\/1\.1 404 /);
      expect(answer, target).not.toMatch(/evil|the-code|the-state/);
    }
    await stillServes(listener, redirect, next);
  });

  it('answers a cross-site preflight, POST and HEAD 404, with no CORS header, reading no body', async () => {
    const { listener, redirect } = await listening();
    const next = listener.next({ timeoutMs: 60_000, state });
    const cors = 'Origin: https://evil.example\r\n';
    const form = `code=the-code&state=${state}`;
    const answers = [
      await raw(redirect, `OPTIONS /callback${callbackQuery} HTTP/1.1\r\nHost: ${redirect.hostHeader}\r\n${cors}Access-Control-Request-Method: GET\r\n\r\n`),
      await raw(redirect, `POST /callback HTTP/1.1\r\nHost: ${redirect.hostHeader}\r\n${cors}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`),
      await raw(redirect, `HEAD /callback${callbackQuery} HTTP/1.1\r\nHost: ${redirect.hostHeader}\r\n\r\n`),
    ];
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 404 /);
      expect(answer.toLowerCase()).not.toContain('access-control-');
    }
    await stillServes(listener, redirect, next);
  });

  it('answers a header over 16 KiB 431, and a Host repeated with another first 400', async () => {
    const { listener, redirect } = await listening();
    const next = listener.next({ timeoutMs: 60_000, state });
    expect(await raw(redirect, request(redirect, `/callback${callbackQuery}`, `X-Big: ${'a'.repeat(20 * 1024)}\r\n`))).toMatch(/^HTTP\/1\.1 431 /);
    expect(await raw(redirect, `GET /callback${callbackQuery} HTTP/1.1\r\nHost: evil.example\r\nHost: ${redirect.hostHeader}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    await stillServes(listener, redirect, next);
  });

  it('connections that never send their request (slow loris), and many at once, do not hold the callback back; they are dropped when it ends', async () => {
    const { listener, redirect } = await listening();
    const next = listener.next({ timeoutMs: 60_000, state });
    const silent = await held(redirect);
    const partial = await held(redirect, `GET /callback${callbackQuery} HTTP/1.1\r\nHo`);
    const many = await Promise.all(Array.from({ length: 200 }, () => held(redirect)));
    const closed = [silent, partial, ...many].map((socket) => new Promise<void>((resolve) => socket.on('close', () => resolve())));
    await stillServes(listener, redirect, next);
    await Promise.all(closed);
    expect([silent, partial, ...many].every((socket) => socket.destroyed)).toBe(true);
  });

  it('::1 (an IPv6 loopback redirect): serves the callback with Host [::1]:<port>, refuses Host 127.0.0.1:<port>, does not listen on 127.0.0.1', async () => {
    const { listener, redirect } = await listening('::1');
    const next = listener.next({ timeoutMs: 60_000, state });
    expect(await raw(redirect, `GET /callback${callbackQuery} HTTP/1.1\r\nHost: 127.0.0.1:${redirect.port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
    const v4 = await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: redirect.port }, () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(v4).toBe('ECONNREFUSED');
    await stillServes(listener, redirect, next);
  });
});
