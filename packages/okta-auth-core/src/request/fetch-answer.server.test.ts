/**
 * A `fetch` option that resolves with no Response (a wrapper that forgot its `return`, one that
 * returns `response.json()`, a bare `vi.fn()`) is `INVALID_CONFIG` naming the option, through every
 * driver, never the runtime's `TypeError` ("Invalid value used as weak map key", "Cannot read
 * properties of undefined (reading 'body')"). The request did go out: the emulator counts it.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import { isOktaApiError } from '../errors/api-error.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { createOktaFetch } from './okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { failure } from '@org/okta-test-utils';

const org = useApiTokenOrg();

/** What the fetch resolves with, and what the message calls it (`null` by name, else its `typeof`). */
const answers: Record<string, [(response: Response) => Promise<unknown>, string]> = {
  'nothing (a wrapper without return)': [() => Promise.resolve(undefined), 'undefined'],
  null: [() => Promise.resolve(null), 'null'],
  'the JSON of the answer': [(response) => response.json(), 'object'],
  'its text': [(response) => response.text(), 'string'],
};

describe('a fetch option that resolves with no Response', () => {
  it.each(Object.entries(answers))('is INVALID_CONFIG naming the option when it resolves with %s, in both drivers', async (_name, [answer, shown]) => {
    const credential = org.ssws(org.org.url);
    const fetch = async (input: string | URL | Request, init?: RequestInit) => answer(await globalThis.fetch(input, init)) as Promise<Response>;
    const calls = {
      createOktaFetch: () => createOktaFetch({ credential, fetch, retry: false })('/api/v1/users?limit=1'),
      createOktaKy: () => createOktaKy({ credential, fetch, retry: false }).get('api/v1/users?limit=1'),
    };
    for (const [driver, call] of Object.entries(calls)) {
      org.org.resetCounters();
      const error = await failure(call(), isOktaAuthError);
      expect([error.code, error.message], driver).toEqual(['INVALID_CONFIG', `The fetch option must be a function that resolves with a Response, not ${shown}.`]);
      expect(inspect(error, { depth: 9, showHidden: true }) + JSON.stringify(error), driver).not.toContain(org.token);
      expect(org.org.counters().requests['GET /api/v1/users'], driver).toBe(1);
    }
  });
});

// A browser's answer to a call with `mode: 'no-cors'` (a common first try at a CORS error) is opaque:
// status 0. ky's driver built a Response of it (a RangeError: "must be in the range of 200 to 599").
describe('an answer of status 0 (opaque, or Response.error())', () => {
  it.each([true, false])('is the same OktaApiError through both drivers (throwHttpErrors: %s)', async (throwHttpErrors) => {
    const credential = org.ssws(org.org.url);
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      await (await globalThis.fetch(input, init)).body?.cancel();
      return Response.error();
    };
    const calls = {
      createOktaFetch: () => createOktaFetch({ credential, fetch, retry: false, throwHttpErrors })('/api/v1/users?limit=1'),
      createOktaKy: () => createOktaKy({ credential, fetch, retry: false }).get('api/v1/users?limit=1', { throwHttpErrors }),
    };
    for (const [driver, call] of Object.entries(calls)) {
      const error = await failure(call(), isOktaApiError);
      expect([error.code, error.status, error.path], driver).toEqual(['API_ERROR', 0, '/api/v1/users']);
    }
  });
});
