/**
 * An `idTokenVerifier` is user code bounded by twice the client's `timeoutMs` (room for its own
 * discovery and key set fetches, each bounded by `timeoutMs`): docs/SECURITY.md, Bounds. The sign-in
 * runs over real HTTP against @org/okta-emulator; only the wait for the verifier runs on a moved
 * clock (fake `setTimeout`, installed after the sign-in form, so the emulator's answers are real).
 */
import type { OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { leanSignInClient as createSignInClient } from './test-helpers/sign-in-org.js';
import { login, password, signInTimeoutMs, spaOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
let org: OktaEmulator;
beforeEach(() => {
  ({ org } = env);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the bound on an idTokenVerifier', () => {
  it('waits for a verifier that never settles exactly twice timeoutMs, then TIMEOUT', async () => {
    const timeoutMs = signInTimeoutMs;
    let reached!: () => void;
    const verifierCalled = new Promise<void>((resolve) => (reached = resolve));
    const signInClient = spaOf(org, { timeoutMs, idTokenVerifier: () => (reached(), new Promise<void>(() => undefined)) }, undefined, createSignInClient);
    const { url, transaction } = await signInClient.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let outcome: unknown = 'pending';
    void signInClient.finishSignIn(callback, transaction).then(
      () => (outcome = 'signed in'),
      (error: unknown) => (outcome = error),
    );
    await verifierCalled;
    await vi.advanceTimersByTimeAsync(2 * timeoutMs - 1);
    expect(outcome).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    // One turn of the event loop (setImmediate is not faked): the rejection's continuations run.
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcome).toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining(`The idTokenVerifier did not settle within ${2 * timeoutMs} ms`) });
  });
});
