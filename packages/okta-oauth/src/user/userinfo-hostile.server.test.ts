/**
 * `userInfo` against a hostile or misconfigured server, over real HTTP: the emulator authenticates
 * each request for real, then the client's `fetch` (the injectable one) swaps the answer of
 * `/oauth2/v1/userinfo` for the case's: another user's `sub` (OIDC Core §5.3.2: the claims must
 * not be used), a JSON array, a body without end, a signed answer (`application/jwt`); the
 * emulator's own faults for a redirect to another origin and a discovery document naming
 * another origin's userinfo endpoint. Every refusal is typed and holds no access token, DPoP
 * proof nor claim value (PII) in its message, fields, cause, `JSON.stringify` or `util.inspect`.
 */
import { inspect } from 'node:util';
import { isOktaAuthError } from '@org/okta-auth-core';
import { failure } from '@org/okta-test-utils';
import { describe, expect, it } from 'vitest';
import { userInfo } from './client-functions.js';
import { redirectUri, signIn, useSignInOrg } from './test-helpers/sign-in-org.js';

const env = useSignInOrg();

/** Claim values the hostile answers carry: none may appear in an error. */
const pii = { sub: '00uSOMEONEELSE42', email: 'mallory@evil.example', name: 'Mallory Hostile' };

/** Every way an error can be shown. */
const shown = (error: unknown): string => {
  const e = error as Error & { cause?: unknown };
  return [e.message, JSON.stringify(e), inspect(e, { depth: 8, showHidden: true }), inspect(e.cause, { depth: 8 }), String(e.stack)].join('\n');
};

/**
 * A signed-in credential whose client's `fetch` sends every request to the org and, for
 * `/oauth2/v1/userinfo`, answers `replace(real)` instead (the real answer when it returns
 * `undefined`); `secrets` collects what the userinfo requests carried (Authorization, DPoP).
 */
async function hostile(replace: (real: Response) => Response | undefined, dpop = false) {
  const secrets: string[] = [];
  const scriptedFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const isUserinfo = new URL(request.url).pathname === '/oauth2/v1/userinfo';
    if (isUserinfo) for (const name of ['authorization', 'dpop']) secrets.push(...[request.headers.get(name)].filter((v): v is string => v !== null));
    const real = await fetch(request);
    return isUserinfo && real.ok ? (replace(real) ?? real) : real;
  };
  const app = dpop
    ? env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'], requireDpop: true })
    : env.org.createSignInApp({ type: 'spa', redirectUris: [redirectUri], scopes: ['okta.users.read'] });
  const client = env.client(app, { fetch: scriptedFetch, ...(dpop ? { dpop: 'required' as const } : {}) });
  const result = await signIn(client);
  secrets.push(result.tokens.accessToken.reveal(), result.tokens.refreshToken?.reveal() ?? 'no refresh token', result.tokens.idToken?.reveal() ?? 'no id token');
  return { client, credential: client.credential(result), secrets };
}

const json = (body: unknown, contentType = 'application/json;charset=UTF-8') => new Response(JSON.stringify(body), { headers: { 'content-type': contentType } });

/** Checks the refusal holds no secret of the call and no claim value. */
function expectClean(error: unknown, secrets: readonly string[]): void {
  const text = shown(error);
  for (const secret of secrets) expect(text).not.toContain(secret);
  for (const value of Object.values(pii)) expect(text).not.toContain(value);
}

describe('userInfo against a hostile server', () => {
  it.each([false, true])("refuses another user's sub (INVALID_RESPONSE), the claims not returned nor echoed (dpop: %s)", async (dpop) => {
    const { client, credential, secrets } = await hostile(() => json({ ...pii, groups: ['Admins'] }), dpop);
    const refused = await failure(userInfo(client, credential), isOktaAuthError);
    expect(refused).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringMatching(/sub is not the ID token's.*not used.*5\.3\.2/) });
    expect(secrets.length).toBeGreaterThan(dpop ? 4 : 3);
    expectClean(refused, secrets);
  });

  it.each([
    ['a JSON array', () => json([{ sub: 'x' }]), /not a JSON object/],
    ['no sub', () => json({ email: pii.email }), /no sub/],
    ['a sub that is no string', () => json({ sub: 42, name: pii.name }), /no sub/],
    ['a signed JWT (application/jwt)', () => new Response(`eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(pii)).toString('base64url')}.sig`, { headers: { 'content-type': 'application/jwt' } }), /application\/jwt.*only JSON/],
    ['no content type', () => new Response(new Blob([JSON.stringify(pii)]).stream()), /no content type.*only JSON/],
    ['HTML', () => new Response(`<p>${pii.name}</p>`, { headers: { 'content-type': 'text/html' } }), /text\/html.*only JSON/],
  ])('refuses %s (INVALID_RESPONSE), nothing echoed', async (_, answer, message) => {
    const { client, credential, secrets } = await hostile(answer);
    const refused = await failure(userInfo(client, credential), isOktaAuthError);
    expect(refused).toMatchObject({ code: 'INVALID_RESPONSE', status: 200, message: expect.stringMatching(message) });
    expectClean(refused, secrets);
  });

  it('reads at most 1 MiB of a body without end (core’s bounded reader): INVALID_RESPONSE', async () => {
    let pulled = 0;
    const chunk = new TextEncoder().encode(`{"sub":"${'x'.repeat(64 * 1024)}`);
    const endless = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            pulled += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
        { headers: { 'content-type': 'application/json' } },
      );
    const { client, credential, secrets } = await hostile(endless);
    const refused = await failure(userInfo(client, credential), isOktaAuthError);
    expect(refused).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringMatching(/larger than 1 MiB/) });
    expect(pulled).toBeGreaterThan(1024 * 1024);
    expect(pulled).toBeLessThan(2 * 1024 * 1024);
    expectClean(refused, secrets);
  });

  it('refuses a redirect to another origin (REDIRECT_BLOCKED), the token not sent there', async () => {
    const { client, credential, secrets } = await hostile(() => undefined);
    env.org.injectFault({ path: '/oauth2/v1/userinfo', kind: 'redirect', status: 302, location: 'https://evil.example/userinfo', count: 1 });
    const refused = await failure(userInfo(client, credential), isOktaAuthError);
    expect(refused).toMatchObject({ code: 'REDIRECT_BLOCKED', message: expect.stringMatching(/another origin/) });
    expectClean(refused, secrets);
  });

  it('refuses a discovery document whose userinfo_endpoint is on another origin (DISCOVERY_FAILED), nothing sent', async () => {
    env.org.overrideDiscovery({ userinfo_endpoint: 'https://evil.example/oauth2/v1/userinfo' });
    const { client, credential, secrets } = await hostile(() => undefined);
    env.org.resetCounters();
    const refused = await failure(userInfo(client, credential), isOktaAuthError);
    expect(refused).toMatchObject({ code: 'DISCOVERY_FAILED', message: expect.stringMatching(/userinfo_endpoint is not a URL on the org origin/) });
    expect(env.org.counters().requests).toEqual({});
    expect(secrets).toHaveLength(3); // the tokens only: no userinfo request was made
    expectClean(refused, secrets);
  });
});
