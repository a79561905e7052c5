import type { CreateUserOptions, OktaEmulator, RecordLogEventOptions } from '../emulator-api.js';
import type { IdTokenCorruption } from '../state/context.js';
import type { FaultSpec } from './faults.js';
import { emptyReply, isRecord, jsonBody, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import type { Router } from '../http/router.js';
import type { ServiceAppOptions, SignInAppOptions } from '../state/apps.js';
import { invalidOption, isOktaEmulatorError, shown } from '../emulator-error.js';
import { checkConcurrencyLimit, checkUserCount } from '../options.js';

type Body = Record<string, unknown>;

// The route's own checks of what only HTTP can get wrong (JSON, a field's type) throw the methods' error too.
const where = (req: EmuRequest): string => `${req.method} ${req.rawPath}`;

function body(req: EmuRequest): Body {
  let parsed: unknown;
  try {
    parsed = jsonBody(req);
  } catch {
    // Not quoted, nor kept as the cause: JSON.parse's message quotes the body, which may carry a header or key.
    invalidOption(where(req), 'body', 'must be JSON: a JSON object of the options, or empty.');
  }
  if (parsed === undefined) return {};
  // A string body is not quoted either: it may be a token or password sent as the whole body.
  if (!isRecord(parsed)) invalidOption(where(req), 'body', `must be a JSON object of the options, not ${typeof parsed === 'string' ? 'a string' : shown(parsed)}.`);
  return parsed;
}

function num(req: EmuRequest, b: Body, key: string): number {
  const v = b[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) invalidOption(where(req), key, `must be a number, not ${shown(v)}.`);
  return v;
}

function str(req: EmuRequest, b: Body, key: string): string {
  const v = b[key];
  if (typeof v !== 'string' || v === '') invalidOption(where(req), key, `must be a non-empty string, not ${shown(v)}.`);
  return v;
}

/**
 * 400 for what a handler throws: an `OktaEmulatorError` with its `code` and `option`; anything else
 * (a body of a shape no check anticipated failing inside a method) with its message alone.
 */
function wrap(fn: (req: EmuRequest) => unknown): (req: EmuRequest) => Reply {
  return (req) => {
    try {
      const result = fn(req);
      return result === undefined ? emptyReply(204) : jsonReply(200, result);
    } catch (e) {
      if (isOktaEmulatorError(e)) return jsonReply(400, { error: e.message, code: e.code, option: e.option });
      return jsonReply(400, { error: e instanceof Error ? e.message : String(e) });
    }
  };
}

/**
 * The one decision of what is a control's path (`/__emulator` and below, the routes registered here): the server answers it
 * by this router alone, behind the controls' origin check, and counts none of it (its preflights included) as an org request.
 */
export function isAdminPath(path: string): boolean {
  return path === '/__emulator' || path.startsWith('/__emulator/');
}

/**
 * Unauthenticated JSON mirror of the programmatic API under `/__emulator/*`, for curl and for tests
 * in other languages. Bodies are the same option objects the methods take.
 */
export function registerAdminRoutes(router: Router, org: OktaEmulator): void {
  router
    .add('GET', '/__emulator', wrap(() => ({ url: org.url })))
    .add('POST', '/__emulator/api-tokens', wrap((req) => {
      const b = body(req);
      return org.createApiToken({ ...(typeof b.name === 'string' ? { name: b.name } : {}), ...(typeof b.user === 'string' ? { user: b.user } : {}) });
    }))
    .add('POST', '/__emulator/api-tokens/:id/revoke', wrap((req) => { org.revokeApiToken(req.params.id ?? ''); }))
    .add('POST', '/__emulator/api-tokens/:id/expire', wrap((req) => { org.expireApiToken(req.params.id ?? ''); }))
    .add('POST', '/__emulator/service-apps', wrap((req) => org.createServiceApp(body(req) as unknown as ServiceAppOptions)))
    .add('POST', '/__emulator/oin-apps', wrap((req) => org.createOinApp(body(req) as unknown as { scopes: string[] })))
    .add('POST', '/__emulator/sign-in-apps', wrap((req) => org.createSignInApp(body(req) as unknown as SignInAppOptions)))
    .add('POST', '/__emulator/users', wrap((req) => org.createUser(body(req) as unknown as CreateUserOptions)))
    // Checked here with seedUsers' rule, so that the refusal names the field (count), not the argument (n).
    .add('POST', '/__emulator/users/seed', wrap((req) => { org.seedUsers(checkUserCount(num(req, body(req), 'count'), 'count', where(req))); }))
    .add('POST', '/__emulator/devices/approve', wrap((req) => {
      const b = body(req);
      org.approveDevice(str(req, b, 'userCode'), str(req, b, 'login'));
    }))
    .add('POST', '/__emulator/devices/deny', wrap((req) => { org.denyDevice(str(req, body(req), 'userCode')); }))
    .add('GET', '/__emulator/counters', wrap(() => org.counters()))
    .add('DELETE', '/__emulator/counters', wrap(() => { org.resetCounters(); }))
    .add('POST', '/__emulator/clock', wrap((req) => { org.setClockOffset(num(req, body(req), 'offsetSeconds')); }))
    .add('POST', '/__emulator/token-lifetime', wrap((req) => { org.setTokenLifetime(num(req, body(req), 'seconds')); }))
    .add('POST', '/__emulator/faults', wrap((req) => ({ id: org.injectFault(body(req) as unknown as FaultSpec) })))
    .add('DELETE', '/__emulator/faults', wrap(() => { org.clearFaults(); }))
    .add('DELETE', '/__emulator/faults/:id', wrap((req) => ({ removed: org.removeFault(req.params.id ?? '') })))
    .add('GET', '/__emulator/faults/:id/held', wrap((req) => ({ held: org.heldAnswers(req.params.id ?? '') })))
    .add('POST', '/__emulator/faults/:id/release', wrap((req) => {
      const { count } = body(req);
      return { released: org.releaseHeld(req.params.id ?? '', count === null ? undefined : (count as number | undefined)) };
    }))
    .add('POST', '/__emulator/rate-limits', wrap((req) => {
      const b = body(req);
      org.setRateLimit(str(req, b, 'bucket'), num(req, b, 'perMinute'));
    }))
    .add('POST', '/__emulator/concurrency-limit', wrap((req) => {
      const b = body(req);
      // Checked here too, so that the refusal names the field (limit), not the argument (n).
      org.setConcurrencyLimit(checkConcurrencyLimit(b.limit === null || b.limit === undefined ? undefined : num(req, b, 'limit'), 'limit', where(req)));
    }))
    .add('POST', '/__emulator/principal-rate-limit-share', wrap((req) => {
      const b = body(req);
      org.setPrincipalRateLimitShare(b.share === null || b.share === undefined ? undefined : num(req, b, 'share'));
    }))
    .add('POST', '/__emulator/revoke-access-tokens', wrap(() => { org.revokeAccessTokens(); }))
    .add('POST', '/__emulator/resource-nonce', wrap((req) => { org.requireResourceNonce(body(req).required === true); }))
    .add('POST', '/__emulator/apps/:clientId/keys', wrap((req) => {
      const keyType = body(req).keyType;
      return org.addAppKey(req.params.clientId ?? '', keyType === undefined ? undefined : { keyType: keyType as 'RSA' | 'EC' });
    }))
    .add('POST', '/__emulator/apps/:clientId/keys/:keyId/deactivate', wrap((req) => { org.deactivateAppKey(req.params.clientId ?? '', req.params.keyId ?? ''); }))
    .add('POST', '/__emulator/apps/:clientId/secrets', wrap((req) => org.addAppSecret(req.params.clientId ?? '')))
    .add('POST', '/__emulator/apps/:clientId/secrets/:secretId/deactivate', wrap((req) => { org.deactivateAppSecret(req.params.clientId ?? '', req.params.secretId ?? ''); }))
    .add('POST', '/__emulator/signing-keys/rotate', wrap(() => ({ kid: org.rotateSigningKey() })))
    .add('POST', '/__emulator/discovery', wrap((req) => { org.overrideDiscovery(body(req)); }))
    .add('POST', '/__emulator/logs', wrap((req) => org.recordLogEvent(body(req) as unknown as RecordLogEventOptions)))
    .add('POST', '/__emulator/corrupt-next-id-token', wrap((req) => {
      org.corruptNextIdToken(str(req, body(req), 'kind') as IdTokenCorruption);
    }));
}
