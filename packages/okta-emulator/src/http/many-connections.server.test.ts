/**
 * Many clients at once: every connection is answered over HTTP (200, or Okta's 429 once the bucket is
 * spent), none reset before the org sees it, and the org serves the next request after.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../index.js';

// The kernel caps the listen backlog at net.core.somaxconn (4096 on Linux since 5.4, 128 before):
// more connections at once than that are the kernel's to reset, not the org's. The test always runs,
// with as many connections as the kernel lets a backlog hold, up to 3,000.
const somaxconn = existsSync('/proc/sys/net/core/somaxconn') ? Number(readFileSync('/proc/sys/net/core/somaxconn', 'utf8')) : 128;
const CONNECTIONS = Math.min(3000, somaxconn);

describe('many simultaneous connections', () => {
  it(`answers ${CONNECTIONS} connections opened at once, each with 200 or 429, none reset`, async () => {
    const org = await startEmulator();
    try {
      const { counts, after } = await answersEach(org.url, org.createApiToken().token);
      // The users bucket (600 a minute) answers the first 600, then 429 E0000047; the org serves the next request.
      expect(counts).toEqual(CONNECTIONS > 600 ? { 200: 600, 429: CONNECTIONS - 600 } : { 200: CONNECTIONS });
      expect(after).toBe(200);
    } finally {
      await org.close();
    }
  }, 60_000);
});

/** Each connection's status (or the client's error code), and the status of a request to another bucket after. */
async function answersEach(url: string, token: string): Promise<{ counts: Record<string, number>; after: number }> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const one = (): Promise<number | string> =>
    new Promise((resolve) => {
      const req = request(`${url}/api/v1/users?limit=1`, { agent, headers: { Authorization: `SSWS ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.end();
    });
  const outcomes = await Promise.all(Array.from({ length: CONNECTIONS }, one));
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  agent.destroy();
  const after = await fetch(`${url}/api/v1/groups`, { headers: { Authorization: `SSWS ${token}` } });
  return { counts, after: after.status };
}
