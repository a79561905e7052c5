// Targets of `pnpm mutate okta-oauth` (scripts/mutate.mjs): each file and the tests that exercise it.
export default {
  'src/internal/jws.ts': ['src/internal/jws.test.ts', 'src/user/id-token.test.ts', 'src/client-auth/client-auth.test.ts', 'src/dpop/dpop.test.ts'],
  'src/user/id-token.ts': ['src/user/id-token-claims.test.ts', 'src/user/id-token.test.ts', 'src/user/sign-in-lean.server.test.ts'],
  'src/user/callback.ts': ['src/user/callback.server.test.ts', 'src/user/callback-params.server.test.ts', 'src/user/sign-in-client.test.ts', 'src/user/sign-in-client.server.test.ts'],
  'src/user/pkce.ts': ['src/user/pkce.test.ts', 'src/user/transaction.test.ts', 'src/user/authorize-url.server.test.ts'],
  'src/user/transaction.ts': ['src/user/transaction.test.ts', 'src/user/callback.server.test.ts', 'src/user/callback-params.server.test.ts', 'src/user/authorize-url.server.test.ts'],
  'src/user/authorize.ts': ['src/user/authorize-url.server.test.ts', 'src/user/callback.server.test.ts', 'src/user/sign-in-client.server.test.ts'],
  'src/dpop/dpop-session.ts': ['src/dpop/dpop-session.test.ts', 'src/dpop/dpop-session-browser.test.ts', 'src/dpop/dpop.test.ts', 'src/dpop-resource.server.test.ts'],
  'src/dpop/dpop-key.ts': ['src/dpop/dpop.test.ts', 'src/dpop/dpop-key-checks.test.ts', 'src/dpop/dpop-session.test.ts', 'src/dpop-resource.server.test.ts'],
  'src/dpop/htu.ts': ['src/dpop/dpop.test.ts', 'src/dpop/dpop-session.test.ts', 'src/dpop-resource.server.test.ts'],
  'src/client-auth/assertion.ts': ['src/client-auth/assertion.test.ts', 'src/client-auth/client-auth.test.ts', 'src/client-auth/client-auth.server.test.ts'],
  'src/client-auth/private-key-jwt.ts': ['src/client-auth/client-auth.test.ts', 'src/client-auth/client-auth.server.test.ts', 'src/client-auth/legacy-pem.server.test.ts'],
  'src/internal/validate.ts': ['src/internal/validate.test.ts', 'src/internal/validate-refusals.test.ts', 'src/factories.test.ts'],
  'src/token-endpoint/token-response.ts': ['src/token-endpoint/token-response.test.ts', 'src/token-endpoint/token-endpoint.test.ts', 'src/user/tokens.test.ts', 'src/token-cache/token-cache.test.ts'],
};
