import type { OrgContext } from '../context.js';
import type { Router } from '../router.js';
import { registerGroupRoutes } from './groups.js';
import { registerUserRoutes } from './users.js';

/** Register every Okta-facing route of the org. */
export function registerOrgRoutes(router: Router, ctx: OrgContext): void {
  registerUserRoutes(router, ctx);
  registerGroupRoutes(router, ctx);
}
