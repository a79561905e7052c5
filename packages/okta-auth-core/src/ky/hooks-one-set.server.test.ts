/**
 * One okta-auth authorization per ky instance. ky's `extend` joins hook lists, so
 * `api.extend({ hooks: oktaKyHooks({ credential: other }) })` put a second set on the instance:
 * both sets shared the call's one state, the second set's authorize gave back the slot the first
 * set's took (with two sets `maxInFlight` capped nothing), and the request went out under the
 * second credential's header. A second set (another one, the same one twice, or one added to a
 * `createOktaKy` instance) is `INVALID_CONFIG` at the call, nothing sent.
 */
import ky, { type KyInstance } from 'ky';
import { describe, expect, it } from 'vitest';
import { createInFlightLimit } from '../rate-limit/in-flight-limit.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import type { OktaCredential } from '../credential.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

const org = useApiTokenOrg();
const path = 'api/v1/users?limit=1';
const received = (): number => Object.values(org.org.counters().requests).reduce((sum, n) => sum + n, 0);
const refusal = {
  name: 'OktaAuthError',
  code: 'INVALID_CONFIG',
  message:
    'One set of okta-auth ky hooks per ky instance (oktaKyHooks given twice, or to a createOktaKy instance: extend joins hook lists). To use another credential, make another instance with ky.create(…) or createOktaKy, not extend.',
};

/** A second credential of the same org, with its own API token. */
function other(): OktaCredential {
  const { token } = org.org.createApiToken({ name: 'other' });
  return { kind: 'ssws', origin: org.org.url, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) };
}

/** The fetch of the instance: the Authorization header of each request sent to the org, recorded. */
function recording(): { fetch: typeof fetch; sent: (string | null)[] } {
  const sent: (string | null)[] = [];
  return {
    sent,
    fetch: (input, init) => {
      sent.push(new Request(input, init).headers.get('authorization'));
      return globalThis.fetch(input, init);
    },
  };
}

/** What a call ended with: its status, or what it threw (ky runs init hooks before it returns: a refusal there is thrown at once). */
const settle = (call: () => Promise<unknown>): Promise<unknown> =>
  Promise.resolve()
    .then(call)
    .then(
    (response) => (response as Response).status,
    (error: unknown) => error,
  );

describe('one oktaKyHooks set per ky instance', () => {
  it('a second set by extend, the first with maxInFlight 1: two concurrent calls are refused, never two in flight', async () => {
    const limit = createInFlightLimit(1);
    const held = org.org.injectFault({ path: '/api/v1/users', kind: 'hold' });
    const api = ky.create({ baseUrl: `${org.org.url}/`, hooks: oktaKyHooks({ credential: org.ssws(org.org.url), maxInFlight: limit, timeoutMs: 60_000 }) });
    const both = api.extend({ hooks: oktaKyHooks({ credential: other(), timeoutMs: 60_000 }) });
    const calls = Promise.all([settle(() => both(path)), settle(() => both(path))]);
    const ended = { both: false };
    void calls.then(() => (ended.both = true));
    // Until both calls ended, or the org holds two of them at once (the hole: the limit of 1 capped nothing).
    while (!ended.both && org.org.heldAnswers(held) < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const inFlight = org.org.counters().maxInFlight;
    org.org.clearFaults();
    const outcomes = await calls;
    expect(inFlight).toBe(0);
    expect(outcomes).toEqual([expect.objectContaining(refusal), expect.objectContaining(refusal)]);
    expect(limit.inFlight).toBe(0);
  });

  const sets: [string, (fetch: typeof globalThis.fetch) => KyInstance][] = [
    ['a set of another credential added by extend', (fetch) => ky.create({ baseUrl: `${org.org.url}/`, fetch, hooks: oktaKyHooks({ credential: org.ssws(org.org.url) }) }).extend({ hooks: oktaKyHooks({ credential: other() }) })],
    [
      'the same set added again by extend',
      (fetch) => {
        const hooks = oktaKyHooks({ credential: org.ssws(org.org.url) });
        return ky.create({ baseUrl: `${org.org.url}/`, fetch, hooks }).extend({ hooks });
      },
    ],
    ['a set added to a createOktaKy instance by extend', (fetch) => createOktaKy({ credential: org.ssws(org.org.url), fetch }).extend({ hooks: oktaKyHooks({ credential: other() }) })],
    ['a set on the base instance given to createOktaKy', (fetch) => createOktaKy({ credential: org.ssws(org.org.url), fetch, ky: ky.create({ hooks: oktaKyHooks({ credential: other() }) }) })],
  ];

  it.each(sets)("%s: INVALID_CONFIG, and neither credential's header reaches the org", async (_, make) => {
    const { fetch, sent } = recording();
    const before = received();
    expect(await settle(() => make(fetch)(path))).toMatchObject(refusal);
    expect(sent).toEqual([]);
    expect(received()).toBe(before);
  });

  it('one set used as ky allows is never refused: one options object for two instances, your hooks added by extend, options reused per call, a retried call', async () => {
    const { fetch, sent } = recording();
    const options = { baseUrl: `${org.org.url}/`, fetch, hooks: oktaKyHooks({ credential: org.ssws(org.org.url) }) };
    const [first, second] = [ky.create(options), ky.create(options)];
    const logged = first.extend({ hooks: { beforeRequest: [() => undefined], afterResponse: [() => undefined] } });
    const perCall = { searchParams: { limit: '1' } };
    expect(await settle(() => first('api/v1/users', perCall))).toBe(200);
    expect(await settle(() => second('api/v1/users', perCall))).toBe(200);
    expect(await settle(() => logged(path))).toBe(200);
    // ky runs init hooks once per call: its retry (after a 500) keeps the call's state.
    org.org.injectFault({ path: '/api/v1/users', kind: 'status', status: 500, count: 1 });
    expect(await settle(() => first(path, { retry: { limit: 1, delay: () => 0 } }))).toBe(200);
    expect(sent).toEqual(Array.from({ length: 5 }, () => `SSWS ${org.token}`));
  });

  it('one set per instance: two instances, one per credential, each sent with its own header', async () => {
    const { fetch, sent } = recording();
    const base = ky.create({ baseUrl: `${org.org.url}/`, fetch });
    const first = base.extend({ hooks: oktaKyHooks({ credential: org.ssws(org.org.url) }) });
    const second = base.extend({ hooks: oktaKyHooks({ credential: other() }) });
    expect(await settle(() => first(path))).toBe(200);
    expect(await settle(() => second(path))).toBe(200);
    expect(sent).toEqual([`SSWS ${org.token}`, expect.stringMatching(/^SSWS /)]);
    expect(sent[1]).not.toBe(sent[0]);
  });
});
