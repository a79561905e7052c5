/**
 * Device sign-in's checks of the device authorization answer (RFC 8628 §3.2), over real HTTP:
 * the emulator answers what the test sets (a 200 fault with a body) and the client either starts
 * the sign-in with bounded numbers and URIs on the org or refuses with INVALID_RESPONSE before
 * anything is shown to the user.
 */
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientSecretJwt, clientSecretPost } from '../client-auth/client-secret.js';
import { privateKeyJwt } from '../client-auth/private-key-jwt.js';
import { createSignInClient, type SignInClient, type SignInClientOptions } from './sign-in-client.js';

let org: OktaEmulator;
let client: SignInClient;
const startedAt = 1_800_000_000_000;
beforeAll(async () => {
  org = await startEmulator();
  const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
  client = createSignInClient({ orgUrl: org.url, clientId: app.clientId, scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false, now: () => startedAt });
});
afterAll(async () => {
  await org.close();
});

/** Starts a device sign-in on an answer of Okta's with `changes` (a field `undefined` is left out). */
function answered(changes: Record<string, unknown>) {
  const full: Record<string, unknown> = { device_code: 'dc-1', user_code: 'ABCD-EFGH', verification_uri: `${org.url}/activate`, expires_in: 600, interval: 5, ...changes };
  const body = Object.fromEntries(Object.entries(full).filter(([, value]) => value !== undefined));
  org.injectFault({ path: '/oauth2/v1/device/authorize', kind: 'status', status: 200, body, count: 1 });
  return client.startDeviceSignIn();
}
async function refusal(changes: Record<string, unknown>): Promise<unknown> {
  return answered(changes).then(
    () => 'started',
    (error: unknown) => error,
  );
}

describe('the device authorization answer', () => {
  it('bounds expires_in: up to a day is taken (expiresAt from the start), more, none, zero, negative or text is refused', async () => {
    expect((await answered({ expires_in: 86_400 })).expiresAt).toBe(startedAt + 86_400_000);
    expect((await answered({ expires_in: 0.5 })).expiresAt).toBe(startedAt + 500);
    for (const expires_in of [86_401, 1e308, 0, -5, '600', null, undefined]) {
      expect(await refusal({ expires_in }), `expires_in ${String(expires_in)}`).toMatchObject({ code: 'INVALID_RESPONSE' });
    }
  });

  it('bounds interval: 5 s when absent, at most 600 s, under a second polled as one second, a negative or text one refused', async () => {
    expect((await answered({ interval: undefined })).intervalSeconds).toBe(5);
    expect((await answered({ interval: 600 })).intervalSeconds).toBe(600);
    expect((await answered({ interval: 0 })).intervalSeconds).toBe(1);
    expect((await answered({ interval: 0.25 })).intervalSeconds).toBe(1);
    expect((await answered({ interval: 2.5 })).intervalSeconds).toBe(2.5);
    for (const interval of [601, 1e308, -1, '5', null]) {
      expect(await refusal({ interval }), `interval ${String(interval)}`).toMatchObject({ code: 'INVALID_RESPONSE' });
    }
  });

  it('takes a user_code of up to 64 letters and digits (groups joined by one - or space, RFC 8628 §6.1), and refuses any other', async () => {
    for (const userCode of ['A'.repeat(64), 'ABCD EFGH', 'WDJB-MJHT', '019-283-7465', 'abcd efgh-ijkl']) expect((await answered({ user_code: userCode })).userCode).toBe(userCode);
    // Printed next to the verification URI ("check that it shows the code …"): punctuation would let the org's answer add a
    // sentence of its own there, with a link or a prompt.
    const sentences = ['WDJB. If it fails, open https://evil.example/a', 'WDJB-MJHT; password for ada:', '!~', 'WDJB/MJHT', 'WDJB--MJHT', '-WDJB', 'WDJB-'];
    for (const user_code of [...sentences, '', 'A'.repeat(65), 'ABCD\u001b[2KEFGH', 'ABCD\nEFGH', 'ABCD  EFGH', ' ABCD', 'ABCD ', 'ÄBCD', 42, undefined]) {
      expect(await refusal({ user_code }), `user_code ${JSON.stringify(user_code)}`).toMatchObject({ code: 'INVALID_RESPONSE' });
    }
  });

  it('takes a device_code of up to 4096 characters, and refuses an empty, longer or missing one', async () => {
    expect((await answered({ device_code: 'd'.repeat(4096) })).userCode).toBe('ABCD-EFGH');
    for (const device_code of ['', 'd'.repeat(4097), 7, undefined]) {
      expect(await refusal({ device_code }), `device_code of ${String(device_code).length}`).toMatchObject({ code: 'INVALID_RESPONSE' });
    }
  });

  it('hands out verification URIs on the org as their URL serialization (no control characters reach the screen)', async () => {
    const device = await answered({ verification_uri: `${org.url}/activ\tate`, verification_uri_complete: `${org.url}/activate?user_code=ABCD EFGH\n` });
    expect(device.verificationUri).toBe(`${org.url}/activate`);
    expect(device.verificationUriComplete).toBe(`${org.url}/activate?user_code=ABCD%20EFGH`);
    expect((await answered({ verification_uri_complete: undefined })).verificationUriComplete).toBeUndefined();
    const long = `${org.url}/activate?pad=${'p'.repeat(2048 - `${org.url}/activate?pad=`.length)}`;
    expect((await answered({ verification_uri: long })).verificationUri).toBe(long);
  });

  it('refuses a verification URI off the org, with credentials, not a URL, not a string, or longer than 2048 characters', async () => {
    const off = [
      'https://evil.example/activate',
      org.url.replace('127.0.0.1', 'localhost'),
      `${org.url.replace('http://', 'http://user:pass@')}/activate`,
      `${org.url.replace('http://', 'http://user@')}/activate`,
      `${org.url.replace('http://', 'http://:pass@')}/activate`,
      'not a url',
      `${org.url}/activate?pad=${'p'.repeat(2048)}`,
      // A blob: URL's origin is that of the URL it wraps: on the org by url.origin, yet no page of the org's.
      `blob:${org.url}/activate`,
      'javascript:alert(1)//',
      'data:text/html,<a href=x>activate</a>',
    ];
    for (const uri of off) {
      expect(await refusal({ verification_uri: uri }), uri).toMatchObject({ code: 'INVALID_RESPONSE' });
      expect(await refusal({ verification_uri_complete: uri }), uri).toMatchObject({ code: 'INVALID_RESPONSE' });
    }
    for (const uri of [42, null]) {
      expect(await refusal({ verification_uri: uri }), String(uri)).toMatchObject({ code: 'INVALID_RESPONSE' });
      expect(await refusal({ verification_uri_complete: uri }), String(uri)).toMatchObject({ code: 'INVALID_RESPONSE' });
    }
    expect(await refusal({ verification_uri: undefined })).toMatchObject({ code: 'INVALID_RESPONSE' });
  });

  it('says which field it refused and never echoes the device code', async () => {
    const error = (await refusal({ device_code: `secret-${'d'.repeat(4096)}` })) as Error;
    expect(error.message).toMatch(/device_code longer than 4096/);
    expect(error.message).not.toContain('secret-');
    expect(((await refusal({ interval: 601 })) as Error).message).toMatch(/interval \(601 s; from 0 to 600 s/);
    expect(((await refusal({ expires_in: 86_401 })) as Error).message).toMatch(/expires_in \(86401 s; more than 0 and at most 86400 s/);
    // A number out of bounds is named as such, not as a missing field.
    expect(((await refusal({ interval: -1 })) as Error).message).toMatch(/interval \(-1 s; from 0 to 600 s/);
    expect(((await refusal({ interval: '5' })) as Error).message).toMatch(/an interval that is not a number of seconds/);
    expect(((await refusal({ expires_in: -5 })) as Error).message).toMatch(/expires_in \(-5 s; more than 0 and at most 86400 s/);
    expect(((await refusal({ expires_in: 0 })) as Error).message).toMatch(/expires_in \(0 s; more than 0/);
    expect(((await refusal({ verification_uri: 'https://evil.example/' })) as Error).message).toMatch(/verification_uri that is not a URL on the org/);
    expect(((await refusal({ device_code: undefined })) as Error).message).toMatch(/lacks device_code, user_code, verification_uri or expires_in/);
    expect(((await refusal({ verification_uri_complete: 'https://evil.example/' })) as Error).message).toMatch(/verification_uri_complete that is not a URL on the org/);
    expect(((await refusal({ verification_uri: `${org.url}/${'p'.repeat(2048)}` })) as Error).message).toMatch(/verification_uri longer than 2048 characters/);
    expect(((await refusal({ user_code: 'ABCD\nEFGH' })) as Error).message).toMatch(/user_code that is empty, longer than 64 characters or not letters and digits in groups joined by one - or space/);
    for (const fault of [{ kind: 'non-json' }, { kind: 'status', status: 500 }] as const) {
      org.injectFault({ path: '/oauth2/v1/device/authorize', ...fault, count: 1 });
      expect(await client.startDeviceSignIn().catch((e: unknown) => e), fault.kind).toMatchObject({ message: expect.stringContaining('device authorization endpoint') });
    }
  });
});

describe("the device authorization answer of a confidential client", () => {
  const base = { device_code: 'dc-1', user_code: 'ABCD-EFGH', expires_in: 600 };
  const confidential = (options: Partial<SignInClientOptions>, clientId: string) =>
    createSignInClient({ orgUrl: org.url, clientId, scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false, ...options });
  const refused = (started: Promise<unknown>) => started.then(() => 'started', (error: unknown) => error as Error);
  const refusedFor = /^Okta's device authorization answer has a (user_code|verification_uri|verification_uri_complete) that carries a secret of the request/;

  it("refuses a user_code or verification URI echoing the client's secret (INVALID_RESPONSE, not quoted): they are shown to the user", async () => {
    const app = org.createSignInApp({ type: 'web', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
    const secret = app.clientSecret ?? 'no secret';
    // A client_secret_jwt secret is never sent: the client's own list holds it (letters and digits: a user_code could be it).
    const jwtSecret = 'Zq7TfR2mWx9KpL4vBn8JhY3cDs6GtN1wQe5RuM0a';
    const cases: [Partial<SignInClientOptions>, string, Record<string, unknown>][] = [
      [{ clientSecret: secret }, secret, { verification_uri: `${org.url}/activate?s=${secret}` }],
      [{ clientAuth: clientSecretPost(secret) }, secret, { verification_uri: `${org.url}/activate`, verification_uri_complete: `${org.url}/activate?user_code=ABCD-EFGH#${secret}` }],
      [{ clientAuth: clientSecretJwt(jwtSecret) }, jwtSecret, { verification_uri: `${org.url}/activate`, user_code: jwtSecret }],
      [{ clientAuth: clientSecretJwt(jwtSecret) }, jwtSecret, { verification_uri: `${org.url}/${jwtSecret.toLowerCase()}` }],
    ];
    for (const [options, echoed, answer] of cases) {
      org.injectFault({ path: '/oauth2/v1/device/authorize', kind: 'status', status: 200, body: { ...base, ...answer }, count: 1 });
      const error = await refused(confidential(options, app.clientId).startDeviceSignIn());
      expect(error, JSON.stringify(answer)).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringMatching(refusedFor) });
      expect(JSON.stringify([String(error), error]).toLowerCase()).not.toContain(echoed.toLowerCase());
    }
    // The same client with an answer that echoes nothing starts.
    org.injectFault({ path: '/oauth2/v1/device/authorize', kind: 'status', status: 200, body: { ...base, verification_uri: `${org.url}/activate` }, count: 1 });
    expect((await confidential({ clientSecret: secret }, app.clientId).startDeviceSignIn()).verificationUri).toBe(`${org.url}/activate`);
  });

  it("refuses a verification_uri_complete echoing the request's client assertion (the attempt's own secret)", async () => {
    const app = org.createSignInApp({ type: 'web', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'], tokenEndpointAuthMethod: 'private_key_jwt' });
    let assertion = '';
    const echoing: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname !== '/oauth2/v1/device/authorize') return fetch(request);
      assertion = new URLSearchParams(await request.text()).get('client_assertion') ?? '';
      return Response.json({ ...base, verification_uri: `${org.url}/activate`, verification_uri_complete: `${org.url}/activate?user_code=ABCD-EFGH&a=${assertion}` });
    };
    const client = confidential({ clientAuth: privateKeyJwt(app.privateKeyPem ?? '', { keyId: app.keyId }), fetch: echoing }, app.clientId);
    const error = await refused(client.startDeviceSignIn());
    expect(assertion).toMatch(/^ey/);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', message: expect.stringMatching(refusedFor) });
    expect(JSON.stringify([String(error), error])).not.toContain(assertion.split('.')[2]);
  });
});
