import type { CreateUserOptions, OktaEmulator } from '../emulator-api.js';
import type { RecordLogEventOptions } from '../log-event-options.js';
import type { IdTokenCorruption } from '../state/context.js';
import type { FaultSpec } from './faults.js';
import { emptyReply, isRecord, jsonBody, jsonReply, type EmuRequest, type Reply } from '../http/http-types.js';
import type { Router } from '../http/router.js';
import type { ServiceAppOptions, SignInAppOptions } from '../state/app-options.js';
import { checkKnownFields, invalidOption, isOktaEmulatorError, shown } from '../emulator-error.js';
import { checkConcurrencyLimit, checkUserCount } from '../options.js';

type Body = Record<string, unknown>;

// The route's own checks of what only HTTP can get wrong (JSON, a field's type) throw the methods' error too.
const where = (req: EmuRequest): string => `${req.method} ${req.rawPath}`;

/**
 * What a route's body may hold: its fields, checked here by the methods' one rule (`checkKnownFields`: a field
 * not listed is refused, named, never quoted; `NONE` for a route without a body); or `PASSED_ON`, the whole
 * body being a method's options, which the method checks itself (`optionsOf`; discovery's fields are any).
 */
type Takes = Readonly<Record<string, true>> | typeof PASSED_ON;
const PASSED_ON = 'passed on';
const NONE: Readonly<Record<string, true>> = {};

function body(req: EmuRequest, takes: Takes): Body {
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
  if (takes !== PASSED_ON) checkKnownFields(parsed, where(req), takes);
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
 * The route's answer: its body read and checked first (`takes`), then 400 for what a handler throws: an `OktaEmulatorError` with its `code` and `option`; anything else
 * (a body of a shape no check anticipated failing inside a method) with its message alone.
 */
function wrap(takes: Takes, fn: (req: EmuRequest, b: Body) => unknown): (req: EmuRequest) => Reply | Promise<Reply> {
  return (req) => {
    try {
      const result = fn(req, body(req, takes));
      // signIn's answer comes later; every other route's at once.
      return result instanceof Promise ? result.then(answer, refusal) : answer(result);
    } catch (e) {
      return refusal(e);
    }
  };
}

const answer = (result: unknown): Reply => (result === undefined ? emptyReply(204) : jsonReply(200, result));

function refusal(e: unknown): Reply {
  if (isOktaEmulatorError(e)) return jsonReply(400, { error: e.message, code: e.code, option: e.option });
  return jsonReply(400, { error: e instanceof Error ? e.message : String(e) });
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
    .add('GET', '/__emulator', wrap(NONE, () => ({ url: org.url })))
    // Passed whole to the method, whose own check refuses a field it does not take (before, `name` and `user` were picked).
    .add('POST', '/__emulator/api-tokens', wrap(PASSED_ON, (_, b) => org.createApiToken(b)))
    .add('POST', '/__emulator/api-tokens/:id/revoke', wrap(NONE, (req) => { org.revokeApiToken(req.params.id ?? ''); }))
    .add('POST', '/__emulator/api-tokens/:id/expire', wrap(NONE, (req) => { org.expireApiToken(req.params.id ?? ''); }))
    .add('POST', '/__emulator/service-apps', wrap(PASSED_ON, (_, b) => org.createServiceApp(b as unknown as ServiceAppOptions)))
    .add('POST', '/__emulator/oin-apps', wrap(PASSED_ON, (_, b) => org.createOinApp(b as unknown as { scopes: string[] })))
    .add('POST', '/__emulator/sign-in-apps', wrap(PASSED_ON, (_, b) => org.createSignInApp(b as unknown as SignInAppOptions)))
    .add('POST', '/__emulator/users', wrap(PASSED_ON, (_, b) => org.createUser(b as unknown as CreateUserOptions)))
    // Checked here with seedUsers' rule, so that the refusal names the field (count), not the argument (n).
    .add('POST', '/__emulator/users/seed', wrap({ count: true }, (req, b) => { org.seedUsers(checkUserCount(num(req, b, 'count'), 'count', where(req))); }))
    .add('POST', '/__emulator/devices/approve', wrap({ userCode: true, login: true }, (req, b) => { org.approveDevice(str(req, b, 'userCode'), str(req, b, 'login')); }))
    .add('POST', '/__emulator/devices/deny', wrap({ userCode: true }, (req, b) => { org.denyDevice(str(req, b, 'userCode')); }))
    // Its login and password checked by signIn itself; the password is never quoted.
    .add('POST', '/__emulator/sign-in', wrap({ authorizeUrl: true, login: true, password: true }, async (req, b) => ({
      callbackUrl: await org.signIn(str(req, b, 'authorizeUrl'), { login: b.login as string, password: b.password as string }),
    })))
    .add('GET', '/__emulator/requests', wrap(NONE, (req) => {
      const since = req.url.searchParams.get('since');
      return org.requests({ path: req.url.searchParams.get('path') ?? undefined, since: since === null ? undefined : Number(since) });
    }))
    .add('GET', '/__emulator/counters', wrap(NONE, () => org.counters()))
    .add('DELETE', '/__emulator/counters', wrap(NONE, () => { org.resetCounters(); }))
    .add('POST', '/__emulator/clock', wrap({ offsetSeconds: true }, (req, b) => { org.setClockOffset(num(req, b, 'offsetSeconds')); }))
    .add('POST', '/__emulator/token-lifetime', wrap({ seconds: true }, (req, b) => { org.setTokenLifetime(num(req, b, 'seconds')); }))
    .add('POST', '/__emulator/faults', wrap(PASSED_ON, (_, b) => ({ id: org.injectFault(b as unknown as FaultSpec) })))
    .add('DELETE', '/__emulator/faults', wrap(NONE, () => { org.clearFaults(); }))
    .add('DELETE', '/__emulator/faults/:id', wrap(NONE, (req) => ({ removed: org.removeFault(req.params.id ?? '') })))
    .add('GET', '/__emulator/faults/:id/held', wrap(NONE, (req) => ({ held: org.heldAnswers(req.params.id ?? '') })))
    .add('POST', '/__emulator/faults/:id/release', wrap({ count: true }, (req, { count }) => ({
      released: org.releaseHeld(req.params.id ?? '', count === null ? undefined : (count as number | undefined)),
    })))
    .add('POST', '/__emulator/rate-limits', wrap({ bucket: true, perMinute: true }, (req, b) => { org.setRateLimit(str(req, b, 'bucket'), num(req, b, 'perMinute')); }))
    .add('POST', '/__emulator/concurrency-limit', wrap({ limit: true }, (req, b) => {
      // Checked here too, so that the refusal names the field (limit), not the argument (n).
      org.setConcurrencyLimit(checkConcurrencyLimit(b.limit === null || b.limit === undefined ? undefined : num(req, b, 'limit'), 'limit', where(req)));
    }))
    .add('POST', '/__emulator/principal-rate-limit-share', wrap({ share: true }, (req, b) => {
      org.setPrincipalRateLimitShare(b.share === null || b.share === undefined ? undefined : num(req, b, 'share'));
    }))
    .add('POST', '/__emulator/revoke-access-tokens', wrap(NONE, () => { org.revokeAccessTokens(); }))
    .add('POST', '/__emulator/resource-nonce', wrap({ required: true }, (_, b) => { org.requireResourceNonce(b.required === true); }))
    .add('POST', '/__emulator/trusted-origins', wrap({ origin: true }, (_, b) => { org.addTrustedOrigin(b.origin as string); }))
    // Passed whole to addAppKey, whose own check refuses a field it does not take (before, `keyType` was picked).
    .add('POST', '/__emulator/apps/:clientId/keys', wrap(PASSED_ON, (req, b) => org.addAppKey(req.params.clientId ?? '', b)))
    .add('POST', '/__emulator/apps/:clientId/keys/:keyId/deactivate', wrap(NONE, (req) => { org.deactivateAppKey(req.params.clientId ?? '', req.params.keyId ?? ''); }))
    .add('POST', '/__emulator/apps/:clientId/secrets', wrap(NONE, (req) => org.addAppSecret(req.params.clientId ?? '')))
    .add('POST', '/__emulator/apps/:clientId/secrets/:secretId/deactivate', wrap(NONE, (req) => { org.deactivateAppSecret(req.params.clientId ?? '', req.params.secretId ?? ''); }))
    .add('POST', '/__emulator/apps/:clientId/deactivate', wrap(NONE, (req) => { org.deactivateApp(req.params.clientId ?? ''); }))
    .add('POST', '/__emulator/apps/:clientId/activate', wrap(NONE, (req) => { org.activateApp(req.params.clientId ?? ''); }))
    .add('POST', '/__emulator/signing-keys/rotate', wrap(NONE, () => ({ kid: org.rotateSigningKey() })))
    // Any field: they are laid over the discovery documents.
    .add('POST', '/__emulator/discovery', wrap(PASSED_ON, (_, b) => { org.overrideDiscovery(b); }))
    .add('POST', '/__emulator/logs', wrap(PASSED_ON, (_, b) => org.recordLogEvent(b as unknown as RecordLogEventOptions)))
    .add('POST', '/__emulator/corrupt-next-id-token', wrap({ kind: true }, (req, b) => { org.corruptNextIdToken(str(req, b, 'kind') as IdTokenCorruption); }));
}
