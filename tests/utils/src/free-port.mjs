// The one free-port helper of the test suites, the bench and the demo's fleet step, for
// programs that take a port number rather than listening on port 0 themselves (redis-server,
// workerd, a demo whose redirect URI must be registered before it starts). Plain JavaScript so
// that node runs it without a TypeScript loader; types in free-port.d.mts.
import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/**
 * Starts something on a free port, and again on a fresh port if it fails: another process can
 * take a port between freePort() and the program's own bind. After `attempts` failures the last
 * error is thrown, with the ports tried.
 */
export async function startOnFreePort(start, attempts = 3) {
  const tried = [];
  for (;;) {
    const port = await freePort();
    tried.push(port);
    try {
      return await start(port);
    } catch (error) {
      if (tried.length >= attempts) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${message} (ports tried: ${tried.join(', ')})`, { cause: error });
      }
    }
  }
}
