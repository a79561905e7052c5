/**
 * A busy site over a shared Redis: more sign-ins of other users in flight than a client lists (20) must not
 * take a user's transaction out of the store while the user is at Okta. Two processes finishing that user's
 * callback at once (a load balancer's retry) still exchange the code once: the one that takes the transaction
 * signs in, the other is STATE_MISMATCH (ru154, busy). @org/okta-emulator, a real redis-server, two processes.
 */
import { createHash } from 'node:crypto';
import { fillSignInForm } from '@org/okta-test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RedisServer } from './fleet/redis-server.mjs';
import { password, startProcess, startWebFleet, stopWebFleet, type WebFleet } from './web-processes.js';

let fleet: WebFleet;
let redis: RedisServer;

beforeAll(async () => {
  ({ fleet, redis } = await startWebFleet());
});
afterAll(() => stopWebFleet({ fleet, redis }));

it("25 other users' sign-ins leave a user's transaction in Redis, and two processes finishing its callback exchange the code once", async () => {
  const [a, b] = await Promise.all([startProcess(fleet, redis.url), startProcess(fleet, redis.url)]);
  const ada = await a.client.startSignIn(); // kept in Ada's session
  for (let i = 0; i < 25; i++) await (i % 2 === 0 ? a : b).client.startSignIn(); // other users of the site
  const id = createHash('sha256').update(ada.transaction.state).digest('base64url');
  expect(await a.storage.get(`okta-oauth:${fleet.app.clientId}:transaction:${id}`)).toBeTypeOf('string');
  const callback = await fillSignInForm(ada.url, 'ada@example.com', password);
  fleet.org.resetCounters();
  const outcomes = await Promise.allSettled([a.client.finishSignIn(callback, ada.transaction), b.client.finishSignIn(callback, ada.transaction)]);
  expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
  expect(outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [(outcome.reason as { code?: string }).code] : []))).toEqual(['STATE_MISMATCH']);
  expect(fleet.org.counters().tokenRequests.authorization_code).toEqual({ success: 1 });
});
