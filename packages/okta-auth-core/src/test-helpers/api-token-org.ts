import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterEach, beforeEach } from 'vitest';
import type { OktaCredential } from '../credential.js';

/** An emulated org for each test of the file, with a live API token. */
export interface ApiTokenOrg {
  /** The running test's org. */
  readonly org: OktaEmulator;
  /** A live API token of that org. */
  readonly token: string;
  /** `Authorization: SSWS <token>` for `origin` (core's tests cannot use `@org/okta-ssws`, which depends on core). */
  ssws(origin: string): OktaCredential;
}

/** Starts an org and creates an API token before each test, and closes the org after; read the fields inside tests. */
export function useApiTokenOrg(): ApiTokenOrg {
  let org: OktaEmulator | undefined;
  let token = '';
  beforeEach(async () => {
    org = await startEmulator();
    token = org.createApiToken().token;
  });
  afterEach(async () => {
    await org?.close();
  });
  return {
    get org() {
      if (org === undefined) throw new Error('useApiTokenOrg: read org inside a test');
      return org;
    },
    get token() {
      return token;
    },
    ssws: (origin) => ({ kind: 'ssws', origin, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) }),
  };
}
