// Targets of `pnpm mutate okta-oauth` (scripts/mutate.mjs): each file and the tests that exercise it.
export default {
  'src/internal/jws.ts': ['src/internal/jws.test.ts', 'src/user/id-token.test.ts', 'src/client-auth/client-auth.test.ts', 'src/dpop/dpop.test.ts'],
  'src/user/id-token.ts': ['src/user/id-token-claims.test.ts', 'src/user/id-token.test.ts', 'src/user/sign-in-lean.server.test.ts'],
  'src/user/callback.ts': ['src/user/callback.server.test.ts', 'src/user/sign-in-client.test.ts', 'src/user/sign-in-client.server.test.ts'],
  'src/token-endpoint/token-response.ts': ['src/token-endpoint/token-response.test.ts', 'src/token-endpoint/token-endpoint.test.ts', 'src/user/tokens.test.ts', 'src/token-cache/token-cache.test.ts'],
};
