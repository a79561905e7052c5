/**
 * The `okta.*` scopes Okta's org authorization server has: Okta's list of OAuth 2.0 scopes
 * (https://developer.okta.com/docs/api/oauth2/), which is generated from the `securitySchemes` of Okta's
 * OpenAPI specs. Copied from `okta/okta-management-openapi-spec` → `dist/current/` at commit
 * `fdda229e82940cf5af4611ad673ca6a27974e31b` (management, oauth and idp 2026.06.3, governance 3.2.0), plus the
 * two `self` scopes the "Implement OAuth for Okta" guide documents ("Scope naming": `okta.users.read.self`;
 * `okta/okta-developer-docs` `docs/guides/implement-oauth-for-okta/main/index.md` at `468de9c511`).
 * FIDELITY.md T11. A name not here is refused as Okta refuses it: `no_matching_scope` at `/token`, and an app
 * cannot be granted it.
 */
const LISTED: readonly string[] = [
  // Okta OpenID Connect & OAuth 2.0 (`oauth.yaml`)
  'okta.clients.manage', 'okta.clients.read', 'okta.clients.register', 'okta.universalLogout.manage', 'okta.workflows.invoke.manage',
  // Okta Admin Management (`management.yaml`)
  'okta.agentPools.manage', 'okta.agentPools.read', 'okta.apiTokens.manage', 'okta.apiTokens.read', 'okta.appGrants.manage', 'okta.appGrants.read',
  'okta.apps.interclientTrust.manage', 'okta.apps.interclientTrust.read', 'okta.apps.manage', 'okta.apps.read', 'okta.authenticators.manage',
  'okta.authenticators.read', 'okta.authorizationServers.manage', 'okta.authorizationServers.read', 'okta.behaviors.manage', 'okta.behaviors.read',
  'okta.botProtection.manage', 'okta.botProtection.read', 'okta.brands.manage', 'okta.brands.read', 'okta.captchas.manage', 'okta.captchas.read',
  'okta.customTelephonyProvider.manage', 'okta.customTelephonyProvider.read', 'okta.deviceAssurance.manage', 'okta.deviceAssurance.read',
  'okta.deviceIntegrations.manage', 'okta.deviceIntegrations.read', 'okta.devicePostureChecks.manage', 'okta.devicePostureChecks.read',
  'okta.devices.manage', 'okta.devices.read', 'okta.directories.groups.manage', 'okta.directories.groups.read', 'okta.domains.manage',
  'okta.domains.read', 'okta.dr.manage', 'okta.dr.read', 'okta.emailDomains.manage', 'okta.emailDomains.read', 'okta.emailServers.manage',
  'okta.emailServers.read', 'okta.eventHooks.manage', 'okta.eventHooks.read', 'okta.features.manage', 'okta.features.read', 'okta.groups.manage',
  'okta.groups.read', 'okta.identitySources.manage', 'okta.identitySources.read', 'okta.idps.manage', 'okta.idps.read', 'okta.inlineHooks.manage',
  'okta.inlineHooks.read', 'okta.linkedObjects.manage', 'okta.linkedObjects.read', 'okta.logStreams.manage', 'okta.logStreams.read',
  'okta.logs.read', 'okta.networkZones.manage', 'okta.networkZones.read', 'okta.oauthIntegrations.manage', 'okta.oauthIntegrations.read',
  'okta.orgs.manage', 'okta.orgs.read', 'okta.personal.adminSettings.manage', 'okta.personal.adminSettings.read', 'okta.policies.manage',
  'okta.policies.read', 'okta.principalRateLimits.manage', 'okta.principalRateLimits.read', 'okta.profileMappings.manage',
  'okta.profileMappings.read', 'okta.pushProviders.manage', 'okta.pushProviders.read', 'okta.rateLimits.manage', 'okta.rateLimits.read',
  'okta.realmAssignments.manage', 'okta.realmAssignments.read', 'okta.realms.manage', 'okta.realms.read', 'okta.roles.manage', 'okta.roles.read',
  'okta.schemas.manage', 'okta.schemas.read', 'okta.securityEventsProviders.manage', 'okta.securityEventsProviders.read',
  'okta.serviceAccounts.manage', 'okta.serviceAccounts.okta.manage', 'okta.serviceAccounts.okta.read', 'okta.serviceAccounts.read',
  'okta.sessions.manage', 'okta.sessions.read', 'okta.templates.manage', 'okta.templates.read', 'okta.threatInsights.manage',
  'okta.threatInsights.read', 'okta.trustedOrigins.manage', 'okta.trustedOrigins.read', 'okta.uischemas.manage', 'okta.uischemas.read',
  'okta.userRisk.manage', 'okta.userRisk.read', 'okta.userTypes.manage', 'okta.userTypes.read', 'okta.users.manage', 'okta.users.read',
  // MyAccount Management (`idp.yaml`)
  'okta.myAccount.appAuthenticator.maintenance.manage', 'okta.myAccount.appAuthenticator.maintenance.read', 'okta.myAccount.appAuthenticator.manage',
  'okta.myAccount.authenticators.manage', 'okta.myAccount.authenticators.read', 'okta.myAccount.email.manage', 'okta.myAccount.email.read',
  'okta.myAccount.oktaApplications.read', 'okta.myAccount.organization.read', 'okta.myAccount.password.manage', 'okta.myAccount.password.read',
  'okta.myAccount.phone.manage', 'okta.myAccount.phone.read', 'okta.myAccount.profile.manage', 'okta.myAccount.profile.read',
  'okta.myAccount.sessions.manage', 'okta.myAccount.webauthn.manage', 'okta.myAccount.webauthn.read',
  // Identity Governance (`governance-combined-production-reference.yaml`)
  'okta.accessRequests.catalog.read', 'okta.accessRequests.condition.manage', 'okta.accessRequests.condition.read',
  'okta.accessRequests.request.manage', 'okta.accessRequests.request.read', 'okta.accessRequests.tasks.manage', 'okta.accessRequests.tasks.read',
  'okta.governance.accessCertifications.manage', 'okta.governance.accessCertifications.read', 'okta.governance.accessRequests.manage',
  'okta.governance.accessRequests.read', 'okta.governance.collections.manage', 'okta.governance.collections.read', 'okta.governance.delegates.read',
  'okta.governance.entitlements.manage', 'okta.governance.entitlements.read', 'okta.governance.labels.manage', 'okta.governance.labels.read',
  'okta.governance.operations.read', 'okta.governance.principalSettings.manage', 'okta.governance.principalSettings.read',
  'okta.governance.resourceOwner.manage', 'okta.governance.resourceOwner.read', 'okta.governance.reviewer.manage', 'okta.governance.reviewer.read',
  'okta.governance.riskRule.manage', 'okta.governance.riskRule.read', 'okta.governance.securityAccessReviews.admin.manage',
  'okta.governance.securityAccessReviews.admin.read', 'okta.governance.securityAccessReviews.endUser.manage',
  'okta.governance.securityAccessReviews.endUser.read', 'okta.governance.settings.manage', 'okta.governance.settings.read',
  // "Implement OAuth for Okta", "Scope naming"
  'okta.users.read.self', 'okta.users.manage.self',
];

/** Every `okta.*` scope of Okta's list ({@link LISTED}). */
export const OKTA_API_SCOPES: ReadonlySet<string> = new Set(LISTED);

