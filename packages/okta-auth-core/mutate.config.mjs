// Targets of `pnpm mutate okta-auth-core` (scripts/mutate.mjs): each file and the tests that exercise it.
export default {
  'src/secret.ts': ['src/secret.test.ts', 'src/api-error.test.ts', 'src/okta-fetch.server.test.ts'],
  'src/org-url.ts': ['src/org-url.test.ts', 'src/parsers.property.test.ts'],
  'src/link-header.ts': ['src/link-header.test.ts', 'src/parsers.property.test.ts'],
  'src/www-authenticate.ts': ['src/www-authenticate.test.ts', 'src/parsers.property.test.ts', 'src/api-error.test.ts'],
  'src/rate-limit.ts': ['src/rate-limit.test.ts', 'src/parsers.property.test.ts'],
  'src/page.ts': ['src/page.server.test.ts', 'src/request-policy.server.test.ts', 'src/poll-system-log.server.test.ts'],
  'src/api-error.ts': ['src/api-error.test.ts', 'src/errors.test.ts', 'src/stalled-error-body.server.test.ts'],
  'src/escape-unprintable.ts': ['src/escape-unprintable.test.ts'],
  'src/request-policy.ts': ['src/request-policy.server.test.ts', 'src/request-policy-refusals.server.test.ts', 'src/okta-fetch.server.test.ts', 'src/credential-errors.server.test.ts', 'src/authorize-timeout-path.server.test.ts', 'src/ky/create-okta-ky.server.test.ts'],
  'src/execute.ts': ['src/okta-fetch.server.test.ts', 'src/request-policy.server.test.ts', 'src/credential-errors.server.test.ts', 'src/authorize-timeout-path.server.test.ts', 'src/stalled-error-body.server.test.ts', 'src/retry-off.server.test.ts', 'src/delete-not-resent.server.test.ts', 'src/rate-limit-coordinator.server.test.ts', 'src/attempt-secrets.server.test.ts', 'src/attempt-loop.server.test.ts'],
  'src/answer.ts': ['src/answer.test.ts', 'src/answer-reading.test.ts', 'src/broken-error-body.server.test.ts', 'src/okta-fetch.server.test.ts', 'src/request-policy.server.test.ts', 'src/stalled-error-body.server.test.ts'],
  'src/failure.ts': ['src/failure.test.ts', 'src/answer-reading.test.ts', 'src/okta-fetch.server.test.ts', 'src/request-policy.server.test.ts', 'src/authorize-timeout-path.server.test.ts', 'src/stalled-error-body.server.test.ts'],
  'src/attempt-secrets.ts': ['src/attempt-secrets.server.test.ts', 'src/authorize-timeout-path.server.test.ts', 'src/okta-fetch.server.test.ts', 'src/request-policy.server.test.ts', 'src/secret.test.ts', 'src/ky/create-okta-ky.server.test.ts'],
  'src/ky/authorize.ts': ['src/ky/create-okta-ky.server.test.ts', 'src/ky/hooks-body-bounds.server.test.ts', 'src/drivers-differential.server.test.ts'],
  'src/ky/answer.ts': ['src/ky/create-okta-ky.server.test.ts', 'src/request-policy-refusals.server.test.ts', 'src/ky/hooks-body-bounds.server.test.ts', 'src/drivers-differential.server.test.ts'],
};
