/**
 * An org's first signing key is made off the event loop (`SigningKeys.ready`), in a process whose
 * pool has no RSA pair ready (isolated: the pool is the process's). Made synchronously in the request,
 * an RSA key held the loop up to 6 s under load, and every client sharing it timed out meanwhile
 * (tests/reliability's faults.server.test.ts: `TIMEOUT` while a credential was authorizing).
 */
import { compactVerify, importJWK, type JWK } from 'jose';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startEmulator } from '../index.js';
import { REDIRECT, userTokens } from '../test-helpers/user-tokens.js';
import { keyPairPool } from './key-pair.js';

describe("an org's first signing key", () => {
  it('is made off the event loop, one for the requests that need it at once, and signs the first ID token', async () => {
    const org = await startEmulator();
    onTestFinished(() => org.close());
    org.createUser({ login: 'ada@example.com', password: 'Correct-Horse1', firstName: 'Ada', lastName: 'Lovelace' });
    const spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    expect(keyPairPool.ready('RSA')).toBe(0);
    const [tokens, ...published] = await Promise.all([
      userTokens(org, spa.clientId, 'ada@example.com', 'Correct-Horse1', 'openid'),
      ...[1, 2].map(async () => ((await (await fetch(`${org.url}/oauth2/v1/keys`)).json()) as { keys: JWK[] }).keys),
    ]);
    expect(keyPairPool.counts.made.RSA).toBe(0);
    expect(keyPairPool.counts.awaited.RSA).toBe(1);
    expect(published[0]).toHaveLength(1);
    expect(published[1]).toEqual(published[0]);
    const [key] = published[0] ?? [];
    await expect(compactVerify(tokens.id_token ?? '', await importJWK(key ?? {}, 'RS256'))).resolves.toBeDefined();
  });
});
