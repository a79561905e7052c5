import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { afterEach, beforeEach, it } from 'vitest';
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

const ssws = (token: string) => (origin: string): OktaCredential => ({ kind: 'ssws', origin, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) });

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

/**
 * `it` with an org of the test's own and its API token as its `org` fixture (closed when the test
 * ends): for tests that run at once (`describe.concurrent`), where {@link useApiTokenOrg}'s would be every running test's.
 */
export const itWithApiTokenOrg = it.extend<{ org: ApiTokenOrg }>({
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern: none
  org: async ({}, use) => {
    const org = await startEmulator();
    const { token } = org.createApiToken();
    await use({ org, token, ssws: ssws(token) });
    await org.close();
  },
});
