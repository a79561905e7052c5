import type { OrgContext } from '../state/context.js';
import type { Router } from '../http/router.js';
import { registerAppJwkRoutes } from './app-jwks.js';
import { registerAppSecretRoutes } from './app-secrets.js';
import { registerAppRoutes } from './apps.js';
import { registerAuthorizeRoutes } from './authorize.js';
import { registerDeviceRoutes } from './device.js';
import { registerDiscoveryRoutes } from './discovery.js';
import { registerGroupRoutes } from './groups.js';
import { registerLogRoutes } from './logs.js';
import { registerLogoutRoutes } from './logout.js';
import { registerParRoutes } from './par.js';
import { registerResourceSetRoutes } from './resource-sets.js';
import { registerRevocationRoutes } from './revocation.js';
import { registerTokenRoutes } from './token.js';
import { registerUserinfoRoutes } from './userinfo.js';
import { registerUserLifecycleRoutes } from './user-lifecycle.js';
import { registerUserRoutes } from './users.js';

/** Register every Okta-facing route of the org. */
export function registerOrgRoutes(router: Router, ctx: OrgContext): void {
  registerDiscoveryRoutes(router, ctx);
  registerTokenRoutes(router, ctx);
  registerAuthorizeRoutes(router, ctx);
  registerParRoutes(router, ctx);
  registerDeviceRoutes(router, ctx);
  registerRevocationRoutes(router, ctx);
  registerUserinfoRoutes(router, ctx);
  registerLogoutRoutes(router, ctx);
  registerUserRoutes(router, ctx);
  registerUserLifecycleRoutes(router, ctx);
  registerGroupRoutes(router, ctx);
  registerAppRoutes(router, ctx);
  registerAppSecretRoutes(router, ctx);
  registerAppJwkRoutes(router, ctx);
  registerLogRoutes(router, ctx);
  registerResourceSetRoutes(router, ctx);
}
