// Targets of `pnpm mutate okta-emulator` (scripts/mutate.mjs): each file and the tests that exercise it.
const origins = ['src/http/cors.test.ts', 'src/http/trusted-origins.server.test.ts', 'src/controls/admin-origin.server.test.ts', 'src/start-options.server.test.ts', 'src/routes/browser-requests.server.test.ts'];
const appCredentials = ['src/controls/app-keys.server.test.ts', 'src/controls/app-secrets.server.test.ts', 'src/state/app-keys-bounds.server.test.ts'];
const appCredentialRoutes = ['src/routes/app-secrets.server.test.ts', 'src/routes/app-jwks.server.test.ts', 'src/routes/app-credentials-hostile.server.test.ts'];
export default {
  'src/http/cors.ts': origins,
  'src/protocol/browser-request.ts': ['src/routes/browser-requests.server.test.ts', 'src/http/trusted-origins.server.test.ts'],
  'src/routes/token.ts': ['src/routes/browser-requests.server.test.ts', 'src/http/trusted-origins.server.test.ts', 'src/fidelity.server.test.ts', 'src/http/hostile-input.server.test.ts'],
  'src/state/app-secrets.ts': appCredentials,
  'src/state/app-keys.ts': appCredentials,
  'src/routes/app-secrets.ts': ['src/routes/app-secrets.server.test.ts', 'src/routes/app-credential-bounds.server.test.ts', 'src/routes/app-credentials-hostile.server.test.ts'],
  'src/routes/app-jwks.ts': ['src/routes/app-jwks.server.test.ts', 'src/routes/app-credential-bounds.server.test.ts', 'src/routes/app-credentials-hostile.server.test.ts'],
  'src/routes/app-credential-routes.ts': appCredentialRoutes,
  'src/state/app-credentials.ts': [...appCredentialRoutes, ...appCredentials],
  'src/http/management-body.ts': appCredentialRoutes,
  'src/routes/par.ts': ['src/routes/par.server.test.ts', 'src/routes/par-edges.server.test.ts', 'src/routes/par-stored.test.ts'],
  'src/controls/admin-routes.ts': ['src/controls/faults.server.test.ts', 'src/controls/admin-fields.server.test.ts', 'src/controls/admin.server.test.ts', 'src/option-fields.server.test.ts', 'src/controls/hold.server.test.ts', 'src/controls/rate-limit.server.test.ts'],
  'src/controls/faults.ts': ['src/controls/hold.server.test.ts', 'src/controls/hold-edges.server.test.ts', 'src/controls/faults.server.test.ts'],
  'src/routes/users.ts': ['src/routes/users-self.server.test.ts', 'src/routes/users-self-edges.server.test.ts', 'src/routes/users-self-emails.server.test.ts', 'src/routes/users.server.test.ts', 'src/routes/management-writes.server.test.ts'],
  'src/state/store.ts': ['src/routes/users-self.server.test.ts', 'src/routes/users-self-edges.server.test.ts', 'src/routes/users.server.test.ts'],
  'src/protocol/resource-auth.ts': ['src/protocol/resource-auth.mut.server.test.ts', 'src/protocol/resource-auth.server.test.ts', 'src/controls/fault-bodies.server.test.ts', 'src/controls/fault-userinfo-paths.server.test.ts', 'src/routes/ssws.server.test.ts', 'src/routes/users-self.server.test.ts', 'src/routes/users-self-edges.server.test.ts', 'src/routes/users.server.test.ts'],
  'src/http/errors.ts': ['src/protocol/resource-auth.mut.server.test.ts', 'src/controls/fault-bodies.server.test.ts', 'src/controls/fault-bodies-4xx.server.test.ts', 'src/controls/faults.server.test.ts', 'src/controls/fault-userinfo.server.test.ts', 'src/controls/fault-userinfo-paths.server.test.ts'],
  'src/routes/userinfo.ts': ['src/controls/fault-userinfo.server.test.ts', 'src/controls/fault-userinfo-paths.server.test.ts'],
  'src/http/server.ts': ['src/controls/fault-userinfo.server.test.ts', 'src/controls/fault-bodies.server.test.ts'],
  'src/emulator-error.ts': ['src/option-fields.server.test.ts', 'src/option-fields-unquoted.server.test.ts', 'src/handle-arguments.server.test.ts', 'src/controls/admin-fields.server.test.ts', 'src/start-options.server.test.ts', 'src/controls/faults.server.test.ts'],
  'src/state/apps.ts': ['src/emulator-errors.server.test.ts', 'src/option-fields.server.test.ts', 'src/controls/app-keys.server.test.ts', 'src/protocol/client-assertion.server.test.ts', 'src/routes/refresh-rotate-option.server.test.ts'],
  'src/state/app-checks.ts': ['src/emulator-errors.server.test.ts', 'src/option-fields.server.test.ts', 'src/controls/app-keys.server.test.ts', 'src/protocol/client-assertion.server.test.ts', 'src/routes/refresh-rotate-option.server.test.ts'],
  'src/options.ts': ['src/start-options.server.test.ts', 'src/controls/rate-limit.server.test.ts'],
  'src/routes/resource-sets.ts': ['src/routes/resource-sets.server.test.ts'],
  'src/protocol/client-assertion.ts': ['src/protocol/client-assertion.mut.server.test.ts', 'src/protocol/client-assertion.server.test.ts', 'src/protocol/client-auth.server.test.ts', 'src/protocol/client-auth-endpoints.server.test.ts', 'src/fidelity.server.test.ts', 'src/controls/app-secrets.server.test.ts', 'src/controls/app-keys.server.test.ts', 'src/routes/app-jwks.server.test.ts'],
  'src/protocol/dpop.ts': ['src/protocol/dpop.mut.server.test.ts', 'src/protocol/token-dpop.server.test.ts', 'src/protocol/resource-auth.server.test.ts', 'src/fidelity.server.test.ts', 'src/routes/authorization-code.server.test.ts', 'src/interop/openid-client.server.test.ts'],
  'src/protocol/grants.ts': ['src/protocol/grants.mut.server.test.ts', 'src/routes/authorization-code.server.test.ts', 'src/routes/refresh-tokens.server.test.ts', 'src/routes/refresh-rotate-option.server.test.ts', 'src/routes/device.server.test.ts', 'src/routes/device-interval.server.test.ts', 'src/protocol/scopes.server.test.ts', 'src/fidelity.server.test.ts'],
  'src/routes/authorize.ts': ['src/routes/authorize.mut.server.test.ts', 'src/routes/authorize.server.test.ts', 'src/routes/authorize-errors.server.test.ts', 'src/routes/oauth-parameters.server.test.ts', 'src/routes/max-age.server.test.ts', 'src/routes/authorization-response-iss.server.test.ts', 'src/routes/authorization-code.server.test.ts', 'src/routes/par.server.test.ts', 'src/routes/par-edges.server.test.ts'],
};
