import { startEmulator, type OktaEmulator } from '@org/okta-emulator';
import { orgFixture, useOrgPerTest } from '@org/okta-test-utils';
import { it } from 'vitest';
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

/** What each test's org is seeded with: an API token, and the credential that sends it. */
const seed = (org: OktaEmulator): Omit<ApiTokenOrg, 'org'> => {
  const { token } = org.createApiToken();
  return { token, ssws: (origin) => ({ kind: 'ssws', origin, authorize: () => Promise.resolve({ authorization: `SSWS ${token}` }) }) };
};

/** Starts an org and creates an API token before each test, and closes the org after (the shared `useOrgPerTest`); read the fields inside tests. */
export function useApiTokenOrg(): ApiTokenOrg {
  return useOrgPerTest(() => startEmulator(), seed, 'useApiTokenOrg');
}

/**
 * `it` with an org of the test's own and its API token as its `org` fixture (closed when the test
 * ends): for tests that run at once (`describe.concurrent`), where {@link useApiTokenOrg}'s would be every running test's.
 */
export const itWithApiTokenOrg = it.extend<{ org: ApiTokenOrg }>({ org: orgFixture(() => startEmulator(), seed) });
