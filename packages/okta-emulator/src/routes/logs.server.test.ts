/**
 * `GET /api/v1/logs` as Okta's System Log reference describes it (okta/okta-developer-docs,
 * docs/reference/api/system-log/index.md): polling and bounded requests, filters, keywords, errors.
 */
import { describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { parseLinks, ssws } from '../test-helpers/http.js';
import { serviceToken } from '../test-helpers/oauth.js';

const DAY = 24 * 3600 * 1000;

describe('GET /api/v1/logs', () => {
  const env = useApiTokenOrg();

  const get = async (pathOrUrl: string, headers = ssws(env.token)) => {
    const res = await fetch(pathOrUrl.startsWith('http') ? pathOrUrl : `${env.org.url}${pathOrUrl}`, { headers });
    const body = await res.json();
    return { res, body, links: parseLinks(res.headers.get('link')) };
  };
  const logs = (params: Record<string, string>) => get(`/api/v1/logs?${new URLSearchParams(params).toString()}`);
  const types = (body: { eventType: string }[]) => body.map((e) => e.eventType);
  const iso = (ms: number) => new Date(ms).toISOString();

  it('polling: every page links next, an empty one too, and following it later returns what came since', async () => {
    const first = await get('/api/v1/logs');
    expect(first.res.status).toBe(200);
    expect(first.links.self).toBe(`${env.org.url}/api/v1/logs`);
    expect(types(first.body)).toContain('system.api_token.create');
    const empty = await get(first.links.next!);
    expect(empty.body).toEqual([]);
    expect(empty.links.next).toBeDefined();
    expect(empty.links.self).toBe(first.links.next);
    // Following the empty page's next link again before anything happens: still empty, same cursor.
    expect((await get(empty.links.next!)).body).toEqual([]);
    const { uuid } = env.org.recordLogEvent({ eventType: 'user.session.start', displayMessage: 'User login to Okta' });
    const later = await get(empty.links.next!);
    expect(later.body.map((e: { uuid: string }) => e.uuid)).toEqual([uuid]);
    expect(later.body[0]).toMatchObject({ version: '0', severity: 'INFO', eventType: 'user.session.start', outcome: { result: 'SUCCESS' }, published: expect.any(String) });
    const after = await get(later.links.next!);
    expect(after.body).toEqual([]);
    expect(after.links.next).toBeDefined();
  });

  it('polling: limit pages in persistence order; the next link carries after, not since', async () => {
    const uuids = [1, 2, 3, 4, 5].map((n) => env.org.recordLogEvent({ eventType: 'test.polling.page', displayMessage: `n${n}` }).uuid);
    const seen: string[] = [];
    let page = await logs({ filter: 'eventType eq "test.polling.page"', limit: '2', since: iso(Date.now() - DAY) });
    const sizes: number[] = [];
    for (let i = 0; i < 5 && page.body.length > 0; i++) {
      sizes.push(page.body.length);
      seen.push(...page.body.map((e: { uuid: string }) => e.uuid));
      const next = new URL(page.links.next!);
      expect(next.searchParams.get('since')).toBeNull();
      expect(next.searchParams.get('limit')).toBe('2');
      page = await get(page.links.next!);
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(uuids);
    expect(page.links.next).toBeDefined();
  });

  it('polling: since is a lower bound the next links keep: an event persisted before a since in the future never comes', async () => {
    const since = Date.now() + 3600_000;
    const filter = 'eventType eq "test.polling.since"';
    const first = await logs({ filter, since: iso(since) });
    expect(first.body).toEqual([]);
    env.org.recordLogEvent({ eventType: 'test.polling.since', displayMessage: 'before since' });
    const early = await get(first.links.next!);
    expect(early.body).toEqual([]);
    env.org.setClockOffset(7200);
    try {
      const { uuid } = env.org.recordLogEvent({ eventType: 'test.polling.since', displayMessage: 'after since' });
      const later = await get(early.links.next!);
      expect(later.body.map((e: { uuid: string }) => e.uuid)).toEqual([uuid]);
      // The cursor past that event keeps the bound too.
      expect((await get(later.links.next!)).body).toEqual([]);
    } finally {
      env.org.setClockOffset(0);
    }
  });

  it('polling: limit=0 answers an empty page whose next link skips none of the events due', async () => {
    const uuids = [1, 2].map((n) => env.org.recordLogEvent({ eventType: 'test.polling.zero', displayMessage: `z${n}` }).uuid);
    const filter = 'eventType eq "test.polling.zero"';
    const empty = await logs({ filter, limit: '0', since: iso(Date.now() - DAY) });
    expect(empty.body).toEqual([]);
    const next = new URL(empty.links.next!);
    next.searchParams.set('limit', '10');
    expect((await get(next.href)).body.map((e: { uuid: string }) => e.uuid)).toEqual(uuids);
  });

  it('bounded: since and until, in published order, the last page without next; DESCENDING reverses', async () => {
    const now = Date.now();
    const at = (d: number) => iso(now - d * DAY);
    env.org.recordLogEvent({ eventType: 'test.bounded', published: at(3), displayMessage: 'three' });
    env.org.recordLogEvent({ eventType: 'test.bounded', published: at(5), displayMessage: 'five' });
    env.org.recordLogEvent({ eventType: 'test.bounded', published: at(4), displayMessage: 'four' });
    const params = { since: at(6), until: at(2), filter: 'eventType eq "test.bounded"', limit: '2' };
    const p1 = await logs(params);
    expect(p1.body.map((e: { displayMessage: string }) => e.displayMessage)).toEqual(['five', 'four']);
    const p2 = await get(p1.links.next!);
    expect(p2.body.map((e: { displayMessage: string }) => e.displayMessage)).toEqual(['three']);
    expect(p2.links.self).toBeDefined();
    expect(p2.links.next).toBeUndefined();
    const down = await logs({ ...params, sortOrder: 'DESCENDING', limit: '10' });
    expect(down.body.map((e: { displayMessage: string }) => e.displayMessage)).toEqual(['three', 'four', 'five']);
    expect(down.links.next).toBeUndefined();
    // until is exclusive, since inclusive; outside the bounds nothing is returned.
    expect((await logs({ since: at(4), until: at(3), filter: 'eventType eq "test.bounded"' })).body.map((e: { displayMessage: string }) => e.displayMessage)).toEqual(['four']);
  });

  it('filter: eq, sw, actor.id, target.id, outcome.result joined by and / or', async () => {
    const actor = { id: '00uFILTERACTOR000001', type: 'User', alternateId: 'ada@example.com' };
    const target = [{ id: '00uFILTERTARGET00001', type: 'User' }, { id: '00gFILTERGROUP000001', type: 'UserGroup' }];
    env.org.recordLogEvent({ eventType: 'test.filter.one', actor, target, outcome: { result: 'FAILURE', reason: 'INVALID_CREDENTIALS' } });
    env.org.recordLogEvent({ eventType: 'test.filter.two', actor, outcome: { result: 'SUCCESS' } });
    const f = async (filter: string) => types((await logs({ filter, since: iso(Date.now() - DAY) })).body);
    expect(await f('eventType sw "test.filter."')).toEqual(['test.filter.one', 'test.filter.two']);
    expect(await f(`actor.id eq "${actor.id}" and outcome.result eq "FAILURE"`)).toEqual(['test.filter.one']);
    expect(await f('target.id eq "00gFILTERGROUP000001"')).toEqual(['test.filter.one']);
    expect(await f('eventType eq "test.filter.two" or target.id eq "00uFILTERTARGET00001"')).toEqual(['test.filter.one', 'test.filter.two']);
    expect(await f('eventType sw "test.filter." and outcome.reason pr')).toEqual(['test.filter.one']);
    // As Okta's ISV System Log reference writes them: in parentheses, the logical operator in capitals.
    expect(await f('(eventType eq "test.filter.one" AND outcome.result eq "FAILURE")')).toEqual(['test.filter.one']);
  });

  it('q: every keyword must match a value exactly, case-insensitive, hyphenated parts too', async () => {
    env.org.recordLogEvent({ eventType: 'test.keywords', displayMessage: 'Jane Doe signed in', target: [{ id: 'XOxBw-2JIRnCFd0gG0GjHAAABjY', type: 'Token' }] });
    const q = async (words: string) => types((await logs({ q: words, since: iso(Date.now() - DAY) })).body);
    expect(await q('jane DOE')).toEqual(['test.keywords']);
    expect(await q('2JIRnCFd0gG0GjHAAABjY')).toEqual(['test.keywords']);
    expect(await q('XOxBw-2JIRnCFd0gG0GjHAAABjY')).toEqual(['test.keywords']);
    expect(await q('Jan')).toEqual([]);
  });

  it("answers the reference's errors for bad dates, an old since, bad filters and long keywords", async () => {
    const bad = await logs({ until: '2017-13-45' });
    expect(bad.res.status).toBe(400);
    expect(bad.body).toMatchObject({
      errorCode: 'E0000001',
      errorSummary: "Api validation failed: 'until': The date format in your query is not recognized. Please enter dates using ISO8601 string format.. 'until': must be a valid date-time or empty.",
      errorCauses: [
        { errorSummary: 'until: The date format in your query is not recognized. Please enter dates using ISO8601 string format.' },
        { errorSummary: 'until: must be a valid date-time or empty.' },
      ],
    });
    const old = await logs({ since: iso(Date.now() - 181 * DAY) });
    expect(old.res.status).toBe(400);
    expect(old.body).toMatchObject({ errorCode: 'E0000053', errorSummary: 'Invalid parameter: The since parameter is over 180 days prior to the current day.' });
    const op = await logs({ filter: 'display_message eqq "Create okta user"' });
    expect(op.body).toMatchObject({ errorCode: 'E0000053', errorSummary: `Invalid filter 'display_message eqq "Create okta user"': Unrecognized attribute operator 'eqq' at position 16. Expected: eq,co,sw,pr,gt,ge,lt,le` });
    expect((await logs({ filter: 'some_invalid_field eq "x"' })).body).toMatchObject({ errorCode: 'E0000053', errorSummary: 'field is not valid: some_invalid_field' });
    const co = await logs({ filter: 'debugContext.debugData.url co "/oauth/"' });
    expect(co.res.status).toBe(400);
    expect(co.body).toMatchObject({ errorCode: 'E0000031', errorSummary: 'The supplied combination of operator and field is not currently supported. Operator: co, Field: debugContext.debugData.url' });
    const long = await logs({ q: 'a'.repeat(41) });
    expect(long.res.status).toBe(400);
    expect(long.body).toMatchObject({ errorCode: 'E0000001', errorSummary: "Api validation failed: 'q': Freeform search cannot contain items longer than 40 characters. Please shorten the items in your search or use an advanced filter to query by specific fields." });
    expect((await logs({ q: 'a'.repeat(40) })).res.status).toBe(200);
    expect((await logs({ since: iso(Date.now() - DAY), after: '1_1' })).res.status).toBe(400);
  });

  it('keeps no event older than 90 days (retention), though the query may reach further back', async () => {
    env.org.recordLogEvent({ eventType: 'test.retention', published: iso(Date.now() - 91 * DAY), displayMessage: 'gone' });
    env.org.recordLogEvent({ eventType: 'test.retention', published: iso(Date.now() - 89 * DAY), displayMessage: 'kept' });
    const res = await logs({ since: iso(Date.now() - 120 * DAY), until: iso(Date.now()), filter: 'eventType eq "test.retention"' });
    expect(res.res.status).toBe(200);
    expect(res.body.map((e: { displayMessage: string }) => e.displayMessage)).toEqual(['kept']);
  });

  it('needs okta.logs.read from an OAuth token: 403 insufficient_scope without it; 120 a minute', async () => {
    const users = env.org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    const without = (await serviceToken(env.org, users, 'okta.users.read')).access_token;
    const refused = await get('/api/v1/logs', { Authorization: `Bearer ${without}` });
    expect(refused.res.status).toBe(403);
    expect(refused.body.errorCode).toBe('E0000006');
    expect(refused.res.headers.get('www-authenticate')).toMatch(/^Bearer .*scope="okta\.logs\.read", error="insufficient_scope"/);
    const reader = env.org.createServiceApp({ scopes: ['okta.logs.read'], requireDpop: false });
    const ok = await get('/api/v1/logs', { Authorization: `Bearer ${(await serviceToken(env.org, reader, 'okta.logs.read')).access_token}` });
    expect(ok.res.status).toBe(200);
    expect(ok.res.headers.get('x-rate-limit-limit')).toBe('120');
    expect((await get('/api/v1/logs', {})).res.status).toBe(403);
  });
});
