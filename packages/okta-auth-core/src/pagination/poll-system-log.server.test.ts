/**
 * Okta's System Log over real HTTP: `paginate` ends at an empty page (a polling request links a
 * `next` page from every page), and `pollSystemLog` follows the stream, waiting after an empty page
 * and resuming from a saved `next` link. Against @org/okta-emulator, whose `/api/v1/logs` follows
 * Okta's docs; what no Okta sends is `poll-system-log-hostile.server.test.ts`'s.
 */
import { json, startScriptedServer } from '@org/okta-test-utils';
import { SEED_PASSWORD } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { createOktaFetch } from '../request/okta-fetch.js';
import { paginate, paginatePages } from './paginate.js';
import { pollSystemLog, type SystemLogEvent } from './poll-system-log.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { rejection } from '../test-helpers/outcome.js';

const emulated = useApiTokenOrg();
const okta = () => createOktaFetch({ credential: emulated.ssws(emulated.org.url) });
const since = () => new Date(Date.now() - 60_000).toISOString();
/** A user created through the Users API, which records `user.lifecycle.create` (setup methods record nothing). */
async function created(login: string): Promise<void> {
  const body = JSON.stringify({ profile: { login, email: login, firstName: 'Log', lastName: 'Test' }, credentials: { password: { value: SEED_PASSWORD } } });
  await okta()('/api/v1/users?activate=false', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}
const lifecycleFilter = encodeURIComponent('eventType eq "user.lifecycle.create"');

describe('paginate on a polling request', () => {
  it('ends at the empty page instead of following its next link for ever', async () => {
    for (const login of ['a@example.com', 'b@example.com', 'c@example.com']) await created(login);
    const seen: SystemLogEvent[] = [];
    const pages: (string | undefined)[] = [];
    for await (const page of paginatePages<SystemLogEvent>(okta(), `/api/v1/logs?since=${since()}&limit=2&filter=${lifecycleFilter}`)) {
      seen.push(...page.items);
      pages.push(page.next);
    }
    expect(seen.map((event) => event.eventType)).toEqual(['user.lifecycle.create', 'user.lifecycle.create', 'user.lifecycle.create']);
    // Two pages of events, then the empty page: every one links a next page, and the walk ends anyway.
    expect(pages).toHaveLength(3);
    expect(pages.every((next) => next?.startsWith(`${emulated.org.url}/api/v1/logs?`))).toBe(true);
    let items = 0;
    for await (const event of paginate(okta(), `/api/v1/logs?since=${since()}&filter=${lifecycleFilter}`)) items += event === undefined ? 0 : 1;
    expect(items).toBe(3);
  });

  it('a bounded request (since and until) ends with its last page, which links none', async () => {
    await created('a@example.com');
    const until = new Date(Date.now() + 60_000).toISOString();
    const pages = [];
    for await (const page of paginatePages(okta(), `/api/v1/logs?since=${since()}&until=${until}&filter=${lifecycleFilter}`)) pages.push(page);
    expect(pages.map((page) => [page.items.length, page.next])).toEqual([[1, undefined]]);
  });
});

describe('pollSystemLog', () => {
  it('yields the events, waits after an empty page, then reads what was recorded since', async () => {
    await created('first@example.com');
    const logins: string[] = [];
    let empty = 0;
    for await (const page of pollSystemLog(okta(), `/api/v1/logs?since=${since()}&filter=${lifecycleFilter}`, { intervalMs: 1000 })) {
      if (page.items.length === 0) {
        empty += 1;
        // Caught up: a user created now is on a page after the wait.
        if (empty === 1) await created('second@example.com');
        else break;
      }
      for (const event of page.items) logins.push(String(event.target?.[0]?.alternateId));
    }
    expect(logins).toEqual(['first@example.com', 'second@example.com']);
  });

  it('resumes from a saved next link: nothing read twice, nothing skipped', async () => {
    await created('before@example.com');
    let saved: string | undefined;
    for await (const page of pollSystemLog(okta(), `/api/v1/logs?since=${since()}&filter=${lifecycleFilter}`)) {
      saved = page.next;
      if (page.items.length === 0) break;
    }
    await created('after@example.com');
    const resumed: string[] = [];
    for await (const page of pollSystemLog(okta(), saved)) {
      if (page.items.length === 0) break;
      resumed.push(...page.items.map((event) => String(event.target?.[0]?.alternateId)));
    }
    expect(resumed).toEqual(['after@example.com']);
  });

  it('stops with ABORTED when the signal fires during the wait, without another request', async () => {
    const stop = new AbortController();
    const logs = () => emulated.org.counters().requests['GET /api/v1/logs'] ?? 0;
    const error = await rejection(async () => {
      for await (const page of pollSystemLog(okta(), `/api/v1/logs?since=${since()}&filter=${lifecycleFilter}`, { intervalMs: 86_400_000, signal: stop.signal })) {
        if (page.items.length === 0) stop.abort();
      }
    });
    expect(error.code).toBe('ABORTED');
    expect(logs()).toBe(1);
  });

  it.each([[0], [999], [86_400_001], [Number.NaN], [Infinity], ['60000']])('intervalMs %s is INVALID_CONFIG before any request', async (intervalMs) => {
    const error = await rejection(async () => {
      for await (const page of pollSystemLog(okta(), '/api/v1/logs', { intervalMs: intervalMs as number })) expect(page).toBeUndefined();
    });
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.message).toBe('The intervalMs option must be a number of milliseconds from 1000 to 86400000 (1 s to 24 h).');
  });
});

describe('paginate elsewhere', () => {
  it('follows an empty page that links a next one (a filtered list may have more after it)', async () => {
    const other = await startScriptedServer((request, res) => {
      if (request.path.includes('after=2')) json(res, 200, [{ id: 'last' }]);
      else json(res, 200, [], { link: `<${other.url}/api/v1/apps?after=2>; rel="next"` });
    });
    try {
      const ids: unknown[] = [];
      for await (const app of paginate<{ id: string }>(createOktaFetch({ credential: emulated.ssws(other.url) }), '/api/v1/apps')) ids.push(app.id);
      expect(ids).toEqual(['last']);
    } finally {
      await other.close();
    }
  });
});
