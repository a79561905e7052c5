// What a JavaScript caller may get wrong, on every runtime: a call's URL that is no string, URL or
// Request (core's one check, request-url.ts, for both drivers), null as a walk's options, and a
// next link to another origin (ORIGIN_MISMATCH without quoting it). Each refusal is typed, and
// the org's request counters show nothing was sent.
import { createOktaFetch, isOktaAuthError, paginate, paginatePages, pollSystemLog } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { createSswsCredential } from '@org/okta-ssws';
import { equal, errorTexts, notContains, ok, rejects } from '../assert.js';
import { emulator, withFaults } from './faults.js';

function credential(fixture) {
  return createSswsCredential({ orgUrl: fixture.orgUrl, token: fixture.ssws.token, allowInsecureLoopback: true });
}

/** The org's request counters (`/__emulator/*` calls are not counted). */
async function requests(fixture) {
  return JSON.stringify((await emulator(fixture.orgUrl, 'GET', 'counters')).json.requests);
}

/**
 * Another realm's Request and URL: a same-origin iframe's, where there is a page (Chromium, Firefox, WebKit). The
 * other runtimes reach no second realm with web standards alone (Node.js's would be `node:vm`,
 * which the portable suite does not import; Bun's ShadowRealm passes no object out), so there a
 * look-alike object stands in for it, as a polyfill's Request would be.
 */
function otherRealm(users) {
  const page = globalThis.document;
  if (page === undefined) {
    return {
      request: { url: users, method: 'DELETE', headers: new Headers(), toString: () => '[object Request]' },
      url: { href: users, toString: () => users },
      close: () => undefined,
    };
  }
  const frame = page.createElement('iframe');
  page.body.append(frame);
  const realm = frame.contentWindow;
  ok(realm.Request !== Request && realm.URL !== URL, "the iframe's realm has its own Request and URL");
  return { request: new realm.Request(users, { method: 'DELETE' }), url: new realm.URL(users), close: () => frame.remove() };
}

const refusal = (driver) => `The URL passed to ${driver} is not a valid URL: pass a path such as "/api/v1/users" or a URL on the org.`;

export const inputCases = [
  {
    name: "core: a call's URL that is an object, an array or another realm's Request or URL is INVALID_CONFIG, nothing sent (fetch wrapper and ky)",
    async run(fixture) {
      const users = `${fixture.orgUrl}/api/v1/users`;
      const realm = otherRealm(users);
      try {
        const okta = createOktaFetch({ credential: credential(fixture) });
        const api = createOktaKy({ credential: credential(fixture) });
        const before = await requests(fixture);
        const inputs = { 'a plain object': {}, 'an empty array': [], 'an array holding a path': ['api/v1/users'], "another realm's Request": realm.request, "another realm's URL": realm.url };
        for (const [label, input] of Object.entries(inputs)) {
          for (const [driver, call] of [['the Okta fetch', () => okta(input)], ['the Okta ky instance', () => api.get(input)], ['the Okta ky instance', () => api(input)]]) {
            const error = await rejects(call, `${driver} sent ${label}`);
            ok(isOktaAuthError(error), `${label}: isOktaAuthError, got ${String(error)}`);
            equal(error.code, 'INVALID_CONFIG', `${label} through ${driver}: code`);
            equal(error.message, refusal(driver), `${label} through ${driver}: message`);
            notContains(errorTexts(error), fixture.ssws.token, 'the token leaked');
          }
        }
        equal(await requests(fixture), before, 'the org received nothing');
        // The same call with a string, a URL or this realm's Request goes.
        for (const input of ['/api/v1/users?limit=1', new URL(`${users}?limit=1`), new Request(`${users}?limit=1`)]) equal((await okta(input)).status, 200, `${String(input)} went`);
      } finally {
        realm.close();
      }
    },
  },
  {
    name: "core: the walks take null options as none; a next link to another origin is ORIGIN_MISMATCH, one carrying the token INVALID_RESPONSE before its page, neither quoted",
    async run(fixture) {
      const okta = createOktaFetch({ credential: credential(fixture) });
      let users = 0;
      for await (const page of paginatePages(okta, '/api/v1/users?limit=10', null)) users += page.items.length;
      equal(users, fixture.userCount, 'paginatePages(…, null): every user');
      const items = [];
      for await (const user of paginate(okta, '/api/v1/users?limit=10', null)) items.push(user);
      equal(items.length, fixture.userCount, 'paginate(…, null): every user');
      // pollSystemLog(…, null): the first page, then stop (its default wait is a minute).
      for await (const page of pollSystemLog(okta, '/api/v1/logs?limit=1', null)) {
        ok(Array.isArray(page.items), 'pollSystemLog(…, null): a page');
        break;
      }
      // The walk of the org's users whose first page links its next one to `next`: the users it yielded, and how it ended.
      const walkLinkedTo = async (next, what) => {
        const seen = [];
        const error = await withFaults(fixture, [{ path: '/api/v1/users', kind: 'headers', headers: { link: `<${next}>; rel="next"` }, count: 1 }], () =>
          rejects(async () => {
            for await (const user of paginate(okta, '/api/v1/users?limit=3', null)) seen.push(user);
          }, what),
        );
        ok(isOktaAuthError(error), `isOktaAuthError, got ${String(error)}`);
        notContains(errorTexts(error), `${fixture.otherOrigin}/`, 'the other origin is quoted');
        notContains(errorTexts(error), fixture.ssws.token, 'the token leaked');
        return { seen, error };
      };
      // The org's first page links to another origin: the walk stops there, and the error names neither it nor the token.
      const across = await walkLinkedTo(`${fixture.otherOrigin}/api/v1/users?after=cursor-1`, 'the walk followed a next link to another origin');
      equal(across.seen.length, 3, 'the first page');
      equal(across.error.code, 'ORIGIN_MISMATCH', 'code');
      equal(across.error.message, `Refusing to send Okta credentials to another origin: this client only talks to ${fixture.orgUrl}. Use a relative path, or a client for that org.`, 'message');
      // A next link that echoes the token (any origin) is refused with the page that carries it: no page, no request, no quote.
      const echoed = await walkLinkedTo(`${fixture.otherOrigin}/api/v1/users?after=${encodeURIComponent(fixture.ssws.token)}`, 'the walk handed out a next link carrying the token');
      equal(echoed.seen.length, 0, 'users of the page that carried the link');
      equal(echoed.error.code, 'INVALID_RESPONSE', 'code');
    },
  },
];
