/**
 * Issue 12 item 9: a device authorization answer's numbers and URLs are bounded and checked
 * before anything is shown or polled: an interval over 600 s (setTimeout overflows past
 * 2^31 ms and would poll in a tight loop), an expires_in over a day, a verification URI on
 * another origin (a phishing page for the user code) are refused with INVALID_RESPONSE.
 * A verification URI on the org is handed out as its URL serialization, never as the answer's text
 * (which could carry a terminal escape, a line break or "… or go to https://evil.example").
 */
import { createSignInClient, isOktaSignInError } from '@org/okta-oauth';
import { afterEach, describe, expect, it } from 'vitest';
import { startHostileOrg, type HostileOrg } from './test-helpers/hostile-oauth-server.js';

let org: HostileOrg | undefined;
afterEach(async () => {
  await org?.close();
  org = undefined;
});

async function deviceAnswer(edit: (url: string) => Record<string, unknown>) {
  org = await startHostileOrg({
    '/oauth2/v1/device/authorize': (_request, o) => ({
      body: { device_code: 'device-code-0123456789', user_code: 'WDJB-MJHT', verification_uri: `${o.url}/activate`, expires_in: 600, interval: 5, ...edit(o.url) },
    }),
    '/oauth2/v1/token': () => ({ status: 400, body: { error: 'authorization_pending' } }),
  });
  const client = createSignInClient({ orgUrl: org.url, clientId: '0oaCli', scopes: ['okta.users.read'], allowInsecureLoopback: true, retry: false });
  return client.startDeviceSignIn().then(
    (device) => ({ device, error: undefined }),
    (error: unknown) => ({ device: undefined, error }),
  );
}

describe('hostile oauth: device sign-in answers', () => {
  it.each([
    ['an interval beyond what setTimeout can wait (2^31 ms)', () => ({ interval: 2 ** 31 / 1000 + 10 }), /interval/],
    ['an interval of an hour', () => ({ interval: 3600 }), /interval/],
    ['an expires_in of 30 years', () => ({ expires_in: 10 ** 9 }), /expires_in/],
    ['an expires_in of a day and a second', () => ({ expires_in: 86_401 }), /expires_in/],
    ['a verification_uri on another origin', () => ({ verification_uri: 'https://evil.example.com/activate' }), /verification_uri/],
    ['a verification_uri_complete on another origin', (url: string) => ({ verification_uri_complete: `https://evil.example.com/activate?user_code=WDJB-MJHT&org=${url}` }), /verification_uri_complete/],
    ['a verification_uri with userinfo', (url: string) => ({ verification_uri: url.replace('http://', 'http://evil@') + '/activate' }), /verification_uri/],
    ['a megabyte user_code', () => ({ user_code: 'W'.repeat(1_000_000) }), /user_code/],
    ['a user_code of 65 characters', () => ({ user_code: 'W'.repeat(65) }), /user_code/],
    ['a device_code of 4,097 characters', () => ({ device_code: 'd'.repeat(4097) }), /device_code/],
    ['a verification_uri of 2,049 characters', (url: string) => ({ verification_uri: `${url}/activate?${'a'.repeat(2049)}` }), /verification_uri/],
  ])('a device answer with %s is refused with INVALID_RESPONSE before any poll', async (_name, edit, message) => {
    const { device, error } = await deviceAnswer(edit);
    expect(device).toBeUndefined();
    expect(isOktaSignInError(error) && error.code).toBe('INVALID_RESPONSE');
    expect((error as Error).message).toMatch(message);
    expect(org?.to('/oauth2/v1/token')).toHaveLength(0);
  });

  it.each([
    ['a terminal escape that rewrites the line', (url: string) => `${url}/activate\u001b[2K\rOpen https://evil.example/activate`],
    ['a line break and more text', (url: string) => `${url}/activate\r\nOr open https://evil.example/activate`],
    ['spaces and a second URL', (url: string) => `${url}/activate or, if that fails, https://evil.example/activate`],
  ])('a verification URI on the org with %s is handed out as its URL serialization: nothing the user reads but the org URL', async (_name, uri) => {
    const { device, error } = await deviceAnswer((url) => ({ verification_uri: uri(url), verification_uri_complete: `${uri(url)}?user_code=WDJB-MJHT` }));
    expect(error).toBeUndefined();
    for (const shown of [device?.verificationUri, device?.verificationUriComplete]) {
      expect(shown).toMatch(/^[\x21-\x7E]+$/); // no space, no control character: one URL, printed as such
      expect(new URL(shown ?? '').origin).toBe(org?.url);
    }
  });

  it('a verification URI longer than 2048 characters is refused with INVALID_RESPONSE', async () => {
    const { device, error } = await deviceAnswer((url) => ({ verification_uri: `${url}/activate/${'a'.repeat(100_000)}` }));
    expect(device).toBeUndefined();
    expect(isOktaSignInError(error) && error.code).toBe('INVALID_RESPONSE');
    expect((error as Error).message).toMatch(/verification_uri longer than 2048/);
  });

  it('a device answer within the bounds is accepted, an interval under a second taken as one second', async () => {
    const { device, error } = await deviceAnswer((url) => ({ interval: 0, verification_uri_complete: `${url}/activate?user_code=WDJB-MJHT` }));
    expect(error).toBeUndefined();
    expect(device?.intervalSeconds).toBe(1);
  });
});
