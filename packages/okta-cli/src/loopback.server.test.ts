import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { failure } from '@org/okta-test-utils';
import { startOnFreePort } from '@org/okta-test-utils/free-port';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LoopbackRedirect } from './config/redirect-uri.js';
import { CliError } from './exit-codes.js';
import { listenLoopback, type LoopbackListener } from './loopback.js';

const redirectOn = (port: number): LoopbackRedirect => ({ uri: `http://127.0.0.1:${port}/callback`, host: '127.0.0.1', port, path: '/callback', hostHeader: `127.0.0.1:${port}` });

let open: LoopbackListener | undefined;
afterEach(() => {
  open?.close();
  vi.useRealTimers();
});

async function listening(): Promise<{ listener: LoopbackListener; redirect: LoopbackRedirect }> {
  return startOnFreePort(async (port) => {
    const redirect = redirectOn(port);
    open = await listenLoopback(redirect, '$OKTA_CLIENT_REDIRECTURI');
    return { listener: open, redirect };
  });
}

/** One plain request (a Host of the test's choosing, which fetch cannot send): status and body, or the connection's error code. */
function send(port: number, path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? 'error' }));
    req.end(options.method === 'POST' ? 'code=posted' : undefined);
  });
}

describe('the loopback listener of okta-auth login --browser', () => {
  it('serves one callback: a fixed page quoting nothing of it, then no second one (the port is closed)', async () => {
    const { listener, redirect } = await listening();
    const next = listener.next({ timeoutMs: 60_000, state: 'STATEvalue456' });
    const answer = send(redirect.port, '/callback?code=SECRETcode123&state=STATEvalue456&error_description=%3Cscript%3E');
    const callback = await next;
    expect(callback.params.get('code')).toBe('SECRETcode123');
    await callback.reply(true);
    const page = await answer;
    expect(page).toMatchObject({ status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
    const body = 'body' in page ? page.body : '';
    expect(body).toContain('Signed in');
    for (const echoed of ['SECRETcode123', 'STATEvalue456', 'script']) expect(body).not.toContain(echoed);
    expect(await send(redirect.port, '/callback?code=second&state=STATEvalue456')).toEqual({ error: 'ECONNREFUSED' });
  });

  it('refuses a foreign Host (DNS rebinding), another path and another method, and still serves the callback after them', async () => {
    const { listener, redirect } = await listening();
    const next = listener.next({ timeoutMs: 60_000, state: 'y' });
    const refusals = [
      [await send(redirect.port, '/callback?code=x&state=y', { host: `evil.example:${redirect.port}` }), 400],
      [await send(redirect.port, '/callback?code=x&state=y', { host: `localhost:${redirect.port}` }), 400],
      [await send(redirect.port, '/callback?code=x&state=y', { host: '127.0.0.1:1' }), 400],
      [await send(redirect.port, '/favicon.ico'), 404],
      [await send(redirect.port, '/callback/x?code=x&state=y'), 404],
      [await send(redirect.port, '/callback', { method: 'POST' }), 404],
    ] as const;
    for (const [answer, status] of refusals) {
      expect(answer).toMatchObject({ status });
      expect('body' in answer ? answer.body : '').not.toMatch(/evil|code|state|favicon/);
    }
    const answer = send(redirect.port, '/callback?code=good&state=y');
    const callback = await next;
    expect(callback.params.get('code')).toBe('good');
    await callback.reply(false);
    expect(await answer).toMatchObject({ status: 200, body: expect.stringContaining('See the terminal') as unknown });
  });

  it("answers a callback that is not this sign-in's (another state, none, two) 400 and goes on waiting for the real one", async () => {
    const { listener, redirect } = await listening();
    const refused: number[] = [];
    const next = listener.next({ timeoutMs: 60_000, state: 'the-real-state', onRefused: (count) => refused.push(count) });
    for (const query of ['?code=forged&state=forged-state', '?code=forged', '?error=access_denied', '?code=forged&state=the-real-state&state=forged', '?code=forged&state=the-real-stat']) {
      const answer = await send(redirect.port, `/callback${query}`);
      expect(answer).toMatchObject({ status: 400, body: "This is not the sign-in okta-auth is waiting for.\n" });
    }
    expect(refused).toEqual([1, 2, 3, 4, 5]);
    const answer = send(redirect.port, '/callback?code=real&state=the-real-state');
    const callback = await next;
    expect(callback.params.get('code')).toBe('real');
    await callback.reply(true);
    expect(await answer).toMatchObject({ status: 200 });
  });

  it("stops after 10 callbacks that are not this sign-in's (exit 4, saying what may send them) and closes the port", async () => {
    const { listener, redirect } = await listening();
    const next = listener.next({ timeoutMs: 60_000, state: 'the-real-state' });
    const settled = failure(next, (e): e is CliError => e instanceof CliError);
    for (let i = 0; i < 9; i++) expect(await send(redirect.port, `/callback?code=c&state=forged-${i}`)).toMatchObject({ status: 400 });
    expect(await send(redirect.port, '/nothing')).toMatchObject({ status: 404 });
    expect(await send(redirect.port, '/callback?code=c&state=forged-9')).toMatchObject({ status: 400 });
    const error = await settled;
    expect(error).toMatchObject({
      exitCode: 4,
      message: `10 callbacks came to ${redirect.uri} that were not this sign-in's (another state): a page open in your browser may be sending them; close it and run okta-auth login --browser again.`,
    });
    expect(error.message).not.toContain('forged');
    expect(await send(redirect.port, '/callback?code=real&state=the-real-state')).toEqual({ error: 'ECONNREFUSED' });
  });

  it('stops waiting after its timeout (exit 4, saying to run it again) and closes the port', async () => {
    const { listener, redirect } = await listening();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const next = listener.next({ timeoutMs: 600_000, state: 'y' });
    vi.advanceTimersByTime(599_999);
    expect(await send(redirect.port, '/nothing')).toMatchObject({ status: 404 });
    vi.advanceTimersByTime(1);
    const error = await failure(next, (e): e is CliError => e instanceof CliError);
    expect(error).toMatchObject({ exitCode: 4, message: `No sign-in came back to ${redirect.uri} within 10 minutes: run okta-auth login --browser again.` });
    expect(await send(redirect.port, '/callback?code=late&state=y')).toEqual({ error: 'ECONNREFUSED' });
  });

  it('stops waiting when its signal aborts, with its reason, and closes the port', async () => {
    const { listener, redirect } = await listening();
    const stop = new AbortController();
    const next = listener.next({ timeoutMs: 60_000, state: 'y', signal: stop.signal });
    stop.abort(new Error('interrupted'));
    await expect(next).rejects.toThrow('interrupted');
    expect(await send(redirect.port, '/callback?code=late&state=y')).toEqual({ error: 'ECONNREFUSED' });
  });

  it('answers with fixed texts and headers: the page (no script, no framing, no sniffing) and each refusal', async () => {
    const { listener, redirect } = await listening();
    const next = listener.next({ timeoutMs: 60_000, state: 's' });
    const plain = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', connection: 'close' };
    expect(await send(redirect.port, '/callback', { host: 'evil.example' })).toMatchObject({ status: 400, body: 'Bad request.\n', headers: plain });
    expect(await send(redirect.port, '/elsewhere')).toMatchObject({ status: 404, body: 'Not found.\n', headers: plain });
    const answer = send(redirect.port, '/callback?code=c&state=s');
    await (await next).reply(true);
    expect(await answer).toMatchObject({
      status: 200,
      body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signed in</title></head><body><h1>Signed in</h1><p>okta-auth has its tokens. You can close this tab.</p></body></html>\n',
      headers: { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'", 'x-content-type-options': 'nosniff', connection: 'close' },
    });
  });

  it('refuses a request without Host (HTTP/1.0) and a callback before next(); serves one with its state alone after', async () => {
    const { listener, redirect } = await listening();
    const raw = await new Promise<string>((resolve) => {
      let text = '';
      connect(redirect.port, '127.0.0.1', function (this: ReturnType<typeof connect>) {
        this.end('GET /callback?code=x HTTP/1.0\r\n\r\n');
      })
        .setEncoding('utf8')
        .on('data', (d: string) => (text += d))
        .on('end', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(await send(redirect.port, '/callback?code=early&state=y')).toMatchObject({ status: 404 });
    const next = listener.next({ timeoutMs: 60_000, state: 's' });
    const answer = send(redirect.port, '/callback?state=s');
    const callback = await next;
    expect([...callback.params]).toEqual([['state', 's']]);
    await callback.reply(false);
    await callback.reply(true); // once only: the second does nothing
    expect(await answer).toMatchObject({ status: 200, body: expect.stringContaining('Sign-in not completed') as unknown });
  });

  it('an aborted signal rejects at once with its reason; a live one waits, and its abort after the callback leaves the page', async () => {
    const { listener, redirect } = await listening();
    await expect(listener.next({ timeoutMs: 60_000, state: 'y', signal: AbortSignal.abort(new Error('gone before')) })).rejects.toThrow('gone before');
    expect(await send(redirect.port, '/callback?code=late&state=y')).toEqual({ error: 'ECONNREFUSED' });
    const again = await listening();
    const stop = new AbortController();
    const next = again.listener.next({ timeoutMs: 60_000, state: 's', signal: stop.signal });
    const answer = send(again.redirect.port, '/callback?code=c&state=s');
    const callback = await next;
    stop.abort(new Error('interrupted'));
    await callback.reply(true);
    expect(await answer).toMatchObject({ status: 200, body: expect.stringContaining('Signed in') as unknown });
  });

  it('an address that cannot be listened on: exit 3 saying so, with the cause', async () => {
    const redirect: LoopbackRedirect = { ...redirectOn(8765), host: '192.0.2.1' as '127.0.0.1' };
    const error = await failure(listenLoopback(redirect, '$OKTA_CLIENT_REDIRECTURI'), (e): e is CliError => e instanceof CliError);
    expect(error.message).toBe(
      'redirectUri ($OKTA_CLIENT_REDIRECTURI) names port 8765 of 192.0.2.1, and it cannot be listened on (EADDRNOTAVAIL): stop that program, or register a loopback redirect URI with another port on the app and set redirectUri to it.',
    );
    expect(error.cause).toMatchObject({ code: 'EADDRNOTAVAIL' });
  });

  it('a port another program listens on: exit 3 naming the port and the setting, and what to do', async () => {
    const other = createServer();
    const port = await startOnFreePort((p) => new Promise<number>((resolve, reject) => other.once('error', reject).listen(p, '127.0.0.1', () => resolve(p))));
    try {
      const error = await failure(listenLoopback(redirectOn(port), '/home/ada/.okta/okta.yaml'), (e): e is CliError => e instanceof CliError);
      expect(error.exitCode).toBe(3);
      expect(error.message).toBe(
        `redirectUri (/home/ada/.okta/okta.yaml) names port ${port} of 127.0.0.1, and another program listens on it (EADDRINUSE): stop that program, or register a loopback redirect URI with another port on the app and set redirectUri to it.`,
      );
    } finally {
      other.close();
    }
  });
});
