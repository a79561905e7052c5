/**
 * createOktaKy judges answers in the fetch it gives ky, not in an afterResponse hook: ky clones
 * every answer once per afterResponse hook, so a 2xx through our instance is never cloned,
 * while 429s, challenges and the user's own hooks behave as through `oktaKyHooks`.
 */
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import ky from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

let okta: ScriptedServer;

beforeEach(async () => {
  okta = await startScriptedServer((_req, res) => json(res, 200, { ok: true }));
});
afterEach(async () => {
  await okta.close();
});

describe('createOktaKy', () => {
  it('clones no 2xx answer (the oktaKyHooks afterResponse hook costs ky one clone)', async () => {
    const clone = vi.spyOn(Response.prototype, 'clone');
    const credential = countingCredential(okta.origin);
    await expect(createOktaKy({ credential }).get('api/v1/users').json()).resolves.toEqual({ ok: true });
    expect(clone).not.toHaveBeenCalled();
    await ky.create({ baseUrl: `${okta.origin}/`, hooks: oktaKyHooks({ credential }) }).get('api/v1/users').json();
    expect(clone).toHaveBeenCalledTimes(1);
  });

  it("retries a 429 through ky's retry (re-authorized) and runs the base instance's own hooks and fetch", async () => {
    okta.handle((_req, res, index) => (index === 0 ? json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '0' }) : json(res, 200, { ok: true })));
    const seen: number[] = [];
    const fetched: string[] = [];
    const base = ky.create({
      fetch: (input, init) => {
        fetched.push((input as Request).url);
        return fetch(input, init);
      },
      hooks: { afterResponse: [({ response }) => void seen.push(response.status)] },
    });
    const api = createOktaKy({ credential: countingCredential(okta.origin), ky: base });
    await expect(api.get('api/v1/users').json()).resolves.toEqual({ ok: true });
    expect(okta.requests.map((r) => r.headers.authorization)).toEqual(['Test secret-token-value-1', 'Test secret-token-value-2']);
    expect(fetched).toHaveLength(2);
    // The 429 was judged (and retried) in fetch: the user's hook sees only the final answer.
    expect(seen).toEqual([200]);
  });
});
