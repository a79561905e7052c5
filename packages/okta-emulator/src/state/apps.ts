import type { OrgContext } from './context.js';
import { invalidOption, shown } from '../emulator-error.js';
import { checkFields } from '../options.js';
import { oktaId } from './ids.js';
import { newClientSecret, secretOf } from './app-secrets.js';
import { checkPublicJwks, checkScopes, checkUris } from './app-checks.js';
import { generateKey } from './client-key.js';
import type { OinAppCredentials, OinAppOptions, ServiceAppCredentials, ServiceAppOptions, SignInAppCredentials, SignInAppOptions } from './app-options.js';
import type { ServiceApp, SignInApp, OinApp } from './model.js';

/* The app records `createServiceApp`, `createOinApp` and `createSignInApp` add to the org's store, from checked options. */

export function createServiceApp(ctx: OrgContext, opts: ServiceAppOptions): ServiceAppCredentials {
  const where = 'createServiceApp';
  const count = opts.keyCount ?? 1;
  // Each key is generated on the spot (a 2048-bit RSA key takes a while): a few are what a test needs.
  if (!(Number.isInteger(count) && count >= 1 && count <= 100)) invalidOption(where, 'keyCount', `must be a whole number from 1 to 100 (keys generated), or unset for 1, not ${shown(count)}.`);
  checkFields(opts, where, { requireDpop: 'boolean', keyType: ['RSA', 'EC'] });
  checkScopes(opts.scopes, where, true);
  checkPublicJwks(opts.publicJwks, where);
  const keys = Array.from({ length: count }, () => generateKey(opts.keyType ?? 'RSA'));
  const first = keys[0];
  if (first === undefined) throw new Error('internal: no key generated (keyCount is at least 1)');
  const app: ServiceApp = {
    kind: 'service',
    clientId: oktaId('0oa'),
    authMethod: 'private_key_jwt',
    scopes: new Set(opts.scopes),
    requireDpop: opts.requireDpop ?? true,
    keys: [...keys.map((k) => k.publicJwk), ...(opts.publicJwks ?? []).map((k) => ({ ...k }))],
  };
  ctx.store.apps.set(app.clientId, app);
  return { ...first, clientId: app.clientId };
}

export function createOinApp(ctx: OrgContext, opts: OinAppOptions): OinAppCredentials {
  const method = opts.tokenEndpointAuthMethod ?? 'client_secret_basic';
  // Checked at run time too: a JavaScript caller (or a cast) may pass anything.
  if (!['client_secret_basic', 'client_secret_post'].includes(method)) {
    invalidOption('createOinApp', 'tokenEndpointAuthMethod', `must be 'client_secret_basic' or 'client_secret_post', or unset, not ${shown(method)}.`);
  }
  checkScopes(opts.scopes, 'createOinApp', true);
  const secret = newClientSecret();
  const app: OinApp = {
    kind: 'oin',
    clientId: oktaId('0oa'),
    authMethod: method,
    secrets: [secret],
    scopes: new Set(opts.scopes),
    requireDpop: false,
  };
  ctx.store.apps.set(app.clientId, app);
  return secretOf(app.clientId, secret);
}

const webMethods: readonly string[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt'];

export function createSignInApp(ctx: OrgContext, opts: SignInAppOptions): SignInAppCredentials {
  const where = 'createSignInApp';
  if (!['spa', 'web', 'native'].includes(opts.type)) invalidOption(where, 'type', `must be 'spa', 'web' or 'native', not ${shown(opts.type)}.`);
  // keyType as a service app's: 'ec' (or anything) was taken and made an RSA key.
  checkFields(opts, where, { requireDpop: 'boolean', refreshTokenRotation: ['rotate', 'static'], label: 'text', signInHint: 'text', keyType: ['RSA', 'EC'] });
  const claim = opts.groupsClaim;
  if (claim?.filter !== undefined && !['EQUALS', 'STARTS_WITH', 'CONTAINS', 'REGEX'].includes(claim.filter)) {
    invalidOption(where, 'groupsClaim.filter', `must be 'EQUALS', 'STARTS_WITH', 'CONTAINS' or 'REGEX', not ${shown(claim.filter)}.`);
  }
  if (claim?.filter === 'REGEX') {
    try {
      new RegExp(claim.value);
    } catch (error) {
      invalidOption(where, 'groupsClaim.value', `must be a regular expression (filter 'REGEX'), such as '^team-', not ${shown(claim.value)}.`, { error, value: claim.value });
    }
  }
  if (!Array.isArray(opts.redirectUris) || opts.redirectUris.length === 0) invalidOption(where, 'redirectUris', "must be a non-empty array of URLs, such as ['http://localhost:5173/callback'].");
  checkUris(opts.redirectUris, 'redirectUris');
  checkUris(opts.postLogoutRedirectUris ?? [], 'postLogoutRedirectUris');
  const method = opts.type === 'web' ? (opts.tokenEndpointAuthMethod ?? 'client_secret_basic') : 'none';
  if (opts.type !== 'web' && opts.tokenEndpointAuthMethod !== undefined) {
    invalidOption(where, 'tokenEndpointAuthMethod', `must be unset for a ${opts.type} app: it is a public client, whose tokenEndpointAuthMethod is 'none' (type 'web' has the others).`);
  }
  // 'none' too: a web app is a confidential client (it was taken, and the app then had a secret it never asked for).
  if (opts.type === 'web' && !webMethods.includes(method)) invalidOption(where, 'tokenEndpointAuthMethod', `must be one of ${webMethods.join(', ')}, or unset, not ${shown(method)}.`);
  const leeway: unknown = opts.refreshTokenLeewaySeconds;
  if (leeway !== undefined && !(Number.isInteger(leeway) && (leeway as number) >= 0 && (leeway as number) <= 60)) {
    invalidOption(where, 'refreshTokenLeewaySeconds', `must be a whole number of seconds from 0 to 60 (Okta's range), or unset, not ${shown(leeway)}.`);
  }
  checkScopes(opts.scopes, where, false);
  checkPublicJwks(opts.publicJwks, where);
  const key = method === 'private_key_jwt' ? generateKey(opts.keyType ?? 'RSA') : undefined;
  const secret = opts.type === 'web' && method !== 'private_key_jwt' ? newClientSecret() : undefined;
  const app: SignInApp = {
    kind: opts.type,
    clientId: oktaId('0oa'),
    authMethod: method,
    secrets: secret === undefined ? [] : [secret],
    keys: [...(key === undefined ? [] : [key.publicJwk]), ...(opts.publicJwks ?? []).map((k) => ({ ...k }))],
    scopes: new Set(opts.scopes ?? []),
    requireDpop: opts.requireDpop ?? false,
    redirectUris: [...opts.redirectUris],
    postLogoutRedirectUris: [...(opts.postLogoutRedirectUris ?? [])],
    refreshTokenRotation: opts.refreshTokenRotation ?? undefined,
    refreshTokenLeewaySeconds: opts.refreshTokenLeewaySeconds,
    groupsClaim: opts.groupsClaim === undefined ? undefined : { ...opts.groupsClaim },
    label: opts.label ?? undefined, // null is unset, as for every optional field (checkFields)
    signInHint: opts.signInHint ?? undefined,
  };
  ctx.store.apps.set(app.clientId, app);
  if (key !== undefined) return { clientId: app.clientId, keyId: key.keyId, privateKeyPem: key.privateKeyPem, privateJwk: key.privateJwk };
  return secret === undefined ? { clientId: app.clientId } : secretOf(app.clientId, secret);
}
