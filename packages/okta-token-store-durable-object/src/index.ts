export type { DurableObjectNamespaceLike, DurableObjectStubLike, DurableObjectTokenStorageOptions } from './options.js';
export { createDurableObjectTokenStorage } from './durable-object-token-storage.js';
export type { DurableObjectStateLike } from './token-store-object.js';
export type { DurableObjectStorageLike } from './object-storage.js';
export { OktaTokenStoreObject } from './token-store-object.js';
export type { OktaDurableObjectStoreErrorCode } from './errors.js';
export { OktaDurableObjectStoreError, isOktaDurableObjectStoreError } from './errors.js';
export type { SharedDpopKeyOptions } from './shared-dpop-key.js';
export { loadSharedDpopKeyPair } from './shared-dpop-key.js';
