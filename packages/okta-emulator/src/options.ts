import { checkKnownFields, invalidOption, optionsOf, shown, type FieldNames } from './emulator-error.js';
import type { CreateUserOptions, EmulatorOptions } from './emulator-api.js';
import type { RecordLogEventOptions } from './log-event-options.js';
import type { OinAppOptions, ServiceAppOptions, SignInAppOptions } from './state/app-options.js';
import { RateLimiter } from './controls/rate-limit.js';
import { isRecord } from './http/http-types.js';
import type { LogEntity } from './state/system-log.js';

/** The most users `seed.users` and `seedUsers(n)` create: the emulator keeps every user in memory. */
export const MAX_SEEDED_USERS = 100_000;

/** The fields of `startEmulator`'s options (`optionsOf` refuses any other; the README's options table lists them). */
export const START_FIELDS: FieldNames<EmulatorOptions> = { port: true, host: true, tokenLifetimeSeconds: true, dpopNonceLifetimeSeconds: true, deviceIntervalSeconds: true, deviceDeniedStatus: true, refreshTokenRotation: true, rateLimits: true, seed: true, authorizationResponseIss: true, trustedOrigins: true, browserRules: true };

/** The most `trustedOrigins` an org takes: each is checked on every browser call. */
export const MAX_TRUSTED_ORIGINS = 1000;

function refuse(option: string, what: string): never {
  return invalidOption('startEmulator', option, what);
}

function wholeNumber(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function seconds(options: Record<string, unknown>, option: 'tokenLifetimeSeconds' | 'dpopNonceLifetimeSeconds'): void {
  if (options[option] !== undefined) checkSeconds(options[option], option, 'startEmulator', ', or unset');
}

/**
 * A lifetime: a positive, finite number of seconds (`tokenLifetimeSeconds` and `setTokenLifetime`).
 * @throws {OktaEmulatorError} `INVALID_OPTION` naming `option` and `where`.
 */
export function checkSeconds(value: unknown, option: string, where: string, orElse = ''): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalidOption(where, option, `must be a positive number of seconds, such as 3600${orElse}, not ${shown(value)}.`);
  return value;
}

/**
 * A number of users to create, at most {@link MAX_SEEDED_USERS}.
 * @throws {OktaEmulatorError} `INVALID_OPTION` naming `option` and `where`.
 */
export function checkUserCount(value: unknown, option: string, where: string): number {
  if (!wholeNumber(value, MAX_SEEDED_USERS)) invalidOption(where, option, `must be a whole number from 0 to ${String(MAX_SEEDED_USERS)} (users are kept in memory), not ${shown(value)}.`);
  return value;
}

/**
 * A rate limit: a whole number of requests a minute (the `rateLimits` option and `setRateLimit`).
 * @throws {OktaEmulatorError} `INVALID_OPTION` naming `option` and `where`.
 */
export function checkPerMinute(value: unknown, option: string, where: string): number {
  if (!wholeNumber(value, Number.MAX_SAFE_INTEGER)) invalidOption(where, option, `must be a whole number of requests a minute (0 refuses every request; 1e9 is no limit), not ${shown(value)}.`);
  return value;
}

/**
 * A rate limit's bucket (the `rateLimits` option and `setRateLimit`): `'*'`, or a request path that is
 * the bucket of its own requests (`/api/v1/users`, `/api/v1/users/{idOrLogin}`, `/oauth2/v1/token`). A user's path, a query or the
 * org URL would name a bucket no request counts against: a limit never applied, a 429 never answered.
 * @throws {OktaEmulatorError} `INVALID_OPTION` naming `option` and `where`.
 */
export function checkBucket(value: unknown, option: string, where: string): string {
  if (typeof value !== 'string' || !value.startsWith('/')) {
    if (value === '*') return value;
    invalidOption(where, option, `must be a bucket such as '/api/v1/users', '/oauth2/v1/token' or '*' (every other): a request path starting with /, not ${shown(value)}.`);
  }
  const path = value.split(/[?#]/, 1)[0] ?? value;
  if (path !== value) invalidOption(where, option, `must be a bucket: a request path without its query, such as '${RateLimiter.bucketFor('GET', path)}', not ${shown(value)}.`);
  const [read, write] = RateLimiter.bucketsFor(value);
  if (read !== value && write !== value) {
    invalidOption(where, option, `is no bucket: a request to it counts against ${write === undefined ? `'${read}': give that` : `'${read}' (GET) or '${write}' (POST, PUT, DELETE): give the one you mean`}.`);
  }
  return value;
}

/**
 * A clock offset: a finite number of seconds, ahead or behind (`setClockOffset`).
 * @throws {OktaEmulatorError} `INVALID_OPTION` naming `option` and `where`.
 */
export function checkClockOffset(value: unknown, option: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalidOption(where, option, `must be a number of seconds ahead of real time (negative: behind), such as 3600, not ${shown(value)}.`);
  return value;
}

/**
 * A concurrency limit: a whole number of requests in flight, or `undefined` for none (`setConcurrencyLimit`).
 * @throws {OktaEmulatorError} `INVALID_OPTION` naming `option` and `where`.
 */
export function checkConcurrencyLimit(value: unknown, option: string, where: string): number | undefined {
  if (value !== undefined && !wholeNumber(value, Number.MAX_SAFE_INTEGER)) {
    invalidOption(where, option, `must be a whole number of requests in flight, such as 75 (Okta's default), or undefined for no limit, not ${shown(value)}.`);
  }
  return value;
}

/**
 * Checks {@link startEmulator}'s options before anything listens: each value one the emulator can
 * use, or an {@link OktaEmulatorError} naming the option and what to give (never a raw
 * `TypeError` from Node.js, and never a string port taken for a Unix socket path).
 */
export function checkEmulatorOptions(given: unknown): EmulatorOptions {
  // The handle's methods' one check of an options object: nothing or null is none.
  const options = optionsOf('startEmulator', given as Record<string, unknown> | undefined, '{ seed: { users: 5 } }', START_FIELDS, true);
  const { port, host, refreshTokenRotation, rateLimits, seed } = options;
  if (port !== undefined && !wholeNumber(port, 65_535)) {
    refuse('port', 'must be a whole number from 0 to 65535 (0 picks a free port); a port read from the environment is a string: Number(process.env.PORT).');
  }
  if (host !== undefined && (typeof host !== 'string' || host.trim() === '')) refuse('host', 'must be an address to listen on, such as "127.0.0.1" (the default), or unset.');
  seconds(options, 'tokenLifetimeSeconds');
  seconds(options, 'dpopNonceLifetimeSeconds');
  if (options.deviceIntervalSeconds !== undefined && !(wholeNumber(options.deviceIntervalSeconds, 600) && options.deviceIntervalSeconds >= 1)) {
    refuse('deviceIntervalSeconds', `must be a whole number of seconds from 1 to 600, such as 5 (Okta's), or unset, not ${shown(options.deviceIntervalSeconds)}.`);
  }
  if (options.deviceDeniedStatus !== undefined && options.deviceDeniedStatus !== 400 && options.deviceDeniedStatus !== 403) {
    refuse('deviceDeniedStatus', `must be 400 (RFC 8628, the default) or 403 (Okta's catalogue), or unset, not ${shown(options.deviceDeniedStatus)}.`);
  }
  checkFields(options, 'startEmulator', { authorizationResponseIss: 'boolean', browserRules: 'boolean' });
  if (refreshTokenRotation !== undefined && refreshTokenRotation !== 'rotate' && refreshTokenRotation !== 'static') refuse('refreshTokenRotation', 'must be "rotate" or "static", or unset.');
  if (rateLimits !== undefined) {
    if (!isRecord(rateLimits)) refuse('rateLimits', "must be an object of per-minute limits per bucket, such as { '/api/v1/users': 100, '*': 1000 }.");
    for (const [bucket, limit] of Object.entries(rateLimits)) {
      checkBucket(bucket, `rateLimits[${shown(bucket)}]`, 'startEmulator');
      checkPerMinute(limit, `rateLimits[${shown(bucket)}]`, 'startEmulator');
    }
  }
  checkTrustedOrigins(options.trustedOrigins);
  if (seed !== undefined) {
    if (!isRecord(seed)) refuse('seed', 'must be an object such as { users: 5 }, or unset.');
    checkKnownFields(seed, 'startEmulator', { users: true }, 'seed.', "startEmulator's seed");
    if (seed.users !== undefined) checkUserCount(seed.users, 'seed.users', 'startEmulator');
  }
  return options;
}

/** The one check of a Trusted Origin: scheme, host and port, what a browser sends as `Origin`. */
function checkOrigin(origin: unknown, where: string, option: string, example: string): string {
  if (typeof origin === 'string' && URL.canParse(origin) && new URL(origin).origin === origin) return origin;
  return invalidOption(where, option, `must be an origin as a browser sends it (scheme, host and port; no path, not even a trailing /), ${example}, not ${shown(origin)}.`);
}

/** `trustedOrigins`: unset, `null`, or a list of origins. */
function checkTrustedOrigins(value: unknown): void {
  if (value === undefined || value === null) return;
  const example = "such as ['http://127.0.0.1:5173']";
  if (!Array.isArray(value) || value.length > MAX_TRUSTED_ORIGINS) refuse('trustedOrigins', `must be an array of at most ${String(MAX_TRUSTED_ORIGINS)} origins, ${example}, or unset for any origin, not ${shown(value)}.`);
  for (const [i, origin] of value.entries()) checkOrigin(origin, 'startEmulator', `trustedOrigins[${String(i)}]`, example);
}

/**
 * `addTrustedOrigin(origin)`: one more Trusted Origin, to an org started with `trustedOrigins` (unset, it
 * answers every origin: one added would make that "only this one"), at most {@link MAX_TRUSTED_ORIGINS}.
 * @throws {OktaEmulatorError} `INVALID_OPTION` naming `origin`.
 */
export function addTrustedOrigin(trusted: Set<string> | undefined, given: unknown): void {
  const where = 'addTrustedOrigin';
  const origin = checkOrigin(given, where, 'origin', "such as 'http://127.0.0.1:5173'");
  if (trusted === undefined) invalidOption(where, 'origin', 'cannot be added: this org trusts every origin (started without trustedOrigins); start it with trustedOrigins: [] to trust only the origins you add.');
  if (!trusted.has(origin) && trusted.size >= MAX_TRUSTED_ORIGINS) invalidOption(where, 'origin', `cannot be added: an org takes at most ${String(MAX_TRUSTED_ORIGINS)} Trusted Origins, and this one has them.`);
  trusted.add(origin);
}

/** What an optional field of a method's options holds: a boolean, a string (1 to 255 characters), or one of a few words. */
type FieldKind = 'boolean' | 'text' | readonly string[];

/**
 * The optional fields of a method's options, each unset (`undefined` or `null`, read as unset) or of its kind:
 * a JavaScript caller's `requireDpop: 'false'` or `admin: 'yes'` is refused, not taken as true.
 * @throws {OktaEmulatorError} `INVALID_OPTION` naming the field and `where`.
 */
export function checkFields(options: object, where: string, kinds: Record<string, FieldKind>): void {
  for (const [field, kind] of Object.entries(kinds)) {
    const value: unknown = (options as Record<string, unknown>)[field];
    if (value === undefined || value === null) continue;
    if (kind === 'boolean' && typeof value !== 'boolean') invalidOption(where, field, `must be true or false, or unset, not ${shown(value)}.`);
    if (kind === 'text' && (typeof value !== 'string' || value === '' || value.length > 255)) invalidOption(where, field, `must be a string of 1 to 255 characters, or unset, not ${shown(value)}.`);
    if (Array.isArray(kind) && !kind.includes(value)) invalidOption(where, field, `must be ${kind.map((k) => `'${k}'`).join(' or ')}, or unset, not ${shown(value)}.`);
  }
}

const SEVERITIES = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

function checkEntity(value: unknown, option: string, where: string): LogEntity {
  const text = (v: unknown): v is string => typeof v === 'string' && v !== '' && v.length <= 255;
  const optional = (v: unknown): v is string | undefined => v === undefined || text(v);
  if (!isRecord(value) || !text(value.id) || !text(value.type) || !optional(value.alternateId) || !optional(value.displayName)) {
    invalidOption(where, option, `must be { id, type, alternateId?, displayName? } (strings of 1 to 255 characters), not ${shown(value)}.`);
  }
  return { id: value.id, type: value.type, alternateId: value.alternateId ?? null, displayName: value.displayName ?? null, detailEntry: null };
}

/** The fields of the methods' options (`optionsOf` refuses any other; the README's methods table lists them, `routes/readme-routes.test.ts`). */
export const SERVICE_APP_FIELDS: FieldNames<ServiceAppOptions> = { scopes: true, keyType: true, requireDpop: true, keyCount: true, publicJwks: true };
export const OIN_APP_FIELDS: FieldNames<OinAppOptions> = { scopes: true, tokenEndpointAuthMethod: true };
export const SIGN_IN_APP_FIELDS: FieldNames<SignInAppOptions> = {
  type: true, redirectUris: true, postLogoutRedirectUris: true, scopes: true, requireDpop: true, refreshTokenRotation: true,
  refreshTokenLeewaySeconds: true, groupsClaim: true, label: true, signInHint: true, tokenEndpointAuthMethod: true, keyType: true, publicJwks: true,
};
export const LOG_EVENT_FIELDS: FieldNames<RecordLogEventOptions> = { eventType: true, published: true, severity: true, displayMessage: true, actor: true, target: true, outcome: true };
export const USER_FIELDS: FieldNames<CreateUserOptions> = { login: true, password: true, firstName: true, lastName: true, email: true, admin: true };
export const API_TOKEN_FIELDS: FieldNames<{ name?: string | undefined; user?: string | undefined }> = { name: true, user: true };
export const APP_KEY_FIELDS: FieldNames<{ keyType?: 'RSA' | 'EC' | undefined }> = { keyType: true };
export const SIGN_IN_FIELDS: FieldNames<{ login: string; password: string }> = { login: true, password: true };
export const REQUESTS_FIELDS: FieldNames<{ path?: string | undefined; since?: number | undefined }> = { path: true, since: true };

/**
 * A test's own System Log event (`recordLogEvent`), checked field by field.
 * @throws {OktaEmulatorError} `INVALID_OPTION` naming the field.
 */
export function checkLogEventOptions(given: unknown, where: string): CheckedLogEvent {
  const value = optionsOf(where, given as Record<string, unknown>, "{ eventType: 'user.session.start' }", LOG_EVENT_FIELDS);
  const { eventType, published, severity, displayMessage, actor, target, outcome } = value;
  if (typeof eventType !== 'string' || eventType === '' || eventType.length > 255) invalidOption(where, 'eventType', `must be an event type (1 to 255 characters) such as 'user.session.start', not ${shown(eventType)}.`);
  const when = typeof published === 'string' ? Date.parse(published) : Number.NaN;
  if (published !== undefined && Number.isNaN(when)) invalidOption(where, 'published', `must be an ISO 8601 date-time such as '2026-01-01T00:00:00Z', or unset for now, not ${shown(published)}.`);
  if (severity !== undefined && !(SEVERITIES as readonly unknown[]).includes(severity)) invalidOption(where, 'severity', `must be one of ${SEVERITIES.join(', ')}, not ${shown(severity)}.`);
  if (displayMessage !== undefined && typeof displayMessage !== 'string') invalidOption(where, 'displayMessage', `must be a string, not ${shown(displayMessage)}.`);
  if (target !== undefined && (!Array.isArray(target) || target.length > 100)) invalidOption(where, 'target', `must be an array of at most 100 { id, type } objects, not ${shown(target)}.`);
  if (outcome !== undefined && !(isRecord(outcome) && typeof outcome.result === 'string' && (outcome.reason === undefined || typeof outcome.reason === 'string'))) {
    invalidOption(where, 'outcome', `must be { result, reason? } such as { result: 'FAILURE' }, not ${shown(outcome)}.`);
  }
  return {
    eventType,
    displayMessage: displayMessage ?? null,
    published: published === undefined ? undefined : when,
    severity: severity as CheckedLogEvent['severity'],
    actor: actor === undefined ? undefined : checkEntity(actor, 'actor', where),
    target: (target ?? []).map((t: unknown) => checkEntity(t, 'target', where)),
    outcome: isRecord(outcome) ? { result: String(outcome.result), reason: typeof outcome.reason === 'string' ? outcome.reason : undefined } : undefined,
  };
}

/** What {@link checkLogEventOptions} returns. */
export interface CheckedLogEvent {
  eventType: string;
  displayMessage: string | null;
  published: number | undefined;
  severity: (typeof SEVERITIES)[number] | undefined;
  actor: LogEntity | undefined;
  target: LogEntity[];
  outcome: { result: string; reason: string | undefined } | undefined;
}
