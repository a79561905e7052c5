/**
 * What the org records in its System Log, with Okta's event types (catalogue: okta/okta-developer-docs
 * data/event-types.json), and that no event ever carries a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type OktaEmulator } from '../index.js';
import { parseLinks, ssws } from '../test-helpers/http.js';
import { basic, clientAssertion, form, JWT_BEARER, postToken } from '../test-helpers/oauth.js';
import { Browser, pkce, signIn } from '../test-helpers/browser.js';
import { exchangeCode, REDIRECT } from '../test-helpers/user-tokens.js';

interface Event {
  eventType: string;
  actor: { id: string; type: string; alternateId: string | null };
  target: { id: string; type: string }[];
  outcome: { result: string; reason: string | null };
  transaction: { id: string; detail: Record<string, string> };
  debugContext: { debugData: Record<string, string> };
  client: { id: string | null };
}

describe('System Log recording', () => {
  let org: OktaEmulator;
  let token: { id: string; token: string };
  let adaId: string;

  beforeAll(async () => {
    org = await startEmulator();
    adaId = org.createUser({ login: 'ada@example.com', password: 'Correct-Horse1', firstName: 'Ada', lastName: 'Lovelace', admin: true }).id;
    token = org.createApiToken({ name: 'audit', user: 'ada@example.com' });
  });
  afterAll(() => org.close());

  /** Every event as the raw text of every page (polling from the start), and parsed. */
  const allLogs = async (): Promise<{ text: string; events: Event[] }> => {
    let url: string | undefined = `${org.url}/api/v1/logs?limit=1000&since=${new Date(Date.now() - 3600_000).toISOString()}`;
    let text = '';
    const events: Event[] = [];
    for (let i = 0; i < 20 && url !== undefined; i++) {
      const res: Response = await fetch(url, { headers: ssws(token.token) });
      const body = await res.text();
      const page = JSON.parse(body) as Event[];
      text += body;
      events.push(...page);
      url = page.length === 0 ? undefined : parseLinks(res.headers.get('link')).next;
    }
    return { text, events };
  };
  const api = (path: string, method: string, body?: unknown) =>
    fetch(`${org.url}${path}`, { method, headers: { ...ssws(token.token), 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  it('records Users and Groups API changes with the caller as actor, the API token id and the path without the query', async () => {
    const created = await (await api('/api/v1/users?activate=true', 'POST', { profile: { login: 'grace@example.com', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' } })).json();
    const group = await (await api('/api/v1/groups', 'POST', { profile: { name: 'auditors' } })).json();
    expect((await api(`/api/v1/groups/${group.id}/users/${created.id}`, 'PUT')).status).toBe(204);
    expect((await api(`/api/v1/groups/${group.id}/users/${created.id}`, 'DELETE')).status).toBe(204);
    expect((await api(`/api/v1/users/${created.id}`, 'DELETE')).status).toBe(204);
    expect((await api(`/api/v1/users/${created.id}`, 'DELETE')).status).toBe(204);
    const mine = (await allLogs()).events.filter((e) => e.target.some((t) => t.id === created.id));
    expect(mine.map((e) => e.eventType)).toEqual([
      'user.lifecycle.create',
      'user.lifecycle.activate',
      'group.user_membership.add',
      'group.user_membership.remove',
      'user.lifecycle.deactivate',
      'user.lifecycle.delete.completed',
    ]);
    expect(mine[0]).toMatchObject({
      actor: { id: adaId, type: 'User', alternateId: 'ada@example.com' },
      target: [{ id: created.id, type: 'User', alternateId: 'grace@example.com' }],
      transaction: { detail: { requestApiTokenId: token.id } },
      debugContext: { debugData: { requestUri: '/api/v1/users' } },
    });
    expect(mine[2]?.target.map((t) => t.type)).toEqual(['User', 'UserGroup']);
  });

  it('records a rate-limit violation once per bucket and window', async () => {
    org.setRateLimit('/api/v1/groups', 1);
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await api('/api/v1/groups', 'GET')).status);
      expect(statuses).toEqual([200, 429, 429]);
    } finally {
      org.setRateLimit('/api/v1/groups', 500);
    }
    const violations = (await allLogs()).events.filter((e) => e.eventType === 'system.org.rate_limit.violation');
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ outcome: { result: 'DENY' }, debugContext: { debugData: { rateLimitBucketUri: '/api/v1/groups', requestUri: '/api/v1/groups' } }, transaction: { detail: { requestApiTokenId: token.id } } });
  });

  it('records sign-in, token grants, revocation and API tokens, and no secret in any event', async () => {
    const secrets: string[] = ['Correct-Horse1', 'Wrong-Horse2', token.token];
    const spa = org.createSignInApp({ type: 'spa', redirectUris: [REDIRECT] });
    const web = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT] });
    secrets.push(web.clientSecret!);
    const browser = new Browser();
    await expect(signIn(org, browser, { clientId: spa.clientId, redirectUri: REDIRECT, challenge: pkce().challenge, scope: 'openid' }, 'ada@example.com', 'Wrong-Horse2')).rejects.toThrow(/^sign-in answered /);
    const { verifier, challenge } = pkce();
    const loc = await signIn(org, browser, { clientId: spa.clientId, redirectUri: REDIRECT, challenge, scope: 'openid offline_access' }, 'ada@example.com', 'Correct-Horse1');
    const code = loc.searchParams.get('code')!;
    secrets.push(code, verifier);
    const tokens = await (await exchangeCode(org, spa.clientId, code, verifier)).json();
    secrets.push(tokens.access_token, tokens.refresh_token, tokens.id_token);
    const refreshed = await (await postToken(org, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: spa.clientId })).json();
    secrets.push(refreshed.access_token, refreshed.refresh_token, refreshed.id_token);
    const revoke = await fetch(`${org.url}/oauth2/v1/revoke`, form({ token: refreshed.refresh_token, token_type_hint: 'refresh_token', client_id: spa.clientId }));
    expect(revoke.status).toBe(200);
    const service = org.createServiceApp({ scopes: ['okta.users.read'], requireDpop: false });
    const assertion = await clientAssertion(org, service);
    secrets.push(assertion, service.privateKeyPem);
    const cc = await (await postToken(org, { grant_type: 'client_credentials', scope: 'okta.users.read', client_assertion_type: JWT_BEARER, client_assertion: assertion })).json();
    secrets.push(cc.access_token);
    const webRevoke = await fetch(`${org.url}/oauth2/v1/revoke`, { ...form({ token: 'not-a-token' }), headers: { ...form({}).headers, Authorization: basic(web.clientId, web.clientSecret!) } });
    expect(webRevoke.status).toBe(200);
    const extra = org.createApiToken({ name: 'ci' });
    secrets.push(extra.token);
    org.revokeApiToken(extra.id);

    const { text, events } = await allLogs();
    for (const secret of secrets) expect(text.includes(secret), `a secret (${secret.length} chars) in the System Log`).toBe(false);
    const types = events.map((e) => e.eventType);
    const sessions = events.filter((e) => e.eventType === 'user.session.start');
    expect(sessions.map((e) => [e.outcome.result, e.actor.alternateId])).toEqual([['FAILURE', 'ada@example.com'], ['SUCCESS', 'ada@example.com']]);
    expect(sessions[1]?.client.id).toBe(spa.clientId);
    expect(sessions[1]?.debugContext.debugData.requestUri).toBe('/login/sign-in');
    const grants = events.filter((e) => e.eventType.startsWith('app.oauth2.token.grant.'));
    expect(grants.map((e) => e.eventType)).toEqual([
      'app.oauth2.token.grant.access_token', 'app.oauth2.token.grant.refresh_token', 'app.oauth2.token.grant.id_token',
      'app.oauth2.token.grant.access_token', 'app.oauth2.token.grant.refresh_token', 'app.oauth2.token.grant.id_token',
      'app.oauth2.token.grant.access_token',
    ]);
    expect(grants[0]).toMatchObject({ actor: { id: adaId }, client: { id: spa.clientId }, target: [{ type: 'access_token', id: expect.stringMatching(/^AT\./) }] });
    expect(grants[6]).toMatchObject({ actor: { id: service.clientId, type: 'PublicClientApp' } });
    const revokes = events.filter((e) => e.eventType === 'app.oauth2.token.revoke');
    expect(revokes.map((e) => [e.actor.id, e.target.map((t) => t.type)])).toEqual([[spa.clientId, ['refresh_token']], [web.clientId, []]]);
    expect(types.filter((t) => t.startsWith('system.api_token.'))).toEqual(['system.api_token.create', 'system.api_token.create', 'system.api_token.revoke']);
    expect(events.find((e) => e.eventType === 'system.api_token.revoke')?.target).toMatchObject([{ id: extra.id, type: 'Token' }]);
  });

  it('POST /__emulator/logs records a test event and refuses a bad one by field', async () => {
    const res = await fetch(`${org.url}/__emulator/logs`, { method: 'POST', body: JSON.stringify({ eventType: 'test.admin', actor: { id: '00uX', type: 'User' }, outcome: { result: 'FAILURE' } }) });
    expect(res.status).toBe(200);
    const { uuid } = await res.json();
    expect((await allLogs()).events.find((e) => (e as unknown as { uuid: string }).uuid === uuid)).toMatchObject({ eventType: 'test.admin', actor: { id: '00uX' }, outcome: { result: 'FAILURE' } });
    const bad = await fetch(`${org.url}/__emulator/logs`, { method: 'POST', body: JSON.stringify({ eventType: 'x', published: 'yesterday' }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_OPTION', option: 'published' });
    expect(() => org.recordLogEvent({ eventType: '' })).toThrow(/eventType/);
  });
});
