/**
 * A long walk cut short, over real HTTP against @org/okta-emulator: the caller's deadline
 * (`AbortSignal.timeout`) firing between pages or during `pollSystemLog`'s wait is `ABORTED` with
 * its reason as `cause`, as it is during a request (before page152 it was `TIMEOUT`, the request's own
 * `timeoutMs`, and the README's outage loop never ended); a page whose body the connection cut is
 * `NETWORK_ERROR` (before: `INVALID_RESPONSE`, which that loop throws), and the walk resumes from the
 * last `next`.
 */
import { SEED_PASSWORD } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { createOktaFetch } from '../request/okta-fetch.js';
import { paginatePages } from './paginate.js';
import { pollSystemLog } from './poll-system-log.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { rejection } from '../test-helpers/outcome.js';

const emulated = useApiTokenOrg();
const okta = () => createOktaFetch({ credential: emulated.ssws(emulated.org.url), timeoutMs: 30_000 });
/**
 * A caller's deadline as `AbortSignal.any([stop, AbortSignal.timeout(ms)])` makes one (the timeout's
 * `TimeoutError` as its reason), whose timeout starts only when `arm` is called: at the point the
 * test means, however slow the machine.
 */
function deadline(): { signal: AbortSignal; arm: () => Promise<unknown> } {
  const controller = new AbortController();
  return {
    signal: controller.signal,
    arm: () => {
      const timeout = AbortSignal.timeout(20);
      timeout.addEventListener('abort', () => controller.abort(timeout.reason), { once: true });
      return new Promise((resolve) => controller.signal.addEventListener('abort', resolve, { once: true }));
    },
  };
}

describe("the caller's deadline", () => {
  it('firing while the caller holds a page is ABORTED with its TimeoutError as cause, no further page asked', async () => {
    for (let i = 0; i < 3; i++) emulated.org.createUser({ login: `deadline${i}@example.com`, password: SEED_PASSWORD });
    const { signal, arm } = deadline();
    const held: unknown[][] = [];
    const error = await rejection(async () => {
      for await (const page of paginatePages(okta(), '/api/v1/users?limit=1', { signal })) {
        held.push(page.items);
        await arm();
      }
    });
    expect([error.code, error.message, (error.cause as Error).name]).toEqual(['ABORTED', 'The operation was aborted by the caller.', 'TimeoutError']);
    expect(held).toHaveLength(1);
    expect(emulated.org.counters().requests['GET /api/v1/users']).toBe(1);
  });

  it("firing during pollSystemLog's wait after an empty page is ABORTED with its TimeoutError as cause", async () => {
    const { signal, arm } = deadline();
    let empty = 0;
    const error = await rejection(async () => {
      for await (const page of pollSystemLog(okta(), '/api/v1/logs', { intervalMs: 60_000, signal })) {
        // Armed as the stream takes the empty page back: it fires during the 60 s wait that follows.
        if (page.items.length === 0 && empty++ === 0) void arm();
      }
    });
    expect([error.code, error.message, (error.cause as Error).name]).toEqual(['ABORTED', 'The operation was aborted by the caller.', 'TimeoutError']);
    expect(empty).toBe(1);
  });
});

describe('a page cut mid-body', () => {
  it('is NETWORK_ERROR, as a reset, and the walk resumes from the last next', async () => {
    for (let i = 0; i < 3; i++) emulated.org.createUser({ login: `cut${i}@example.com`, password: SEED_PASSWORD });
    const seen: string[] = [];
    const saved: { next: string | undefined } = { next: '/api/v1/users?limit=1' };
    const error = await rejection(async () => {
      for await (const page of paginatePages<{ id: string }>(okta(), saved.next ?? '')) {
        seen.push(...page.items.map((user) => user.id));
        saved.next = page.next;
        if (seen.length === 1) emulated.org.injectFault({ path: '/api/v1/users', kind: 'truncate', count: 1 });
      }
    });
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toMatch(/^GET 127\.0\.0\.1:\d+\/api\/v1\/users: the connection closed before the whole answer was read\.$/);
    for await (const page of paginatePages<{ id: string }>(okta(), saved.next ?? '')) seen.push(...page.items.map((user) => user.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
  });
});
