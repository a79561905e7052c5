/**
 * A sign-in transaction is bound to the client that started it (its org origin and client id): an
 * app signing users in at several orgs that hands org A's transaction to org B's client would
 * otherwise send org A's code and PKCE verifier to org B's token endpoint (mix-up, RFC 9700 §4.4),
 * where `checkArrival` cannot tell them apart: a callback passed as its `URLSearchParams` (no
 * address), or both orgs' clients on one redirect URI. Refused as `INVALID_TRANSACTION` before any
 * token request, on both paths (transaction passed, found by `state` in a shared storage, where a
 * hostile org names its client with the honest one's client id). A transaction stored by a version
 * before these fields (a deploy's overlap) is still taken.
 */
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from './storage.js';
import type { SignInTransaction } from './transaction.js';
import { clientFor, login, password, redirectUri, signInFailure as failure, transactionKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const others: OktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(others.splice(0).map((other) => other.close()));
});

const tokenRequests = (org: OktaEmulator): number => org.counters().requests['POST /oauth2/v1/token'] ?? 0;
/** A transaction as the previous version made it: without the client that started it. */
const legacyOf = (t: SignInTransaction): SignInTransaction =>
  Object.fromEntries(Object.entries(t).filter(([name]) => name !== 'origin' && name !== 'clientId')) as unknown as SignInTransaction;
const app = (org: OktaEmulator) => org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });

/** A sign-in started at org A (the test's org) and its callback's parameters, and org B. */
async function startedAtA(storage = createMemoryStorage()) {
  const appA = app(env.org);
  const clientA = clientFor(env.org, appA, { storage });
  const { url, transaction } = await clientA.startSignIn();
  const params = new URL(await fillSignInForm(url, login, password)).searchParams;
  const orgB = await startEmulator();
  others.push(orgB);
  return { appA, clientA, transaction, params, orgB };
}

describe("a transaction given to another client than the one that started it", () => {
  it('is INVALID_TRANSACTION before any token request (another org, another client of the same org); its own client then signs in', async () => {
    const { clientA, transaction, params, orgB } = await startedAtA();
    const strangers = [clientFor(orgB, app(orgB)), clientFor(env.org, app(env.org))];
    for (const stranger of strangers) {
      const error = await failure(stranger.finishSignIn(params, transaction));
      expect(error.code).toBe('INVALID_TRANSACTION');
      expect(error.message).toContain('finish the sign-in with the client that started it');
      for (const secret of [transaction.state, transaction.codeVerifier, params.get('code') ?? '?']) expect(error.message).not.toContain(secret);
    }
    expect(tokenRequests(orgB)).toBe(0);
    expect(tokenRequests(env.org)).toBe(0);
    expect((await clientA.finishSignIn(params, transaction)).claims?.preferred_username).toBe(login);
  });

  it('is INVALID_TRANSACTION when found by state in a shared storage by a client of another org with the same client id', async () => {
    const storage = createMemoryStorage();
    const { appA, params, orgB } = await startedAtA(storage);
    const hostile = clientFor(orgB, { clientId: appA.clientId }, { storage });
    expect((await failure(hostile.finishSignIn(params))).code).toBe('INVALID_TRANSACTION');
    expect(tokenRequests(orgB)).toBe(0);
    expect(tokenRequests(env.org)).toBe(0);
  });
});

describe('a transaction stored by the previous version (no origin, no client id)', () => {
  it('still signs in, passed or found by state', async () => {
    const storage = createMemoryStorage();
    const first = await startedAtA(storage);
    expect(first.transaction).toMatchObject({ origin: new URL(env.org.url).origin, clientId: first.appA.clientId });
    const legacy = legacyOf(first.transaction);
    expect(Object.keys(legacy)).not.toContain('origin');
    expect(Object.keys(legacy)).not.toContain('clientId');
    expect((await first.clientA.finishSignIn(first.params, legacy)).claims?.preferred_username).toBe(login);
    const second = await startedAtA(storage);
    const stored = legacyOf(second.transaction);
    await storage.set(transactionKeyOf(second.appA.clientId, stored.state), JSON.stringify(stored));
    expect((await second.clientA.finishSignIn(second.params)).claims?.preferred_username).toBe(login);
  });
});
