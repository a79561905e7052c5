import { invalidOption, OKTA_ID_SHAPE, OktaEmulatorError, unknownId } from '../emulator-error.js';
import type { OrgContext } from './context.js';
import { oktaId, randomToken } from './ids.js';
import type { ClientSecretRecord, OinApp, SignInApp } from './model.js';
import { activeSecrets, inactiveOf, secretCount } from './app-credentials.js';

/*
 * A client secret's rotation, as at Okta (Admin Console › the app › General › Client secrets ›
 * "Generate new secret", or the Apps API's `/credentials/secrets`): an app has at most two secrets,
 * active and inactive; add one, move every process to it, then deactivate the old one. This control's
 * deactivation is Okta's deactivate and delete in one step (the Apps API, `routes/app-secrets.ts`, has
 * both, and keeps an inactive secret in `state/app-credentials.ts` until deleted): its requests get
 * `invalid_client`, as a wrong secret does, and the tokens it obtained stay valid until they expire
 * (FIDELITY A18, as for a deactivated key). Okta keeps one active secret: the last one cannot be
 * deactivated.
 */

/** Okta's limit of client secrets per app ("You can generate up to two client secrets"). */
export const MAX_APP_SECRETS = 2;

/** A new active secret: Okta's secret object id (`ocs…`) and a random value. */
export function newClientSecret(): ClientSecretRecord {
  return { id: oktaId('ocs'), value: randomToken(30) };
}

/** What the create and add methods return for a secret of an app. */
export function secretOf(clientId: string, secret: ClientSecretRecord): { clientId: string; clientSecret: string; secretId: string } {
  return { clientId, clientSecret: secret.value, secretId: secret.id };
}

/**
 * Whether `value` is the value of a client secret of any app, active or inactive (a caller's own, given
 * through the Apps API, may be shaped like an id): given by mistake for an id, it is a secret, never quoted.
 */
export function isSecretValue(ctx: OrgContext, value: unknown): boolean {
  return [...ctx.store.apps.values()].some((app) => [...activeSecrets(app), ...inactiveOf(app).secrets].some((secret) => secret.value === value));
}

function secretApp(ctx: OrgContext, clientId: string, where: string): OinApp | SignInApp {
  const app = typeof clientId === 'string' ? ctx.store.apps.get(clientId) : undefined;
  if (app === undefined) {
    const given = isSecretValue(ctx, clientId) ? 'the value of a client secret, not a client id' : unknownId(clientId, 'no app with', 'client id', OKTA_ID_SHAPE);
    throw new OktaEmulatorError('NOT_FOUND', 'clientId', `${where}: ${given}: give the clientId that createOinApp or createSignInApp returned.`);
  }
  if (app.kind === 'service' || app.secrets.length === 0) {
    invalidOption(where, 'clientId', `must be the client id of an app that authenticates with a client secret (an OIN app, or a web app using client_secret_basic, client_secret_post or client_secret_jwt), not of one using ${app.authMethod}.`);
  }
  return app;
}

export function addAppSecret(ctx: OrgContext, clientId: string): { clientId: string; clientSecret: string; secretId: string } {
  const where = 'addAppSecret';
  const app = secretApp(ctx, clientId, where);
  // Okta's limit counts the inactive secrets too (deactivated through the Apps API, not yet deleted).
  if (secretCount(app) >= MAX_APP_SECRETS) {
    invalidOption(where, 'clientId', `names an app that already has ${String(MAX_APP_SECRETS)} client secrets, active and inactive, Okta's limit: deactivate the old one (deactivateAppSecret), or delete an inactive one (DELETE /api/v1/apps/{appId}/credentials/secrets/{secretId}), before adding another.`);
  }
  const secret = newClientSecret();
  app.secrets.push(secret);
  return secretOf(app.clientId, secret);
}

export function deactivateAppSecret(ctx: OrgContext, clientId: string, secretId: string): void {
  const where = 'deactivateAppSecret';
  const app = secretApp(ctx, clientId, where);
  const at = app.secrets.findIndex((s) => s.id === secretId);
  if (at < 0) {
    // Quoted only when it has the shape of an id (`ocs…`, as for API tokens): a secret's value given by mistake is a secret.
    const given = isSecretValue(ctx, secretId) ? 'that is the value of a client secret, not its id' : unknownId(secretId, 'the app has no active client secret with', 'id', OKTA_ID_SHAPE);
    throw new OktaEmulatorError('NOT_FOUND', 'secretId', `${where}: ${given}: give the secretId that createOinApp, createSignInApp or addAppSecret returned.`);
  }
  if (app.secrets.length === 1) invalidOption(where, 'secretId', "names the app's only active client secret, which Okta does not let you deactivate: add another first (addAppSecret).");
  app.secrets.splice(at, 1);
}
