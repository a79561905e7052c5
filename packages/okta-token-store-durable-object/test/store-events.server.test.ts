/**
 * A Worker's logs said only `{ type: 'token-store', operation: 'get', outcome: 'error' }` for a namespace bound to a
 * class that answers 404: the failure's typed `code` and HTTP `status` now ride on the token-store and
 * rate-limit-coordinator events, never its message nor anything that could carry a secret.
 */
import { createOktaFetch, type OktaLogEvent } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createServiceAppCredential } from '@org/okta-oauth';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDurableObjectRateLimitCoordinator, createDurableObjectTokenStorage } from '../src/index.js';
import { objectNamespace } from '../src/test-helpers/memory-storage.js';

let org: OktaEmulator;
beforeAll(async () => {
  org = await startEmulator({ seed: { users: 1 } });
});
afterAll(async () => {
  await org.close();
});

it("a namespace that answers 404: the token-store and rate-limit-coordinator events carry the code and status, and no secret", async () => {
  const app = org.createServiceApp({ keyType: 'EC', scopes: ['okta.users.read'] });
  const { namespace } = objectNamespace(() => Promise.resolve(new Response(null, { status: 404 })));
  const events: OktaLogEvent[] = [];
  const logger = (event: OktaLogEvent) => events.push(event);
  const okta = createOktaFetch({
    credential: createServiceAppCredential({ orgUrl: org.url, clientId: app.clientId, privateKey: app.privateKeyPem, keyId: app.keyId, allowInsecureLoopback: true, scopes: ['okta.users.read'], tokenStore: createDurableObjectTokenStorage({ namespace }), logger }),
    rateLimitCoordinator: createDurableObjectRateLimitCoordinator({ namespace }),
    logger,
  });
  expect((await okta('/api/v1/users?limit=1')).status).toBe(200);
  const failed = events.filter((event) => event.type === 'token-store' || event.type === 'rate-limit-coordinator');
  expect(failed).toContainEqual(expect.objectContaining({ type: 'token-store', operation: 'get', outcome: 'error', code: 'STORE_UNAVAILABLE', status: 404 }));
  expect(failed).toContainEqual(expect.objectContaining({ type: 'rate-limit-coordinator', outcome: 'error', code: 'STORE_UNAVAILABLE', status: 404 }));
  const logged = JSON.stringify(events);
  expect(logged).not.toContain('answered HTTP');
  expect(logged).not.toContain('PRIVATE KEY');
  expect(logged).not.toMatch(/eyJ[\w-]{10,}/);
});
