/**
 * ky 2.2 refuses a bad value of many of its options with an untyped `TypeError` (or, for ky 1's
 * `prefixUrl`, an `Error`) of its own, or hands it to the runtime's `Headers`, `URL` or
 * `URLSearchParams`, whose `TypeError` quotes it. Through `createOktaKy` (a call's options, an
 * `extend`'s object or function, the base instance given as `ky`) each is the package's
 * `INVALID_CONFIG` naming the option and what to pass, the value not shown, nothing authorized or
 * sent: in our words (`option-values.ts`), or for a `context` or hook list in ky's own fixed words
 * (its merge's, typed); `null` is refused where ky refuses it, as `timeout: null` is
 * (`ky-bound-values.test.ts`). What ky takes is still sent, over real HTTP on 127.0.0.1.
 */
import ky, { replaceOption, type Options } from 'ky';
import { describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';
import { rejected, thrown } from '../test-helpers/outcome.js';
import { createOktaKy } from './create-okta-ky.js';

const okta = useScriptedServer();
const hook = () => undefined;

/** The option, a bad value, and what the message says to pass. */
const bad: [string, unknown, string][] = [
  ['headers', null, "ky's headers option must be an object."],
  ['headers', 5, "ky's headers option must be an object."],
  ['headers', 'x-a: 1', "ky's headers option must be an object."],
  ['searchParams', null, "ky's searchParams option must be a string, an object or pairs."],
  ['searchParams', [['only-a-name']], "ky's searchParams option must be a string, an object or pairs."],
  ['searchParams', ['a', 'b'], "ky's searchParams option must be a string, an object or pairs."],
  ['context', null, 'The `context` option must be an object'],
  ['context', 5, 'The `context` option must be an object'],
  ['context', [], 'The `context` option must be an object'],
  ['prefix', null, "ky's prefix option must be a string."],
  ['baseUrl', null, "ky's baseUrl option must be an absolute URL."],
  ['baseUrl', 5, "ky's baseUrl option must be an absolute URL."],
  ['baseUrl', 'not a url', "ky's baseUrl option must be an absolute URL."],
  ['referrer', null, "ky's referrer option must be a string."],
  ['referrerPolicy', null, "ky's referrerPolicy option must be a string."],
  ['parseJson', null, "ky's parseJson option must be a function."],
  ['stringifyJson', 'JSON.stringify', "ky's stringifyJson option must be a function."],
  ['onDownloadProgress', null, "ky's onDownloadProgress option must be a function."],
  ['onUploadProgress', 5, "ky's onUploadProgress option must be a function."],
  ['throwHttpErrors', null, "ky's throwHttpErrors option must be a boolean or a function."],
  ['throwHttpErrors', 'false', "ky's throwHttpErrors option must be a boolean or a function."],
  ['maxResponseSize', null, "ky's maxResponseSize option must be a whole number."],
  ['maxResponseSize', -1, "ky's maxResponseSize option must be a whole number."],
  ['maxResponseSize', 1.5, "ky's maxResponseSize option must be a whole number."],
  ['prefixUrl', 'https://acme.okta.com/api/', "ky's prefixUrl option must be renamed prefix."],
  ['prefixUrl', undefined, "ky's prefixUrl option must be renamed prefix."],
  ['hooks', { beforeRequest: null }, '`hooks.beforeRequest` must be an array of functions'],
  ['hooks', { afterResponse: hook }, '`hooks.afterResponse` must be an array of functions'],
  ['hooks', { init: [hook, 'x'] }, '`hooks.init` must be an array of functions'],
  ['hooks', { beforeRetry: replaceOption(5) }, '`hooks.beforeRetry` must be an array of functions'],
];

type Place = (options: Record<string, unknown>) => Promise<unknown>;
const credential = () => countingCredential(okta.origin);
const places: [string, Place][] = [
  ["a call's", async (options) => createOktaKy({ credential: credential() }).get('api/v1/users', options)],
  ["a call's, without a method", async (options) => createOktaKy({ credential: credential() })('api/v1/users', options)],
  ["an extend's", async (options) => createOktaKy({ credential: credential() }).extend(options).get('api/v1/users')],
  ["an extend function's", async (options) => createOktaKy({ credential: credential() }).extend((parent) => ({ ...parent, ...options })).get('api/v1/users')],
];

describe("ky's option values through createOktaKy: what ky refuses is INVALID_CONFIG naming the option, nothing sent", () => {
  for (const [where, send] of places) {
    it.each(bad)(`${where} %s: %j`, async (key, value, message) => {
      const error = await rejected(() => send({ [key]: value }));
      expect(error).toMatchObject({ code: 'INVALID_CONFIG', message });
      expect(okta.requests).toHaveLength(0);
    });
  }

  // ky.create refuses headers, context, searchParams and hooks itself, to its own caller; the base's baseUrl is replaced by the org.
  const base = bad.filter(([key]) => !['headers', 'context', 'searchParams', 'hooks', 'baseUrl'].includes(key));
  it.each(base)("the base instance's %s: %j, when createOktaKy makes the instance", (key, value, message) => {
    expect(thrown(() => createOktaKy({ credential: credential(), ky: ky.create({ [key]: value }) }))).toMatchObject({ code: 'INVALID_CONFIG', message });
  });

  // ky checks these when a call is made (delay and shouldRetry when it would resend); ky.create takes them.
  it.each<[string, unknown, string]>([
    ['limit "2"', { limit: '2' }, "ky's retry.limit option must be a whole number."],
    ['-1', -1, "ky's retry.limit option must be a whole number."],
    ['limit 1.5', { limit: 1.5 }, "ky's retry.limit option must be a whole number."],
    ['maxRetryAfter "x"', { maxRetryAfter: 'x' }, "ky's retry.maxRetryAfter option must be a number from 0."],
    ['backoffLimit null', { backoffLimit: null }, "ky's retry.backoffLimit option must be a number from 0."],
    ['retryOnTimeout "yes"', { retryOnTimeout: 'yes' }, "ky's retry.retryOnTimeout option must be a boolean."],
    ['delay 5', { delay: 5 }, "ky's retry.delay option must be a function."],
    ['shouldRetry null', { shouldRetry: null }, "ky's retry.shouldRetry option must be a function."],
    ['jitter "x"', { jitter: 'x' }, "ky's retry.jitter option must be a boolean or a function."],
  ])("the base instance's retry %s, when createOktaKy makes the instance", (_, retry, message) => {
    expect(thrown(() => createOktaKy({ credential: credential(), ky: ky.create({ retry } as Options) }))).toMatchObject({ code: 'INVALID_CONFIG', message });
  });

  it("a base instance's retry ky takes: a number, an object, none", async () => {
    for (const retry of [0, 3, { limit: 1, maxRetryAfter: Number.POSITIVE_INFINITY, backoffLimit: 0, retryOnTimeout: false, jitter: true, delay: () => 0, shouldRetry: () => undefined }, undefined]) {
      expect(await rejected(() => createOktaKy({ credential: credential(), ky: ky.create({ retry }) }).get('api/v1/users'))).toBeUndefined();
    }
    expect(okta.requests).toHaveLength(4);
  });

  it.each<[string, Record<string, unknown>]>([
    ['headers as pairs', { headers: [['x-a', '1']] }],
    ['a Headers', { headers: new Headers({ 'x-a': '1' }) }],
    ['searchParams as a string', { searchParams: 'a=1' }],
    ['searchParams as pairs', { searchParams: [['a', '1']] }],
    ['searchParams as a URLSearchParams', { searchParams: new URLSearchParams('a=1') }],
    ['undefined for each', { headers: undefined, searchParams: undefined, context: undefined, prefix: undefined, parseJson: undefined, throwHttpErrors: undefined, maxResponseSize: undefined }],
    ['a context, a prefix, a parseJson, throwHttpErrors false, maxResponseSize Infinity', { context: { a: 1 }, prefix: 'api', parseJson: JSON.parse, throwHttpErrors: false, maxResponseSize: Number.POSITIVE_INFINITY }],
    ['the org as baseUrl, a URL', { baseUrl: new URL('/', 'https://acme.okta.com') }],
    ['hooks added, one list replaced', { hooks: { beforeRequest: [hook], afterResponse: replaceOption([hook]), init: undefined } }],
  ])('sends what ky takes: %s', async (_, options) => {
    const given = 'baseUrl' in options ? { ...options, baseUrl: `${okta.origin}/` } : options;
    for (const [, send] of places) expect(await rejected(() => send(given))).toBeUndefined();
    expect(okta.requests.length).toBe(places.length);
  });
});
