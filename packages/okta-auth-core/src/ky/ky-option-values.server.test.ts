/**
 * ky 2.2 refuses a bad value of many of its options with an untyped `TypeError` (or, for ky 1's
 * `prefixUrl`, an `Error`) of its own, or hands it to the runtime's `Headers`, `URL` or
 * `URLSearchParams`, whose `TypeError` quotes it. Through `createOktaKy` (a call's options, an
 * `extend`'s object or function, the base instance given as `ky`) each is the package's
 * `INVALID_CONFIG` naming the option and what to pass, the value not shown, nothing authorized or
 * sent; `null` is refused where ky refuses it, as `timeout: null` is (`ky-bound-values.test.ts`).
 * What ky takes is still sent, over real HTTP on 127.0.0.1.
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
  ['headers', null, "ky's headers option must be an object, a Headers or a list of pairs, or left out."],
  ['headers', 5, "ky's headers option must be an object, a Headers or a list of pairs, or left out."],
  ['headers', 'x-a: 1', "ky's headers option must be an object, a Headers or a list of pairs, or left out."],
  ['searchParams', null, "ky's searchParams option must be a string, an object or a list of pairs, or left out."],
  ['searchParams', [['only-a-name']], "ky's searchParams option must be a string, an object or a list of pairs, or left out."],
  ['searchParams', ['a', 'b'], "ky's searchParams option must be a string, an object or a list of pairs, or left out."],
  ['context', null, "ky's context option must be an object, or left out."],
  ['context', 5, "ky's context option must be an object, or left out."],
  ['context', [], "ky's context option must be an object, or left out."],
  ['prefix', null, "ky's prefix option must be a string, or left out."],
  ['baseUrl', null, "ky's baseUrl option must be an absolute URL, or left out."],
  ['baseUrl', 5, "ky's baseUrl option must be an absolute URL, or left out."],
  ['baseUrl', 'not a url', "ky's baseUrl option must be an absolute URL, or left out."],
  ['referrer', null, "ky's referrer option must be a string, or left out."],
  ['referrerPolicy', null, "ky's referrerPolicy option must be a string, or left out."],
  ['parseJson', null, "ky's parseJson option must be a function, or left out."],
  ['stringifyJson', 'JSON.stringify', "ky's stringifyJson option must be a function, or left out."],
  ['onDownloadProgress', null, "ky's onDownloadProgress option must be a function, or left out."],
  ['onUploadProgress', 5, "ky's onUploadProgress option must be a function, or left out."],
  ['throwHttpErrors', null, "ky's throwHttpErrors option must be true, false or a function, or left out."],
  ['throwHttpErrors', 'false', "ky's throwHttpErrors option must be true, false or a function, or left out."],
  ['maxResponseSize', null, "ky's maxResponseSize option must be a whole number of bytes or Infinity, or left out."],
  ['maxResponseSize', -1, "ky's maxResponseSize option must be a whole number of bytes or Infinity, or left out."],
  ['maxResponseSize', 1.5, "ky's maxResponseSize option must be a whole number of bytes or Infinity, or left out."],
  ['prefixUrl', 'https://acme.okta.com/api/', "ky's prefixUrl option must be prefix (ky 2 renamed it), or left out."],
  ['prefixUrl', undefined, "ky's prefixUrl option must be prefix (ky 2 renamed it), or left out."],
  ['hooks', { beforeRequest: null }, "ky's hooks.beforeRequest option must be a list of functions, or left out."],
  ['hooks', { afterResponse: hook }, "ky's hooks.afterResponse option must be a list of functions, or left out."],
  ['hooks', { init: [hook, 'x'] }, "ky's hooks.init option must be a list of functions, or left out."],
  ['hooks', { beforeRetry: replaceOption(5) }, "ky's hooks.beforeRetry option must be a list of functions, or left out."],
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
    ['limit "2"', { limit: '2' }, "ky's retry.limit option must be a whole number from 0, or left out."],
    ['-1', -1, "ky's retry.limit option must be a whole number from 0, or left out."],
    ['limit 1.5', { limit: 1.5 }, "ky's retry.limit option must be a whole number from 0, or left out."],
    ['maxRetryAfter "x"', { maxRetryAfter: 'x' }, "ky's retry.maxRetryAfter option must be a number of ms from 0, or Infinity, or left out."],
    ['backoffLimit null', { backoffLimit: null }, "ky's retry.backoffLimit option must be a number of ms from 0, or Infinity, or left out."],
    ['retryOnTimeout "yes"', { retryOnTimeout: 'yes' }, "ky's retry.retryOnTimeout option must be true or false, or left out."],
    ['delay 5', { delay: 5 }, "ky's retry.delay option must be a function, or left out."],
    ['shouldRetry null', { shouldRetry: null }, "ky's retry.shouldRetry option must be a function, or left out."],
    ['jitter "x"', { jitter: 'x' }, "ky's retry.jitter option must be true, false or a function, or left out."],
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
