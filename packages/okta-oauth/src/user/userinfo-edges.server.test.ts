/**
 * `userInfo` at the edges a red team tried, over real HTTP against @org/okta-emulator (each found
 * sound, pinned here): a DPoP nonce Okta asks for at the resource (`use_dpop_nonce`), a credential
 * of another org's client (nothing sent to either org), an answer whose claims hold `__proto__` and
 * `constructor` keys or 60,000 of them, `application/json` with a charset or in capitals, a 200
 * with a `WWW-Authenticate` header, and the logger's events (no claim value, no token).
 */
import { isOktaAuthError, type OktaLogEvent } from '@org/okta-auth-core';
import { startEmulator } from '@org/okta-emulator';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { userInfo } from './client-functions.js';
import { clientFor, login, password, redirectUri, signIn, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg({ dpopNonceLifetimeSeconds: 60 });

/** A signed-in SPA credential whose client answers `/oauth2/v1/userinfo` with `replace(real)` when it gives one (after the org authenticated the request). */
async function answering(replace: (real: Response) => Response | undefined, options: Record<string, unknown> = {}) {
  const scripted: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const real = await fetch(request);
    return new URL(request.url).pathname === '/oauth2/v1/userinfo' && real.ok ? (replace(real) ?? real) : real;
  };
  const client = env.client(env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] }), { fetch: scripted, ...options });
  return { client, credential: client.credential(await signIn(client)) };
}

const jsonText = (text: string, headers: Record<string, string> = {}) => new Response(text, { headers: { 'content-type': 'application/json', ...headers } });

describe('userInfo at the edges', () => {
  it('answers a DPoP nonce asked for at the resource (use_dpop_nonce): one retry with the new nonce, the same token', async () => {
    const app = env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'], requireDpop: true });
    const sent: Request[] = [];
    const client = env.client(app, { dpop: 'required', fetch: (input, init) => { const r = new Request(input, init); sent.push(r.clone()); return fetch(r); } });
    const credential = client.credential(await signIn(client));
    env.org.requireResourceNonce(true);
    env.org.setClockOffset(240); // the token endpoint's nonce is now too old
    expect((await userInfo(client, credential)).sub).toBe(env.userId);
    const asked = sent.filter((r) => new URL(r.url).pathname === '/oauth2/v1/userinfo');
    expect(asked).toHaveLength(2);
    const nonce = (r: Request | undefined) => (JSON.parse(Buffer.from(r?.headers.get('dpop')?.split('.')[1] ?? '', 'base64url').toString()) as { nonce?: string }).nonce;
    expect(nonce(asked[1])).toBeTruthy();
    expect(nonce(asked[1])).not.toBe(nonce(asked[0]));
    expect(asked[1]?.headers.get('authorization')).toBe(asked[0]?.headers.get('authorization'));
  });

  it("refuses a credential of another org's client (INVALID_CONFIG): its token is sent to neither org", async () => {
    const other = await startEmulator();
    try {
      other.createUser({ login, password, admin: true, firstName: 'Ada', lastName: 'Other' });
      const there = clientFor(other, other.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] }));
      const theirs = there.credential(await signIn(there));
      const here = env.spa();
      env.org.resetCounters();
      other.resetCounters();
      const refused = await failure(userInfo(here, theirs), isOktaAuthError);
      expect(refused).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/another sign-in client/) });
      expect([env.org.counters().requests, other.counters().requests]).toEqual([{}, {}]);
    } finally {
      await other.close();
    }
  });

  it('returns __proto__ and constructor claims as own data: no prototype changed, the object frozen', async () => {
    const { client, credential } = await answering(() => jsonText(`{"sub":"${env.userId}","__proto__":{"polluted":1,"sub":"x"},"constructor":{"prototype":{"polluted":1}}}`));
    const claims = await userInfo(client, credential);
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
    expect(Object.keys(claims)).toEqual(['sub', '__proto__', 'constructor']);
    expect([claims.sub, ({} as { polluted?: unknown }).polluted, Object.isFrozen(claims)]).toEqual([env.userId, undefined, true]);
    expect({ ...claims }.sub).toBe(env.userId);
  });

  it('reads 60,000 claims (within 1 MiB) and a 400,000-deep nesting without a stack overflow, frozen to its innermost array', async () => {
    const many = `{"sub":"${env.userId}",${Array.from({ length: 60_000 }, (_, i) => `"c${String(i)}":1`).join(',')}}`;
    const deep = `{"sub":"${env.userId}","d":${'['.repeat(400_000)}${']'.repeat(400_000)}}`;
    for (const [body, keys] of [[many, 60_001], [deep, 2]] as const) {
      const { client, credential } = await answering(() => jsonText(body));
      const claims = await userInfo(client, credential);
      expect(Object.keys(claims)).toHaveLength(keys);
      if (keys !== 2) continue;
      let innermost = claims.d as unknown[];
      let depth = 1;
      for (; innermost.length > 0; depth++) innermost = innermost[0] as unknown[];
      expect([depth, Object.isFrozen(innermost)]).toEqual([400_000, true]);
    }
  });

  it('freezes the claims to the last nested object and array (address, custom claims): a caller cannot change what another reads', async () => {
    const body = { sub: env.userId, address: { street_address: '1 Main St', country: 'US' }, roles: ['admin'], custom: { teams: [{ id: 't1', tags: ['a'] }] } };
    const { client, credential } = await answering(() => jsonText(JSON.stringify(body)));
    const claims = await userInfo(client, credential);
    const address = claims.address as { country: string };
    const custom = claims.custom as { teams: { id: string; tags: string[] }[] };
    expect([address, claims.roles, custom, custom.teams, custom.teams[0], custom.teams[0]?.tags].map((part) => Object.isFrozen(part))).toEqual([true, true, true, true, true, true]);
    expect(() => { address.country = 'XX'; }).toThrow(TypeError);
    expect(() => { (claims.roles as string[]).push('root'); }).toThrow(TypeError);
    expect(() => { custom.teams[0]?.tags.push('b'); }).toThrow(TypeError);
    expect(claims).toEqual(body);
  });

  it.each(['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'Application/JSON', 'application/json ;'])('takes %s', async (type) => {
    const { client, credential } = await answering(() => new Response(`{"sub":"${env.userId}"}`, { headers: { 'content-type': type } }));
    expect((await userInfo(client, credential)).sub).toBe(env.userId);
  });

  it('takes a 200 that also carries WWW-Authenticate (the status decides, RFC 6750 §3)', async () => {
    const { client, credential } = await answering(() => jsonText(`{"sub":"${env.userId}"}`, { 'www-authenticate': 'Bearer error="invalid_token"' }));
    expect((await userInfo(client, credential)).sub).toBe(env.userId);
  });

  it("logs requests and answers without a claim value or token (the logger's events)", async () => {
    const events: OktaLogEvent[] = [];
    const { client, credential } = await answering(() => undefined, { logger: (event: OktaLogEvent) => void events.push(event) });
    const claims = await userInfo(client, credential);
    const logged = JSON.stringify(events);
    expect(logged).toContain('/oauth2/v1/userinfo');
    for (const value of [claims.sub, claims.email, claims.name, credential.tokens?.accessToken.reveal()]) expect(logged).not.toContain(String(value));
  });
});
