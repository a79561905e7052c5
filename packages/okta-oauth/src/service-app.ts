import { prepareClientKey } from './client-auth/client-key.js';
import { withRevoke } from './credential/client-credentials.js';
import { revoke, type ServiceAppCredential } from './credential/revoke-app-token.js';
import { buildServiceAppCredential, type ServiceAppCredentialOptions } from './service-app-build.js';

export type { ServiceAppCredentialOptions } from './service-app-build.js';

/**
 * A credential for an Okta API service app: the client credentials grant with a
 * `private_key_jwt` client assertion, DPoP by default, tokens cached and renewed before they
 * expire (single flight, no timers), a revoked token recovered once. Drop-in for the SSWS
 * credential: pass it wherever `@org/okta-ssws`'s credential went. Its `revoke()` revokes its
 * token at Okta (a leaked token or key, a shutdown).
 *
 * This one (from `@org/okta-oauth`) takes `privateKey` in every form: PEM (PKCS#8, PKCS#1, SEC1),
 * private JWK or `CryptoKey`. The one from `@org/okta-oauth/service-app` takes a `CryptoKey`
 * (see `importPrivateKey`), so a bundle of it carries no PEM or JWK readers.
 *
 * Every input is checked now; a bad client id, scope list or key throws `OktaOAuthError`
 * (`INVALID_CONFIG` or `INVALID_KEY`), a bad org URL core's `OktaAuthError` (`INVALID_ORG_URL`),
 * naming what to fix, never echoing the key.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { createServiceAppCredential } from '@org/okta-oauth';
 *
 * const credential = createServiceAppCredential({
 *   orgUrl: 'https://acme.okta.com',
 *   clientId: '0oa1bcd2efGHIJ3kl4m5',
 *   privateKey: await readFile('okta-service-app.pem', 'utf8'),
 *   scopes: ['okta.users.read'],
 * });
 * ```
 * @see https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export function createServiceAppCredential(options: ServiceAppCredentialOptions): ServiceAppCredential {
  return withRevoke(buildServiceAppCredential(options, prepareClientKey), revoke);
}
