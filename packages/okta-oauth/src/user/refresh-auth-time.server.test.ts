/**
 * A refreshed ID token's `auth_time` against the one it replaces (OIDC Core §12.2: the time of the
 * original authentication), over real HTTP: the emulator keeps it on refresh, as Okta does; a
 * refresh answered with a genuine, signed ID token of the same user's later sign-in (another
 * session's refresh, crossed) is refused. Red-teamed in the thirty-third session.
 */
import { describe, expect, it } from 'vitest';
import { signIn, signInFailure as failure, useSignInOrg } from './test-helpers/sign-in-org.js';
import type { UserTokens } from './tokens.js';

const env = useSignInOrg();
const tokenPath = '/oauth2/v1/token';

/** The claims of tokens' ID token, decoded (the test reads what the client kept). */
const authTimeOf = (tokens: UserTokens | null | undefined): unknown => {
  const payload = tokens?.idToken?.reveal().split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { auth_time?: unknown }).auth_time;
};

/** Moves the client's clock and the org's together. */
function clocks() {
  const clock = { now: Date.now() };
  return {
    clock,
    advance: (ms: number): void => {
      clock.now += ms;
      env.org.setClockOffset((clock.now - Date.now()) / 1000);
    },
  };
}

describe('a refreshed ID token keeps the auth_time of the sign-in (OIDC Core §12.2)', () => {
  it("takes a refresh that keeps the sign-in's auth_time (the emulator keeps it, as Okta does)", async () => {
    const { clock, advance } = clocks();
    const client = env.spa({ now: () => clock.now });
    const { tokens } = await signIn(client);
    const saved: (UserTokens | null)[] = [];
    const credential = client.credential(tokens, { onTokens: (t) => void saved.push(t) });
    advance(3600_000);
    await credential.getAccessToken();
    expect(saved).toHaveLength(1);
    expect(authTimeOf(saved[0])).toBe(authTimeOf(tokens));
    expect(typeof authTimeOf(tokens)).toBe('number');
  });

  it("refuses a refresh answered with the same user's ID token of a later sign-in, and keeps the tokens", async () => {
    const { clock, advance } = clocks();
    const client = env.spa({ now: () => clock.now });
    const first = await signIn(client);
    advance(600_000);
    const later = await signIn(client);
    expect(authTimeOf(later.tokens)).not.toBe(authTimeOf(first.tokens));
    advance(3600_000);
    // The later sign-in's own refresh: a real answer of the org, signed, for the same user and client, without a nonce.
    const crossed = await fetch(new URL(tokenPath, env.org.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: later.tokens.refreshToken?.reveal() ?? '', client_id: client.clientId }),
    }).then((response) => response.json() as Promise<Record<string, unknown>>);
    expect(typeof crossed.id_token).toBe('string');

    const saved: (UserTokens | null)[] = [];
    const credential = client.credential(first.tokens, { onTokens: (t) => void saved.push(t) });
    env.org.injectFault({ path: tokenPath, kind: 'status', status: 200, body: crossed, count: 1 });
    const error = await failure(credential.getAccessToken());
    expect(error).toMatchObject({ code: 'ID_TOKEN_INVALID', reason: 'auth-time', message: 'The ID token is invalid: the refreshed ID token is of another sign-in (its auth_time is not the first ID token\'s).' });
    expect(credential.tokens).toBe(first.tokens);
    expect(saved).toEqual([]);
  });
});
