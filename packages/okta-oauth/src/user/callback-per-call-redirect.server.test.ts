/**
 * A sign-in started with its own `redirectUri` (`startSignIn({ redirectUri })`: a route per org, a
 * host per brand, or a client given none) finished from the client's storage with the path and query
 * the server received, as a proxy makes it pass them: the path is read at the redirect URI that
 * sign-in used (the stored transaction's), not at the client's, nor refused for want of one.
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { createMemoryStorage } from './storage.js';
import { clientFor, login, password, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';

const own = 'http://127.0.0.1:5173/callback';
const perCall = 'http://localhost:5174/brand/callback';

const env = useSignInOrg();

async function startedPerCall(clientRedirectUri: string | undefined) {
  const app = env.org.createSignInApp({ type: 'spa', redirectUris: [own, perCall], scopes: ['okta.users.read'] });
  const client = clientFor(env.org, app, { redirectUri: clientRedirectUri, storage: createMemoryStorage() });
  const { url } = await client.startSignIn({ redirectUri: perCall });
  const callback = new URL(await fillSignInForm(url, login, password));
  expect(callback.origin + callback.pathname).toBe(perCall);
  return { client, callback, path: callback.pathname + callback.search };
}

describe("a per-call redirect URI's callback, as a path and query, found by state", () => {
  it('signs in where the client has another redirect URI (on another host)', async () => {
    const { client, path } = await startedPerCall(own);
    expect((await client.finishSignIn(path)).claims?.preferred_username).toBe(login);
  });

  it('signs in where the client has none', async () => {
    const { client, path } = await startedPerCall(undefined);
    expect((await client.finishSignIn(path)).claims?.preferred_username).toBe(login);
  });

  it('still refuses the path of another route than the sign-in used', async () => {
    const { client, callback } = await startedPerCall(own);
    const error = await failure(client.finishSignIn(`/callback${callback.search}`));
    expect(error.code).toBe('INVALID_CALLBACK');
    expect(error.message).not.toContain(callback.searchParams.get('code') ?? '?');
    expect(error.message).not.toContain(callback.searchParams.get('state') ?? '?');
  });
});
