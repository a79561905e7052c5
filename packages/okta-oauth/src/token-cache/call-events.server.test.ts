/**
 * A `token-store` event raised while a call's credential gets its token (the store failed its read
 * or write: the credential went on in memory) carried no `call` (session 50), unlike the call's own
 * events: with calls at once, a logger could not tell whose request the store slowed or failed. Now
 * the credential passes the attempt's `call` (core's `RequestAttempt.call`) to its token cache, and
 * a renewal's store events carry the call that began it; a call that joined the renewal raises
 * none, and the token request is a call of its own. Two calls at once through each core driver,
 * over real HTTP against @org/okta-emulator, on a token store that fails every call.
 */
import { createOktaFetch, type OktaLogEvent, type OktaLogger, type RequestAttempt } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { describe, expect, it } from 'vitest';
import { createServiceAppCredential } from '../service-app.js';
import { emulator, useEmulators } from '../test-helpers/org.js';
import type { TokenStore } from './token-store.js';

useEmulators();

const down = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
const failing: TokenStore = { get: down, set: down, delete: down };

/** The two calls at once, through one driver, with a credential on `failing`. */
const drivers: Record<string, (credential: ReturnType<typeof createServiceAppCredential>, logger: OktaLogger) => () => Promise<unknown>> = {
  fetch: (credential, logger) => {
    const okta = createOktaFetch({ credential, logger });
    return () => Promise.all([okta('/api/v1/users'), okta('/api/v1/groups')]);
  },
  ky: (credential, logger) => {
    const api = createOktaKy({ credential, logger });
    return () => Promise.all([api.get('api/v1/users').json(), api.get('api/v1/groups').json()]);
  },
};

describe.each(Object.entries(drivers))('the token-store events of a call (%s)', (_name, driver) => {
  it("carry the number of the call whose authorize began the renewal, not the other call's", async () => {
    const org = await emulator({ seed: { users: 1 } });
    const app = org.createServiceApp({ keyType: 'EC', requireDpop: false, scopes: ['okta.users.read', 'okta.groups.read'] });
    const events: OktaLogEvent[] = [];
    const logger: OktaLogger = (event) => void events.push(event);
    const credential = createServiceAppCredential({
      orgUrl: org.url,
      clientId: app.clientId,
      privateKey: app.privateKeyPem,
      keyId: app.keyId,
      scopes: ['okta.users.read', 'okta.groups.read'],
      dpop: 'off',
      tokenStore: failing,
      allowInsecureLoopback: true,
      logger,
    });
    // The call of the first attempt authorized: the one that begins the renewal (the other joins it).
    const authorized: (number | undefined)[] = [];
    const watched = {
      ...credential,
      authorize: (attempt: RequestAttempt) => {
        authorized.push(attempt.call);
        return credential.authorize(attempt);
      },
    };
    await driver(watched, logger)();

    const calls = (path: string) => events.flatMap((event) => (event.type === 'request' && new URL(event.url).pathname === path ? [event.call] : []));
    const [users, groups, token] = [calls('/api/v1/users'), calls('/api/v1/groups'), calls('/oauth2/v1/token')];
    expect([users, groups, token].map((numbers) => numbers.length)).toEqual([1, 1, 1]);
    expect(new Set([...users, ...groups, ...token]).size).toBe(3);
    const [began] = authorized;
    expect([...authorized].sort()).toEqual([...users, ...groups].sort());
    // The store's read, and its write of the token obtained: the renewal's, begun by the first call's authorize.
    expect(events.filter((event) => event.type === 'token-store')).toEqual([
      { type: 'token-store', operation: 'get', outcome: 'error', call: began },
      { type: 'token-store', operation: 'set', outcome: 'error', call: began },
    ]);
  });
});
