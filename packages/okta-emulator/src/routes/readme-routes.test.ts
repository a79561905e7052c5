import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Router } from '../http/router.js';
import type { OrgContext } from '../state/context.js';
import { registerOrgRoutes } from './index.js';

/** The README's "What it serves" table, as a reader sees it. */
function servedTable(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('## What it serves');
  return readme.slice(start, readme.indexOf('\n## ', start + 1));
}

/** Every Okta route the org registers, as `METHOD /path/:param`. */
function registered(): { method: string; template: string }[] {
  const routes: { method: string; template: string }[] = [];
  const router = { add: (method: string, template: string) => (routes.push({ method, template }), router) };
  // Registering reads nothing of the org: its handlers do, when called.
  registerOrgRoutes(router as unknown as Router, null as unknown as OrgContext);
  return routes;
}

describe("the README's table of what the emulator serves", () => {
  it('names the path of every Okta route the org registers (each static part between its parameters)', () => {
    const table = servedTable();
    const routes = registered();
    expect(routes.length).toBeGreaterThan(20);
    // `/api/v1/apps/:id/credentials/jwks` needs `/api/v1/apps` and `/credentials/jwks` in the table, not the first alone.
    const parts = (template: string) => template.split(/\/:[^/]+/).filter((part) => part !== '');
    // The table lists sibling operations as `/lifecycle/{activate,deactivate}`: a part's last segment may be one of those.
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const listed = (part: string) => {
      const at = part.lastIndexOf('/');
      return new RegExp(`${escape(part.slice(0, at))}/\\{([^}]*,)?${escape(part.slice(at + 1))}[,}]`).test(table);
    };
    const missing = routes.filter(({ template }) => !parts(template).every((part) => table.includes(part) || listed(part))).map(({ method, template }) => `${method} ${template}`);
    expect(missing).toEqual([]);
  });
});
