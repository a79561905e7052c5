/**
 * `retry.maxWaitMs` is "the most the client waits in total across the retries of one request"
 * (`RetryOptions`). A rate-limit coordinator's waits were not counted in that total: each attempt's
 * wait before it was asked with a fresh `retry.maxWaitMs`, and one before a 429's retry with a fresh
 * one too, past the 429's own wait (which alone was counted). So one call with `retry.maxWaitMs:
 * 1000` waited 2,700 ms on its coordinator across three attempts (docs/security-history.md,
 * coordbound140). Each wait is now bounded by what the call has left (`waitLeft`, the 429's own
 * rule) and counted (`countWait`), in every driver; against a scripted server on 127.0.0.1.
 */
import { json } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';
import { coordinateRateLimits, type CoordinatedRateLimits } from './rate-limit-coordinator.js';

/** Answers the first `failures` requests with `status` (a 429 without rate-limit headers: a wait of 1 s, then 2 s), then `200 []`. */
let failures = 0;
let status = 429;
const okta = useScriptedServer((_req, res) => (okta.requests.length <= failures ? json(res, status, { errorCode: status === 429 ? 'E0000047' : 'E0000009' }) : json(res, 200, [])));

/** A coordinator whose `reserve` answers `asks` in turn (then 0, send now), counting its calls. */
function scripted(asks: number[]): CoordinatedRateLimits & { reserves: () => number } {
  let reserves = 0;
  const coordinator = coordinateRateLimits({ reserve: () => asks[reserves++] ?? 0, observe: () => undefined });
  return Object.assign(coordinator, { reserves: () => reserves });
}

/** What a call failed with, or `answered`. */
const outcome = (call: Promise<unknown>): Promise<string> => call.then(
  () => 'answered',
  (error: unknown) => `${String((error as { code?: unknown }).code)}: ${String((error as { message?: unknown }).message)}`,
);

describe.each(Object.keys(drivers))('a coordinator\'s waits count toward retry.maxWaitMs, through %s', (name) => {
  it("a 429 after the coordinator's wait before the attempt gets only what the call has left", async () => {
    failures = 1;
    status = 429;
    // 600 ms waited before the first attempt: of 1500, 900 left, and the 429 asks 1000 (no reset given).
    const coordinator = scripted([600]);
    const client = drivers[name]!({ credential: countingCredential(okta.origin), rateLimitCoordinator: coordinator, retry: { limit: 2, maxWaitMs: 1500 } });
    expect(await outcome(client.getJson('/api/v1/users'))).toMatch(/^RATE_LIMITED: .*its wait of 1000 ms for the reset is past the 900 ms left of retry\.maxWaitMs; raise retry\.maxWaitMs$/);
    expect(okta.requests).toHaveLength(1);
  });

  it("the coordinator's wait before a 429's retry, past the 429's own, counts too", async () => {
    failures = 2;
    status = 429;
    // Before the first attempt: send now. After its 429 (1000 ms asked, counted): the coordinator takes 1200 ms,
    // 200 past the 429's own. The second 429 asks 2000 ms: 300 left of 1500, not 500.
    const coordinator = scripted([0, 1200]);
    const client = drivers[name]!({ credential: countingCredential(okta.origin), rateLimitCoordinator: coordinator, retry: { limit: 2, maxWaitMs: 1500 } });
    expect(await outcome(client.getJson('/api/v1/users'))).toMatch(/its wait of 2000 ms for the reset is past the 300 ms left of retry\.maxWaitMs; raise retry\.maxWaitMs$/);
    expect(okta.requests).toHaveLength(2);
  });
});

type Send = (credential: OktaCredential, rateLimitCoordinator: CoordinatedRateLimits) => Promise<unknown>;

/** Every driver, each retrying a GET's 503 twice (ky's own retry, on your own instance with the hooks). */
const senders: [string, Send][] = [
  ['createOktaFetch', (credential, rateLimitCoordinator) => createOktaFetch({ credential, rateLimitCoordinator, retry: { maxWaitMs: 2900 } })('/api/v1/users')],
  ['createOktaKy', (credential, rateLimitCoordinator) => createOktaKy({ credential, rateLimitCoordinator, retry: { maxWaitMs: 2900 } }).get('api/v1/users').json()],
  [
    'oktaKyHooks on your own instance',
    (credential, rateLimitCoordinator) => ky.create({ baseUrl: `${credential.origin}/`, hooks: oktaKyHooks({ credential, rateLimitCoordinator, retry: { maxWaitMs: 2900 } }) }).get('api/v1/users').json(),
  ],
];

describe("a coordinator's waits before each attempt of one call", () => {
  it.each(senders)('%s: take at most retry.maxWaitMs in all, not a fresh one per attempt', async (_name, send) => {
    failures = 2;
    status = 503;
    // Every reserve asks 1000 ms. The first attempt takes two (2000 ms of 2900) and declines the third; the backoffs
    // before the two 503 retries (300 and 600 ms) count too (waitsum142: 600 then 0 left; on your own instance ky's
    // are not counted), so each later attempt's ask is past what is left, declined at once: 3 + 1 + 1 reserves.
    // A fresh 2900 ms each: 4 + 4 + 4.
    const coordinator = scripted(Array.from({ length: 20 }, () => 1000));
    expect(await outcome(send(countingCredential(okta.origin), coordinator))).toBe('answered');
    expect(okta.requests).toHaveLength(3);
    expect(coordinator.reserves()).toBe(5);
  });
});
