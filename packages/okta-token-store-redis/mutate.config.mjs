// Targets of `pnpm mutate okta-token-store-redis` (scripts/mutate.mjs): each file and the tests that exercise it.
// The server tests start their own redis-server (test/fleet/redis-server.mjs; `node scripts/provision.mjs` installs it).
// test/fleet.server.test.ts and test/tenants.server.test.ts are left out: their processes run the built dist/, which
// Stryker's mutants (in src/) never reach, and they take minutes.
export default {
  'src/redis-token-storage.ts': ['test/remove-if-equal.server.test.ts', 'test/sign-out.server.test.ts', 'test/clients.server.test.ts', 'test/entries.server.test.ts', 'test/single-flight.server.test.ts', 'src/redis-client.test.ts'],
  'src/redis-client.ts': ['src/redis-client.test.ts', 'test/hostile-redis.server.test.ts', 'test/reply-types.server.test.ts', 'test/single-flight.server.test.ts', 'test/remove-if-equal.server.test.ts'],
  'src/rate-limit-coordinator.ts': ['src/redis-client.test.ts', 'src/rate-limit-coordinator-timeout.test.ts', 'test/reply-types.server.test.ts', 'test/concurrent-limit.server.test.ts', 'test/clock-skew.server.test.ts'],
  'src/shared-dpop-key.ts': ['test/clients.server.test.ts', 'test/dpop-required-bearer.server.test.ts', 'test/reply-types.server.test.ts', 'test/shared-dpop-key-unimportable.server.test.ts', 'src/shared-dpop-key-events.test.ts'],
  'src/encryption.ts': ['src/encryption-shapes.test.ts', 'src/encryption.test.ts', 'src/encryption.mut.test.ts', 'test/entries.server.test.ts', 'test/hostile-redis.server.test.ts'],
};
