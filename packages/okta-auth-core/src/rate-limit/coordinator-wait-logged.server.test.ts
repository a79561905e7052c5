/**
 * A rate-limit coordinator's wait is in the log: before each wait it asks and the client takes, the
 * attempt's log gets a `backoff` event (the event a 429's own wait has) with the wait in ms, the
 * `bucket` waited on and the call's number, in every driver. Before (events140), a coordinator holding
 * a call for 40 s left nothing in the log: `request` came after the wait, and no event said why.
 *
 * The scripted server on 127.0.0.1 answers what each case needs; the coordinator asks a short wait
 * (its length is the event's, not waited for by the test), so nothing here reads the wall clock.
 */
import { json } from '@org/okta-test-utils';
import { describe } from 'vitest';
import type { OktaLogEvent } from '../config/logger.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { scriptedServerIt } from '../test-helpers/scripted-server.js';
import { coordinateRateLimits } from './rate-limit-coordinator.js';

/** A coordinator answering each `reserve` with the next of `waits` (then 0), and taking every answer. */
function asking(...waits: number[]) {
  return coordinateRateLimits({ reserve: () => waits.shift() ?? 0, observe: () => undefined });
}

/** What the log shows of a call's waits and attempts, in order. */
const shown = (events: OktaLogEvent[]) => events.filter((event) => event.type !== 'response').map((event) => ({ ...event }));

const ok = scriptedServerIt((_req, res) => json(res, 200, []));
describe.concurrent.each(Object.entries(drivers))('%s', (_name, driver) => {
  ok('a wait the coordinator asks before the attempt is a backoff event with its bucket and the call, before the request', async ({ okta, expect }) => {
    const events: OktaLogEvent[] = [];
    const credential = countingCredential(okta.origin);
    const api = driver({ credential, logger: (event) => events.push(event), rateLimitCoordinator: asking(25) });
    await api.getJson('/api/v1/users/00u1/groups');
    const url = `${okta.origin}/api/v1/users/00u1/groups`;
    const call = (events[0] as { call: number }).call;
    expect(shown(events)).toEqual([
      { type: 'backoff', method: 'GET', url, attempt: 1, call, waitMs: 25, requestId: undefined, bucket: 'GET /api/v1/users/{id}/groups' },
      { type: 'request', method: 'GET', url, attempt: 1, call, credential: 'test' },
    ]);
    expect(JSON.stringify(events)).not.toContain('secret-token-value');
  });

  ok('a wait the coordinator asks after a 429 follows the 429’s backoff event, with its bucket', async ({ okta, expect }) => {
    okta.handle((_req, res) => {
      if (okta.requests.length > 1) return json(res, 200, []);
      json(res, 429, { errorCode: 'E0000047' }, { 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 1) });
    });
    const events: OktaLogEvent[] = [];
    // Nothing before the first attempt; 15 ms before the 429's retry; nothing after.
    const api = driver({ credential: countingCredential(okta.origin), logger: (event) => events.push(event), rateLimitCoordinator: asking(0, 15) });
    await api.getJson('/api/v1/users');
    const url = `${okta.origin}/api/v1/users`;
    const call = (events[0] as { call: number }).call;
    const backoffs = shown(events).filter((event) => event.type === 'backoff');
    expect(backoffs).toEqual([
      { type: 'backoff', method: 'GET', url, attempt: 1, call, waitMs: expect.any(Number), requestId: backoffs[0]?.requestId },
      { type: 'backoff', method: 'GET', url, attempt: 1, call, waitMs: 15, requestId: undefined, bucket: 'GET /api/v1/users' },
    ]);
    expect(backoffs[0]).not.toHaveProperty('bucket');
    expect(shown(events).map((event) => event.type)).toEqual(['request', 'backoff', 'backoff', 'retry', 'request']);
  });
});
