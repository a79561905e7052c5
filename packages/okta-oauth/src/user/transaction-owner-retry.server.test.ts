/**
 * A transaction found by `state` in a shared storage by another org's client with the same client
 * id (a hostile tenant naming its client with the honest one's id, an app over one redirect URI
 * trying its clients in turn) is refused, and left where it is: it is not that client's to use up,
 * and the client that started it still finishes the sign-in.
 */
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { fillSignInForm } from '@org/okta-test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryStorage } from './storage.js';
import { clientFor, login, password, redirectUri, signInFailure as failure, transactionKeyOf, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();
const others: OktaEmulator[] = [];
afterEach(async () => {
  await Promise.all(others.splice(0).map((other) => other.close()));
});

describe("another org's client with the same client id, over a shared storage", () => {
  it("refuses the transaction without using it up: its own client then signs in", async () => {
    const storage = createMemoryStorage();
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
    const own = clientFor(env.org, app, { storage });
    const { url, transaction } = await own.startSignIn();
    const callback = await fillSignInForm(url, login, password);
    const orgB = await startEmulator();
    others.push(orgB);
    const hostile = clientFor(orgB, { clientId: app.clientId }, { storage });
    const error = await failure(hostile.finishSignIn(callback));
    expect(error.code).toBe('INVALID_TRANSACTION');
    for (const secret of [transaction.state, transaction.codeVerifier, new URL(callback).searchParams.get('code') ?? '?']) expect(error.message).not.toContain(secret);
    expect(await storage.get(transactionKeyOf(app.clientId, transaction.state))).toBe(JSON.stringify(transaction));
    expect((await own.finishSignIn(callback)).claims?.preferred_username).toBe(login);
  });
});
