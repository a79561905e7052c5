/**
 * Authorizing is not transport: whatever a credential's `authorize` throws (a vault that is down,
 * a throwing `onTokens`, a custom error class) reaches the caller as itself, through each of the
 * three drivers, and nothing is sent.
 */
import { describe, expect, it } from 'vitest';
import type { OktaCredential } from '../credential.js';
import { drivers } from '../test-helpers/drivers.js';
import { json } from '@org/okta-test-utils';
import { useScriptedServer } from '../test-helpers/scripted-server.js';

class VaultUnavailable extends Error {
  readonly code = 'VAULT_DOWN';
}

const okta = useScriptedServer((_req, res) => json(res, 200, { ok: true }));

/** A credential whose authorize fails in one of the ways user code does. */
function failing(origin: string, how: 'sync throw' | 'async reject' | 'custom class', error: Error): OktaCredential {
  return {
    kind: 'vault',
    origin,
    authorize: () => {
      if (how === 'sync throw') throw error;
      return Promise.reject(error);
    },
  };
}

const cases = [
  ['sync throw', new TypeError('vault client misconfigured')],
  ['async reject', new Error('vault sealed')],
  ['custom class', new VaultUnavailable('vault is down')],
] as const;

describe.each(Object.keys(drivers))('a throwing credential through %s', (name) => {
  const driver = drivers[name]!;

  it.each(cases)('%s: the caller gets the very error, and nothing is sent', async (how, thrown) => {
    const client = driver({ credential: failing(okta.origin, how, thrown) });
    const got: unknown = await client.getJson('/api/v1/users/me').then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(got).toBe(thrown);
    const post: unknown = await client.postJson('/api/v1/users', { a: 1 }).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(post).toBe(thrown);
    expect(okta.requests).toHaveLength(0);
  });

  it('a credential that throws only when re-authorizing a retry: the caller gets that error', async () => {
    const thrown = new VaultUnavailable('vault went down between attempts');
    let calls = 0;
    okta.handle((_req, res) => json(res, 401, { errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorLink: 'E0000011', errorId: 'x', errorCauses: [] }));
    const client = driver({
      credential: {
        kind: 'vault',
        origin: okta.origin,
        authorize: () => (++calls === 1 ? Promise.resolve({ authorization: 'Bearer first-token-value-123' }) : Promise.reject(thrown)),
        challenge: () => Promise.resolve(true),
      },
    });
    const got: unknown = await client.getJson('/api/v1/users/me').then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(got).toBe(thrown);
    expect(okta.requests).toHaveLength(1);
  });
});
