import { createHash } from 'node:crypto';
import type { JWK } from 'jose';
import type { OrgContext } from './context.js';
import { oktaId } from './ids.js';
import type { AppRecord, ClientSecretRecord } from './model.js';

/*
 * The lifecycle state of an app's client secrets and public keys, as the Apps API's `/credentials/secrets`
 * and `/credentials/jwks` see it. The active ones stay where every check reads them (`app.secrets`,
 * `app.keys`), so a token request sees an activation or deactivation at once; the inactive ones, and each
 * one's Okta id and times, are kept here beside the same records the admin controls change (one store).
 */

/** When a secret or key was created and last changed (org clock, ms), and a key's Okta id (`pks…`). */
export interface CredentialMeta {
  id: string;
  created: number;
  lastUpdated: number;
}

const META = new WeakMap<object, CredentialMeta>();
const INACTIVE = new WeakMap<AppRecord, { secrets: ClientSecretRecord[]; keys: JWK[] }>();

/** The id and times of a secret record or a key; a record the API has not seen yet is stamped now. */
export function metaOf(ctx: OrgContext, record: ClientSecretRecord | JWK): CredentialMeta {
  let meta = META.get(record);
  if (meta === undefined) {
    const now = ctx.clock.nowMs();
    meta = { id: 'value' in record && typeof record.id === 'string' ? record.id : oktaId('pks'), created: now, lastUpdated: now };
    META.set(record, meta);
  }
  return meta;
}

/** Marks a record changed now (its `lastUpdated`). */
export function touch(ctx: OrgContext, record: ClientSecretRecord | JWK): void {
  metaOf(ctx, record).lastUpdated = ctx.clock.nowMs();
}

/** The app's inactive secrets and keys (deactivated through the API, not yet deleted). */
export function inactiveOf(app: AppRecord): { secrets: ClientSecretRecord[]; keys: JWK[] } {
  let held = INACTIVE.get(app);
  if (held === undefined) {
    held = { secrets: [], keys: [] };
    INACTIVE.set(app, held);
  }
  return held;
}

/** The app's active secrets: none for a service app, which authenticates with a key. */
export function activeSecrets(app: AppRecord): ClientSecretRecord[] {
  return app.kind === 'service' ? [] : app.secrets;
}

/** The app's active keys: none for an OIN app, which authenticates with a secret. */
export function activeKeys(app: AppRecord): JWK[] {
  return app.kind === 'oin' ? [] : app.keys;
}

/** How many secrets the app holds, active and inactive: Okta's limit of two counts both. */
export function secretCount(app: AppRecord): number {
  return activeSecrets(app).length + inactiveOf(app).secrets.length;
}

/** How many keys the app holds, active and inactive: Okta's limit of 50 counts both. */
export function keyCount(app: AppRecord): number {
  return activeKeys(app).length + inactiveOf(app).keys.length;
}

/**
 * `secret_hash`: a digest that names a secret without holding it. Okta does not document how it makes it;
 * its examples are 22 base64url characters (16 bytes), so the emulator gives the first 16 bytes of the
 * value's SHA-256 [I].
 */
export function secretHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest().subarray(0, 16).toString('base64url');
}
