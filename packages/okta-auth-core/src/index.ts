/**
 * `@org/okta-auth-core`: the credential interface, the fetch wrapper, Okta's error model, rate
 * limits, pagination, org URL validation and secret redaction. What the sibling packages share
 * with core and nothing else needs is in `@org/okta-auth-core/internal` (not covered by semver).
 *
 * @packageDocumentation
 */
export type { ApiErrorContext, ApiErrorParts, OktaErrorCause } from './errors/api-error.js';
export { OktaApiError, isOktaApiError } from './errors/api-error.js';
export type { AnswerState, AuthorizationHeaders, CredentialKind, OktaCredential, RequestAttempt } from './credential.js';
export { isOktaCredential } from './credential.js';
export type { OktaAuthErrorCode } from './errors/errors.js';
export { OktaAuthError, isOktaAuthError } from './errors/errors.js';
export { nextLink } from './headers/link-header.js';
export type { OktaLogEvent, OktaLogger } from './config/logger.js';
export type { OktaFetch, OktaFetchOptions } from './request/okta-fetch.js';
export { createOktaFetch } from './request/okta-fetch.js';
export type { OrgUrl, OrgUrlOptions } from './config/org-url.js';
export { parseOrgUrl } from './config/org-url.js';
export type { Page, PageFetcher, PaginateOptions } from './pagination/paginate.js';
export { paginate, paginatePages } from './pagination/paginate.js';
export type { PageShape } from './pagination/object-pages.js';
export { objectPages } from './pagination/object-pages.js';
export type { LogEventEntity, PollSystemLogOptions, SystemLogEvent } from './pagination/poll-system-log.js';
export { pollSystemLog } from './pagination/poll-system-log.js';
export type { RateLimitInfo } from './headers/rate-limit.js';
export { parseRateLimit } from './headers/rate-limit.js';
export type { BudgetWaitOptions } from './rate-limit/coordinated-wait.js';
export type { CoordinatedRateLimits, RateLimitCoordinator, RateLimitObservation, RateLimitScope, RateLimitSpent } from './rate-limit/rate-limit-coordinator.js';
export { coordinateRateLimits } from './rate-limit/rate-limit-coordinator.js';
export type { MemoryRateLimitOptions } from './rate-limit/memory-coordinator.js';
export { createMemoryRateLimitCoordinator } from './rate-limit/memory-coordinator.js';
export type { InFlightLimit, SlotWaitOptions } from './rate-limit/in-flight-limit.js';
export { createInFlightLimit } from './rate-limit/in-flight-limit.js';
export { Secret } from './secrets/secret-value.js';
export { redactHeaders } from './secrets/secret.js';
export type { OktaTransportOptions, RetryOptions } from './config/transport.js';
export type { WwwAuthenticateChallenge } from './headers/www-authenticate.js';
