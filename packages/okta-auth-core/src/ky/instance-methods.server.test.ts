/**
 * Every way to call a createOktaKy instance goes through its guard (the input and options checked,
 * the call's state added): ky 2 added `query` to its request methods, which the guard did not
 * know, so `okta.query(path, { fetch })` went out without the credential and `{ retry: 5 }` was taken.
 */
import { failure, json } from '@org/okta-test-utils';
import ky, { type KyInstance } from 'ky';
import { describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { createOktaKy } from './create-okta-ky.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const okta = useScriptedServer((req, res) => json(res, 200, { method: req.method, authorization: req.headers.authorization }));

/** ky's own members that make no request (ky 2.1): `create` and `extend` (guarded apart), `retry` and `stop` (markers). */
const notRequests = new Set(['create', 'extend', 'retry', 'stop']);
/** ky's request methods, read from a plain instance: a method a later ky adds is listed here by itself. */
const requestMethods = Object.keys(ky).filter((name) => !notRequests.has(name));

describe('the request methods of a createOktaKy instance', () => {
  it('are the ones ky 2.1 has, query included (a new member of ky makes this list, and the checks below, change)', () => {
    expect(requestMethods.sort()).toEqual(['delete', 'get', 'head', 'patch', 'post', 'put', 'query']);
  });

  it.each(requestMethods)("%s refuses ky's fetch and retry options (INVALID_CONFIG, nothing sent), where query took them", async (method) => {
    const instance = createOktaKy({ credential: countingCredential(okta.origin) }) as unknown as Record<string, (input: string, options: object) => Promise<Response>>;
    const mine: typeof fetch = (input, init) => globalThis.fetch(input, init);
    for (const options of [{ fetch: mine }, { retry: 5 }]) {
      const outcome = await failure(() => instance[method]?.('api/v1/users', options));
      expect(outcome).toMatchObject({ name: 'OktaAuthError', code: 'INVALID_CONFIG' });
    }
    expect(okta.requests).toHaveLength(0);
  });

  it('query is authorized and sent as QUERY, through the instance and an extend of it', async () => {
    const instance = createOktaKy({ credential: countingCredential(okta.origin) });
    const extended: KyInstance = instance.extend({ timeout: 5_000 });
    expect(await instance.query('api/v1/users').json()).toEqual({ method: 'QUERY', authorization: 'Test secret-token-value-1' });
    expect(await extended.query('api/v1/users').json()).toEqual({ method: 'QUERY', authorization: 'Test secret-token-value-2' });
    // The input is checked as every method's: a URL with a user name or password, nothing sent.
    expect(() => instance.query(`http://user:pw@${okta.origin.slice('http://'.length)}/api/v1/users`)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(okta.requests).toHaveLength(2);
  });
});
