import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { ssws } from '../test-helpers/http.js';
import { rawExchange } from '../test-helpers/raw-http.js';
import { SERVER_BOUNDS } from './server.js';

/**
 * A slow client cannot hold the emulator's connections. The bounds are shortened for this file's org
 * (the real ones are seconds), so each test waits for the emulator's answer and close, not for a time.
 * Not below a second: the test's own requests to the org (`stillServing`) meet them too, and a loaded
 * machine pausing the process between a connection's accept and its read would turn one into a 408.
 */
describe('the server bounds a slow client', () => {
  const real = { ...SERVER_BOUNDS };
  // Before the org's hooks: the bounds are read when its server is created, and restored once it is closed.
  beforeAll(() => {
    Object.assign(SERVER_BOUNDS, { headersTimeout: 1000, requestTimeout: 2000, connectionsCheckingInterval: 50 });
  });
  afterAll(() => {
    Object.assign(SERVER_BOUNDS, real);
  });
  const env = useApiTokenOrg();

  const stillServing = async (): Promise<void> => {
    const res = await fetch(`${env.org.url}/api/v1/users`, { headers: ssws(env.token) });
    expect(res.status).toBe(200);
  };

  it('answers 408 and closes a connection that sends nothing, or headers it never finishes', async () => {
    const silent = rawExchange(env.org, () => undefined);
    const slowHeaders = rawExchange(env.org, (send) => send(`GET /api/v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: SSWS ${env.token}\r\n`));
    await stillServing();
    for (const res of await Promise.all([silent, slowHeaders])) {
      expect(res.status).toBe(408);
      expect(res.closed).toBe(true);
    }
    await stillServing();
  });

  it('answers 408 and closes a body trickled byte by byte and never finished', async () => {
    let trickle: NodeJS.Timeout | undefined;
    const res = await rawExchange(env.org, (send) => {
      send('POST /oauth2/v1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\ngrant_type=');
      // A byte every 20 ms: activity does not renew the bound, as an idle timeout would.
      trickle = setInterval(() => send('x'), 20);
    });
    clearInterval(trickle);
    expect(res.status).toBe(408);
    expect(res.closed).toBe(true);
    await stillServing();
  });

  it('still sends an answer the org holds back longer than the bounds (a long poll)', async () => {
    env.org.injectFault({ path: '/api/v1/users', kind: 'latency', latencyMs: 2100, count: 1 });
    const held = await rawExchange(env.org, (send) => send(`GET /api/v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: SSWS ${env.token}\r\n\r\n`));
    expect(held.status).toBe(200);
    expect(held.closed).toBe(false);
  });
});
