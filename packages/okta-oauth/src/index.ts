// Service apps, OIN apps, DPoP and the token cache.
export type { ServiceAppCredentialOptions } from './service-app.js';
export { createServiceAppCredential } from './service-app.js';
export type { ServiceAppEnvOptions } from './service-app-env.js';
export { serviceAppCredentialFromEnv } from './service-app-env.js';
export type { OinAppCredentialOptions } from './oin-app.js';
export { createOinAppCredential } from './oin-app.js';
export type { MultiOrgCredentials, MultiOrgCredentialsOptions } from './multi-org.js';
export { createMultiOrgCredentials } from './multi-org.js';
export type { ClientAssertionAlgorithm, ClientPrivateKeyInput } from './client-auth/client-key.js';
export type { DpopAlgorithm } from './dpop/dpop-key.js';
export type { DpopMode } from './token-endpoint/token-endpoint.js';
export type { TokenStore, TokenStoreEntry } from './token-cache/token-store.js';
export { createMemoryTokenStore } from './token-cache/token-store.js';
export type { OAuthErrorCode, OktaOAuthErrorDetails } from './errors.js';
export { OktaOAuthError, isOktaOAuthError } from './errors.js';

// User sign-in: exports merged here by the lead (see src/user/).
