/**
 * ky's `timeout` and `totalTimeout`, wherever given (a call, an `extend`, the base instance of
 * `createOktaKy`, your own instance with `oktaKyHooks`), are checked before anything is sent: a
 * value ky's timers cannot keep (negative, NaN, Infinity, past 2^31 − 1 ms, a string, `true`) was
 * a raw `RangeError` of ky's, a `TIMEOUT` "within NaN ms" or "within -1 ms", one naming
 * `timeoutMs` when ky's timer fired at once, or the `INVALID_CONFIG` of `acquire`'s `maxWaitMs`,
 * an option the caller never gave. Nothing here reaches a network: the fetch answers at once.
 */
import ky, { type Options } from 'ky';
import { describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { createInFlightLimit } from '../rate-limit/in-flight-limit.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

const origin = 'https://acme.okta.com';
const answer = () => Promise.resolve(new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } }));
const credential = () => countingCredential(origin);

async function outcome(send: () => Promise<unknown>): Promise<unknown> {
  return Promise.resolve()
    .then(send)
    .then(() => 'sent', (error: unknown) => error);
}

const bad: [string, unknown][] = [
  ['-1', -1],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['2^31', 2 ** 31],
  ["the string '100'", '100'],
  ['true', true],
  // ky 2.2 throws its own untyped TypeError for null (ky 2.1's default): refused here first, typed.
  ['null', null],
];

type Place = (key: 'timeout' | 'totalTimeout', value: unknown) => Promise<unknown>;
const places: [string, Place][] = [
  ["createOktaKy, a call's", (key, value) => createOktaKy({ credential: credential(), fetch: answer }).get('api/v1/users', { [key]: value })],
  ['createOktaKy with maxInFlight, a call\'s', (key, value) => createOktaKy({ credential: credential(), fetch: answer, maxInFlight: createInFlightLimit(1) }).get('api/v1/users', { [key]: value })],
  ["createOktaKy, an extend's", (key, value) => createOktaKy({ credential: credential(), fetch: answer }).extend({ [key]: value }).get('api/v1/users')],
  ["oktaKyHooks, your instance's", (key, value) => ky.create({ baseUrl: `${origin}/`, fetch: answer, [key]: value, hooks: oktaKyHooks({ credential: credential() }) }).get('api/v1/users')],
  ["oktaKyHooks with maxInFlight, a call's", (key, value) => ky.create({ baseUrl: `${origin}/`, fetch: answer, hooks: oktaKyHooks({ credential: credential(), maxInFlight: createInFlightLimit(1) }) }).get('api/v1/users', { [key]: value })],
];

describe("ky's timeout and totalTimeout: a value no timer keeps is INVALID_CONFIG naming the option, the value not shown", () => {
  for (const key of ['timeout', 'totalTimeout'] as const) {
    for (const [where, send] of places) {
      it.each(bad)(`${key} ${where}: %s`, async (_, value) => {
        const error = await outcome(() => send(key, value));
        expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: `ky's ${key} option must be false or a number of milliseconds from 0 to 2147483647.` });
      });
    }
  }

  it.each(bad)("the base instance's totalTimeout of createOktaKy: %s, when the instance is made", (_, value) => {
    expect(() => createOktaKy({ credential: credential(), fetch: answer, ky: ky.create({ totalTimeout: value } as Options) })).toThrow(
      expect.objectContaining({ code: 'INVALID_CONFIG', message: "ky's totalTimeout option must be false or a number of milliseconds from 0 to 2147483647." }),
    );
  });

  it("a base instance's timeout is not read (timeoutMs replaces it): not refused", async () => {
    expect(await outcome(() => createOktaKy({ credential: credential(), fetch: answer, ky: ky.create({ timeout: -1 }) }).get('api/v1/users'))).toBe('sent');
  });

  it.each<[string, unknown]>([
    ['false', false],
    ['undefined', undefined],
    ['2147483647, the most', 2_147_483_647],
  ])('takes %s where ky does', async (_, value) => {
    for (const key of ['timeout', 'totalTimeout'] as const) for (const [, send] of places) expect(await outcome(() => send(key, value))).toBe('sent');
  });

  it('takes 0 (ky times out at once: a TIMEOUT or, against this fetch, an answer; never INVALID_CONFIG)', async () => {
    for (const key of ['timeout', 'totalTimeout'] as const) {
      for (const [, send] of places) expect((await outcome(() => send(key, 0))) as { code?: string }).not.toMatchObject({ code: 'INVALID_CONFIG' });
    }
  });
});
