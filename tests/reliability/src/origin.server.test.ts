/**
 * Credentials never leave the org's origin, for every credential type end to end: an absolute URL,
 * a protocol-relative URL, a redirect (302/307/308) from a resource or from the token endpoint, a
 * `next` link, and (user sign-in) a discovery document, all pointing at another local server that
 * records what it receives. It must receive nothing: no request, so no `Authorization` or `DPoP`.
 */
import { isOktaAuthError, paginate } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { createSignInClient } from '@org/okta-oauth';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listUsers, outcome } from './test-helpers/calls.js';
import { LeakHarness } from './test-helpers/leaks.js';
import { startRecorder } from './test-helpers/recorder.js';
import { CREDENTIAL_KINDS, REDIRECT_URI, subject, TOKEN_KINDS, type Kind, type Subject } from './test-helpers/subjects.js';

let recorder: Awaited<ReturnType<typeof startRecorder>>;
let org: OktaEmulator;
/** How the next answer is tampered with (a hostile response), per test. */
let tamper: ((request: Request, response: Response) => Response) | undefined;
const harness = new LeakHarness();
const tally = { scenarios: 0, requestsAtOtherOrigin: 0, credentialHeadersAtOtherOrigin: 0 };

beforeAll(async () => {
  recorder = await startRecorder();
  org = await startEmulator({ seed: { users: 3 } });
});
afterEach(() => {
  tamper = undefined;
});
afterAll(async () => {
  const findings = harness.scan();
  console.log(
    `origin: ${tally.scenarios} scenarios; requests that reached the other origin: ${tally.requestsAtOtherOrigin}, with Authorization or DPoP: ${tally.credentialHeadersAtOtherOrigin}; secrets harness: ${harness.scanned} artefacts, ${findings.length} secrets found`,
  );
  expect(findings).toEqual([]);
  await recorder.close();
  await org.close();
});

async function make(kind: Kind, expired = false): Promise<Subject> {
  const s = await subject(org, kind, { logger: harness.logger(kind), expired, wire: { tamper: (request, response) => tamper?.(request, response) ?? response } });
  return s;
}

function nothingReachedTheOtherOrigin(s: Subject): void {
  tally.scenarios++;
  harness.addSecrets(s.wire.secrets);
  harness.addSecrets(s.known, 'known');
  const withCredentials = recorder.requests.filter((r) => r.headers.authorization !== undefined || r.headers.dpop !== undefined);
  tally.requestsAtOtherOrigin += recorder.requests.length;
  tally.credentialHeadersAtOtherOrigin += withCredentials.length;
  expect(withCredentials).toEqual([]);
  expect(recorder.requests).toEqual([]);
}

async function expectCode(promise: Promise<unknown>, code: string, label: string): Promise<void> {
  const result = await outcome(promise);
  expect(result.ok).toBe(false);
  const error = (result as { error: unknown }).error;
  harness.collect(label, error);
  expect(isOktaAuthError(error), String(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
}

const redirectTo = (status: number, path: string) => (request: Request, response: Response) =>
  new URL(request.url).pathname === path ? new Response(null, { status, headers: { location: `${recorder.url}${path}?stolen=1` } }) : response;

describe.each(CREDENTIAL_KINDS)('%s:', (kind) => {
  it('an absolute URL to another origin is refused before anything is sent (ORIGIN_MISMATCH)', async () => {
    const s = await make(kind);
    await expectCode(s.okta(`${recorder.url}/api/v1/users`), 'ORIGIN_MISMATCH', `${kind} absolute`);
    await expectCode(s.okta(`//${new URL(recorder.url).host}/api/v1/users`), 'ORIGIN_MISMATCH', `${kind} protocol-relative`);
    await expectCode(s.okta(new Request(`${recorder.url}/api/v1/users`)), 'ORIGIN_MISMATCH', `${kind} Request`);
    nothingReachedTheOtherOrigin(s);
  });

  it.each([301, 302, 303, 307, 308])('a %i redirect from a resource is not followed (REDIRECT_BLOCKED)', async (status) => {
    const s = await make(kind);
    tamper = redirectTo(status, '/api/v1/users');
    await expectCode(s.okta('/api/v1/users'), 'REDIRECT_BLOCKED', `${kind} ${status}`);
    nothingReachedTheOtherOrigin(s);
  });

  it('a next link to another origin ends pagination (ORIGIN_MISMATCH) after the first page', async () => {
    const s = await make(kind);
    tamper = (request, response) => {
      if (new URL(request.url).pathname !== '/api/v1/users') return response;
      const headers = new Headers(response.headers);
      headers.set('link', `<${request.url}>; rel="self", <${recorder.url}/api/v1/users?after=00u9>; rel="next"`);
      // Keep the answer's URL, as a real response has it (the next link is resolved against it).
      return Object.defineProperty(new Response(response.body, { status: response.status, headers }), 'url', { value: response.url });
    };
    const pages: unknown[] = [];
    await expectCode(
      (async () => {
        for await (const user of paginate(s.okta, '/api/v1/users?limit=2')) pages.push(user);
      })(),
      'ORIGIN_MISMATCH',
      `${kind} next`,
    );
    expect(pages.length).toBeGreaterThan(0);
    nothingReachedTheOtherOrigin(s);
  });
});

describe.each(TOKEN_KINDS)('%s:', (kind) => {
  it.each([302, 307, 308])('a %i redirect from the token endpoint is not followed: no assertion, secret, code or refresh token leaves', async (status) => {
    const s = await make(kind, true);
    tamper = redirectTo(status, '/oauth2/v1/token');
    const result = await outcome(listUsers(s.okta));
    expect(result.ok).toBe(false);
    const error = (result as { error: unknown }).error;
    harness.collect(`${kind} token ${status}`, error);
    expect(isOktaAuthError(error), String(error)).toBe(true);
    nothingReachedTheOtherOrigin(s);
  });
});

describe('user sign-in:', () => {
  it.each(['token_endpoint', 'jwks_uri', 'authorization_endpoint', 'device_authorization_endpoint', 'introspection_endpoint', 'revocation_endpoint', 'issuer'])(
    'a discovery document naming another origin as %s is refused (DISCOVERY_FAILED) before anything is sent there',
    async (field) => {
      const app = org.createSignInApp({ type: 'web', redirectUris: [REDIRECT_URI], scopes: ['okta.users.read'] });
      const s = await make('ssws'); // only for its wire bookkeeping
      const client = createSignInClient({
        orgUrl: org.url,
        clientId: app.clientId,
        clientSecret: app.clientSecret!,
        redirectUri: REDIRECT_URI,
        scopes: ['openid', 'okta.users.read'],
        allowInsecureLoopback: true,
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!new URL(response.url).pathname.startsWith('/.well-known/')) return response;
          const doc = (await response.json()) as Record<string, unknown>;
          doc[field] = field === 'issuer' ? recorder.url : `${recorder.url}/oauth2/v1/x`;
          return new Response(JSON.stringify(doc), { status: 200, headers: { 'content-type': 'application/json' } });
        },
      });
      await expectCode(client.startSignIn(), 'DISCOVERY_FAILED', `discovery ${field}`);
      await expectCode(client.introspect('some-token-value-123'), 'DISCOVERY_FAILED', `discovery ${field} introspect`);
      nothingReachedTheOtherOrigin(s);
    },
  );
});
