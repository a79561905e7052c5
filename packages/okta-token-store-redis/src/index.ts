export type { RedisClientLike } from './redis-client.js';
export type { EncryptionKeys } from './encryption.js';
export type { RedisTokenStorageOptions } from './redis-token-storage.js';
export { createRedisTokenStorage } from './redis-token-storage.js';
export type { OktaRedisStoreErrorCode } from './errors.js';
export { OktaRedisStoreError, isOktaRedisStoreError } from './errors.js';
export type { SharedDpopKeyOptions } from './shared-dpop-key.js';
export { loadSharedDpopKeyPair } from './shared-dpop-key.js';
