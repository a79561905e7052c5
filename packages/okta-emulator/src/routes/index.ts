import type { OrgContext } from '../context.js';
import type { Router } from '../router.js';
import { registerDiscoveryRoutes } from './discovery.js';
import { registerGroupRoutes } from './groups.js';
import { registerTokenRoutes } from './token.js';
import { registerUserRoutes } from './users.js';

/** Register every Okta-facing route of the org. */
export function registerOrgRoutes(router: Router, ctx: OrgContext): void {
  registerDiscoveryRoutes(router, ctx);
  registerTokenRoutes(router, ctx);
  registerUserRoutes(router, ctx);
  registerGroupRoutes(router, ctx);
}
