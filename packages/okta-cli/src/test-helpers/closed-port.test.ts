/**
 * The closed port the doctor and api tests expect ECONNREFUSED from stays closed while other test
 * files run at once (vitest runs two or more): no listener of theirs may take it.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { closedPort } from './cli.js';

it('closedPort is refused, and below the range the OS hands out for port 0 (where another test file listens)', async () => {
  const port = await closedPort();
  // Before, a port freed a moment ago: inside that range, free for another file's listen(0) to take.
  const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  expect(port).toBeLessThan(low!);
  const refused = await new Promise<string | undefined>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
  expect(refused).toBe('ECONNREFUSED');
});
