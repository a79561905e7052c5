import { OKTA_ID_SHAPE, OktaEmulatorError, unknownId } from '../emulator-error.js';
import type { OrgContext } from './context.js';
import { isSecretValue } from './app-secrets.js';
import type { AppRecord } from './model.js';

/*
 * An app's deactivation and activation (Okta's Apps API `POST /api/v1/apps/{appId}/lifecycle/deactivate`
 * and `…/activate`; for an OIN integration, what an admin's uninstall does to its instance). While
 * inactive, the OAuth endpoints answer its client as one the org does not have ({@link servedApp}):
 * `/authorize` and a sign-in begun before show the 400 error page, every request its client
 * authenticates (`/token`, `/revoke`, `/introspect`, device, PAR) gets 401 `invalid_client` "Invalid
 * value for 'client_id' parameter." (CAT `invalid_client_id`) [I: FIDELITY C17], and the access and
 * refresh tokens it holds are revoked: the API answers them 401 `invalid_token` (M7). Its
 * authorization codes, device codes and pushed `request_uri`s are forgotten, so they get an unknown
 * one's answer [I: FIDELITY C17]. Activating it again takes new requests; nothing it
 * was given before is valid again (OIDC reference [V]).
 */

/** The app of `clientId` as the OAuth endpoints see it: `undefined` for an unknown client and for a deactivated app alike. */
export function servedApp(ctx: OrgContext, clientId: string | null | undefined): AppRecord | undefined {
  const app = clientId === null || clientId === undefined ? undefined : ctx.store.apps.get(clientId);
  return app?.inactive === true ? undefined : app;
}

function appOf(ctx: OrgContext, clientId: string, where: string): AppRecord {
  const app = typeof clientId === 'string' ? ctx.store.apps.get(clientId) : undefined;
  if (app !== undefined) return app;
  // A secret given by mistake for the id is never quoted.
  const given = isSecretValue(ctx, clientId) ? 'the value of a client secret, not a client id' : unknownId(clientId, 'no app with', 'client id', OKTA_ID_SHAPE);
  throw new OktaEmulatorError('NOT_FOUND', 'clientId', `${where}: ${given}: give the clientId that createOinApp, createServiceApp or createSignInApp returned.`);
}

/** Deactivates the app: its client is refused, its tokens revoked, its codes forgotten. Deactivating an inactive app changes nothing. */
export function deactivateApp(ctx: OrgContext, clientId: string): void {
  const app = appOf(ctx, clientId, 'deactivateApp');
  app.inactive = true;
  const { store } = ctx;
  for (const token of store.accessTokens.values()) if (token.clientId === app.clientId) token.revoked = true;
  for (const token of store.refreshTokens.values()) if (token.clientId === app.clientId) token.revoked = true;
  for (const held of [store.codes, store.devices, store.pushedRequests]) {
    for (const [key, record] of held) if (record.clientId === app.clientId) held.delete(key);
  }
}

/** Activates the app again: its client may ask for tokens; the ones revoked stay revoked. */
export function activateApp(ctx: OrgContext, clientId: string): void {
  appOf(ctx, clientId, 'activateApp').inactive = undefined;
}
