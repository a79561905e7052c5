/**
 * A `TIMEOUT` of the ky driver names the bound that fired: `timeoutMs`, ky's `timeout` (a call's
 * own, shorter one) or ky's `totalTimeout`, given on a call, an `extend` or the base instance, with
 * its number. The org never answers within the test.
 */
import { json, startScriptedServer, type ScriptedServer } from '@org/okta-test-utils';
import ky, { type Options } from 'ky';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

let okta: ScriptedServer;

beforeEach(async () => {
  // Never answers: every call ends by a timeout.
  okta = await startScriptedServer(() => undefined);
});
afterEach(async () => {
  await okta.close();
});

async function message(call: () => Promise<unknown>): Promise<string> {
  const error = await Promise.resolve().then(call).then(() => undefined, (e: unknown) => e);
  expect(error).toMatchObject({ code: 'TIMEOUT' });
  return (error as Error).message;
}

describe('createOktaKy: a TIMEOUT names the bound that fired', () => {
  const api = (extra: { ky?: typeof ky; timeoutMs?: number } = {}) => createOktaKy({ credential: countingCredential(okta.origin), timeoutMs: 30_000, ...extra });
  const rows: [string, () => Promise<unknown>, RegExp][] = [
    ['timeoutMs', () => api({ timeoutMs: 200 }).get('api/v1/users'), /within 200 ms \(timeoutMs\)/],
    ["a call's totalTimeout", () => api().get('api/v1/users', { totalTimeout: 200 }), /within 200 ms \(ky's totalTimeout\)/],
    ["a call's shorter timeout", () => api().get('api/v1/users', { timeout: 200 }), /within 200 ms \(ky's timeout\)/],
    ["an extend's totalTimeout", () => api().extend({ totalTimeout: 200 }).get('api/v1/users'), /within 200 ms \(ky's totalTimeout\)/],
    ["an extend function's timeout", () => api().extend(() => ({ timeout: 200 })).get('api/v1/users'), /within 200 ms \(ky's timeout\)/],
    ["the base instance's totalTimeout", () => api({ ky: ky.create({ totalTimeout: 200 }) }).get('api/v1/users'), /within 200 ms \(ky's totalTimeout\)/],
    ["a call's timeout: false (timeoutMs fires)", () => api({ timeoutMs: 200 }).get('api/v1/users', { timeout: false }), /within 200 ms \(timeoutMs\)/],
    ["a call's timeout shorter than its totalTimeout", () => api().get('api/v1/users', { timeout: 200, totalTimeout: 60_000 }), /within 200 ms \(ky's timeout\)/],
    ["an extend function handing back the instance's timeout", () => api({ timeoutMs: 200 }).extend((parent) => ({ ...parent, headers: { 'x-test': '1' } })).get('api/v1/users'), /within 200 ms \(timeoutMs\)/],
  ];
  it.each(rows)('%s', async (_, call, expected) => {
    expect(await message(call)).toMatch(expected);
  });
});

describe('createOktaKy: a totalTimeout that ends the wait before a retry is named, not the shorter timeout', () => {
  it("a 429 whose wait outlasts what is left of totalTimeout: ky's totalTimeout", async () => {
    okta.handle((_req, res) => json(res, 429, { errorCode: 'E0000047' }, { 'retry-after': '5' }));
    const api = createOktaKy({ credential: countingCredential(okta.origin), timeoutMs: 30_000 });
    // The 429 must come back within the attempt's own timeout, also on a loaded machine: seconds, not 200 ms.
    expect(await message(() => api.get('api/v1/users', { timeout: 2_000, totalTimeout: 4_000 }))).toMatch(/within 4000 ms \(ky's totalTimeout\)/);
  });
});

describe('oktaKyHooks on your own instance: a TIMEOUT names the bound that fired', () => {
  const mine = (options: Options) => ky.create({ baseUrl: `${okta.origin}/`, retry: 0, ...options, hooks: oktaKyHooks({ credential: countingCredential(okta.origin), timeoutMs: 30_000 }) });
  const rows: [string, () => Promise<unknown>, RegExp][] = [
    ["the instance's timeout", () => mine({ timeout: 200 }).get('api/v1/users'), /within 200 ms \(ky's timeout\)/],
    ["a call's totalTimeout", () => mine({}).get('api/v1/users', { totalTimeout: 200 }), /within 200 ms \(ky's totalTimeout\)/],
    ["the instance's timeout, the same as timeoutMs", () => ky.create({ baseUrl: `${okta.origin}/`, retry: 0, timeout: 200, hooks: oktaKyHooks({ credential: countingCredential(okta.origin), timeoutMs: 200 }) }).get('api/v1/users'), /within 200 ms \(timeoutMs\)/],
  ];
  it.each(rows)('%s', async (_, call, expected) => {
    expect(await message(call)).toMatch(expected);
  });
});
