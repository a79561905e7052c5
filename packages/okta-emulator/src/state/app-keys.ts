import { invalidOption, KID_SHAPE, OKTA_ID_SHAPE, OktaEmulatorError, optionsOf, unknownId } from '../emulator-error.js';
import { APP_KEY_FIELDS, checkFields } from '../options.js';
import type { ServiceAppCredentials } from './app-options.js';
import { generateKey } from './client-key.js';
import type { OrgContext } from './context.js';
import type { ServiceApp, SignInApp } from './model.js';
import { keyCount } from './app-credentials.js';

/*
 * A client key's rotation, as at Okta (Admin Console › the app › General › Public keys, or the Apps API's
 * `/credentials/jwks`): add a key beside the active ones, move every process to it, then deactivate the
 * old one. This control's deactivation is Okta's deactivate and delete in one step (the Apps API,
 * `routes/app-jwks.ts`, has both): the key is gone from the app's keys, its assertions get
 * `invalid_client`, as an unknown `kid` does, and the tokens it obtained stay valid until they expire
 * (FIDELITY A18).
 */

function keyedApp(ctx: OrgContext, clientId: string, where: string): ServiceApp | SignInApp {
  const app = typeof clientId === 'string' ? ctx.store.apps.get(clientId) : undefined;
  if (app === undefined) throw new OktaEmulatorError('NOT_FOUND', 'clientId', `${where}: ${unknownId(clientId, 'no app with', 'client id', OKTA_ID_SHAPE)}: give the clientId that createServiceApp or createSignInApp returned.`);
  if (app.authMethod !== 'private_key_jwt' || app.kind === 'oin') {
    invalidOption(where, 'clientId', `must be the client id of an app that authenticates with private_key_jwt (a service app, or a web app made with tokenEndpointAuthMethod: 'private_key_jwt'), not of one using ${app.authMethod}.`);
  }
  return app;
}

/** The most keys an app holds: "RSA or EC keys, up to 50 per app" (okta-protocol.md, Keys). */
export const MAX_APP_KEYS = 50;

export function addAppKey(ctx: OrgContext, clientId: string, given?: { keyType?: 'RSA' | 'EC' | undefined } | null): ServiceAppCredentials {
  const where = 'addAppKey';
  const options = optionsOf(where, given, "{ keyType: 'EC' }", APP_KEY_FIELDS, true);
  checkFields(options, where, { keyType: ['RSA', 'EC'] });
  const app = keyedApp(ctx, clientId, where);
  // Okta's limit counts the inactive keys too (deactivated through the Apps API, not yet deleted).
  if (keyCount(app) >= MAX_APP_KEYS) invalidOption(where, 'clientId', `names an app that has ${String(MAX_APP_KEYS)} keys, active and inactive, the most Okta takes per app: deactivate one first (deactivateAppKey), or delete an inactive one (DELETE /api/v1/apps/{appId}/credentials/jwks/{keyId}).`);
  const key = generateKey(options.keyType ?? 'RSA');
  app.keys.push(key.publicJwk);
  return { ...key, clientId: app.clientId };
}

export function deactivateAppKey(ctx: OrgContext, clientId: string, keyId: string): void {
  const where = 'deactivateAppKey';
  const app = keyedApp(ctx, clientId, where);
  const at = app.keys.findIndex((k) => k.kid === keyId);
  // Quoted only when shaped like a kid: a private key (its PEM, its JWK's `d`) given by mistake is a secret.
  if (at < 0) throw new OktaEmulatorError('NOT_FOUND', 'keyId', `${where}: ${unknownId(keyId, 'the app has no active key with', 'kid', KID_SHAPE)}: give the keyId that createServiceApp, createSignInApp or addAppKey returned.`);
  app.keys.splice(at, 1);
}
