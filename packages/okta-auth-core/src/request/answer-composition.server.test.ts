/**
 * The answer bound (`boundAnswer`) composes with what your `fetch` is (ra144): a `fetch` whose answer's
 * body is no web stream (node-fetch 2's is a Node stream) is handed on as it came, its reads its own;
 * an answer bounded already (your `fetch` another OktaFetch, or ky hooks over one) is bounded once.
 * Before, every read failed: `stream.getReader is not a function`, then "Cannot redefine property: body".
 */
import { createRequire } from 'node:module';
import ky from 'ky';
import { oktaKyHooks } from '../ky/hooks.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { itWithScriptedServer as it } from '../test-helpers/scripted-server.js';
import { createOktaFetch } from './okta-fetch.js';

/** node-fetch 2, from the lockfile (a dependency of @okta/okta-sdk-nodejs, hoisted by pnpm). */
const nodeFetch = createRequire(new URL('../../../../node_modules/.pnpm/node_modules/', import.meta.url))('node-fetch') as (url: string, init: object) => Promise<Response>;

it('a fetch resolving with a node-fetch answer (a Node stream body): read as it came', async ({ okta, expect }) => {
  okta.handle((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    return nodeFetch(request.url, { method: request.method, headers: Object.fromEntries(request.headers) });
  };
  const okf = createOktaFetch({ credential: countingCredential(okta.origin), fetch });
  expect([await (await okf('/api/v1/users')).json(), await (await okf('/api/v1/users')).text()]).toEqual([[], '[]']);
});

it('an answer bounded already (your fetch an OktaFetch, or ky hooks over one) is bounded once, each read as without', async ({ okta, expect }) => {
  okta.handle((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('[]'));
  const inner = createOktaFetch({ credential: countingCredential(okta.origin) });
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => inner(new Request(input, init).url);
  const outer = createOktaFetch({ credential: countingCredential(okta.origin), fetch });
  const hooked = ky.create({ baseUrl: `${okta.origin}/`, fetch, hooks: oktaKyHooks({ credential: countingCredential(okta.origin) }) });
  const read = await outer('/api/v1/users');
  expect(read.body).toBeInstanceOf(ReadableStream);
  expect([await (await outer('/api/v1/users')).json(), await read.text(), await hooked.get('api/v1/users').json(), await (await hooked.get('api/v1/users')).text()]).toEqual([[], '[]', [], '[]']);
});
