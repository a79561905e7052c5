import type { JWK } from 'jose';
import { invalidOption, shown } from '../emulator-error.js';
import { isRecord } from '../http/http-types.js';
import { isOrgScope } from '../protocol/scopes.js';

/* The checks of the option fields more than one kind of app takes: public JWKs, scopes, URIs. */

/** Extra public JWKs: an array of public keys, each with a `kid`. */
export function checkPublicJwks(jwks: JWK[] | undefined, where: string): void {
  if (jwks !== undefined && !Array.isArray(jwks)) invalidOption(where, 'publicJwks', 'must be an array of public JWKs, each with a kid, or unset.');
  for (const [i, jwk] of (jwks ?? []).entries()) {
    const option = `publicJwks[${String(i)}]`;
    if (!isRecord(jwk)) invalidOption(where, option, `must be a public JWK object, such as { kty: 'EC', crv: 'P-256', x, y, kid }, not ${shown(jwk)}.`);
    if (typeof jwk.kid !== 'string' || jwk.kid === '') invalidOption(where, option, 'needs a kid: the key id a client assertion names in its header.');
    // Never quoted: it holds a private key.
    if ('d' in jwk) invalidOption(where, option, 'must be a public key, without its private part "d": give the public JWK.');
  }
}

/** Scopes are a list of names: a string would become the set of its characters, granting nothing it names. */
export function checkScopes(scopes: unknown, where: string, required: boolean): void {
  if (scopes === undefined && !required) return;
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string' && scope !== '')) {
    invalidOption(where, 'scopes', `must be an array of scope names, such as ['okta.users.read']${required ? ' (or [])' : ', or unset'}, not ${shown(scopes)}.`);
  }
  // The org authorization server has no custom scopes (FIDELITY T8) and only Okta's okta.* scopes (T11): a grant Okta
  // cannot make is refused here, not at /token.
  const custom = (scopes as string[] | undefined)?.find((scope) => !isOrgScope(scope));
  if (custom?.startsWith('okta.')) {
    invalidOption(where, 'scopes', `${shown(custom)} is not one of Okta's okta.* scopes (https://developer.okta.com/docs/api/oauth2/): check its spelling, such as 'okta.users.read' or 'okta.groups.manage'.`);
  }
  if (custom !== undefined) {
    invalidOption(where, 'scopes', `${shown(custom)} is not a scope of the org authorization server: it has okta.* scopes and the OpenID Connect ones, no custom scopes (those need a custom authorization server, which the emulator does not emulate).`);
  }
}

/** Redirect URIs: an array of absolute URLs (`option` names which list). */
export function checkUris(uris: unknown, option: string): void {
  if (!Array.isArray(uris)) invalidOption('createSignInApp', option, "must be an array of absolute URLs, such as ['http://localhost:5173/callback'].");
  for (const uri of uris as readonly unknown[]) {
    try {
      new URL(uri as string);
    } catch (error) {
      // A parser's error holds the value whole (here `input`; a RegExp's SyntaxError quotes it): kept as the cause only for no secret.
      invalidOption('createSignInApp', option, `must hold absolute URLs, such as 'http://localhost:5173/callback', not ${shown(uri)}.`, { error, value: uri });
    }
  }
}
