/**
 * `@org/okta-auth-core/internal`: what the sibling packages (`@org/okta-oauth`,
 * `@org/okta-ssws`) share with core: the fetch driver of the request policy
 * (for token requests, with `challenge`, their nonce and clock retries as attempts of the one call), the one bounded reader and scrubber of Okta's answers, the one cleaner
 * of text they echo (`printable`), the one reader of an error body (`parseErrorBody`), the parser of
 * `WWW-Authenticate`, the one HTTP-date reader (`parseHttpDate`), reading of the org's clock (`orgClockOffsetMs`) and of a 429's wait (`rateLimitWait`; why the fetch driver did not wait one out: `rateLimitReason`; the one rule of how long a call may wait, `waitLeft`, and its halving of an attempt's bound, `halfLeft`), the one base64url codec, random id
 * and SHA-256 helper (`base64url.ts`), the one guarded reading of the
 * runtime and its environment (with `envLineBreaks`, a variable's escaped line breaks, `namingVariable`, the one naming of a variable's errors, with `checkedEnv`, a variable read and checked inside it, and `refuseNamed`, a refusal of a variable named so), the one validator of the transport options, the one check of a duration option (`checkDuration`) and of a rate-limit coordinator's options, the fleet's and the in-process one's (`checkRateLimitOptions`, with `resetInMs`, the one clamp of an observed reset, `coordinatorTimeoutMs`, the bound a fleet coordinator declares for its calls, and `RateLimitBuckets`, the one in-memory port of the fleet buckets' rules, the Durable Object's and `createMemoryRateLimitCoordinator`'s, on `ExpiringMap`, the one bounded map of expiring values, which the Durable Object's leases use too), the one comparison of origins (`schemeAndHost`) and check of a configured value in quotes (`quotedProblem`, with `refuseQuoted`, its refusal), the shapes of a value pasted in the wrong place (`jwtShape`, a JWT; `shortenedCopy`, an example shortened with `...` or `…`), and the one set of abortable waits (`abortableSleep`,
 * `waitFor`, `settleWithin`/`boundUserCode` for bounded calls into user code, and `AttemptTimer`, the one
 * timeout signal: any positive `timeoutMs`, where `AbortSignal.timeout` refuses a fraction or over 2^32 ms on Node.js),
 * with the one combination of a caller's signal and a call's own controller (`anySignal`: not `AbortSignal.any`, which
 * Node.js 20 leaves a WeakRef per call of on the caller's signal, and edge runtimes lack).
 *
 * **Not public API**: not covered by semver; it may change in any release. Use the root
 * entry (`@org/okta-auth-core`) in applications.
 *
 * @packageDocumentation
 */
export type { Settled } from './request/abort.js';
export { abortableSleep, abortError, AttemptTimer, boundUserCode, maxTimerMs, settleWithin, waitFor } from './request/abort.js';
export { anySignal } from './request/caller-signal.js';
export type { AttemptRecord } from './errors/answer.js';
export type { AttemptSecrets } from './secrets/attempt-secrets.js';
export { answerSecrets, logFailure, maxAnswerBytes, maxErrorBodyBytes, readAnswerText, readFailure, recordAnswerSecrets, scrubAnswer } from './errors/answer.js';
export { base64url, base64urlDecode, randomId, sha256Base64url } from './encoding/base64url.js';
export type { ParsedBody } from './errors/error-body.js';
export { answerRequestId, printable, unprintable } from './errors/printable.js';
export { parseErrorBody } from './errors/error-body.js';
export type { AttemptContext, ExecuteOptions } from './request/execute-options.js';
export { executeOktaRequest } from './request/execute.js';
export { rateLimitReason } from './request/request-policy.js';
export { attemptDeadline, halfLeft, waitLeft, type AttemptDeadline } from './request/rate-limit-verdict.js';
export { brandError, isBrandedError } from './errors/errors.js';
export { isThenable, refusedThenable } from './errors/guarded.js';
export { emit, failedCall } from './config/logger.js';
export { isLoopbackHost, isOktaHost, quotedProblem, refuseQuoted } from './config/org-url.js';
export { jwtShape, shortenedCopy } from './config/value-shapes.js';
export { assertAttempt, assertOrigin, schemeAndHost } from './request/origin-check.js';
export { orgClockOffsetMs, parseHttpDate, rateLimitWait } from './headers/rate-limit.js';
export { checkedEnv, checkEnv, envLineBreaks, namingVariable, readAuthorizationMode, readEnvText, readRuntimeEnv, refuseNamed } from './config/runtime.js';
export { runtimeToken } from './config/runtime-globals.js';
export { isScopeList, maxScopeLength } from './headers/scope.js';
export { isNqchars } from './headers/tokens.js';
export { requestSecrets, scrub } from './secrets/secret.js';
export { isSecret } from './secrets/secret-value.js';
export type { NormalizedRetry } from './config/transport.js';
export { normalizeTransport, refuseForeignOptions, sdkClientOptions } from './config/transport.js';
export { findChallenge, parseWwwAuthenticate } from './headers/www-authenticate.js';
export { escapeUnprintable } from './errors/escape-unprintable.js';
export { readOptions } from './config/options.js';
export { checkDuration, maxDurationMs } from './config/duration.js';
export { checkCount, maxKept } from './config/count.js';
export type { RateLimitOptions } from './config/rate-limit-options.js';
export { checkRateLimitOptions, coordinatorTimeoutMs, maxCoordinatorTimeoutMs, resetInMs } from './config/rate-limit-options.js';
export type { BucketObservation } from './rate-limit/buckets.js';
export { BucketsFull, maxBuckets, RateLimitBuckets, spentPathKey } from './rate-limit/buckets.js';
export { ExpiringMap } from './rate-limit/expiring-map.js';
