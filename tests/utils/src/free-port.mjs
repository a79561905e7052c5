// The one free-port helper of the test suites, the bench and the demo's fleet step, for
// programs that take a port number rather than listening on port 0 themselves (redis-server,
// workerd, a demo whose redirect URI must be registered before it starts). Plain JavaScript so
// that node runs it without a TypeScript loader; types in free-port.d.mts.
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';

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

/**
 * A TCP port on 127.0.0.1 that nothing listens on, and nothing of the test run will: below the
 * range the OS hands out for port 0 (Linux's ip_local_port_range; 32768 elsewhere), so a test file
 * running at once cannot take it with listen(0), as it could take a port freePort() just freed.
 * Checked refused when picked.
 */
export async function closedPort() {
  let low = 32768;
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // Not Linux: the other systems' ranges start at 32768 or above.
  }
  for (let port = Math.min(low, 32768) - 1; port > 1024; port--) {
    const refused = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (error) => resolve(error.code === 'ECONNREFUSED'));
    });
    if (refused) return port;
  }
  throw new Error('no closed loopback port below the range the OS hands out for port 0');
}
