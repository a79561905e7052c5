/**
 * Many clients at once: every connection is answered over HTTP (200, or Okta's 429 once the bucket is
 * spent), none reset before the org sees it, and the org serves the next request after.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';

const CONNECTIONS = 3000;
// The kernel caps the listen backlog at net.core.somaxconn: below the number of connections, resets are the kernel's.
const somaxconn = existsSync('/proc/sys/net/core/somaxconn') ? Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8')) : 0;

describe.skipIf(somaxconn < CONNECTIONS)('many simultaneous connections', () => {
  let org: OktaEmulator;
  let token: string;
  beforeAll(async () => {
    org = await startEmulator();
    token = org.createApiToken().token;
  });
  afterAll(() => org.close());

  it(`answers ${CONNECTIONS} connections opened at once, each with 200 or 429, none reset`, async () => {
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const one = (): Promise<number | string> =>
      new Promise((resolve) => {
        const req = request(`${org.url}/api/v1/users?limit=1`, { agent, headers: { Authorization: `SSWS ${token}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
        req.end();
      });
    const outcomes = await Promise.all(Array.from({ length: CONNECTIONS }, one));
    const counts: Record<string, number> = {};
    for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
    // The users bucket (600 a minute) answers the first 600, then 429 E0000047.
    expect(counts).toEqual({ 200: 600, 429: CONNECTIONS - 600 });
    agent.destroy();
    const after = await fetch(`${org.url}/api/v1/groups`, { headers: { Authorization: `SSWS ${token}` } });
    expect(after.status).toBe(200);
  }, 60_000);
});
