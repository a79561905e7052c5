/**
 * `@org/okta-auth-core`: the credential interface, the fetch wrapper, Okta's error model, rate
 * limits, pagination, org URL validation and secret redaction. What the sibling packages share
 * with core and nothing else needs is in `@org/okta-auth-core/internal` (not covered by semver).
 *
 * @packageDocumentation
 */
export type { ApiErrorContext, ApiErrorParts, OktaErrorCause } from './api-error.js';
export { OktaApiError, isOktaApiError } from './api-error.js';
export type { AnswerState, AuthorizationHeaders, CredentialKind, OktaCredential, RequestAttempt } from './credential.js';
export { isOktaCredential } from './credential.js';
export type { OktaAuthErrorCode } from './errors.js';
export { OktaAuthError, isOktaAuthError } from './errors.js';
export { nextLink } from './link-header.js';
export type { OktaLogEvent, OktaLogger } from './logger.js';
export type { OktaFetch, OktaFetchOptions } from './okta-fetch.js';
export { createOktaFetch } from './okta-fetch.js';
export type { OrgUrl, OrgUrlOptions } from './org-url.js';
export { parseOrgUrl } from './org-url.js';
export type { Page, PageFetcher, PaginateOptions } from './paginate.js';
export { paginate, paginatePages } from './paginate.js';
export type { LogEventEntity, PollSystemLogOptions, SystemLogEvent } from './poll-system-log.js';
export { pollSystemLog } from './poll-system-log.js';
export type { RateLimitInfo } from './rate-limit.js';
export { parseRateLimit } from './rate-limit.js';
export type { BudgetWaitOptions, CoordinatedRateLimits, RateLimitCoordinator, RateLimitObservation, RateLimitScope } from './rate-limit-coordinator.js';
export { coordinateRateLimits } from './rate-limit-coordinator.js';
export { Secret } from './secret-value.js';
export { redactHeaders } from './secret.js';
export type { OktaTransportOptions, RetryOptions } from './transport.js';
export type { WwwAuthenticateChallenge } from './www-authenticate.js';
