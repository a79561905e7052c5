// The workspace check-snippets.mjs reads: its root, the library packages, the third-party modules a snippet
// may import, and TypeScript (the workspace's own).
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const root = join(dirname(new URL(import.meta.url).pathname), '..', '..');
export const libraries = {
  'okta-auth-core': '@org/okta-auth-core',
  'okta-ssws': '@org/okta-ssws',
  'okta-oauth': '@org/okta-oauth',
  'okta-emulator': '@org/okta-emulator',
  'okta-token-store-redis': '@org/okta-token-store-redis',
  'okta-token-store-durable-object': '@org/okta-token-store-durable-object',
};
/**
 * Third-party modules a snippet may import because a user of the packages has them: the
 * packages' dependencies, and what the READMEs show them used with (a test runner, a proxy agent, a Redis
 * client). Each is taken from the node_modules of the workspace package that depends on it.
 */
export const thirdParty = {
  ky: 'packages/okta-auth-core',
  jose: 'packages/okta-oauth',
  vitest: '.',
  redis: 'packages/okta-token-store-redis',
  ioredis: 'packages/okta-token-store-redis',
  undici: 'tests/reliability',
  // The emulator README's sign-in page driven by a real browser.
  'playwright-core': 'packages/okta-oauth',
  // docs/MIGRATING.md's "before" blocks: Okta's SDKs, dev dependencies of the emulator's fidelity tests.
  '@okta/okta-sdk-nodejs': 'packages/okta-emulator',
  '@okta/okta-auth-js': 'packages/okta-emulator',
};

/** A folder's entries (none when it does not exist). */
export const list = (dir) => (existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []);

export const ts = createRequire(join(root, 'package.json'))('typescript');
