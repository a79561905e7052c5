/**
 * Refresh tokens at /token: offline_access, rotation with its grace period and family revocation,
 * static rotation, narrowing scopes, and refusing another client and garbage.
 */
import { describe, expect, it } from 'vitest';
import { Browser, pkce, signIn } from '../test-helpers/browser.js';
import { form, postToken } from '../test-helpers/oauth.js';
import { exchangeCode, REDIRECT, useSignInApps } from '../test-helpers/user-tokens.js';

interface Event {
  actor: { alternateId: string };
  client: { id: string };
  outcome: { result: string };
  target: { id: string; type: string }[];
}

describe('refresh tokens', () => {
  const env = useSignInApps();

  const tokens = async (clientId: string, scope = 'openid profile offline_access') => {
    const { verifier, challenge } = pkce();
    const code = (await signIn(env.org, new Browser(), { clientId, redirectUri: REDIRECT, challenge, scope }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
    return (await exchangeCode(env.org, clientId, code, verifier)).json();
  };
  const refresh = (clientId: string, token: string, extra: Record<string, string> = {}) =>
    postToken(env.org, { grant_type: 'refresh_token', refresh_token: token, client_id: clientId, ...extra });

  it('needs offline_access', async () => {
    expect((await tokens(env.spa.clientId, 'openid')).refresh_token).toBeUndefined();
  });

  it('rotates: a new refresh token each time; the old one works for the grace period, then kills the family', async () => {
    const first = await tokens(env.spa.clientId);
    const r1 = await refresh(env.spa.clientId, first.refresh_token);
    expect(r1.status).toBe(200);
    const b1 = await r1.json();
    expect(b1.refresh_token).not.toBe(first.refresh_token);
    expect(b1.id_token).toBeTruthy();
    expect((await refresh(env.spa.clientId, first.refresh_token)).status).toBe(200);
    env.org.setClockOffset(31);
    try {
      const late = await refresh(env.spa.clientId, first.refresh_token);
      expect(late.status).toBe(400);
      expect((await late.json()).error).toBe('invalid_grant');
      expect((await refresh(env.spa.clientId, b1.refresh_token)).status).toBe(400);
    } finally {
      env.org.setClockOffset(0);
    }
  });

  it('reuse past the grace period revokes every token of the family and records app.oauth2.token.detect_reuse (RT "System Log events")', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const first = await tokens(app.clientId);
    const b1 = await (await refresh(app.clientId, first.refresh_token)).json();
    const userinfo = async (token: string) => (await fetch(`${env.org.url}/oauth2/v1/userinfo`, { headers: { Authorization: `Bearer ${token}` } })).status;
    expect([await userinfo(first.access_token), await userinfo(b1.access_token)]).toEqual([200, 200]);
    env.org.setClockOffset(31);
    try {
      expect((await refresh(app.clientId, first.refresh_token)).status).toBe(400);
    } finally {
      env.org.setClockOffset(0);
    }
    expect([await userinfo(first.access_token), await userinfo(b1.access_token)]).toEqual([401, 401]);
    const since = new Date(Date.now() - 3600_000).toISOString();
    const filter = encodeURIComponent('eventType eq "app.oauth2.token.detect_reuse"');
    const logs = await fetch(`${env.org.url}/api/v1/logs?since=${since}&filter=${filter}`, { headers: { Authorization: `SSWS ${env.org.createApiToken().token}` } });
    const events = ((await logs.json()) as Event[]).filter((e) => e.client.id === app.clientId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: { alternateId: 'ada@example.com' }, client: { id: app.clientId }, outcome: { result: 'FAILURE' }, target: [{ type: 'refresh_token', id: expect.stringMatching(/^rt\./) }] });
    expect(JSON.stringify(events)).not.toContain(first.refresh_token);
    // A second reuse of a token already revoked records nothing more.
    expect((await refresh(app.clientId, first.refresh_token)).status).toBe(400);
    const again = (await (await fetch(`${env.org.url}/api/v1/logs?since=${since}&filter=${filter}`, { headers: { Authorization: `SSWS ${env.org.createApiToken().token}` } })).json()) as Event[];
    expect(again.filter((e) => e.client.id === app.clientId)).toHaveLength(1);
  });

  // L14: RT says Okta invalidates the refresh token it rotated out; REV says revoking an invalid token answers 200. A client
  // that revokes the token it held must not count on the tokens that token was rotated into going with it.
  it('revoking a token rotated out past its grace period revokes nothing: the token it was rotated into and its access token stay valid', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const first = await tokens(app.clientId);
    const b1 = await (await refresh(app.clientId, first.refresh_token)).json();
    const revoke = (token: string) => fetch(`${env.org.url}/oauth2/v1/revoke`, form({ token, client_id: app.clientId }));
    const userinfo = async (token: string) => (await fetch(`${env.org.url}/oauth2/v1/userinfo`, { headers: { Authorization: `Bearer ${token}` } })).status;
    env.org.setClockOffset(31);
    try {
      expect((await revoke(first.refresh_token)).status).toBe(200);
      expect(await userinfo(b1.access_token)).toBe(200);
      expect((await refresh(app.clientId, b1.refresh_token)).status).toBe(200);
    } finally {
      env.org.setClockOffset(0);
    }
  });

  it('revoking the token just rotated out, within its grace period, revokes the family', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const first = await tokens(app.clientId);
    const b1 = await (await refresh(app.clientId, first.refresh_token)).json();
    expect((await fetch(`${env.org.url}/oauth2/v1/revoke`, form({ token: first.refresh_token, client_id: app.clientId }))).status).toBe(200);
    expect((await fetch(`${env.org.url}/oauth2/v1/userinfo`, { headers: { Authorization: `Bearer ${b1.access_token}` } })).status).toBe(401);
    expect((await refresh(app.clientId, b1.refresh_token)).status).toBe(400);
  });

  // RT, "Grace period for token rotation": "After the refresh token is rotated, the previous token remains valid for the
  // configured amount of time to allow clients to get the new token." The previous one only: A → B → C leaves A spent.
  it('only the token just rotated out works in its grace period, and gets the current one back; one two generations back is a reuse', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const first = await tokens(app.clientId);
    const introspect = async (token: string) =>
      ((await (await fetch(`${env.org.url}/oauth2/v1/introspect`, form({ token, token_type_hint: 'refresh_token', client_id: app.clientId }))).json()) as { active: boolean }).active;
    const b = await (await refresh(app.clientId, first.refresh_token)).json();
    // A again, within its grace period (a client that lost B's answer): B comes back, no new rotation.
    const retried = await refresh(app.clientId, first.refresh_token);
    expect(retried.status).toBe(200);
    const again = await retried.json();
    expect(again.refresh_token).toBe(b.refresh_token);
    expect(again.access_token).not.toBe(b.access_token);
    const c = await (await refresh(app.clientId, b.refresh_token)).json();
    expect(c.refresh_token).not.toBe(b.refresh_token);
    // A is now two generations back: spent, though its own grace period has not run out.
    expect([await introspect(first.refresh_token), await introspect(b.refresh_token), await introspect(c.refresh_token)]).toEqual([false, true, true]);
    const reused = await refresh(app.clientId, first.refresh_token);
    expect([reused.status, ((await reused.json()) as { error: string }).error]).toEqual([400, 'invalid_grant']);
    // Reuse detection: the family is revoked, the current token and the access tokens with it.
    expect((await refresh(app.clientId, c.refresh_token)).status).toBe(400);
    expect((await fetch(`${env.org.url}/oauth2/v1/userinfo`, { headers: { Authorization: `Bearer ${c.access_token}` } })).status).toBe(401);
  });

  it("refreshTokenLeewaySeconds sets the app's grace period, 0 to 60 as Okta's leeway (RT)", async () => {
    const reuseAfter = async (leeway: number, seconds: number): Promise<number[]> => {
      const app = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], refreshTokenLeewaySeconds: leeway });
      const first = await tokens(app.clientId);
      const b1 = await (await refresh(app.clientId, first.refresh_token)).json();
      env.org.setClockOffset(seconds);
      try {
        return [(await refresh(app.clientId, first.refresh_token)).status, (await refresh(app.clientId, b1.refresh_token)).status];
      } finally {
        env.org.setClockOffset(0);
      }
    };
    // Leeway 0: a reuse at once, or once a second has passed, revokes the family (the rotated token itself is refused too).
    expect(await reuseAfter(0, 0)).toEqual([400, 400]);
    expect(await reuseAfter(0, 1)).toEqual([400, 400]);
    expect(await reuseAfter(60, 50)).toEqual([200, 200]);
    expect(await reuseAfter(60, 61)).toEqual([400, 400]);
    for (const bad of [-1, 61, 1.5, Number.NaN, '30']) {
      expect(() => env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], refreshTokenLeewaySeconds: bad as number })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION', option: 'refreshTokenLeewaySeconds' }),
      );
    }
  });

  it('static rotation returns the same refresh token', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], refreshTokenRotation: 'static' });
    const first = await tokens(app.clientId);
    const b = await (await refresh(app.clientId, first.refresh_token)).json();
    expect(b.refresh_token).toBe(first.refresh_token);
    expect((await refresh(app.clientId, first.refresh_token)).status).toBe(200);
  });

  // RT, "Get a refresh token": "SPAs use refresh token rotation as the default behavior. Native apps and web apps use
  // persistent refresh token behavior as the default." An app that sets no rotation, on an org that sets none.
  it("an app's unset rotation is Okta's default for its type: a SPA rotates, a web or native app keeps its refresh token", async () => {
    const spa = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const native = env.org.createSignInApp({ type: 'native', redirectUris: [REDIRECT] });
    const web = env.org.createSignInApp({ type: 'web', redirectUris: [REDIRECT], tokenEndpointAuthMethod: 'client_secret_post' });
    const kept = async (app: { clientId: string }, secret: Record<string, string> = {}): Promise<boolean> => {
      const { verifier, challenge } = pkce();
      const code = (await signIn(env.org, new Browser(), { clientId: app.clientId, redirectUri: REDIRECT, challenge, scope: 'openid offline_access' }, 'ada@example.com', 'Correct-Horse1')).searchParams.get('code')!;
      const first = await (await exchangeCode(env.org, app.clientId, code, verifier, secret)).json();
      const next = await (await refresh(app.clientId, first.refresh_token, secret)).json();
      expect(next.refresh_token).toEqual(expect.any(String));
      return next.refresh_token === first.refresh_token;
    };
    expect([await kept(spa), await kept(native), await kept(web, { client_secret: web.clientSecret! })]).toEqual([false, true, true]);
  });

  // Okta's release notes, 2023.04 (OKTA-573127): "The maximum length for the scope parameter of a refresh token request
  // is now 4096 characters" (RT: "The maximum length for the scope parameter value is 4096 characters").
  it('reads a refresh request scope parameter of up to 4096 characters; 4097 are invalid_scope', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT], refreshTokenRotation: 'static' });
    const first = await tokens(app.clientId);
    /** `openid`, then `openid` and `offline_access` repeated (both granted), to exactly `length` characters. */
    const scopeOf = (length: number): string => {
      for (let b = 0; ; b++) {
        const rest = length - 'openid'.length - b * ' offline_access'.length;
        if (rest % ' openid'.length === 0) return ['openid', ...Array<string>(rest / ' openid'.length).fill('openid'), ...Array<string>(b).fill('offline_access')].join(' ');
      }
    };
    expect([scopeOf(1025).length, scopeOf(4096).length, scopeOf(4097).length]).toEqual([1025, 4096, 4097]);
    const answers = [];
    for (const length of [1025, 4096, 4097]) {
      const res = await refresh(app.clientId, first.refresh_token, { scope: scopeOf(length) });
      answers.push([res.status, ((await res.json()) as { scope?: string; error?: string }).scope ?? 'refused']);
    }
    expect(answers).toEqual([
      [200, 'openid offline_access'],
      [200, 'openid offline_access'],
      [400, 'refused'],
    ]);
  });

  it('allows narrowing scopes, not widening them', async () => {
    const first = await tokens(env.spa.clientId);
    const narrow = await (await refresh(env.spa.clientId, first.refresh_token, { scope: 'openid offline_access' })).json();
    expect(narrow.scope).toBe('openid offline_access');
    const wide = await refresh(env.spa.clientId, narrow.refresh_token, { scope: 'openid email' });
    // Okta's catalogue: refresh_scopes_denied, 400 access_denied.
    expect(await wide.json()).toEqual({
      error: 'access_denied',
      error_description: 'Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: email.',
    });
  });

  it('rejects another client and garbage', async () => {
    const first = await tokens(env.spa.clientId);
    const other = env.org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    expect((await refresh(other.clientId, first.refresh_token)).status).toBe(400);
    expect((await refresh(env.spa.clientId, 'garbage')).status).toBe(400);
  });
});
