/**
 * Issue 13: `explain` is told which answer it explains. Two requests on one service-app
 * credential fail at once with 403 `insufficient_scope` for different scopes (real HTTP against
 * the emulator); both answers are held until both arrived, so both challenges run before either
 * explanation. Each error must carry the advice for its own missing scope.
 */
import { createOktaFetch, isOktaApiError, type OktaApiError } from '@org/okta-auth-core';
import { createOktaKy } from '@org/okta-auth-core/ky';
import { describe, expect, it } from 'vitest';
import { emulator, serviceApp, useEmulators } from '../test-helpers/org.js';

useEmulators();

/** A fetch that holds each API answer until `count` of them arrived, then lets them all go. */
function barrierFetch(count: number): typeof fetch {
  let arrived = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : input);
    if (!url.pathname.startsWith('/api/v1/')) return response;
    if (++arrived === count) release();
    await all;
    return response;
  };
}

const paths = { '/api/v1/users': 'okta.users.read', '/api/v1/groups': 'okta.groups.read' } as const;

async function apiError(promise: Promise<unknown>): Promise<OktaApiError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  if (!isOktaApiError(error)) throw new Error(`expected an OktaApiError, got ${String(error)}`);
  return error;
}

describe.each(['fetch', 'ky'] as const)('concurrent 403 insufficient_scope through %s', (driver) => {
  it('gives each error the hint for its own missing scope', async () => {
    const org = await emulator({ seed: { users: 2 } });
    const { credential } = serviceApp(org, { scopes: ['okta.apps.read'] });
    const held = barrierFetch(2);
    const get =
      driver === 'fetch'
        ? ((okta) => (path: string) => okta(path))(createOktaFetch({ credential, fetch: held }))
        : ((api) => (path: string) => api.get(path.slice(1)))(createOktaKy({ credential, fetch: held }));
    const errors = await Promise.all(Object.keys(paths).map((path) => apiError(get(path))));
    for (const [i, [path, scope]] of Object.entries(paths).entries()) {
      const error = errors[i]!;
      const other = Object.values(paths).find((s) => s !== scope)!;
      expect(error.path).toBe(path);
      expect(error.missingScope).toBe(scope);
      expect(error.hint).toContain(`lacks the scope ${scope}: add it to the credential's scopes`);
      expect(error.hint).not.toContain(other);
    }
  });
});
