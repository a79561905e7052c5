/**
 * Sustained overload through one shared createMemoryRateLimitCoordinator, against the emulator: four
 * clients of one org call far past a window of 10 a minute, with a retry budget (2 s) far shorter than
 * the window's reset. Each call past the budget used to be declined by the coordinator and sent anyway
 * (Okta decides), and each declined caller kept a place in the queue, so every later wait grew: the
 * coordinator made no difference (a 429 for each call past the 10). Now a declined wait keeps no place,
 * and once Okta's answers said the window is spent (remaining 0), a call whose wait is past its budget
 * fails RATE_LIMITED without being sent. Counts of what reached the org and of its 429s, never time.
 */
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { createOktaFetch } from '../request/okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { createMemoryRateLimitCoordinator } from './memory-coordinator.js';
import { isOktaApiError } from '../errors/api-error.js';

const org = useApiTokenOrg();
const LIMIT = 10;
const CLIENTS = 4;
const WAVES = 10;
const path = '/api/v1/users?limit=1';

describe('four clients sharing createMemoryRateLimitCoordinator under sustained overload', () => {
  it('send at most one 429 per client once the window is spent: the rest fail RATE_LIMITED, nothing sent', async () => {
    const emulator = org.org;
    emulator.setRateLimit('/api/v1/users', LIMIT);
    let tooMany = 0;
    const counting: typeof fetch = async (input, init) => {
      const answer = await globalThis.fetch(input, init);
      if (answer.status === 429) tooMany++;
      return answer;
    };
    const rateLimitCoordinator = createMemoryRateLimitCoordinator({ headroom: 0 });
    const tokens = Array.from({ length: CLIENTS }, () => emulator.createApiToken().token);
    const clients = tokens.map((token) => {
      const credential: OktaCredential = { kind: 'ssws', origin: emulator.url, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) };
      return createOktaFetch({ credential, fetch: counting, rateLimitCoordinator, retry: { limit: 2, maxWaitMs: 2000 } });
    });
    const before = emulator.counters().requests['GET /api/v1/users'] ?? 0;
    const outcomes: unknown[] = [];
    // Waves of one call per client, each wave after the one before: the load goes on after the window is spent.
    for (let wave = 0; wave < WAVES; wave++) outcomes.push(...(await Promise.all(clients.map((okta) => okta(path).then((answer) => answer.status, (error: unknown) => error)))));
    const sent = (emulator.counters().requests['GET /api/v1/users'] ?? 0) - before;
    const ok = outcomes.filter((outcome) => outcome === 200).length;
    const local = outcomes.filter((outcome) => isOktaApiError(outcome) && outcome.code === 'RATE_LIMITED' && outcome.message.includes('nothing was sent'));
    console.log(`${CLIENTS} clients × ${WAVES} calls, limit ${LIMIT}/min: sent ${sent}, 200s ${ok}, 429s from the org ${tooMany}, failed locally ${local.length}`);
    expect(ok).toBe(LIMIT);
    // The org answered 429 at most once per client in flight when its answer said the window was spent.
    expect(tooMany).toBeLessThanOrEqual(CLIENTS);
    expect(sent).toBe(ok + tooMany);
    // Every other call failed here, RATE_LIMITED, saying the budget is spent until the reset and what to raise.
    expect(local.length).toBeGreaterThanOrEqual(CLIENTS * WAVES - LIMIT - CLIENTS);
    expect(outcomes.filter((outcome) => outcome !== 200 && !local.includes(outcome as never)).every((outcome) => isOktaApiError(outcome) && outcome.code === 'RATE_LIMITED')).toBe(true);
    const [first] = local as Error[];
    expect(first?.message).toMatch(/^429 .*\(GET 127\.0\.0\.1:\d+\/api\/v1\/users\): nothing was sent: the org's budget for GET \/api\/v1\/users is spent until its reset in \d+ s; its wait of \d+ ms for the reset is past the \d+ ms left of retry\.maxWaitMs; raise retry\.maxWaitMs$/);
  }, 30_000);
});
