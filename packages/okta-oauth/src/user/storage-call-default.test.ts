/**
 * A sign-in client's `storage` call is bounded by the client's `timeoutMs`, 30 s by default
 * (docs/SECURITY.md, Bounds; `callStorage`): a storage whose `get` never settles fails
 * `restoreCredential` with `TIMEOUT` exactly 30 s after the call, not before. On vitest's fake
 * timers: no request is made (restoring reads the storage only), and no real time passes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSignInClient, restoreCredential, type OktaStorage } from '../index.js';

afterEach(() => {
  vi.useRealTimers();
});

describe("a sign-in client's storage call", () => {
  it('is given up on exactly 30 s (the default timeoutMs) after it started', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let asked = 0;
    const storage: OktaStorage = { get: () => (asked++, new Promise<never>(() => undefined)), set: () => undefined, remove: () => undefined };
    const client = createSignInClient({ orgUrl: 'https://acme.okta.com', clientId: '0oa1b2c3d4', redirectUri: 'https://app.example.com/callback', scopes: ['openid'], storage });
    let outcome: unknown = 'waiting';
    void restoreCredential(client, { storage }).then(
      (credential) => (outcome = credential),
      (error: unknown) => (outcome = error),
    );
    await vi.advanceTimersByTimeAsync(29_999);
    expect({ asked, outcome }).toEqual({ asked: 1, outcome: 'waiting' });
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/^The sign-in storage get\(\) did not settle within 30000 ms \(timeoutMs\)/) });
  });
});
