/**
 * A `signal` that is no AbortSignal, from a JavaScript caller (an options object mixed up, a
 * polyfill's half of one): every driver and walk refuses it with `INVALID_CONFIG` naming the
 * option, before anything is sent. The fetch driver and the walks threw the runtime's `TypeError`
 * (`AbortSignal.any`'s), and `pollSystemLog`, given an object with `aborted` alone, threw one from
 * its wait after an empty page and left a timer whose callback threw again, uncaught, later.
 */
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { createOktaFetch } from './okta-fetch.js';
import { paginate, paginatePages } from '../pagination/paginate.js';
import { pollSystemLog } from '../pagination/poll-system-log.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { rejected } from '../test-helpers/outcome.js';

const ctx = useApiTokenOrg();

/** What a JavaScript caller may pass as `signal` that is no AbortSignal. */
const noSignals: [string, unknown][] = [
  ['a plain object', {}],
  ['a string', 'abort'],
  ['a number', 5],
  ['an object with aborted alone', { aborted: false }],
  ['an AbortController', new AbortController()],
];

const refusal = 'The signal option must be an AbortSignal, such as an AbortController\'s signal or AbortSignal.timeout(ms).';

/** How a run ended: the error it rejected with, as code and message, or 'done'. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  const error = await rejected(run);
  return error === undefined ? 'done' : isOktaAuthError(error) ? [error.code, error.message] : error;
}

describe("a call's signal that is no AbortSignal", () => {
  it('createOktaFetch refuses it with INVALID_CONFIG naming the option, nothing sent', async () => {
    const okta = createOktaFetch({ credential: ctx.ssws(ctx.org.url) });
    for (const [label, signal] of noSignals) {
      expect(await outcome(() => okta('/api/v1/users', { signal: signal as AbortSignal })), label).toEqual(['INVALID_CONFIG', refusal]);
      expect(await outcome(() => okta(new Request(`${ctx.org.url}/api/v1/users`), { signal: signal as AbortSignal })), `${label}, with a Request`).toEqual(['INVALID_CONFIG', refusal]);
    }
    expect(ctx.org.counters().requests).toEqual({});
  });

  it('a createOktaKy instance refuses it with the same words, nothing sent', async () => {
    const api = createOktaKy({ credential: ctx.ssws(ctx.org.url) });
    for (const [label, signal] of noSignals) {
      expect(await outcome(() => api.get('api/v1/users', { signal: signal as AbortSignal })), label).toEqual(['INVALID_CONFIG', refusal]);
    }
    expect(ctx.org.counters().requests).toEqual({});
  });

  it('paginate, paginatePages and pollSystemLog refuse it with INVALID_CONFIG naming the option, nothing sent', async () => {
    const okta = createOktaFetch({ credential: ctx.ssws(ctx.org.url) });
    const walks = {
      paginate: (signal: unknown) => paginate(okta, '/api/v1/users', { signal: signal as AbortSignal }),
      paginatePages: (signal: unknown) => paginatePages(okta, '/api/v1/users', { signal: signal as AbortSignal }),
      pollSystemLog: (signal: unknown) => pollSystemLog(okta, '/api/v1/logs', { signal: signal as AbortSignal, intervalMs: 1000 }),
    };
    for (const [label, signal] of noSignals) {
      for (const [by, walk] of Object.entries(walks)) {
        expect(await outcome(async () => {
          for await (const page of walk(signal)) expect(page).toBeUndefined();
        }), `${by}: ${label}`).toEqual(['INVALID_CONFIG', refusal]);
      }
    }
    expect(ctx.org.counters().requests).toEqual({});
  });

  it('none (undefined or null) and an AbortSignal still go', async () => {
    const okta = createOktaFetch({ credential: ctx.ssws(ctx.org.url) });
    for (const signal of [undefined, null, new AbortController().signal, AbortSignal.timeout(60_000)]) {
      expect((await okta('/api/v1/users', signal === undefined ? {} : { signal })).status).toBe(200);
      for await (const user of paginate(okta, '/api/v1/users', { signal: signal as unknown as AbortSignal })) expect(user).toBeDefined();
      for await (const page of pollSystemLog(okta, '/api/v1/logs', { signal: signal as unknown as AbortSignal })) {
        expect(Array.isArray(page.items)).toBe(true);
        break;
      }
    }
    expect(ctx.org.counters().requests).toEqual({ 'GET /api/v1/users': 8, 'GET /api/v1/logs': 4 });
  });
});
