/**
 * The method an attempt names (a DPoP proof's `htm`, errors, logs) is the method sent, in every
 * driver; and one that is no HTTP method token (RFC 9110 §9.1, §5.6.2) is refused before anything is
 * authorized or sent, never upper-cased into a method (`'poſt'.toUpperCase()` is `POST`).
 */
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import ky from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { createOktaFetch } from './okta-fetch.js';

let okta: ScriptedServer;
const wire: string[] = [];

beforeEach(async () => {
  wire.length = 0;
  okta = await startScriptedServer();
  okta.handle((req, res) => {
    wire.push(req.method);
    json(res, 200, {});
  });
});
afterEach(async () => {
  await okta.close();
});

type Send = (credential: ReturnType<typeof countingCredential>, method: string) => Promise<unknown>;

const drivers: Record<string, Send> = {
  fetch: (credential, method) => createOktaFetch({ credential })('/api/v1/things', { method }),
  'fetch with a Blob body': (credential, method) => createOktaFetch({ credential })('/api/v1/things', { method, body: new Blob(['{}']) }),
  'ky instance': (credential, method) => createOktaKy({ credential })('api/v1/things', { method }),
  'ky hooks': (credential, method) => ky.create({ prefix: okta.origin, hooks: oktaKyHooks({ credential }) })('api/v1/things', { method }),
};

describe('the method sent is the method the attempt names', () => {
  // ky upper-cases only its own list (get, post, put, patch, head, delete, query), fetch six of them.
  it.each(Object.keys(drivers))('sends a lower-case method outside fetch and ky lists upper-cased, as authorized (%s)', async (driver) => {
    const credential = countingCredential(okta.origin);
    await drivers[driver]?.(credential, 'propfind');
    expect(credential.attempts.map((attempt) => attempt.method)).toEqual(['PROPFIND']);
    expect(wire).toEqual(['PROPFIND']);
  });
});

describe('a method that is no HTTP method', () => {
  const fetchDrivers = ['fetch', 'fetch with a Blob body'];
  // U+017F (long s) and U+FB00 (ff) upper-case to ASCII letters: refused, never sent as POST or FF.
  it.each(fetchDrivers.flatMap((driver) => ['po\u017Ft', '\uFB00', 'pa tch', ''].map((method) => [driver, method] as const)))('is refused before anything is authorized or sent (%s, %j)', async (driver, method) => {
    const credential = countingCredential(okta.origin);
    await expect(drivers[driver]?.(credential, method)).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: 'The method must be an HTTP method of ASCII letters, such as PATCH, or left out for a GET (not null): nothing was sent.',
    });
    expect(credential.attempts).toEqual([]);
    expect(wire).toEqual([]);
  });

  it.each(fetchDrivers)('refuses a method that is not a string with the typed error, not a TypeError (%s)', async (driver) => {
    const credential = countingCredential(okta.origin);
    await expect(drivers[driver]?.(credential, 5 as unknown as string)).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    expect(wire).toEqual([]);
  });
});

describe('a method that is no HTTP method, through the ky instance', () => {
  // ky builds its Request before our fetch runs: a non-token was the generic "could not be built", a number sent as "5".
  const calls: Record<string, Send> = {
    call: drivers['ky instance']!,
    extend: (credential, method) => createOktaKy({ credential }).extend({ method })('api/v1/things'),
  };
  it.each(Object.keys(calls).flatMap((driver) => ['po\u017Ft', 'pa tch', '', 5].map((method) => [driver, method] as const)))('is refused with the one method message (%s, %j)', async (driver, method) => {
    const credential = countingCredential(okta.origin);
    await expect((async () => calls[driver]?.(credential, method as string))()).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: 'The method must be an HTTP method of ASCII letters, such as PATCH, or left out for a GET (not null): nothing was sent.',
    });
    expect(credential.attempts).toEqual([]);
    expect(wire).toEqual([]);
  });
});

describe('method: null', () => {
  // fetch reads it as the method "null" (WebIDL's ByteString), ky as none (a GET): one reading in our
  // drivers, a refusal saying what to give, on the warm path, the Request path and the ky instance.
  const calls: Record<string, Send> = {
    fetch: drivers.fetch!,
    'fetch with a Blob body': drivers['fetch with a Blob body']!,
    'fetch of a Request': (credential, method) => createOktaFetch({ credential })(new Request(`${okta.origin}/api/v1/things`), { method }),
    'ky instance': drivers['ky instance']!,
    'ky instance extended': (credential, method) => createOktaKy({ credential }).extend({ method })('api/v1/things'),
  };
  it.each(Object.keys(calls))('is refused before anything is authorized or sent (%s)', async (driver) => {
    const credential = countingCredential(okta.origin);
    // The ky instance refuses its options as the call is made (a throw), the fetch as a rejection: both awaited here.
    await expect((async () => calls[driver]?.(credential, null as unknown as string))()).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/left out for a GET \(not null\)/) });
    expect(credential.attempts).toEqual([]);
    expect(wire).toEqual([]);
  });

  // A GET has no body: the Blob row has no undefined to check.
  it.each(Object.keys(calls).filter((driver) => !driver.includes('Blob')))('leaves undefined to mean GET (%s)', async (driver) => {
    const credential = countingCredential(okta.origin);
    await calls[driver]?.(credential, undefined as unknown as string);
    expect(wire).toEqual(['GET']);
  });
});
