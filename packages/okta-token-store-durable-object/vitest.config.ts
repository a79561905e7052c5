import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@org/source'] },
  ssr: { resolve: { conditions: ['@org/source'] } },
  test: {
    name: 'okta-token-store-durable-object',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 30_000,
    restoreMocks: true,
  },
});
