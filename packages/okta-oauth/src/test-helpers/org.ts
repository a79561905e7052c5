import { createOktaFetch, type OktaCredential, type OktaFetch } from '@org/okta-auth-core';
import { startEmulator, type EmulatorOptions, type OktaEmulator } from '@org/okta-emulator';
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { afterEach } from 'vitest';
import { createServiceAppCredential, type ServiceAppCredentialOptions } from '../service-app.js';
import { recordingFetch } from './wire.js';

const running: OktaEmulator[] = [];

/** Starts an emulator that is closed after the current test. Call `useEmulators()` once per file. */
export async function emulator(options: EmulatorOptions = {}): Promise<OktaEmulator> {
  const org = await startEmulator(options);
  running.push(org);
  return org;
}

export function useEmulators(): void {
  afterEach(async () => {
    await Promise.all(running.splice(0).map((org) => org.close()));
  });
}

/** A service app in the org plus a recording credential and fetch for it. */
export function serviceApp(
  org: OktaEmulator,
  app: { keyType?: 'RSA' | 'EC'; requireDpop?: boolean; scopes?: string[] } = {},
  options: Partial<ServiceAppCredentialOptions> & { keyForm?: 'pem' | 'jwk' } = {},
): { credential: OktaCredential; okta: OktaFetch; wire: ReturnType<typeof recordingFetch>; clientId: string; keyId: string } {
  const scopes = app.scopes ?? ['okta.users.read'];
  const created = org.createServiceApp({ keyType: app.keyType ?? 'EC', requireDpop: app.requireDpop ?? true, scopes });
  const wire = recordingFetch();
  const { keyForm = 'pem', ...rest } = options;
  const credential = createServiceAppCredential({
    orgUrl: org.url,
    clientId: created.clientId,
    privateKey: keyForm === 'pem' ? created.privateKeyPem : created.privateJwk,
    ...(keyForm === 'pem' ? { keyId: created.keyId } : {}),
    scopes,
    allowInsecureLoopback: true,
    fetch: wire.fetch,
    ...rest,
  });
  return { credential, okta: createOktaFetch({ credential, fetch: wire.fetch }), wire, clientId: created.clientId, keyId: created.keyId };
}

export function claims(jwt: string | null | undefined): JWTPayload {
  return decodeJwt(jwt ?? '');
}

export function header(jwt: string | null | undefined): ReturnType<typeof decodeProtectedHeader> {
  return decodeProtectedHeader(jwt ?? '');
}
