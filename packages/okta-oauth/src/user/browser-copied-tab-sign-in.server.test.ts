/**
 * Another person signing in on a copy of a tab over `createSessionStorage()` (`window.open` with an opener, or
 * "Duplicate tab": Chromium copies the opener's `sessionStorage`), in headless Chromium against the emulator.
 * The sign-in's first write replaces the copy's copy of the opener's tokens, which the opener still holds
 * and uses: a per-tab storage revokes nothing it replaced (ra151). Over one storage for every tab
 * (`localStorage`, memory, a file) the replaced other user's tokens are revoked: credential-replaced.server.test.ts.
 */
import { fillSignInForm } from '@org/okta-test-utils';
import { expect, it } from 'vitest';
import { clientFor, password } from './test-helpers/sign-in-org.js';
import { putIn, readIn, restoreIn, signOutIn, storedOf, tokenIn, useTokenPage } from './test-helpers/token-page.js';

const { env, signedIn, start } = useTokenPage();

it("grace signing in on a copy of ada's tab (sessionStorage) leaves ada's tokens active at Okta, and ada's tab renews", { timeout: 60_000 }, async () => {
  const ada = await signedIn();
  const client = clientFor(env.org, { clientId: ada.clientId });
  env.org.createUser({ login: 'grace@example.com', password, admin: true });
  const { url, transaction } = await client.startSignIn();
  const grace = (await client.finishSignIn(await fillSignInForm(url, 'grace@example.com', password), transaction)).tokens;
  const browser = await start();
  const opener = await browser.open('/', 'tokenApp');
  await putIn(opener, 'session', ada.key, ada.stored());
  expect(await restoreIn(opener, ada.restore({ entry: 'index', timeoutMs: 30_000 }))).toBe(true);
  expect(await tokenIn(opener)).toBe(ada.tokens.accessToken.reveal());
  const copy = await browser.openCopy(opener, '/', 'tokenApp');
  expect(await readIn(copy, 'session', ada.key)).toBe(ada.stored());
  await restoreIn(copy, ada.restore({ entry: 'index', timeoutMs: 30_000, tokens: storedOf(grace) }));
  // The first write, replacing the copy of ada's tokens: before, it revoked them (not awaited).
  expect(await tokenIn(copy)).toBe(grace.accessToken.reveal());
  expect(await readIn(copy, 'session', ada.key)).toBe(storedOf(grace));
  // Grace signs out there: once Okta answered its revocations, it has heard every one the copy sent.
  expect(await signOutIn(copy)).toEqual([]);
  expect(env.org.counters().requests['POST /oauth2/v1/revoke']).toBe(2);
  const body = new URLSearchParams({ token: ada.tokens.refreshToken?.reveal() ?? '' });
  expect(await (await fetch(`${env.org.url}/oauth2/v1/introspect?client_id=${ada.clientId}`, { method: 'POST', body })).json()).toMatchObject({ active: true });
  // Before: LOGIN_REQUIRED, ada's refresh token revoked by the copy.
  expect(await tokenIn(opener, true)).not.toMatch(/^failed/);
  expect(await readIn(opener, 'session', ada.key)).not.toBe(ada.stored());
  expect(browser.problems).toEqual([]);
});
