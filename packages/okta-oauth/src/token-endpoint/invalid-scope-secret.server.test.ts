/**
 * A token or secret pasted bare into `scopes` (no quote, space or backslash: every character of an
 * API token, a client secret or a JWT is a scope-token character, RFC 6749 §3.3). `checkScopes`
 * takes it, so it is sent, and Okta answers `invalid_scope`; the hint then quoted every requested
 * scope (`Requested: "…"`), the token with them, in the message, `JSON.stringify` and
 * `util.inspect` (session 29 re-read: the review's fix described only entries it refused itself).
 * Now an entry that looks like a token is described there too, as `checkScopes` describes it.
 * Against the emulator, whose `invalid_scope` for a scope the org does not have names none.
 */
import { inspect } from 'node:util';
import { expect, it } from 'vitest';
import { isOktaOAuthError } from '../errors.js';
import { emulator, serviceApp, useEmulators } from '../test-helpers/org.js';

useEmulators();

const apiToken = '00aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789-_AbC';

it('an API token pasted bare into scopes is not quoted by the invalid_scope hint; the scopes beside it are', async () => {
  const org = await emulator();
  const { okta } = serviceApp(org, { scopes: ['okta.users.read'] }, { scopes: ['okta.users.read', apiToken] });
  const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
  expect(isOktaOAuthError(error)).toBe(true);
  expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_scope', status: 400 });
  const shown = `${(error as Error).message} ${JSON.stringify(error)} ${inspect(error)}`;
  expect(shown).not.toContain(apiToken.slice(4, 24));
  expect((error as Error).message).toContain(`Requested: "okta.users.read (${apiToken.length} characters, like a token or secret)"`);
});
