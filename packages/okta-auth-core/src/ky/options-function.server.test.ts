/**
 * A createOktaKy instance's `extend` and `create` given a function, as ky 2 takes them: `extend`
 * calls it with the instance's options and merges what it returns (`undefined`: nothing, the
 * instance as it was), `create` takes no function (ky's refusal is its untyped `TypeError`: ours is
 * refused, as every create on the instance is: it would drop the org, the credential and the policy).
 */
import { failure, json } from '@org/okta-test-utils';
import ky, { type KyInstance, type ResponsePromise } from 'ky';
import { describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { thrown } from '../test-helpers/outcome.js';
import { createOktaKy } from './create-okta-ky.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

const okta = useScriptedServer((req, res) => json(res, 200, { authorization: req.headers.authorization }));

describe("a createOktaKy instance's extend and create given a function", () => {
  it('extend(fn) whose function returns nothing is the instance as it was, as ky takes it: authorized, answered', async () => {
    // ky 2: `extend(fn)` merges `fn(defaults)`, and its check of options lets `undefined` through (no TypeError).
    expect(thrown(() => ky.extend(() => undefined as never))).toBeUndefined();
    const credential = countingCredential(okta.origin);
    const extended = createOktaKy({ credential }).extend(() => undefined as never);
    expect(await extended.get('api/v1/users').json()).toEqual({ authorization: 'Test secret-token-value-1' });
    expect(okta.requests).toHaveLength(1);
  });

  it("create, with options or without, is INVALID_CONFIG: ky's create starts from ky's defaults, without the org, the credential or the policy", async () => {
    expect(thrown(() => ky.create((() => ({})) as never))).toBeInstanceOf(TypeError);
    // What create made before: a plain ky instance; a call through it reached the org without the credential.
    expect(await ky.create({ baseUrl: `${okta.origin}/` }).get('api/v1/users').json()).toEqual({});
    const instance = createOktaKy({ credential: countingCredential(okta.origin) });
    for (const options of [() => ({}), () => ({ retry: 5 }), () => undefined, 5, {}, { timeout: 5_000 }, undefined]) {
      expect(thrown(() => instance.create(options as never))).toMatchObject({
        name: 'OktaAuthError',
        code: 'INVALID_CONFIG',
        message: "create() would drop the org and credential: use extend(options), or createOktaKy({ credential, ky: ky.create(options) }).",
      });
    }
    expect(thrown(() => instance.extend({ timeout: 5_000 }).create())).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(okta.requests).toHaveLength(1);
  });
});

// Twentieth session (the red teams' leftovers): ky's `fetch` option on a call or an `extend` replaced the
// fetch createOktaKy gives ky, so the call went out without the credential and without the request policy.
describe("ky's fetch option on a createOktaKy call or extend", () => {
  const refusal = {
    name: 'OktaAuthError',
    code: 'INVALID_CONFIG',
    message: "ky's fetch option is refused here: give fetch to createOktaKy (the instance's fetch authorizes every attempt and applies the request policy).",
  };
  const mine: typeof fetch = (input, init) => globalThis.fetch(input, init);

  it('is INVALID_CONFIG naming createOktaKy\'s fetch option, nothing sent, where the call went out without the credential', async () => {
    const instance = createOktaKy({ credential: countingCredential(okta.origin) });
    const runs: (() => unknown)[] = [
      () => instance.get('api/v1/users', { fetch: mine }),
      () => instance('api/v1/users', { fetch: mine }),
      () => instance.post('api/v1/users', { fetch: mine, json: {} }),
      () => instance.extend({ fetch: mine }),
      () => instance.extend((parent) => ({ ...parent, fetch: mine })),
      () => instance.extend({ timeout: 5_000 }).get('api/v1/users', { fetch: mine }),
      // ky then calls the global fetch.
      () => instance.get('api/v1/users', { fetch: undefined }),
      () => instance.extend({ fetch: undefined }),
    ];
    for (const run of runs) {
      // A call's answer, or a call through the instance an extend made; what either threw.
      const outcome = await failure(() => {
        const result = run();
        return typeof result === 'function' ? (result as KyInstance).get('api/v1/users').json() : (result as ResponsePromise).json();
      });
      expect(outcome).toMatchObject(refusal);
    }
    expect(okta.requests).toHaveLength(0);
  });

  it("an extend function handing back the instance's own fetch changes nothing: authorized, answered", async () => {
    const extended = createOktaKy({ credential: countingCredential(okta.origin) }).extend((parent) => ({ ...parent, timeout: 5_000 }));
    expect(await extended.get('api/v1/users').json()).toEqual({ authorization: 'Test secret-token-value-1' });
    expect(okta.requests).toHaveLength(1);
  });

  it("createOktaKy's own fetch option is the supported way: it is called, and the call authorized", async () => {
    let called = 0;
    const instance = createOktaKy({ credential: countingCredential(okta.origin), fetch: (input, init) => ((called += 1), globalThis.fetch(input, init)) });
    expect(await instance.get('api/v1/users').json()).toEqual({ authorization: 'Test secret-token-value-1' });
    expect(called).toBe(1);
  });
});

describe("ky's retry option given as undefined on a createOktaKy call or extend", () => {
  it('is INVALID_CONFIG, nothing sent, where ky took it for its default retries (a DELETE sent three times)', async () => {
    okta.handle((_req, res) => json(res, 503, { errorCode: 'E0000009', errorSummary: 'Service unavailable' }));
    const instance = createOktaKy({ credential: countingCredential(okta.origin) });
    const runs: (() => unknown)[] = [
      // Not in ky's types under exactOptionalPropertyTypes; a JavaScript caller, or a looser tsconfig, passes it.
      () => instance.delete('api/v1/users/00u1', { retry: undefined }),
      () => instance.extend({ retry: undefined }),
      () => instance.extend(() => ({ retry: undefined })),
    ];
    for (const run of runs) {
      const outcome = await failure(() => {
        const result = run();
        return typeof result === 'function' ? (result as KyInstance).delete('api/v1/users/00u1') : result;
      });
      expect(outcome).toMatchObject({ code: 'INVALID_CONFIG', message: "ky's retry option is refused here: give retry to createOktaKy (false: one attempt per call)." });
    }
    expect(okta.requests).toHaveLength(0);
  });
});
