export type { AuthorizationHeaders, CredentialKind, OktaCredential, RequestAttempt } from './credential.js';
export { isOktaCredential } from './credential.js';
export type { OktaAuthErrorCode } from './errors.js';
export { OktaAuthError, isOktaAuthError } from './errors.js';
export type { OrgUrl, OrgUrlOptions } from './org-url.js';
export { parseOrgUrl } from './org-url.js';
export { Secret, redact, redactHeaders, scrub } from './secret.js';
