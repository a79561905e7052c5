import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How long the org keeps an idle keep-alive connection (ms), sent as `Keep-Alive: timeout=5`:
 * Node.js's default. Mutable for the emulator's own tests only.
 */
export const KEEP_ALIVE = { timeoutMs: 5_000 };

/**
 * Closes a connection idle past its keep-alive timeout only when it stayed idle for one more
 * timeout, counted from when Node.js's timer ran. In one process with its client (a test), a loop
 * blocked past the timeout (a synchronous RSA key under load) ran the org's timer late, in the
 * same turn as the client's send on the connection it still held idle: the org closed it with the
 * request unread or just before it came, and the client got `ECONNRESET` or "other side closed"
 * for a request Okta would answer. A second timeout started after the loop came back outlasts the
 * client's own (undici counts its keep-alive time in loop turns); any byte read meanwhile renews it.
 */
export function keepAliveUntilIdle(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE.timeoutMs;
  const idle = new WeakMap<Socket, number>();
  // With a 'timeout' listener Node.js leaves the socket to it; the server's only timeout is keep-alive's.
  server.on('timeout', (socket: Socket) => {
    if (idle.get(socket) === socket.bytesRead) {
      socket.destroy();
      return;
    }
    idle.set(socket, socket.bytesRead);
    socket.setTimeout(KEEP_ALIVE.timeoutMs);
  });
}
