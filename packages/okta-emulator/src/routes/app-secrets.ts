import { emptyReply, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import { managementObject } from '../http/management-body.js';
import type { Router } from '../http/router.js';
import { activeSecrets, inactiveOf, secretCount, secretHash, touch } from '../state/app-credentials.js';
import { MAX_APP_SECRETS, newClientSecret } from '../state/app-secrets.js';
import type { OrgContext } from '../state/context.js';
import type { AppRecord, ClientSecretRecord } from '../state/model.js';
import { credentialApp, credentialFrame, credentialNotFound, listed, moveRecord, refused, removeRecord, statusField } from './app-credential-routes.js';

/*
 * The Apps API's client secrets (`/api/v1/apps/{appId}/credentials/secrets`), on the records the admin
 * controls change (`addAppSecret`, `deactivateAppSecret`): an app holds at most two secrets, active and
 * inactive; the last active one cannot be deactivated, an active one cannot be deleted. The secret's value
 * is in the create answer only; every answer carries its `secret_hash` (FIDELITY K1–K4).
 *
 * @see https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationSSOCredentialOAuth2ClientAuth/
 */

const RESOURCE = 'OAuth2ClientSecretMediated';
const SECRET_METHODS: readonly string[] = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];

function secretJson(ctx: OrgContext, app: AppRecord, secret: ClientSecretRecord, status: 'ACTIVE' | 'INACTIVE', withValue = false): Record<string, unknown> {
  const base = `${ctx.url}/api/v1/apps/${app.clientId}/credentials/secrets/${secret.id}`;
  const frame = credentialFrame(ctx, secret, status, base);
  return { id: secret.id, status, ...(withValue ? { client_secret: secret.value } : {}), secret_hash: secretHash(secret.value), created: frame.created, lastUpdated: frame.lastUpdated, _links: frame._links };
}

/** The secret the path names, and where it sits. */
function findSecret(ctx: OrgContext, app: AppRecord, id: string): { secret: ClientSecretRecord; status: 'ACTIVE' | 'INACTIVE' } {
  for (const { record, status } of listed(activeSecrets(app), inactiveOf(app).secrets)) {
    if (record.id === id) return { secret: record, status };
  }
  throw credentialNotFound(ctx, id, 'OAuth2ClientSecret');
}

/** `client_secret` given at create ("bring your own secret"): 14 to 100 printable ASCII characters, 32 for `client_secret_jwt`. Never quoted. */
function givenSecret(app: AppRecord, given: unknown): string | undefined {
  if (given === undefined || given === null) return undefined;
  const why = (rule: string): never => {
    throw refused('client_secret', `client_secret: ${rule}`);
  };
  if (typeof given !== 'string') return why("'client_secret' must be a string.");
  if (!/^[\x20-\x7E]*$/.test(given)) return why("'client_secret' must only contain printable ASCII: [x20-x7E]+");
  if (given.length > 100) return why("'client_secret' can't be more than '100' characters long.");
  if (app.authMethod === 'client_secret_jwt' && given.length < 32) return why("'client_secret' must be at least '32' characters long when 'token_endpoint_auth_method' is 'client_secret_jwt'.");
  if (given.length < 14) return why("'client_secret' must be at least '14' characters long.");
  return given;
}

async function listSecrets(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const app = await credentialApp(ctx, req, 'read');
  return jsonReply(200, listed(activeSecrets(app), inactiveOf(app).secrets).map(({ record, status }) => secretJson(ctx, app, record, status)));
}

async function createSecret(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const app = await credentialApp(ctx, req, 'manage');
  const body = managementObject(req);
  if (app.kind === 'service' || !SECRET_METHODS.includes(app.authMethod)) {
    throw refused('client_secret', `'client_secret' can't be used when 'token_endpoint_auth_method' is '${app.authMethod}'.`);
  }
  const status = statusField(body, RESOURCE);
  const value = givenSecret(app, body.client_secret);
  if (secretCount(app) >= MAX_APP_SECRETS) throw refused(RESOURCE, "You've reached the maximum number of client secrets per client.");
  const secret = newClientSecret();
  if (value !== undefined) secret.value = value;
  (status === 'ACTIVE' ? app.secrets : inactiveOf(app).secrets).push(secret);
  touch(ctx, secret);
  return jsonReply(201, secretJson(ctx, app, secret, status, true));
}

async function getSecret(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const app = await credentialApp(ctx, req, 'read');
  const { secret, status } = findSecret(ctx, app, req.params.secretId ?? '');
  return jsonReply(200, secretJson(ctx, app, secret, status));
}

async function deleteSecret(ctx: OrgContext, req: EmuRequest): Promise<Reply> {
  const app = await credentialApp(ctx, req, 'manage');
  const { secret, status } = findSecret(ctx, app, req.params.secretId ?? '');
  if (status === 'ACTIVE') throw refused(RESOURCE, "You can't delete an active client secret. Deactivate the secret before deleting it.");
  removeRecord(inactiveOf(app).secrets, secret);
  return emptyReply(204);
}

/** Moves a secret between the active and inactive lists (a no-op when it is there already). */
async function setSecretStatus(ctx: OrgContext, req: EmuRequest, to: 'ACTIVE' | 'INACTIVE'): Promise<Reply> {
  const app = await credentialApp(ctx, req, 'manage');
  const { secret, status } = findSecret(ctx, app, req.params.secretId ?? '');
  if (status !== to && app.kind !== 'service') {
    if (to === 'INACTIVE' && app.secrets.length === 1) throw refused(RESOURCE, "You can't deactivate the only active client secret.");
    const [from, into] = to === 'ACTIVE' ? [inactiveOf(app).secrets, app.secrets] : [app.secrets, inactiveOf(app).secrets];
    moveRecord(from, into, secret);
    touch(ctx, secret);
  }
  return jsonReply(200, secretJson(ctx, app, secret, to));
}

export function registerAppSecretRoutes(router: Router, ctx: OrgContext): void {
  const base = '/api/v1/apps/:id/credentials/secrets';
  router
    .add('GET', base, (req) => listSecrets(ctx, req))
    .add('POST', base, (req) => createSecret(ctx, req))
    .add('GET', `${base}/:secretId`, (req) => getSecret(ctx, req))
    .add('DELETE', `${base}/:secretId`, (req) => deleteSecret(ctx, req))
    .add('POST', `${base}/:secretId/lifecycle/activate`, (req) => setSecretStatus(ctx, req, 'ACTIVE'))
    .add('POST', `${base}/:secretId/lifecycle/deactivate`, (req) => setSecretStatus(ctx, req, 'INACTIVE'));
}
