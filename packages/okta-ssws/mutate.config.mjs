// Targets of `pnpm mutate okta-ssws` (scripts/mutate.mjs): each file and the tests that exercise it.
const tests = ['src/validate-token.test.ts', 'src/ssws-credential.test.ts', 'src/ssws.property.test.ts', 'src/ssws.server.test.ts'];
export default {
  'src/validate-token.ts': tests,
  'src/ssws-credential.ts': tests,
  'src/ssws-from-env.ts': tests,
  'src/errors.ts': tests,
};
