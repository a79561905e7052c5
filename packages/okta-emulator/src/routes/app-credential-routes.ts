import { OKTA_ID_SHAPE } from '../emulator-error.js';
import { notFound, oktaError, ReplyError } from '../http/errors.js';
import type { EmuRequest } from '../http/http-types.js';
import { authenticate, requireScope } from '../protocol/resource-auth.js';
import { metaOf } from '../state/app-credentials.js';
import { isSecretValue } from '../state/app-secrets.js';
import type { OrgContext } from '../state/context.js';
import type { AppRecord, ClientSecretRecord } from '../state/model.js';
import type { JWK } from 'jose';

/*
 * What the Apps API's credential routes (`/api/v1/apps/{appId}/credentials/secrets` and `…/jwks`) share:
 * the caller's token and scope (`okta.apps.read` to read, `okta.apps.manage` to change; an SSWS token as
 * any admin's), the app, Okta's validation error, and each record's times and links.
 */

/** The app the path names, once the caller may `need` it; 404 `E0000007` for an unknown app id. */
export async function credentialApp(ctx: OrgContext, req: EmuRequest, need: 'read' | 'manage'): Promise<AppRecord> {
  const principal = await authenticate(ctx, req, `okta.apps.${need}`);
  requireScope(ctx, req, principal, 'okta.apps', need);
  const id = req.params.id ?? '';
  const app = ctx.store.apps.get(id);
  if (app === undefined) throw new ReplyError(notFound(id, 'AppInstance'));
  return app;
}

/**
 * 404 `E0000007` for a secret or key id the app does not hold. The id is quoted only when shaped like an
 * Okta id (`ocs…`, `pks…`) and not the value of a client secret (a caller's own may be 14 to 20 letters
 * and digits): a secret's value or a private key put in the path by mistake is a secret, and stays out of
 * the answer.
 */
export function credentialNotFound(ctx: OrgContext, id: string, resource: string): ReplyError {
  return new ReplyError(notFound(OKTA_ID_SHAPE.test(id) && !isSecretValue(ctx, id) ? id : 'the given id', resource));
}

/** Okta's 400 `E0000001` for a credential write it refuses: `Api validation failed: <resource>` and one cause. */
export function refused(resource: string, cause: string): ReplyError {
  return new ReplyError(oktaError(400, 'E0000001', `Api validation failed: ${resource}`, [cause]));
}

/** A write's `status` field: `ACTIVE` (the default) or `INACTIVE`. */
export function statusField(body: Record<string, unknown>, resource: string): 'ACTIVE' | 'INACTIVE' {
  const status = body.status ?? 'ACTIVE';
  if (status !== 'ACTIVE' && status !== 'INACTIVE') throw refused(resource, "status: 'status' must be ACTIVE or INACTIVE.");
  return status;
}

/** `created`, `lastUpdated` and the HAL links of a credential in `status`, under `base` (the record's URL). */
export function credentialFrame(ctx: OrgContext, record: ClientSecretRecord | JWK, status: 'ACTIVE' | 'INACTIVE', base: string): Record<string, unknown> {
  const meta = metaOf(ctx, record);
  const link = (href: string, method: string): Record<string, unknown> => ({ href, hints: { allow: [method] } });
  const _links =
    status === 'ACTIVE'
      ? { deactivate: link(`${base}/lifecycle/deactivate`, 'POST') }
      : { activate: link(`${base}/lifecycle/activate`, 'POST'), delete: link(base, 'DELETE') };
  return { status, created: new Date(meta.created).toISOString(), lastUpdated: new Date(meta.lastUpdated).toISOString(), _links };
}

/** A list of records, each with its status, as the list route answers it (active first, then inactive). */
export function listed<T>(active: readonly T[], inactive: readonly T[]): { record: T; status: 'ACTIVE' | 'INACTIVE' }[] {
  return [...active.map((record) => ({ record, status: 'ACTIVE' as const })), ...inactive.map((record) => ({ record, status: 'INACTIVE' as const }))];
}

/** Takes `record` out of `list` (a delete: the record is in it, found by the route). */
export function removeRecord<T>(list: T[], record: T): void {
  list.splice(list.indexOf(record), 1);
}

/** Moves `record` from one status's list to the other's (activate, deactivate). */
export function moveRecord<T>(from: T[], into: T[], record: T): void {
  removeRecord(from, record);
  into.push(record);
}
