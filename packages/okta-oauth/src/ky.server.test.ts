import { createOktaKy } from '@org/okta-auth-core/ky';
import { describe, expect, it } from 'vitest';
import { claims, emulator, serviceApp, useEmulators } from './test-helpers/org.js';

useEmulators();

describe('service app credential through ky', () => {
  it('signs every attempt, including a revoked-token retry, through the ky hooks', async () => {
    const org = await emulator({ seed: { users: 2 } }); // and the org's seeded super admin
    const { credential, wire } = serviceApp(org);
    const api = createOktaKy({ credential, fetch: wire.fetch });
    expect(await api.get('api/v1/users', { searchParams: { limit: 2 } }).json()).toHaveLength(2);
    org.revokeAccessTokens();
    expect(await api.get('api/v1/users').json()).toHaveLength(3);
    const calls = wire.apiRequests();
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => claims(c.headers.get('dpop')).jti)).size).toBe(3);
    expect(calls[2]?.headers.get('authorization')).not.toBe(calls[1]?.headers.get('authorization'));
    expect(calls.every((c) => claims(c.headers.get('dpop')).htu === `${org.url}/api/v1/users`)).toBe(true);
  });
});
