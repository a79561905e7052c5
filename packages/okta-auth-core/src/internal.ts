/**
 * `@org/okta-auth-core/internal`: what the sibling packages (`@org/okta-oauth`,
 * `@org/okta-ssws`) share with core to read Okta's answers and scrub them along one path.
 *
 * **Not public API**: not covered by semver; it may change in any release. Use the root
 * entry (`@org/okta-auth-core`) in applications.
 *
 * @packageDocumentation
 */
export type { AttemptRecord } from './answer.js';
export { answerSecrets, maxErrorBodyBytes, readAnswerText, readFailure, scrubAnswer } from './answer.js';
export { requestSecrets } from './secret.js';
