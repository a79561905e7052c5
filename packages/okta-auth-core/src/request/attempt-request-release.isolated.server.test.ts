/**
 * The `Request` of an attempt (its `authorization` and `dpop` headers, a token request's form) is
 * let go once the answer's body is read and dropped, not kept by the attempt's timer until
 * `timeoutMs` runs out; while the body is read it stays reachable (`okta-fetch.isolated.server.test.ts`,
 * "the body timeout after a garbage collection", `ky/create-okta-ky.isolated.server.test.ts`).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { json } from '@org/okta-test-utils';
import ky from 'ky';
import { expect, it } from 'vitest';
import { executeOktaRequest } from './execute.js';
import { createOktaKy } from '../ky/create-okta-ky.js';
import { oktaKyHooks } from '../ky/hooks.js';
import { createOktaFetch } from './okta-fetch.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { useScriptedServer } from '../test-helpers/scripted-server.js';


const okta = useScriptedServer((_req, res) => json(res, 200, { ok: true }));

/** Whether `registered` (a FinalizationRegistry's) reports its target collected within 30 full collections, a timer's turn before each. */
async function collected(registered: Set<string>, name: string): Promise<boolean> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let round = 0; round < 30 && !registered.has(name); round++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
  }
  return registered.has(name);
}

// timeoutMs 60 s: the timer, had it kept the Request, would hold it past the test.
it.each([
  ['createOktaFetch given a Request', (fetch: typeof globalThis.fetch) => createOktaFetch({ credential: countingCredential(okta.origin), timeoutMs: 60_000, fetch })(new Request(`${okta.origin}/api/v1/users`))],
  ['a method package builder that returns a Request (token endpoint)', (fetch: typeof globalThis.fetch) =>
    executeOktaRequest(({ signal }) => Promise.resolve(new Request(`${okta.origin}/oauth2/v1/token`, { method: 'POST', body: 'refresh_token=refresh-token-value-secret', signal })), { origin: okta.origin, timeoutMs: 60_000, fetch })],
  ['createOktaKy', (fetch: typeof globalThis.fetch) => Promise.resolve(createOktaKy({ credential: countingCredential(okta.origin), timeoutMs: 60_000, fetch }).get('api/v1/users'))],
  ['oktaKyHooks on ky of its own', (fetch: typeof globalThis.fetch) =>
    Promise.resolve(ky.create({ baseUrl: `${okta.origin}/`, fetch, retry: { limit: 1, methods: [] }, hooks: oktaKyHooks({ credential: countingCredential(okta.origin), timeoutMs: 60_000 }) }).get('api/v1/users'))],
] as const)('%s: the Request sent is collectable once the answer is read and dropped', async (_name, call) => {
  const done = new Set<string>();
  const registry = new FinalizationRegistry<string>((name) => done.add(name));
  let sent = 0;
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (input instanceof Request) registry.register(input, `request ${++sent}`);
    return globalThis.fetch(input, init);
  };
  expect(await (await call(fetch)).json()).toEqual({ ok: true });
  expect(sent).toBe(1);
  expect(await collected(done, 'request 1')).toBe(true);
});
