/**
 * A credential replaced because its tenant changed is logged (a new user's review of the OIN path,
 * fifty-first session): a tenant with a field that changes on every `get` (a `lastSeenAt`) made a new
 * credential, and so a token request, each time, and nothing said so.
 */
import { createOktaFetch, isOktaAuthError, type OktaCredential, type OktaLogEvent } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createMultiOrgCredentials } from './multi-org.js';
import { createOinAppCredential } from './oin-app.js';
import { emulator, useEmulators } from './test-helpers/org.js';

useEmulators();

interface Row { clientId: string; clientSecret: string; lastSeenAt: number }

describe('createMultiOrgCredentials logger', () => {
  it('logs credential-replaced, with the org and no secret, for each credential a changed tenant replaced; none for the same tenant', async () => {
    const org = await emulator();
    const app = org.createOinApp({ scopes: ['okta.users.read'] });
    const events: OktaLogEvent[] = [];
    const orgs = createMultiOrgCredentials({
      create: (orgUrl, t: Row) => createOinAppCredential({ orgUrl, clientId: t.clientId, clientSecret: t.clientSecret, scopes: ['okta.users.read'], allowInsecureLoopback: true }),
      logger: (event) => events.push(event),
    });
    const row = (lastSeenAt: number): Row => ({ clientId: app.clientId, clientSecret: app.clientSecret, lastSeenAt });
    for (const lastSeenAt of [1, 1, 2, 3]) await createOktaFetch({ credential: orgs.get(`${org.url}/`, row(lastSeenAt)) })('/api/v1/users');
    expect(org.counters().tokenRequests).toEqual({ client_credentials: { success: 3 } });
    expect(events).toEqual([
      { type: 'credential-replaced', origin: org.url },
      { type: 'credential-replaced', origin: org.url },
    ]);
    expect(JSON.stringify(events)).not.toContain(app.clientSecret);
  });

  it('logs nothing for an org made again after idleMs or delete(), and a logger that throws breaks no get', () => {
    const clock = { now: 0 };
    const credential: OktaCredential = { kind: 'fake', origin: 'https://a.okta.com', authorize: () => Promise.resolve({ authorization: 'Bearer 1' }) };
    const events: unknown[] = [];
    const orgs = createMultiOrgCredentials({ create: () => credential, idleMs: 10, now: () => clock.now, logger: (event) => { events.push(event); throw new Error('broken logger'); } });
    orgs.get('https://a.okta.com', { v: 1 });
    clock.now = 11;
    orgs.get('https://a.okta.com', { v: 2 });
    orgs.delete('https://a.okta.com');
    orgs.get('https://a.okta.com', { v: 3 });
    expect(events).toEqual([]);
    orgs.get('https://a.okta.com', { v: 4 });
    expect(events).toEqual([{ type: 'credential-replaced', origin: 'https://a.okta.com' }]);
  });

  it.each([['a string', 'console'], ['an object', {}]])('refuses %s as the logger, naming the option', async (_, logger) => {
    const error = await failure(() => createMultiOrgCredentials({ create: () => undefined as never, logger: logger as never }), isOktaAuthError);
    expect([error.code, error.message]).toEqual(['INVALID_CONFIG', 'The logger option must be a function that takes one event.']);
  });
});
