/**
 * What bounds a 2xx body through `oktaKyHooks` on the user's own ky instance, whose fetch core
 * does not own (core README, "Decisions"): ky's `timeout` bounds a read through the
 * ResponsePromise's shortcuts (`.json()`, `.text()`: ky 2.1 races the read against it), typed as
 * core's `TIMEOUT`; a read of the Response itself neither ky's `timeout` nor the hooks'
 * `timeoutMs` bounds, only the caller's signal. A body that stalls after its headers is the scripted server's (the
 * emulator always finishes its answers).
 */
import { failure } from '@org/okta-test-utils';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScriptedServer } from '@org/okta-test-utils';
import ky from 'ky';
import { describe } from 'vitest';
import { isOktaAuthError } from '../errors/errors.js';
import type { OktaLogEvent } from '../config/logger.js';
import { readWhileCollecting } from '../test-helpers/collecting.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { itWithScriptedServer } from '../test-helpers/scripted-server.js';
import { oktaKyHooks } from './hooks.js';

/**
 * Each test's own org (the okta fixture), answering headers, then the start of a body, then nothing. The two
 * reads through ky's shortcuts run at once; the four that collect garbage every 20 ms run one at a time, after
 * them: at once, their collections held the event loop past ky's 1 s for the headers in a full run of the package.
 */
const it = itWithScriptedServer.extend<{ stalling: ScriptedServer }>({
  stalling: async ({ okta }, use) => {
    okta.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":"never ends');
    });
    await use(okta);
  },
});

/** Long enough for the headers to come on a loaded machine; the stalled body never does. */
const timeout = 1000;
/** The user's own instance on `okta`, its hooks logging to `events`. */
function ownInstance(okta: ScriptedServer, events: string[], redirect: RequestRedirect = 'follow') {
  const logger = (event: OktaLogEvent) => events.push(`${event.type}${'code' in event ? `:${event.code}` : ''}`);
  // The hooks' timeoutMs far above ky's timeout: a read it bounded would end after the test.
  return ky.create({ baseUrl: `${okta.origin}/`, timeout, redirect, hooks: oktaKyHooks({ credential: countingCredential(okta.origin), timeoutMs: 60_000, logger }) });
}

describe('oktaKyHooks on your own instance, a 2xx body that stalls', () => {
  it.concurrent.for(['json', 'text'] as const)("read through the ResponsePromise's .%s(): ky's timeout ends it, as core's TIMEOUT", async (shortcut, { stalling: okta, expect }) => {
    const events: string[] = [];
    const error: unknown = await failure(ownInstance(okta, events).get('api/v1/users')[shortcut]());
    expect(isOktaAuthError(error) && error.code).toBe('TIMEOUT');
    expect(events).toEqual(['request', 'response', 'error:TIMEOUT']);
  });

  // 'follow' (ky's default): the hooks send a copy of ky's Request that refuses redirects; 'manual': ky's own.
  it.for(['follow', 'manual'] as const)("read from the Response itself (redirect %s): neither ky's timeout nor the hooks' timeoutMs ends it, the caller's signal does, also after a garbage collection", async (redirect, { stalling: okta, expect }) => {
    const caller = new AbortController();
    const events: string[] = [];
    const response = await ownInstance(okta, events, redirect).get('api/v1/users', { signal: caller.signal });
    // undici follows the signal of the Request ky sent through a weak reference (nodejs/node#55428):
    // once that Request is collected, an abort no longer reaches the body, unless something holds it.
    const read = readWhileCollecting(response);
    // Three times ky's timeout.
    expect(await Promise.race([read, sleep(3 * timeout, 'pending')])).toBe('pending');
    expect(events).toEqual(['request', 'response']);
    const reason = new Error('the caller gave up');
    caller.abort(reason);
    // The abort's own outcome, however long a loaded machine takes (one that never came fails by the test's timeout).
    expect(await read).toBe(reason);
  });

  it.for(['follow', 'manual'] as const)("read from its body alone, the Response dropped (redirect %s): the caller's signal still ends it after a garbage collection", async (redirect, { stalling: okta, expect }) => {
    const caller = new AbortController();
    // A caller that pipes the body keeps the stream, not the Response: the Request sent was held by
    // the Response, so a collection took it and the abort never reached the read (it hung).
    const body = await bodyOf(ownInstance(okta, [], redirect).get('api/v1/users', { signal: caller.signal }));
    const read = readWhileCollecting(new Response(body));
    expect(await Promise.race([read, sleep(timeout, 'pending')])).toBe('pending');
    const reason = new Error('the caller gave up');
    caller.abort(reason);
    expect(await read).toBe(reason);
  });
});

/** The answer's body, nothing else of it kept. */
async function bodyOf(response: Promise<Response>): Promise<ReadableStream<Uint8Array>> {
  const { body } = await response;
  if (body === null) throw new Error('a 2xx answer without a body');
  return body;
}
