/**
 * ky 2 lets a call or an `extend` remove hooks (`hooks: undefined` or `null`, a list given as
 * `undefined`, `replaceOption(…)`). Removing the driver's `beforeError` hook handed the caller
 * ky's untyped `HTTPError`, whose `request` is the request as sent: its headers held the
 * credential (`util.inspect(error)` printed it). Refused, nothing sent; adding hooks still works.
 */
import { failure, json } from '@org/okta-test-utils';
import ky, { replaceOption, type KyInstance, type Options, type ResponsePromise } from 'ky';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const okta = useScriptedServer((_req, res) => json(res, 404, { errorCode: 'E0000007', errorSummary: 'Not found: Resource not found: 00u1 (User)' }));

/** Hooks options that remove the driver's beforeError hook, as ky 2 merges them. */
const removing: [string, unknown][] = [
  ['hooks: undefined', undefined],
  ['hooks: null', null],
  ['beforeError: undefined', { beforeError: undefined }],
  ['replaceOption(hooks)', replaceOption({ afterResponse: [] })],
  ['beforeError: replaceOption([])', { beforeError: replaceOption([]) }],
];

/** What a call (or a call through what an extend made) failed with; one that succeeds fails the test. */
async function outcome(run: () => unknown): Promise<unknown> {
  return failure(() => {
    const result = run();
    return typeof result === 'function' ? (result as KyInstance).get('api/v1/users/00u1').json() : (result as ResponsePromise).json();
  });
}

const refused = { name: 'OktaAuthError', code: 'INVALID_CONFIG', message: expect.stringMatching(/hooks/) };

describe("ky's hooks option removing the createOktaKy instance's beforeError hook", () => {
  it.each(removing)('%s on a call, an extend or an extend function is INVALID_CONFIG, nothing sent', async (_name, hooks) => {
    const instance = createOktaKy({ credential: countingCredential(okta.origin) });
    const options = { hooks } as Options;
    for (const run of [() => instance.get('api/v1/users/00u1', options), () => instance.extend(options), () => instance.extend((parent) => ({ ...parent, ...options }))]) {
      const error = await outcome(run);
      expect(error).toMatchObject(refused);
      expect(inspect(error, { depth: 8 })).not.toContain('secret-token');
    }
    expect(okta.requests).toHaveLength(0);
  });

  it('hooks that add to the instance\'s (a list, none, the parent\'s handed back) keep the typed error, without the credential', async () => {
    const instance = createOktaKy({ credential: countingCredential(okta.origin) });
    const seen: unknown[] = [];
    const runs = [
      () => instance.get('api/v1/users/00u1', { hooks: { beforeError: [({ error }) => (seen.push(error.name), error)] } }),
      () => instance.get('api/v1/users/00u1', { hooks: {} }),
      () => instance.extend({ hooks: { afterResponse: [] } }),
      () => instance.extend((parent) => ({ ...parent, timeout: 5_000 })),
    ];
    for (const run of runs) {
      const error = await outcome(run);
      expect(error).toMatchObject({ name: 'OktaApiError', code: 'API_ERROR', status: 404 });
      expect(inspect(error, { depth: 8 })).not.toContain('secret-token');
    }
    // A call's own beforeError runs after the instance's: it sees the typed error.
    expect(seen).toEqual(['OktaApiError']);
    expect(okta.requests).toHaveLength(runs.length);
  });
});

describe('a call removing some of oktaKyHooks from your own instance', () => {
  it.each(['beforeError', 'beforeRequest', 'beforeRetry', 'afterResponse'])(
    "%s: undefined is INVALID_CONFIG (the hooks must be installed together), nothing sent, where removing beforeError gave ky's HTTPError holding the credential",
    async (hook) => {
      const api = ky.create({ baseUrl: `${okta.origin}/`, retry: { limit: 3 }, hooks: oktaKyHooks({ credential: countingCredential(okta.origin) }) });
      const error = await outcome(() => api.get('api/v1/users/00u1', { hooks: { [hook]: undefined } }));
      expect(error).toMatchObject({ name: 'OktaAuthError', code: 'INVALID_CONFIG', message: expect.stringMatching(/installed together/) });
      expect(okta.requests).toHaveLength(0);
    },
  );

  it('installing them without init and a call removing one are one refusal, in one wording', async () => {
    const { beforeRequest, beforeRetry, afterResponse, beforeError } = oktaKyHooks({ credential: countingCredential(okta.origin) });
    const partial = ky.create({ baseUrl: `${okta.origin}/`, hooks: { beforeRequest, beforeRetry, afterResponse, beforeError } });
    const whole = ky.create({ baseUrl: `${okta.origin}/`, hooks: oktaKyHooks({ credential: countingCredential(okta.origin) }) });
    const apart = await outcome(() => partial.get('api/v1/users/00u1'));
    const removed = await outcome(() => whole.get('api/v1/users/00u1', { hooks: { afterResponse: undefined } }));
    const message = 'The okta-auth ky hooks must be installed together (use every hook returned by oktaKyHooks; a call may add hooks, not remove them).';
    expect([apart, removed]).toEqual([expect.objectContaining({ code: 'INVALID_CONFIG', message }), expect.objectContaining({ code: 'INVALID_CONFIG', message })]);
    expect(okta.requests).toHaveLength(0);
  });

  it('init with beforeRequest removed: nothing of ours runs before ky sends, so it goes without the credential, and its answer is refused (documented)', async () => {
    const api = ky.create({ baseUrl: `${okta.origin}/`, retry: { limit: 3 }, hooks: oktaKyHooks({ credential: countingCredential(okta.origin) }) });
    const error = await outcome(() => api.get('api/v1/users/00u1', { hooks: { init: undefined, beforeRequest: undefined } }));
    expect(error).toMatchObject({ name: 'OktaAuthError', code: 'INVALID_CONFIG', message: expect.stringMatching(/installed together/) });
    expect(okta.requests.map((request) => request.headers.authorization)).toEqual([undefined]);
  });

  it.each([
    ['hooks: undefined', undefined],
    ['replaceOption(hooks)', replaceOption({ afterResponse: [] })],
  ])('%s removes every hook, init too: the call is plain ky, sent without the credential (documented)', async (_name, hooks) => {
    const api = ky.create({ baseUrl: `${okta.origin}/`, retry: { limit: 3 }, hooks: oktaKyHooks({ credential: countingCredential(okta.origin) }) });
    const error = await outcome(() => api.get('api/v1/users/00u1', { hooks }));
    expect(error).toMatchObject({ name: 'HTTPError' });
    expect(inspect(error, { depth: 8 })).not.toContain('secret-token');
    expect(okta.requests.map((request) => request.headers.authorization)).toEqual([undefined]);
  });
});
