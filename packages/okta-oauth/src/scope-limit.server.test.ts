/**
 * Okta takes a `scope` parameter of at most 1024 characters ("The maximum length for the scope
 * parameter value is 1024 characters", OIDC reference, "Scope values"; the emulator's
 * `parseScopes`), and answers a longer one `invalid_scope`. The factories' one scope check
 * (`checkScopes`) refuses a longer list up front, as `INVALID_CONFIG` naming the limit and not the
 * scopes: before, the credential was made, its first request went to Okta and came back
 * `TOKEN_REQUEST_FAILED` (`invalid_scope`) with every requested scope quoted in the hint.
 */
import { describe, expect, it } from 'vitest';
import { isOktaOAuthError } from './errors.js';
import { emulator, serviceApp, useEmulators } from './test-helpers/org.js';

useEmulators();

/** Scopes whose `scope` parameter (joined by spaces) is exactly `length` characters, no entry looking like a token. */
function scopesOfLength(length: number): string[] {
  const scopes = ['okta.users.read'];
  for (let i = 1; scopes.join(' ').length < length - 40; i++) scopes.push(`okta.r${i}.read`);
  // The last entry takes the rest: "okta." then "r." pairs, so no run of word characters is long.
  const rest = length - scopes.join(' ').length - 1 - 'okta.'.length;
  scopes.push(`okta.${'r.'.repeat(Math.floor(rest / 2))}${rest % 2 === 1 ? 'r' : ''}`);
  return scopes;
}

describe("a requested scope list over Okta's 1024 characters", () => {
  it('is sent at exactly 1024 characters (Okta decides whether it is granted)', async () => {
    const org = await emulator();
    const scopes = scopesOfLength(1024);
    expect(scopes.join(' ')).toHaveLength(1024);
    const { okta, wire } = serviceApp(org, { requireDpop: false }, { scopes });
    const error: unknown = await okta('/api/v1/users').catch((e: unknown) => e);
    expect(isOktaOAuthError(error) && [error.code, error.error]).toEqual(['TOKEN_REQUEST_FAILED', 'invalid_scope']);
    expect(wire.tokenRequests()[0]?.form?.get('scope')).toBe(scopes.join(' '));
  });

  it('is refused at 1025 characters when the credential is made: INVALID_CONFIG naming the limit, no scope quoted, nothing sent', async () => {
    const org = await emulator();
    const scopes = scopesOfLength(1025);
    expect(scopes.join(' ')).toHaveLength(1025);
    let made: ReturnType<typeof serviceApp> | undefined;
    const error: unknown = await (async () => {
      made = serviceApp(org, { requireDpop: false }, { scopes });
      await made.okta('/api/v1/users');
    })().catch((e: unknown) => e);
    expect(made).toBeUndefined();
    expect(isOktaOAuthError(error) && error.code).toBe('INVALID_CONFIG');
    expect((error as Error).message).toBe("scopes ask for 1025 characters (joined by spaces), over Okta's 1024 for the scope parameter: ask for fewer scopes.");
    expect(org.counters().tokenRequests).toEqual({});
  });

  it('counts each scope once, as it is sent: a list whose repeats make it longer is taken', async () => {
    const org = await emulator();
    const scopes = scopesOfLength(1000);
    const { okta, wire } = serviceApp(org, { requireDpop: false }, { scopes: [...scopes, ...scopes] });
    await okta('/api/v1/users').catch(() => undefined);
    expect(wire.tokenRequests()[0]?.form?.get('scope')).toBe(scopes.join(' '));
  });
});
