/**
 * A credential's `explain` is user code: what it returns or throws never crashes, replaces or
 * stretches the `OktaApiError` of a real 401. A hint that is no string, or an `explain` that throws,
 * is dropped (the API error keeps its status, request id and message, and no `cause` of the
 * explain's making); a string hint is cleaned as every echoed text is (`printable`: scrubbed,
 * control characters and line breaks flattened, cut to 1,000 characters). An `async` explain
 * that rejects is dropped too, its rejection handled: it left an unhandled rejection, on which
 * Node.js ends the process (rev167c H2).
 */
import { useUnhandledRejections } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { isOktaApiError, OktaApiError } from './api-error.js';

const org = useApiTokenOrg();
const wrong = 'SSWS wrong-token-value-1234567890';

/** A credential sending a token Okta refuses (401), explained by `explain`. */
const explaining = (explain: () => unknown): OktaCredential => ({ kind: 'vault', origin: org.org.url, authorize: () => Promise.resolve({ authorization: wrong }), explain: explain as () => string });

/** An `async` explain that rejects. */
const rejecting = (): Promise<string> => Promise.reject(new Error(`explain failed for ${wrong}`));

/** The unhandled rejections each test leaves. */
const unhandled = useUnhandledRejections();

describe.each(Object.keys(drivers))('%s', (name) => {
  const failure = async (explain: () => unknown): Promise<unknown> =>
    drivers[name]!({ credential: explaining(explain), retry: false }).getJson('/api/v1/users/me').then(
      () => 'resolved',
      (error: unknown) => error,
    );

  it.each([
    ['a number', () => 42],
    ['an object', () => ({ toString: () => 'obj' })],
    ['a throw', () => {
      throw new Error(`explain failed for ${wrong}`);
    }],
  ])('an explain giving %s: the 401 OktaApiError, without a hint', async (_, explain) => {
    const error = await failure(explain);
    expect(isOktaApiError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'API_ERROR', status: 401, hint: undefined, requestId: expect.any(String) });
    expect((error as Error).cause).toBeUndefined();
    expect((error as Error).message).toMatch(/^401 E0000011 .*\(GET [^)]+, request id [^)]+\)$/);
  });

  it('an async explain that rejects: the 401 OktaApiError, without a hint, and no unhandled rejection', async () => {
    const error = await failure(rejecting);
    expect(await unhandled.settled()).toEqual([]);
    expect(isOktaApiError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'API_ERROR', status: 401, hint: undefined, requestId: expect.any(String) });
    expect((error as Error).cause).toBeUndefined();
    expect((error as Error).message).toMatch(/^401 E0000011 .*\(GET [^)]+, request id [^)]+\)$/);
  });

  it('a string hint is cleaned like an echo: no control character or line break, at most 1,000 characters, no secret', async () => {
    const error = await failure(() => `\x1b[31mred\nFAKE LOG LINE level=info ${wrong} ${'x'.repeat(100_000)}`);
    expect(isOktaApiError(error)).toBe(true);
    const { hint, message } = error as Error & { hint: string };
    expect(hint.startsWith('[31mred FAKE LOG LINE level=info [redacted')).toBe(true);
    expect(hint.length).toBeLessThanOrEqual(1001);
    expect(message.endsWith(`: ${hint}`)).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(message).not.toMatch(/[\0-\x1f]/);
    expect(message).not.toContain('wrong-token-value');
  });
});

it('OktaApiError.fromParts with an async explain that rejects: the error without a hint, and no unhandled rejection', async () => {
  const parts = { status: 403, statusText: 'Forbidden', headers: new Headers(), bodyText: '{"errorCode":"E0000006","errorSummary":"You do not have permission"}' };
  const context = { method: 'GET', url: new URL(`${org.org.url}/api/v1/users`) };
  const error = OktaApiError.fromParts(parts, { ...context, explain: rejecting as unknown as () => string });
  expect(await unhandled.settled()).toEqual([]);
  expect(error).toMatchObject({ code: 'API_ERROR', status: 403, hint: undefined, message: OktaApiError.fromParts(parts, context).message });
});
