/**
 * The request ky's attempt is swapped for (`ky/authorize.ts`: a method ky does not upper-case, a
 * redirect to refuse, the browser cache) keeps what the caller gave it: its body (a stream too,
 * which cannot be read twice), headers and signal, through `createOktaKy` and `oktaKyHooks` on
 * the caller's own instance, and a 429 of it is sent again, same body. Against a scripted server on
 * 127.0.0.1.
 */
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import ky from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

let okta: ScriptedServer;
let answers: number[];
beforeEach(async () => {
  answers = [];
  okta = await startScriptedServer((req, res) => {
    const status = answers.shift() ?? 200;
    if (status === 429) return json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '0' });
    json(res, 200, { method: req.method, body: req.body, type: req.headers['content-type'], extra: req.headers['x-extra'] });
  });
});
afterEach(async () => {
  await okta.close();
});

const instances = {
  'ky instance': () => createOktaKy({ credential: countingCredential(okta.origin), retry: { limit: 1, maxWaitMs: 5_000 } }),
  'ky hooks': () => ky.create({ prefix: okta.origin, retry: { limit: 1, statusCodes: [] }, hooks: oktaKyHooks({ credential: countingCredential(okta.origin), retry: { limit: 1, maxWaitMs: 5_000 } }) }),
};

const stream = (): ReadableStream<Uint8Array> =>
  new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"a":'));
      controller.enqueue(new TextEncoder().encode('1}'));
      controller.close();
    },
  });

describe.each(Object.keys(instances))('the swapped request, through %s', (name) => {
  const api = () => instances[name as keyof typeof instances]();

  it('sends a lower-case patch with a JSON body as PATCH, body and headers kept', async () => {
    expect(await api()('api/v1/users/1', { method: 'patch', json: { a: 1 }, headers: { 'x-extra': 'kept' } }).json()).toEqual({ method: 'PATCH', body: '{"a":1}', type: 'application/json', extra: 'kept' });
  });

  it('sends a propfind with a JSON body upper-cased, body kept', async () => {
    expect(await api()('api/v1/users/1', { method: 'propfind', json: { a: 1 } }).json()).toEqual({ method: 'PROPFIND', body: '{"a":1}', type: 'application/json', extra: undefined });
  });

  it.each(['post', 'propfind'])('sends a %s of a ReadableStream body whole', async (method) => {
    const answer = await api()('api/v1/users', { method, body: stream(), headers: { 'content-type': 'application/json' } }).json();
    expect(answer).toEqual({ method: method.toUpperCase(), body: '{"a":1}', type: 'application/json', extra: undefined });
  });

  it('resends a 429 of a propfind with its JSON body', async () => {
    answers = [429];
    expect(await api()('api/v1/users', { method: 'propfind', json: { a: 1 } }).json()).toMatchObject({ method: 'PROPFIND', body: '{"a":1}' });
    expect(okta.requests.map((request) => [request.method, request.body])).toEqual([
      ['PROPFIND', '{"a":1}'],
      ['PROPFIND', '{"a":1}'],
    ]);
  });

  it.each(['post', 'propfind'])('resends a 429 of a %s of a ReadableStream body with the whole body', async (method) => {
    answers = [429];
    await api()('api/v1/users', { method, body: stream(), headers: { 'content-type': 'application/json' } }).json();
    expect(okta.requests.map((request) => [request.method, request.body])).toEqual([
      [method.toUpperCase(), '{"a":1}'],
      [method.toUpperCase(), '{"a":1}'],
    ]);
  });

  it('keeps the caller abort signal on the swapped request', async () => {
    const controller = new AbortController();
    okta.handle(() => controller.abort());
    await expect(api()('api/v1/users', { method: 'propfind', json: { a: 1 }, signal: controller.signal }).json()).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
