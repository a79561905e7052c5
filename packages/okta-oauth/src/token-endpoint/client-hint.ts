/*
 * The `invalid_client` hints, by the client's authentication: a key's (`private_key_jwt`), a secret's,
 * and an OIN integration's. Each factory's `OAuthHints` (token-error.ts) takes the ones its client can meet.
 */
import { quotedProblem } from '@org/okta-auth-core/internal';
import type { OAuthHint } from './token-error.js';

/** How far apart the host's clock and Okta's may be before an assertion's `invalid_client` is put down to it: a day, the server clock's bound (`server-clock.ts`), past which it signs on the host's time. */
const dayMs = 86_400_000;

/**
 * `invalid_client` with `private_key_jwt`: the host's clock, when the refusal's `Date` is more than a day from it (the assertion
 * carried the host's time: rev166b); which key, when Okta says it cannot tell; that the private key is not the one Okta has
 * under that kid, when it says the signature is invalid ("The client_assertion signature is invalid."); otherwise the key's registration. @internal
 */
export const keyHint: OAuthHint = ({ clientAuth: { keyId }, clockGapMs = 0 }, description = '') => {
  const kid = keyId === undefined ? '' : ` with kid "${keyId}"`;
  return Math.abs(clockGapMs) > dayMs
    ? ` This host's clock is ${Math.round(Math.abs(clockGapMs) / 3_600_000)} h ${clockGapMs > 0 ? 'behind' : 'ahead of'} Okta's (its Date): client assertions carry its time. Set it right (NTP).`
    : keyId === undefined && /\bkid\b/i.test(description)
    ? " The app has more than one key: set keyId (OKTA_CLIENT_KEYID) to the kid of this key's public key in Okta."
    : /signature is invalid/i.test(description)
      ? ` The private key does not match the app's public key${kid} in Okta (another app's key, or a rotated one).`
      : ` Check the client id, that the app's public key${kid} is registered and active in Okta, and that the app uses "Public key / Private key" client authentication.`;
};

/** `invalid_client` for every method but `private_key_jwt`: the method sent, and the other secret method's factory; `note` after the secret (the OIN one), `end` before the period (the app types that take no secret; none for an OIN integration). @internal */
export function secretHint(method: string, note = '', end = '; SPA and Native apps take none'): string {
  if (method === 'none') return ' Check the client id (and that the app is active). No secret was sent: a Web app needs its clientSecret (or privateKey), on a server; a page takes a SPA app, a command-line tool a Native app, with no secret.';
  const other = method === 'client_secret_basic' ? ' (client_secret_post: clientAuth: clientSecretPost(secret))' : method === 'client_secret_post' ? ' (client_secret_basic: clientSecretBasic(secret))' : '';
  return ` Check the client id and secret${note}, and that the app's client authentication is ${method}${other}${end}.`;
}

/** Said only where an OIN integration can be: a client secret on the client credentials grant (a process still on a rotated secret, a customer who uninstalled it). */
const oinNote = ' (an OIN secret is per customer org, and a rotated one is refused once deactivated in Okta), that the customer has not removed or deactivated the integration';

/**
 * `invalid_client` of an OIN integration: a secret sent in quotes first, in the words of core's one
 * check of a configured value in quotes (`quotedProblem`; not refused up front: an admin-set secret may hold one), never quoting it. @internal
 */
export const oinHint: OAuthHint = ({ clientAuth }) => {
  const quoted = quotedProblem(clientAuth.secrets?.()[0] ?? '');
  return (quoted ? ` The secret ${quoted}` : '') + secretHint(clientAuth.method, oinNote, '');
};
