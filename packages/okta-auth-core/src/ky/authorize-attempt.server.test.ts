/**
 * What authorizing each ky attempt (`ky/authorize.ts`) promises beyond the credential's headers,
 * in both placements (`createOktaKy`'s fetch, `oktaKyHooks` on your own instance):
 * - a form the caller sends (a `client_secret`, a `refresh_token` field) joins the attempt's one
 *   list of secrets (docs/SECURITY.md, "Listed when needed"), so an error answer that echoes it is
 *   scrubbed, against the emulator;
 * - in a browser, an attempt is never answered from (nor kept in) the HTTP cache (`AttemptPolicy.cache`):
 *   your own instance's request with `redirect: 'manual'` already is replaced by one with
 *   `cache: 'no-store'`, which fetch sends as `Pragma: no-cache` (seen by a scripted server; the
 *   browser is the runtime check's answer with `process` hidden while the hooks are made).
 * Mutation testing (nineteenth session) found no test of either: the form left out of the list, or
 * the request kept whenever it does not follow redirects, went unnoticed.
 */
import { failure, json, startScriptedServer } from '@org/okta-test-utils';
import ky from 'ky';
import { describe, expect, it, vi } from 'vitest';
import { isOktaApiError } from '../errors/api-error.js';
import type { OktaLogEvent } from '../config/logger.js';
import { useApiTokenOrg } from '../test-helpers/api-token-org.js';
import { countingCredential } from '../test-helpers/counting-credential.js';
import { printed } from '../test-helpers/printed.js';
import { createOktaKy } from './create-okta-ky.js';
import { oktaKyHooks } from './hooks.js';

const org = useApiTokenOrg();
/** Sent by the caller in a form field core knows to be secret; echoed by the org's error answer. */
const secret = 'form-client-secret-0123456789abcdef';

type Make = (logger: (event: OktaLogEvent) => void) => typeof ky;
const placements: [string, Make][] = [
  ['createOktaKy', (logger) => createOktaKy({ credential: org.ssws(org.org.url), retry: false, logger })],
  ['oktaKyHooks on your own instance', (logger) => ky.create({ baseUrl: `${org.org.url}/`, retry: 0, hooks: oktaKyHooks({ credential: org.ssws(org.org.url), retry: false, logger }) })],
];

describe("a form the caller sends, in the ky attempt's secrets", () => {
  it.each(placements)('%s: an error answer echoing its secret field is scrubbed from the error and the log', async (_name, make) => {
    // Every matching request: the org echoes the secret in its summary.
    org.org.injectFault({ path: '/api/v1/apps', kind: 'status', status: 400, body: { errorCode: 'E0000001', errorSummary: `Api validation failed: ${secret}`, errorId: 'e1' } });
    const events: OktaLogEvent[] = [];
    const api = make((event) => events.push(event));
    // A URLSearchParams body, and a string sent with the form type: both are the attempt's form.
    for (const body of [new URLSearchParams({ client_id: 'app', client_secret: secret }), `client_id=app&client_secret=${secret}`]) {
      events.length = 0;
      const error: unknown = await failure(api.post('api/v1/apps', { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
      expect(isOktaApiError(error) && error.status).toBe(400);
      expect((error as Error).message).toMatch(/^400 E0000001 Api validation failed: \[redacted …cdef\]/);
      expect(events.map((event) => event.type)).toEqual(['request', 'response', 'error']);
      const everything = [error, ...events].flatMap(printed).join('\n');
      expect(everything).not.toContain(secret);
    }
  });
});

describe('in a browser, no attempt from or into its HTTP cache', () => {
  it("oktaKyHooks: your own instance's request that does not follow redirects is still sent with cache: 'no-store'", async () => {
    const okta = await startScriptedServer((_req, res) => {
      json(res, 200, { id: 'u1' });
    });
    try {
      // The runtime is a browser's when neither Node.js, Deno, Bun nor workerd is seen: read once, as the hooks are made.
      vi.stubGlobal('process', undefined);
      let hooks: ReturnType<typeof oktaKyHooks>;
      try {
        hooks = oktaKyHooks({ credential: countingCredential(okta.origin) });
      } finally {
        vi.unstubAllGlobals();
      }
      const api = ky.create({ baseUrl: `${okta.origin}/`, redirect: 'manual', hooks });
      expect(await api.get('api/v1/users/me').json()).toEqual({ id: 'u1' });
      // Without cache: 'default' on the instance's request would be kept: no Pragma.
      const [sent] = okta.requests;
      expect(sent?.headers.pragma).toBe('no-cache');
      expect(sent?.headers['cache-control']).toBe('no-cache');
      // The browser's header for the User-Agent: the hooks were made as in a browser.
      expect(sent?.headers['x-okta-user-agent-extended']).toMatch(/^@org\/okta-auth-core\/\S+ browser$/);
    } finally {
      await okta.close();
    }
  });
});
