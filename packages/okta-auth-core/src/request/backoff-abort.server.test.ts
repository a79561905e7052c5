/**
 * A caller that aborts inside its logger (at a 429's `backoff` event, the wait about to begin: a
 * logger that cancels a batch when Okta limits it, say; or at the `response` event of an answer
 * not handed on) gets what every driver gives: `ABORTED`, nothing sent again; a redirect stays
 * `REDIRECT_BLOCKED`. The fetch driver threw the abort's raw reason: discarding the answer's body,
 * whose read the abort had failed, rejected outside the wait's typing of an abort.
 */
import type { FaultSpec } from '@org/okta-emulator';
import { describe, expect, it } from 'vitest';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { driverNames, observe } from '../test-helpers/observe.js';

const ctx = useApiTokenOrg();
const me = '/api/v1/users/me';

const rows: Record<string, { fault: Omit<FaultSpec, 'path'>; at: string; code: string; events: string[] }> = {
  'a 429, aborted at its backoff event': {
    fault: { kind: 'status', status: 429, headers: { 'X-Rate-Limit-Reset': 'none' } },
    at: 'backoff',
    code: 'ABORTED',
    events: ['request#1', 'response#1:429', 'backoff#1:1000', 'error#1:ABORTED'],
  },
  'a 503 of a GET, aborted at its response event': {
    fault: { kind: 'status', status: 503, headers: { 'X-Rate-Limit-Reset': '' } },
    at: 'response',
    code: 'ABORTED',
    events: ['request#1', 'response#1:503', 'error#1:ABORTED'],
  },
  'a 302, aborted at its response event': {
    fault: { kind: 'status', status: 302, headers: { Location: '/api/v1/users/other' } },
    at: 'response',
    code: 'REDIRECT_BLOCKED',
    events: ['request#1', 'response#1:302', 'error#1:REDIRECT_BLOCKED'],
  },
};

describe.each(Object.keys(rows))("an abort inside the caller's logger: %s", (name) => {
  const { fault, at, code, events } = rows[name]!;
  it.each(driverNames)(`%s: ${code}, nothing sent again`, async (driver) => {
    ctx.org.injectFault({ path: me, count: 1, ...fault });
    const controller = new AbortController();
    const observed = await observe(driver, { path: me, signal: controller.signal }, {
      credential: ctx.ssws(ctx.org.url),
      logger: (event) => {
        if (event.type === at) controller.abort(new Error('the batch was cancelled'));
      },
    });
    expect(observed).toEqual({ outcome: { error: expect.objectContaining({ class: 'OktaAuthError', code }) as unknown }, sent: [[null, null]], events });
  });
});
