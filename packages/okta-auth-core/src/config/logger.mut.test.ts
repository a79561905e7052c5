/**
 * The logger's two helpers at their edges (mutation testing, twenty-eighth round): `emit` calls the
 * logger once and swallows what it throws; `attemptLog` adds the attempt's method, number and URL
 * (origin and path scrubbed of the attempt's secrets, a query shown as `?…` only, none when there
 * is none), and is `undefined` without a logger.
 */
import { describe, expect, it } from 'vitest';
import { attemptLog, emit, type OktaLogEvent } from './logger.js';

const event: OktaLogEvent = { type: 'rate-limit-coordinator', operation: 'acquire', outcome: 'timeout' };

describe('emit', () => {
  it('hands the event to the logger, once and as given', () => {
    const seen: OktaLogEvent[] = [];
    emit((e) => void seen.push(e), event);
    expect(seen).toEqual([event]);
    expect(seen[0]).toBe(event);
  });

  it('swallows what a broken logger throws, and does nothing without one', () => {
    expect(() =>
      emit(() => {
        throw new Error('broken');
      }, event),
    ).not.toThrow();
    expect(() => emit(undefined, event)).not.toThrow();
  });
});

describe('attemptLog', () => {
  const logged = (url: string, secrets: readonly string[] = []) => {
    const seen: OktaLogEvent[] = [];
    const log = attemptLog((e) => void seen.push(e), { method: 'GET', url: new URL(url) }, 3, () => secrets, 7);
    log?.({ type: 'response', status: 200, requestId: 'req-1' });
    return seen;
  };

  it("adds the call's number and the attempt's method, number and URL to the event", () => {
    expect(logged('https://acme.okta.com/api/v1/users')).toEqual([
      { type: 'response', status: 200, requestId: 'req-1', call: 7, method: 'GET', url: 'https://acme.okta.com/api/v1/users', attempt: 3 },
    ]);
  });

  it('shows a query as ?… only, and an empty one not at all', () => {
    expect(logged('https://acme.okta.com/api/v1/users?search=profile.email+eq+%22a%40b.c%22')[0]).toMatchObject({ url: 'https://acme.okta.com/api/v1/users?…' });
    expect(logged('https://acme.okta.com/api/v1/users?')[0]).toMatchObject({ url: 'https://acme.okta.com/api/v1/users' });
  });

  it("scrubs the attempt's secrets from the path, read when the event is logged", () => {
    const secrets: string[] = [];
    const seen: OktaLogEvent[] = [];
    const log = attemptLog((e) => void seen.push(e), { method: 'POST', url: new URL('https://acme.okta.com/api/v1/tokens/tok-secret-value-1/lifecycle') }, 1, () => secrets, 1);
    secrets.push('tok-secret-value-1');
    log?.({ type: 'request', credential: 'ssws' });
    expect(JSON.stringify(seen)).not.toContain('tok-secret-value-1');
    expect(seen[0]).toMatchObject({ method: 'POST', attempt: 1, url: expect.stringMatching(/^https:\/\/acme\.okta\.com\/api\/v1\/tokens\/.+\/lifecycle$/) });
  });

  it('is undefined without a logger, and survives a broken one', () => {
    expect(attemptLog(undefined, { method: 'GET', url: new URL('https://acme.okta.com/') }, 1, () => [], 1)).toBeUndefined();
    const log = attemptLog(
      () => {
        throw new Error('broken');
      },
      { method: 'GET', url: new URL('https://acme.okta.com/') },
      1,
      () => [],
      1,
    );
    expect(() => log?.({ type: 'request', credential: 'ssws' })).not.toThrow();
  });
});
