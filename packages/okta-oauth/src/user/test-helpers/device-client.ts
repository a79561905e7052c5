import type { OktaLogEvent } from '@org/okta-auth-core';
import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { useOrgPerTest } from '@org/okta-test-utils';
import { createSignInClient, type SignInClientOptions } from '../sign-in-client.js';
import { login, password } from './sign-in-org.js';

/** A new emulator for each test of the file, with the user who approves device sign-ins; closed after it (the shared `useOrgPerTest`). */
export function useDeviceOrg(): { readonly org: OktaEmulator } {
  return useOrgPerTest(() => startEmulator(), (org) => {
    org.createUser({ login, password });
    return {};
  }, 'useDeviceOrg');
}

/**
 * A native app of `org` and a sign-in client for it whose sleeps only move its clock (no real time
 * passes), recording each wait and log event; `options` override any of its settings.
 */
export function deviceClient(org: OktaEmulator, options: Partial<SignInClientOptions> = {}) {
  const app = org.createSignInApp({ type: 'native', redirectUris: ['http://127.0.0.1:5173/callback'], scopes: ['okta.users.read'] });
  const clock = { now: 1_800_000_000_000 };
  const waits: number[] = [];
  const events: OktaLogEvent[] = [];
  const client = createSignInClient({
    orgUrl: org.url,
    clientId: app.clientId,
    scopes: ['okta.users.read'],
    allowInsecureLoopback: true,
    retry: false,
    now: () => clock.now,
    sleep: (ms) => (waits.push(ms), (clock.now += ms), Promise.resolve()),
    logger: (event) => void events.push(event),
    ...options,
  });
  return { client, clock, waits, events };
}

/** `org`'s next device authorization answer: Okta's (5 s interval, 600 s expiry), with `changes`. */
export function deviceAnswer(org: OktaEmulator, changes: Record<string, unknown> = {}): void {
  const body = { device_code: 'dc-1', user_code: 'ABCD-EFGH', verification_uri: `${org.url}/activate`, expires_in: 600, interval: 5, ...changes };
  org.injectFault({ path: '/oauth2/v1/device/authorize', kind: 'status', status: 200, body, count: 1 });
}
