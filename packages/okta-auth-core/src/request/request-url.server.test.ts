/**
 * What the drivers take as a call's URL, one rule for both (`requestUrl`): a string, a `URL` or a
 * `Request`. Anything else is `INVALID_CONFIG` naming what to pass, with nothing sent: made text, a
 * plain object was the path `/[object Object]` and an array `/` (or its items joined), each sent
 * with the credential, and another realm's `Request` (a polyfill's, another copy of undici's) lost
 * its method, headers and body on the way.
 */
import ky from 'ky';
import { describe, expect, it } from 'vitest';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from './okta-fetch.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';

const ctx = useApiTokenOrg();

/** What a JavaScript caller may pass as the URL that is none of a string, a URL and a Request. */
const noUrls = (origin: string): [string, unknown][] => [
  ['a plain object', {}],
  ['an empty array', []],
  ['an array holding a path', ['api/v1/users']],
  ["another realm's Request", { url: `${origin}/api/v1/users/00u1`, method: 'DELETE', headers: new Headers(), toString: () => '[object Request]' }],
  ['a URL-like object', { href: `${origin}/api/v1/users`, toString: () => `${origin}/api/v1/users` }],
];

/** How a call ended: the error it rejected with, or the status it answered with. */
async function outcome(run: () => Promise<Response>): Promise<unknown> {
  try {
    return { status: (await run()).status };
  } catch (error) {
    return error;
  }
}

describe("a call's URL that is no string, URL or Request", () => {
  it('createOktaFetch refuses it with INVALID_CONFIG before anything is sent', async () => {
    const okta = createOktaFetch({ credential: ctx.ssws(ctx.org.url) });
    for (const [label, input] of noUrls(ctx.org.url)) {
      expect(await outcome(() => okta(input as string)), label).toMatchObject({
        code: 'INVALID_CONFIG',
        message: 'The URL passed to the Okta fetch is not a valid URL: pass a path such as "/api/v1/users" or a URL on the org.',
      });
    }
    expect(ctx.org.counters().requests).toEqual({});
  });

  it('a createOktaKy instance refuses it with the same words (not a header value message), nothing sent', async () => {
    const api = createOktaKy({ credential: ctx.ssws(ctx.org.url) });
    for (const [label, input] of noUrls(ctx.org.url)) {
      for (const [call, run] of [
        ['api', () => api(input as string)],
        ['api.get', () => api.get(input as string)],
        ['api.extend({}).delete', () => api.extend({}).delete(input as string)],
      ] as const) {
        expect(await outcome(run), `${call}(${label})`).toMatchObject({
          code: 'INVALID_CONFIG',
          message: 'The URL passed to the Okta ky instance is not a valid URL: pass a path such as "/api/v1/users" or a URL on the org.',
        });
      }
    }
    expect(ctx.org.counters().requests).toEqual({});
  });

  it('a string, a URL and a Request still go, to the path they name', async () => {
    const okta = createOktaFetch({ credential: ctx.ssws(ctx.org.url) });
    const api = createOktaKy({ credential: ctx.ssws(ctx.org.url) });
    const users = `${ctx.org.url}/api/v1/users`;
    for (const input of ['/api/v1/users', users, new URL(users), new Request(users)]) {
      expect(await outcome(() => okta(input))).toEqual({ status: 200 });
      expect(await outcome(() => api.get(typeof input === 'string' && input.startsWith('/') ? input.slice(1) : input))).toEqual({ status: 200 });
    }
    expect(ctx.org.counters().requests).toEqual({ 'GET /api/v1/users': 8 });
  });

  it("a URL with a user name or password, or one that does not parse, is refused by both drivers' one check", async () => {
    const okta = createOktaFetch({ credential: ctx.ssws(ctx.org.url) });
    const api = createOktaKy({ credential: ctx.ssws(ctx.org.url) });
    const host = new URL(ctx.org.url).host;
    const withUser = `http://admin:sentinel-password@${host}/api/v1/users`;
    // Both, a user name alone, a password alone: each is refused.
    for (const input of [withUser, new URL(withUser), `http://admin@${host}/api/v1/users`, new URL(`http://:sentinel-password@${host}/api/v1/users`)]) {
      for (const [driver, run] of [
        ['the Okta fetch', () => okta(input)],
        ['the Okta ky instance', () => api.get(input)],
      ] as const) {
        const error = await outcome(run);
        expect(error).toMatchObject({ code: 'INVALID_CONFIG', message: `The URL passed to ${driver} carries a user name or password: remove them (the credential authorizes every request).` });
        expect(JSON.stringify(error)).not.toContain('sentinel-password');
      }
    }
    // With an "@" or without (ky's own parse refused those with the header-value message).
    for (const bad of ['http://@:x', 'http://[', `${ctx.org.url.replace(/:\d+$/, ':99999')}/api/v1/users`]) {
      for (const [driver, run] of [
        ['the Okta fetch', () => okta(bad)],
        ['the Okta ky instance', () => api.get(bad)],
      ] as const) {
        expect(await outcome(run), `${driver}: ${bad}`).toMatchObject({ code: 'INVALID_CONFIG', message: `The URL passed to ${driver} is not a valid URL: pass a path such as "/api/v1/users" or a URL on the org.` });
      }
    }
    expect(ctx.org.counters().requests).toEqual({});
  });

  it('oktaKyHooks on your own instance: ky itself refuses such an input before any hook runs (nothing sent)', async () => {
    const mine = ky.create({ baseUrl: `${ctx.org.url}/`, hooks: oktaKyHooks({ credential: ctx.ssws(ctx.org.url) }) });
    // ky 2.2 rejects (ky 2.1 threw).
    for (const [, input] of noUrls(ctx.org.url)) await expect(Promise.resolve().then(() => mine.get(input as string))).rejects.toThrow(TypeError);
    expect(ctx.org.counters().requests).toEqual({});
  });
});
