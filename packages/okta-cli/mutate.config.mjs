// Targets of `pnpm mutate okta-cli` (scripts/mutate.mjs): each file and the tests that exercise it.
// Only tests that import the module count: the command tests spawn the built binary (`dist/cli.js`),
// which Stryker's mutants (of `src/`, run in-process) never reach.
export default {
  'src/config/redirect-uri.ts': ['src/config/redirect-uri.test.ts'],
  'src/loopback.ts': ['src/loopback.server.test.ts'],
  'src/commands/login.ts': ['src/commands/require-user-mode.test.ts'],
  'src/token-file.ts': ['src/token-file.mut.isolated.test.ts', 'src/token-file.test.ts', 'src/token-file-lock.test.ts'],
  'src/file-lock.ts': ['src/file-lock.mut.test.ts', 'src/file-lock.isolated.test.ts', 'src/token-file-lock.test.ts', 'src/token-file.test.ts'],
};
