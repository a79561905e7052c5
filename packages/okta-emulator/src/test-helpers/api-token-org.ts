import { useOrgPerFile } from '@org/okta-test-utils';
import { startEmulator, type EmulatorOptions, type OktaEmulator } from '../index.js';

/** An org for the tests of a file, and a live API token of it. */
export interface ApiTokenOrg {
  /** The org of the running tests. */
  readonly org: OktaEmulator;
  /** A live API token of that org (`ssws(token)` for its headers). */
  readonly token: string;
}

/**
 * Starts an org (`options` for {@link startEmulator}, such as the users to seed) and creates an API
 * token before the tests of the calling file or block, and closes the org after them (the shared
 * `useOrgPerFile`, as `useSignInApps`); read the fields inside tests.
 */
export function useApiTokenOrg(options: EmulatorOptions = {}): ApiTokenOrg {
  return useOrgPerFile(() => startEmulator(options), (org) => ({ token: org.createApiToken().token }), 'useApiTokenOrg');
}
