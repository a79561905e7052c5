import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { KEEP_ALIVE } from './keep-alive.js';

/** Node.js closes an idle connection this long after its keep-alive timeout (HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER). */
const NODE_BUFFER_MS = 1000;
const REQUEST = 'GET /.well-known/openid-configuration HTTP/1.1\r\nHost: x\r\n\r\n';

/** The status of each whole answer read on `socket` (by `Content-Length`), until it closes. */
function answers(socket: Socket): { statuses: number[]; next: () => Promise<number | 'closed'> } {
  const statuses: number[] = [];
  let got = Buffer.alloc(0);
  let waiting: ((status: number | 'closed') => void) | undefined;
  socket.on('data', (chunk: Buffer) => {
    got = Buffer.concat([got, chunk]);
    for (;;) {
      const end = got.indexOf('\r\n\r\n');
      const length = end < 0 ? null : /\r\ncontent-length: (\d+)/i.exec(got.subarray(0, end).toString('latin1'));
      if (length === null || got.length < end + 4 + Number(length[1])) return;
      statuses.push(Number(got.subarray(9, 12).toString('latin1')));
      got = got.subarray(end + 4 + Number(length[1]));
      waiting?.(statuses.at(-1) ?? 0);
      waiting = undefined;
    }
  });
  socket.on('error', () => undefined);
  socket.on('close', () => waiting?.('closed'));
  return { statuses, next: () => new Promise((resolve) => (waiting = resolve)) };
}

/**
 * A keep-alive connection reused just as the org's idle timer runs out. In one process with the org
 * (a test, the emulator in-process), a stalled event loop (a synchronous RSA key under load) lets the
 * client send on the idle connection before the org's expired timer runs: the org closed it with the
 * request unread, and the kernel answered the client with a reset (`ECONNRESET`, seen under load in
 * `controls/app-keys.server.test.ts`). The keep-alive timeout is shortened for this file's org.
 */
describe('a kept-alive connection', () => {
  const real = { ...KEEP_ALIVE };
  let org: OktaEmulator;

  beforeAll(async () => {
    KEEP_ALIVE.timeoutMs = 100;
    org = await startEmulator();
  });
  afterAll(async () => {
    Object.assign(KEEP_ALIVE, real);
    await org.close();
  });

  const open = async (): Promise<{ socket: Socket; next: () => Promise<number | 'closed'> }> => {
    const { hostname, port } = new URL(org.url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    const { next } = answers(socket);
    const first = next();
    socket.write(REQUEST);
    expect(await first).toBe(200);
    return { socket, next };
  };

  // Sent before the org's expired timer runs, or after it ran but before the org read the socket's close.
  it.each(['at once', 'on the next turn'])('reused %s after its idle timeout ran out while the event loop was blocked is answered, not reset', async (when) => {
    const { socket, next } = await open();
    // Block the event loop past the idle timeout (as a synchronous RSA key does under load), then send.
    const until = performance.now() + KEEP_ALIVE.timeoutMs + NODE_BUFFER_MS + 100;
    while (performance.now() < until);
    if (when !== 'at once') await new Promise((resolve) => setImmediate(resolve));
    const second = next();
    socket.write(REQUEST);
    expect(await second).toBe(200);
    socket.destroy();
  });

  it('left idle is still closed by the org once its keep-alive timeout runs out', async () => {
    const { next } = await open();
    expect(await next()).toBe('closed');
  });
});
