export type { OktaSswsErrorCode } from './errors.js';
export { OktaSswsError, isOktaSswsError } from './errors.js';
export type { SswsCredentialOptions } from './ssws-credential.js';
export { createSswsCredential } from './ssws-credential.js';
export { sswsCredentialFromEnv } from './ssws-from-env.js';
